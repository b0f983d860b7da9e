import { ApiError } from '../drata/errors.js'
import type { RecordsApi } from '../drata/custom-data.js'
import type { RecordSet } from '../evidence/record-set.js'
import { lifecycleDeps, type PushDeps, type PushOptions } from './options.js'
import { emptyOutcome, type PushOutcome, type ReportedStatus } from './outcome.js'
import type { Orphan } from './orphans.js'
import { planReplace, type ReplacePlan, shrinkProblem } from './plan.js'
import { type Failure, rejectedText } from './results.js'
import { type SessionDeps, SessionLifecycle, waitForFreeResource } from './session-lifecycle.js'
import { batchStream } from './batches.js'
import { type SendBatch, type UploadResult, uploadBatches } from './upload.js'

/** Why `replace` refuses an empty record set before sending anything. */
export const EMPTY_REPLACE =
  "Mode 'replace' got no records, so completing a session would delete every active record. Nothing was sent; check 'records', 'records-file' and 'collect'."

/** Stops a `replace` run; the session is cancelled and the message reported. */
class StopReplace extends Error {
  constructor(
    message: string,
    readonly failures: Failure[] = [],
  ) {
    super(message)
  }
}

/**
 * `replace`: stages this run's records as a full snapshot in a session and completes it only
 * when every record was accepted, the shrink guard passes on Drata's verified count of the
 * active data, and Drata's count of the session equals the records sent. Otherwise it cancels,
 * so the active data is untouched. After `complete`, ACTIVE is reported only once Drata's
 * session list says so.
 *
 * Requests: 2 checks, one upload per batch (ceil(N / 500) with `batch-size: auto` and records
 * small enough), ceil(active / 500) verified reads, 1 count,
 * 1 complete and 1 read-back.
 */
export async function pushReplace(
  options: PushOptions,
  deps: PushDeps,
  records: RecordSet,
): Promise<PushOutcome> {
  const outcome = { ...emptyOutcome('replace', options.dryRun), sessionId: options.sessionId }
  if (records.count === 0) {
    const error = options.dryRun ? `A real run would fail: ${EMPTY_REPLACE}` : EMPTY_REPLACE
    return { ...outcome, removed: 0, error }
  }
  const { api } = deps
  if (!api) return outcome // offline dry run: nothing can be known about Drata
  const life = new SessionLifecycle(api, options.sessionId, lifecycleDeps(options, deps))
  let recovered: Orphan[] = []
  let plan: ReplacePlan | undefined
  let progress: UploadResult | undefined
  try {
    // Batches are planned from the checked sizes before any request: a record too large for
    // any request stops the run here, before the first write.
    const toSend = batchStream(records, options.batchSize)
    if (options.dryRun) {
      recovered = await life.acquire(true)
      plan = planReplace(await activeIds(api, options.sessionId), records.ids)
      checkShrink(plan, options)
      return { ...outcome, recovered, removed: plan.removedIds.length, removedIds: plan.removedIds }
    }
    recovered = await life.acquire()
    // Own records first: the first upload creates the session, which keeps other snapshots
    // from starting while the active data is read below. That first upload goes alone; the
    // rest go `concurrency` at a time into the session it made.
    life.markStarted()
    // Filled batch by batch, so a failure after some uploads still knows what Drata accepted.
    const upload: UploadResult = { accepted: 0, failures: [], batches: 0 }
    progress = upload
    await uploadBatches(
      toSend,
      sendToSession(api, life, lifecycleDeps(options, deps)),
      {
        logger: deps.logger,
        label: 'Upload',
        concurrency: options.concurrency,
        firstAlone: true,
        now: deps.now,
      },
      upload,
    )
    if (upload.failures.length > 0) {
      throw new StopReplace(
        `${rejectedText(upload.failures, records.count)} (listed by id in the summary and the 'result' output); the session was not completed, so Drata's active data is unchanged. Fix them and re-run.`,
        upload.failures,
      )
    }
    plan = planReplace(await activeIds(api, options.sessionId), records.ids)
    deps.logger.info(
      `Drata holds ${plan.activeCount} active records; completing will remove ${plan.removedIds.length}`,
    )
    checkShrink(plan, options)
    const staged = await api.countRecords(options.sessionId)
    if (staged !== records.count) {
      throw new StopReplace(
        `Drata counts ${staged} records in session '${options.sessionId}' but this run sent ${records.count}; another job may be writing to the same session id, or an upload was lost. Not completing it.`,
      )
    }
    deps.logger.info(
      `Session '${options.sessionId}' holds the ${staged} records sent; completing it`,
    )
    const status = await life.complete()
    deps.logger.info(`Session '${options.sessionId}' is ${status}`)
    return {
      ...outcome,
      recovered,
      batches: upload.batches,
      sessionStatus: status,
      pushed: records.count,
      removed: plan.removedIds.length,
      removedIds: plan.removedIds,
    }
  } catch (error) {
    const failures = error instanceof StopReplace ? error.failures : []
    const failed = {
      ...outcome,
      recovered,
      batches: progress?.batches ?? 0,
      failures,
      failed: failures.length,
      error: (error as Error).message,
    }
    if (options.dryRun) {
      // What a real run would remove, when it got as far as planning.
      const would = plan ? { removed: plan.removedIds.length, removedIds: plan.removedIds } : {}
      return { ...failed, ...would, error: `A real run would fail: ${failed.error}` }
    }
    if (!life.started) return { ...failed, removed: 0 }
    const cancelled = await cancel(options, deps, (progress?.accepted ?? 0) > 0)
    const applied = cancelled.status === 'ACTIVE' || cancelled.status === 'ARCHIVED'
    return {
      ...failed,
      sessionStatus: cancelled.status,
      error: failed.error + cancelled.note,
      // A complete that went through before the cancel removed what the plan said; a
      // cancelled session removed nothing. Without a plan it cannot be known.
      pushed: applied ? records.count : 0,
      removed: applied ? (plan?.removedIds.length ?? null) : 0,
      removedIds: applied ? (plan?.removedIds ?? []) : [],
    }
  }
}

