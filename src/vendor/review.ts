import { confirmedWrite } from '../drata/confirmed-write.js'
import type { DrataReview, ReviewCreate, VendorsApi } from '../drata/vendors.js'
import { type Logger, realSleep } from '../runtime.js'
import type { VendorReviewSettings } from '../inputs/vendor-review.js'

/** What the vendor review step did (or, in a dry run, would do). */
export interface ReviewOutcome {
  action: 'created' | 'reused'
  id: number | null
  vendorId: number
  title: string
  withFile: boolean
  /** The review's page in Drata, when Drata's answer gave one (`_links.self.href`). */
  link?: string
}

/**
 * Opens the vendor security review, or reuses the one this run already opened (same title):
 * a re-run never opens a second. The title names the run by default for that reason.
 */
export async function openReview(
  api: VendorsApi,
  settings: VendorReviewSettings,
  dryRun: boolean,
  logger: Logger,
  now: Date,
): Promise<ReviewOutcome> {
  const outcome: ReviewOutcome = {
    action: 'created',
    id: null,
    vendorId: settings.vendorId,
    title: settings.title,
    withFile: Boolean(settings.file),
  }
  const existing = (await api.findByTitle(settings.vendorId, settings.title))[0]
  if (existing) {
    logger.info(
      `Vendor ${settings.vendorId} already has review ${existing.id} '${settings.title}'; reusing it`,
    )
    return { ...outcome, action: 'reused', id: existing.id, ...linkOf(existing) }
  }
  if (dryRun) return outcome
  const body: ReviewCreate = {
    title: settings.title,
    reviewDeadlineAt: settings.deadline,
    securityReviewStatus: settings.status,
    securityReviewType: settings.type,
    requestedAt: now.toISOString(),
    ...(settings.requesterId === undefined ? {} : { requesterUserId: settings.requesterId }),
    ...(settings.note ? { note: settings.note } : {}),
  }
  const created = await createOnce(api, settings, body, logger)
  return { ...outcome, id: created.id, ...linkOf(created) }
}

/** Drata's own link to the review; only an https page of drata.com is kept. */
function linkOf(review: DrataReview): { link?: string } {
  const href = review._links?.self?.href
  if (typeof href !== 'string') return {}
  try {
    const url = new URL(href)
    const drata = url.hostname === 'drata.com' || url.hostname.endsWith('.drata.com')
    return url.protocol === 'https:' && drata ? { link: url.toString() } : {}
  } catch {
    return {}
  }
}

/** Creates the review; after an answer that was lost, looks for it by title before retrying. */
function createOnce(
  api: VendorsApi,
  settings: VendorReviewSettings,
  body: ReviewCreate,
  logger: Logger,
): Promise<DrataReview> {
  return confirmedWrite<DrataReview, DrataReview>({
    send: () =>
      settings.file
        ? api.createWithFile(
            settings.vendorId,
            { ...body, documentType: settings.documentType },
            settings.file,
          )
        : api.create(settings.vendorId, body),
    isAmbiguous: (error) => error.status === 0 || error.status >= 500,
    maxRetries: 2,
    delayMs: () => 0,
    sleep: realSleep,
    logger,
    confirm: async (outcome) => {
      if ('answer' in outcome) return { done: outcome.answer }
      const found = (await api.findByTitle(settings.vendorId, settings.title))[0]
      if (found) return { done: found }
      return {
        retry: `Opening review '${settings.title}' failed before it was applied`,
        giveUp: outcome.failure,
      }
    },
  })
}
