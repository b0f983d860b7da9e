import type { AssetCreate, AssetsApi, DrataAsset } from '../drata/assets.js'
import { confirmedWrite } from '../drata/confirmed-write.js'
import { type Logger, realSleep, type Sleep } from '../runtime.js'
import type { AssetSettings } from '../inputs/asset.js'

const LOOKUP_DELAY_MS = 1000

export type AssetAction = 'created' | 'updated' | 'unchanged' | 'removed' | 'none'

/** What the asset step did (or, in a dry run, would do). */
export interface AssetOutcome {
  action: AssetAction
  id: number | null
  name: string
  externalId: string
}

/**
 * Keeps the deployment's asset in step: finds it by externalId, then creates, updates or (on
 * `asset: remove`) deletes it. A re-run never creates a second asset for the same key.
 */
export async function syncAsset(
  api: AssetsApi,
  settings: AssetSettings,
  dryRun: boolean,
  logger: Logger,
  sleep: Sleep = realSleep,
): Promise<AssetOutcome> {
  const outcome: AssetOutcome = {
    action: 'none',
    id: null,
    name: settings.name,
    externalId: settings.externalId,
  }
  const existing = await findOne(api, settings, logger)
  if (settings.action === 'remove') {
    if (!existing) {
      logger.warning(`No Drata asset has externalId '${settings.externalId}'; nothing to remove`)
      return outcome
    }
    outcome.id = existing.id
    outcome.name = existing.name
    if (!dryRun) await api.remove(existing.id)
    outcome.action = 'removed'
    return outcome
  }
  const body = createBody(settings)
  if (existing) {
    outcome.id = existing.id
    if (sameAsset(existing, body)) {
      outcome.action = 'unchanged'
      return outcome
    }
    const { externalId: _id, externalOwnerId: _owner, ...modify } = body
    if (!dryRun) await api.update(existing.id, modify)
    outcome.action = 'updated'
    return outcome
  }
  outcome.action = 'created'
  if (!dryRun) outcome.id = (await createOnce(api, settings, body, logger, sleep)).id
  return outcome
}

/** The asset with this externalId; the oldest if several exist (and a warning). */
async function findOne(
  api: AssetsApi,
  settings: AssetSettings,
  logger: Logger,
): Promise<DrataAsset | undefined> {
  const found = await api.findByExternalId(settings.externalId, settings.externalOwnerId)
  if (found.length > 1) {
    logger.warning(
      `${found.length} Drata assets have externalId '${settings.externalId}' (ids ${found.map((a) => a.id).join(', ')}); using the oldest, ${found[0]?.id}`,
    )
  }
  return found[0]
}

/**
 * Creates the asset. A create whose answer was lost may have been applied, so before trying
 * again the asset is looked up by its externalId (after a moment, for a create still being
 * processed to show up in the list).
 */
function createOnce(
  api: AssetsApi,
  settings: AssetSettings,
  body: AssetCreate,
  logger: Logger,
  sleep: Sleep,
): Promise<DrataAsset> {
  return confirmedWrite<DrataAsset, DrataAsset>({
    send: () => api.create(body),
    isAmbiguous: (error) => error.status === 0 || error.status >= 500,
    maxRetries: 2,
    delayMs: () => 0,
    sleep,
    logger,
    confirm: async (outcome) => {
      if ('answer' in outcome) return { done: outcome.answer }
      await sleep(LOOKUP_DELAY_MS)
      const found = await findOne(api, settings, logger)
      if (found) {
        logger.info(`The create of asset '${body.name}' had been applied (id ${found.id})`)
        return { done: found }
      }
      return {
        retry: `Creating asset '${body.name}' failed before it was applied`,
        giveUp: outcome.failure,
      }
    },
  })
}

function createBody(settings: AssetSettings): AssetCreate {
  if (settings.ownerId === undefined)
    throw new Error("'asset-owner-id' is required to create or update an asset")
  return {
    name: settings.name,
    description: settings.description,
    notes: settings.notes,
    assetType: settings.assetType,
    assetClassTypes: settings.classTypes,
    ownerId: settings.ownerId,
    externalId: settings.externalId,
    externalOwnerId: settings.externalOwnerId,
  }
}

function sameAsset(asset: DrataAsset, body: AssetCreate): boolean {
  const classes = (asset.assetClassTypes ?? []).map((c) => c.assetClassType).sort()
  return (
    asset.name === body.name &&
    (asset.description ?? '') === body.description &&
    (asset.notes ?? '') === body.notes &&
    asset.assetType === body.assetType &&
    asset.owner?.id === body.ownerId &&
    JSON.stringify(classes) === JSON.stringify([...body.assetClassTypes].sort())
  )
}
