import type { Batch, ItemResult } from '../drata/custom-data.js'
import type { Clock, Logger } from '../runtime.js'
import type { BatchStream } from './batches.js'
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
 * Sends batches, up to `concurrency` at a time, and checks every item. A batch is made only
 * when a sender is free for it, so no more than `concurrency` batches are held at once. Rejected items do not
 * stop the upload, so the user sees every rejected record at once; an error after retries does:
 * no further batch starts, the ones in flight are awaited and counted, and the first error is
 * thrown, with `result`, when given, telling what went in before it. Failures are listed in
 * batch order whatever order the answers came in.
 */
export async function uploadBatches(
  stream: BatchStream,
  send: SendBatch,
  run: UploadRun,
  result: UploadResult = { accepted: 0, failures: [], batches: 0 },
): Promise<UploadResult> {
  const progress = new Progress(stream.records, run.label, run.logger, run.now)
  const perBatch: Failure[][] = []
  const carried = result.failures.length
  const batches = stream.batches[Symbol.asyncIterator]()
  let made = 0
  // Batches are made (their files read) only as a sender is free for one.
  const take = async (): Promise<{ batch: Batch; index: number } | undefined> => {
    const next = await batches.next()
    return next.done ? undefined : { batch: next.value, index: made++ }
  }
  const sendOne = async ({ batch, index }: { batch: Batch; index: number }) => {
    let answer: ItemResult[]
    try {
      answer = await send(batch)
    } finally {
      // The request is over, retries and all: its body's memory may be filled again.
      stream.release(batch)
    }
    const failures = checkItems(batch.ids, answer)
    perBatch[index] = failures
    result.batches++
    result.accepted += batch.ids.length - failures.length
    result.failures.push(...failures)
    run.logger.info(
      `${run.label}: batch ${index + 1}/${stream.count}, ${batch.ids.length} records, ${failures.length} rejected`,
    )
    progress.add(batch.ids.length)
  }
  let error: { reason: unknown } | undefined
  const worker = async () => {
    while (!error) {
      try {
        const next = await take()
        if (!next) return
        // Another upload failed while this batch was being made: it does not start.
        if (error) return stream.release(next.batch)
        await sendOne(next)
      } catch (reason) {
        error ??= { reason }
      }
    }
  }
  try {
    if (run.firstAlone) {
      const first = await take()
      if (first) await sendOne(first)
    }
    const workers = Math.max(1, Math.min(run.concurrency, stream.count - made))
    await Promise.all(Array.from({ length: workers }, worker))
  } catch (reason) {
    error ??= { reason }
  } finally {
    await batches.return?.(undefined)
    // Answers may come back out of order: list failures as the records were given.
    result.failures.length = carried
    for (const failures of perBatch) if (failures) for (const f of failures) result.failures.push(f)
  }
  if (error) throw error.reason
  return result
}
