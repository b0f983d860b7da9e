/**
 * What each value of an enumerated input or output means, in the words action.yml and the
 * README use: the one source of truth that test/unit/docs.test.ts holds both to. Each table's
 * keys are checked against the type or constant the code runs on.
 */
import type { AssetAction } from './asset/asset.js'
import type { ReportedStatus } from './push/outcome.js'
import type { Mode } from './settings.js'

/** The `mode` input. */
export const MODE_VALUES: Record<Mode, string> = {
  append: "upsert this run's records; never deletes, except what retention-days expires",
  replace:
    "a session that holds exactly this run's records; completing it deletes every other active record",
}

/** The `session-status` output. */
export const SESSION_STATUS_VALUES: Record<ReportedStatus, string> = {
  ACTIVE: 'completed and read back ACTIVE',
  ARCHIVED: 'completed, then superseded by a later session',
  CANCELED: 'cancelled, active data unchanged',
  IN_PROGRESS: 'even cancelling failed; the post step retries',
  none: 'no session was created, as in append mode',
}

/** The `asset-action` output. */
export const ASSET_ACTION_VALUES: Record<AssetAction, string> = {
  created: 'no asset had the asset-external-id, so one was created',
  updated: 'the asset was found and its fields changed',
  unchanged: 'the asset was found as wanted',
  removed: 'the asset was deleted (asset: remove)',
  none: 'no asset step, or nothing to remove',
}
