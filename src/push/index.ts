import type { EvidenceRecord } from '../evidence/records.js'
import type { PushContext } from './context.js'
import { planDryRun } from './dry-run.js'
import type { PushOutcome } from './outcome.js'
import { pushWithSession } from './session-push.js'
import { pushUpsert } from './upsert.js'

/** Pushes the records by the configured mode (or plans it in a dry run). Never throws for Drata errors. */
export function push(ctx: PushContext, records: readonly EvidenceRecord[]): Promise<PushOutcome> {
  if (ctx.settings.dryRun) return planDryRun(ctx, records)
  if (!ctx.api)
    throw new Error(
      'No Drata client: api-key, connection-id and resource-id are required outside a dry run',
    )
  return ctx.settings.mode === 'upsert'
    ? pushUpsert(ctx, records, ctx.api)
    : pushWithSession(ctx, records, ctx.api)
}