function checkShrink(plan: ReplacePlan, options: PushOptions): void {
  const problem = shrinkProblem(plan, options.allowShrink)
  if (problem) throw new StopReplace(problem)
}

/** Ids of every active record, read so that they must add up to Drata's own total. */
async function activeIds(api: RecordsApi, ownSession: string): Promise<string[]> {
  const ids: string[] = []
  for await (const page of api.records({}, true)) {
    // Should Drata ever list staged records with the active ones, this run's own must not
    // count as active data: the shrink guard would see twice the records and let a wipe pass.
    for (const r of page) if (r.sessionId !== ownSession) ids.push(r.id)
  }
  return ids
}

/** How often the first upload waits for another run's session before it gives up. */
const MAX_FIRST_UPLOAD_WAITS = 3

/** Sends to the session; on the first write, waits if another run's session got there first. */
function sendToSession(api: RecordsApi, life: SessionLifecycle, deps: SessionDeps): SendBatch {
  let created = false
  return async (batch) => {
    // Each wait is bounded by 'session-wait'; the number of waits is bounded too, so a 400
    // that is not about another session cannot keep the run waiting round after round.
    for (let waits = 0; ; waits++) {
      try {
        const items = await api.uploadToSession(life.sessionId, batch)
        created = true
        return items
      } catch (error) {
        // acquire() checked, but another run may have opened its session since. Drata refuses
        // a second IN_PROGRESS session with a 400 whose text is not documented: check for a
        // competing session rather than parsing the message.
        if (created || !(error instanceof ApiError) || error.status !== 400) throw error
        const others = (await api.sessionsInProgress()).filter(
          (s) => s.sessionId !== life.sessionId,
        )
        if (others.length === 0 || waits >= MAX_FIRST_UPLOAD_WAITS) throw error
        await waitForFreeResource(api, deps, { sessionId: life.sessionId, started: true })
      }
    }
  }
}

/** Cancels after a failure, on a client the job's cancellation does not abort. */
async function cancel(
  options: PushOptions,
  deps: PushDeps,
  uploaded: boolean,
): Promise<{ status: ReportedStatus; note: string }> {
  const api = deps.cleanupApi ?? deps.api
  const id = options.sessionId
  if (!api) return { status: 'IN_PROGRESS', note: '' }
  try {
    const sessionDeps = { ...lifecycleDeps(options, deps), sleep: deps.cleanupSleep }
    const status = await new SessionLifecycle(api, id, sessionDeps).cancel()
    if (status === 'CANCELED') {
      deps.logger.info(`Session '${id}' cancelled; Drata's active data is unchanged`)
      return { status, note: ` Session '${id}' was cancelled.` }
    }
    if (status === 'NOT_FOUND') {
      // Drata accepted uploads into it, so it exists: its list not showing it proves nothing.
      if (uploaded) {
        return {
          status: 'IN_PROGRESS',
          note: ` Session '${id}' could not be found in Drata's session list to cancel, although uploads into it were accepted; the post step looks again. Check its status in Drata.`,
        }
      }
      // Nothing staged yet; an upload still in flight could create it, so the post step looks again.
      return { status: 'none', note: '' }
    }
    return {
      status,
      note: ` Session '${id}' had already been completed (${status}) before it could be cancelled.`,
    }
  } catch (error) {
    // The cancel reads the session back itself (a refused cancel of a session that was never
    // created is NOT_FOUND above); reaching here, it is still open or its state is unknown.
    return {
      status: 'IN_PROGRESS',
      note: ` Cancelling session '${id}' also failed (${(error as Error).message}); the post step will try again. Until then it stays IN_PROGRESS and the active data is unchanged.`,
    }
  }
}
