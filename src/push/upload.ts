import type { ItemResult } from '../drata/custom-data.js'
import type { Clock, Logger } from '../runtime.js'
import type { Batch } from './batches.js'
import { Progress } from './progress.js'
import { checkItems, type Failure } from './results.js'

export type SendBatch = (batch: Batch) => Promise<ItemResult[]>

export interface UploadResult {
  accepted: number
  failures: Failure[]
  batches: number
}

/** How batches go out. */
export interface UploadRun {
  logger: Logger
  /** `Upload` or `Upsert`, for the log. */
  label: string
  /** Requests in flight at once. */
  concurrency: number
  /**
   * Send the first batch alone and the rest only once it is in: `replace`'s first upload
   * creates the session, and two racing first uploads could each try to.
   */
  firstAlone?: boolean
  now: Clock
}

/**
 * Sends batches, up to `concurrency` at a time, and checks every item. Rejected items do not
 * stop the upload, so the user sees every rejected record at once; an error after retries does:
 * no further batch starts, the ones in flight are awaited and counted, and the first error is
 * thrown, with `result`, when given, telling what went in before it. Failures are listed in
 * batch order whatever order the answers came in.
 */
export async function uploadBatches(
  batches: readonly Batch[],
  send: SendBatch,
  run: UploadRun,
  result: UploadResult = { accepted: 0, failures: [], batches: 0 },
): Promise<UploadResult> {
  const total = batches.reduce((n, b) => n + b.ids.length, 0)
  const progress = new Progress(total, run.label, run.logger, run.now)
  const perBatch: Failure[][] = []
  const carried = result.failures.length
  const sendOne = async (index: number) => {
    const batch = batches[index] as Batch
    const failures = checkItems(batch.ids, await send(batch))
    perBatch[index] = failures
    result.batches++
    result.accepted += batch.ids.length - failures.length
    result.failures.push(...failures)
    run.logger.info(
      `${run.label}: batch ${index + 1}/${batches.length}, ${batch.ids.length} records, ${failures.length} rejected`,
    )
    progress.add(batch.ids.length)
  }
  let next = 0
  let error: { reason: unknown } | undefined
  const worker = async () => {
    while (!error && next < batches.length) {
      const index = next++
      try {
        await sendOne(index)
      } catch (reason) {
        error ??= { reason }
      }
    }
  }
  try {
    if (run.firstAlone && batches.length > 0) await sendOne(next++)
    const workers = Math.max(1, Math.min(run.concurrency, batches.length - next))
    await Promise.all(Array.from({ length: workers }, worker))
  } finally {
    // Answers may come back out of order: list failures as the records were given.
    result.failures.length = carried
    for (const failures of perBatch) if (failures) for (const f of failures) result.failures.push(f)
  }
  if (error) throw error.reason
  return result
}
