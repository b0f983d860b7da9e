import type { RecordsApi } from '../drata/records.js'
import type { EvidenceRecord } from '../evidence/records.js'
import type { PushContext } from './context.js'
import { emptyOutcome, type PushOutcome } from './outcome.js'
import { type UploadResult, uploadBatches } from './upload.js'

/**
 * `upsert`: plain upserts in batches, no session. Not atomic: records accepted before a
 * failure stay in Drata. Nothing is removed.
 */
export async function pushUpsert(
  ctx: PushContext,
  records: readonly EvidenceRecord[],
  api: RecordsApi,
): Promise<PushOutcome> {
  const outcome = emptyOutcome('upsert', false)
  outcome.carried = 0
  outcome.removed = 0
  const send = (data: Record<string, unknown>[], ids: string[]) => api.upsert(data, ids)
  // Filled batch by batch, so an error after retries still reports what went in before it.
  const result: UploadResult = { accepted: 0, failures: [], batches: 0 }
  try {
    await uploadBatches(records, ctx.settings.batchSize, send, ctx.logger, 'Upsert', result)
    if (result.failures.length > 0) {
      outcome.error = `Drata rejected ${result.failures.length} of ${records.length} records; the other ${result.accepted} were upserted (upsert mode is not atomic).`
    }
  } catch (error) {
    outcome.error = `${(error as Error).message} Upsert mode is not atomic: the ${result.accepted} records accepted before this error stay in Drata.`
  }
  outcome.batches = result.batches
  outcome.pushed = result.accepted
  outcome.failures = result.failures
  outcome.failed = result.failures.length
  return outcome
}
