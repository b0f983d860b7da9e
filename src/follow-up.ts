import { type AssetOutcome, syncAsset } from './asset/asset.js'
import { listRunEvents } from './audit/events.js'
import { type Logger, realSleep, type Sleep } from './runtime.js'
import type { DrataEvent } from './drata/events.js'
import type { DrataApis } from './drata/factory.js'
import type { Settings } from './settings.js'
import { openReview, type ReviewOutcome } from './vendor/review.js'

/** What the steps after the push did: asset, vendor review, audit events. */
export interface FollowUp {
  asset?: AssetOutcome
  review?: ReviewOutcome
  events?: DrataEvent[]
  /** Why the asset or review step failed, if it did. */
  error?: string
}

/**
 * Runs after a successful push: keeps the asset in step, opens the vendor review, then lists
 * the audit events of the run's writes. Without an API key (offline dry run) they are planned
 * only. Reading events is reporting, so its failure is a warning.
 */
export async function afterPush(
  settings: Settings,
  parts: DrataApis | undefined,
  started: Date,
  logger: Logger,
  sleep: Sleep = realSleep,
): Promise<FollowUp> {
  const result: FollowUp = {}
  const errors: string[] = []
  if (settings.asset) {
    const asset = settings.asset
    try {
      result.asset = parts
        ? await syncAsset(parts.assets, asset, settings.dryRun, logger, sleep)
        : { action: 'none', id: null, name: asset.name, externalId: asset.externalId }
    } catch (error) {
      errors.push(`Asset: ${(error as Error).message}`)
    }
  }
  if (settings.vendorReview) {
    const review = settings.vendorReview
    try {
      result.review = parts
        ? await openReview(parts.vendors, review, settings.dryRun, logger, started)
        : {
            action: 'created',
            id: null,
            vendorId: review.vendorId,
            title: review.title,
            withFile: Boolean(review.file),
          }
    } catch (error) {
      errors.push(`Vendor security review: ${(error as Error).message}`)
    }
  }
  if (errors.length > 0) result.error = errors.join(' ')
  if (settings.auditEvents && settings.dryRun) {
    logger.info('audit-events: a dry run writes nothing, so there are no events to list')
  }
  if (settings.auditEvents && parts && !settings.dryRun) {
    try {
      const otherWrites =
        (result.asset !== undefined && result.asset.action !== 'none') ||
        result.review?.action === 'created'
      result.events = await listRunEvents(
        parts.events,
        started,
        settings.connectionId,
        otherWrites,
        logger,
      )
    } catch (error) {
      logger.warning(`Could not read Drata's audit events: ${(error as Error).message}`)
    }
  }
  return result
}
