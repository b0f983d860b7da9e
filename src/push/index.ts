import type { EvidenceRecord } from '../evidence/records.js'
import type { PushContext } from './context.js'
import { planDryRun } from './dry-run.js'
import { emptyOutcome, type PushOutcome } from './outcome.js'
import { pushWithSession } from './session-push.js'
import { pushUpsert } from './upsert.js'

/** Pushes the records by the configured mode (or plans it in a dry run). Never throws for Drata errors. */
export function push(ctx: PushContext, records: readonly EvidenceRecord[]): Promise<PushOutcome> {
  if (ctx.settings.dryRun) return planDryRun(ctx, records)
  if (!ctx.api) {
    if (records.length > 0) {
      throw new Error("Records to push need 'api-key', 'connection-id' and 'resource-id'")
    }
    // Nothing to push and no resource named: a run for an asset, a review or events only.
    return Promise.resolve({ ...emptyOutcome(ctx.settings.mode, false), carried: 0, removed: 0 })
  }
  return ctx.settings.mode === 'upsert'
    ? pushUpsert(ctx, records, ctx.api)
    : pushWithSession(ctx, records, ctx.api)
}
