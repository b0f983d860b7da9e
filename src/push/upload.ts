import type { Logger } from '../runtime.js'
import type { ItemResult } from '../drata/custom-data.js'
import { toBatches } from './batches.js'
import { checkItems, type Failure } from './results.js'

/** A record to send: its id and its data (which carries the same `id`). */
export interface Sendable {
  id: string
  data: Record<string, unknown>
}

export type SendBatch = (data: Record<string, unknown>[], ids: string[]) => Promise<ItemResult[]>

export interface UploadResult {
  accepted: number
  failures: Failure[]
  batches: number
}

/**
 * Sends records in batches and checks every item. Rejected items do not stop the upload, so
 * the user sees every rejected record at once; an error after retries does (it is thrown, and
 * `result`, when given, still tells what went in before it).
 */
export async function uploadBatches(
  records: readonly Sendable[],
  batchSize: number,
  send: SendBatch,
  logger: Logger,
  label: string,
  result: UploadResult = { accepted: 0, failures: [], batches: 0 },
): Promise<UploadResult> {
  const batches = toBatches(records, batchSize)
  for (const [index, batch] of batches.entries()) {
    const ids = batch.map((r) => r.id)
    const failures = checkItems(
      ids,
      await send(
        batch.map((r) => r.data),
        ids,
      ),
    )
    result.batches++
    result.accepted += batch.length - failures.length
    result.failures.push(...failures)
    logger.info(
      `${label}: batch ${index + 1}/${batches.length}, ${batch.length} records, ${failures.length} rejected`,
    )
  }
  return result
}
