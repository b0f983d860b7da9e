import { ApiError } from '../drata/errors.js'
import { realSleep } from '../drata/pacer.js'
import type { RecordsApi } from '../drata/records.js'
import type { EvidenceRecord } from '../evidence/records.js'
import type { PushContext } from './context.js'
import { emptyOutcome, PushFailed, type PushOutcome } from './outcome.js'
import { changedSince, planAppend, planReplace, readActive, shrinkProblem } from './plan.js'
import { SessionLifecycle } from './session.js'
import { type Sendable, type SendBatch, uploadBatches } from './upload.js'

/**
 * `append` and `replace`: stage the complete new data set in a session and complete it only
 * when every record was accepted and the session holds exactly the records sent; on any
 * failure cancel it, so Drata's active data is exactly as it was.
 */
export async function pushWithSession(
  ctx: PushContext,
  records: readonly EvidenceRecord[],
  api: RecordsApi,
): Promise<PushOutcome> {
  const { settings, logger } = ctx
  const outcome = emptyOutcome(settings.mode, false)
  outcome.sessionId = settings.sessionId
  if (records.length === 0) {
    outcome.carried = 0
    outcome.removed = 0
    if (settings.mode === 'append') {
      logger.info('No records to push; no session opened')
      return outcome
    }
    outcome.error = EMPTY_REPLACE
    return outcome
  }
  const newIds = new Set(records.map((r) => r.id))
  const life = new SessionLifecycle(api, settings.sessionId, ctx.session)
  try {
    await life.acquire()
    const send = sendToSession(api, life)

    // Own records first: the first upload creates the session, which also keeps other
    // sessions from starting while the active data is read below.
    life.markStarted()
    const own = await uploadBatches(records, settings.batchSize, send, logger, 'Upload')
    outcome.batches += own.batches
    fail(outcome, own.failures)

    const readStart = ctx.session.now()
    const requestsBefore = ctx.stats.requests
    const active = await readActive(api)
    const plan =
      settings.mode === 'append'
        ? planAppend(active, newIds, settings.retentionDays, readStart)
        : planReplace(active, newIds)
    logger.info(
      `Drata holds ${plan.activeCount} active records; ${settings.mode === 'append' ? `carrying ${plan.carried.length} forward, ` : ''}completing will remove ${plan.removedIds.length}`,
    )
    const shrink =
      settings.mode === 'replace' ? shrinkProblem(plan, settings.allowShrink) : undefined
    if (shrink) throw new PushFailed(shrink)

    const expected = new Set(newIds)
    if (settings.mode === 'append') {
      await carry(ctx, plan.carried, send, outcome, expected)
      // Someone may have upserted records since the read; completing would delete them.
      const late = await changedSince(api, readStart, newIds, plan)
      if (late.length > 0) {
        logger.info(
          `${late.length} records changed in Drata during this run; adding them to the session`,
        )
        await carry(ctx, late, send, outcome, expected)
      }
    }
    await verifySession(api, settings.sessionId, expected)
    logger.info(
      `Session '${settings.sessionId}' holds exactly the ${expected.size} records sent; completing it`,
    )
    outcome.sessionStatus = 'ACTIVE'
    await life.complete()
    outcome.pushed = records.length
    outcome.carried = expected.size - records.length
    // A record planned for removal that another writer changed meanwhile was kept.
    outcome.removedIds = plan.removedIds.filter((id) => !expected.has(id))
    outcome.removed = outcome.removedIds.length
    if (settings.mode === 'append') {
      outcome.carryCost = {
        records: outcome.carried,
        requests: ctx.stats.requests - requestsBefore,
        ms: ctx.session.now() - readStart,
      }
    }
    logger.info(`Session '${settings.sessionId}' is ACTIVE`)
    return outcome
  } catch (error) {
    // A session that was not completed changed nothing in the active data.
    outcome.sessionStatus = 'none'
    outcome.carried = 0
    outcome.removed = 0
    outcome.error = (error as Error).message
    if (life.started) await cancel(ctx, outcome)
    return outcome
  }
}

/** Why `replace` refuses an empty record set before sending anything. */
export const EMPTY_REPLACE =
  "Mode 'replace' got no records, so completing a session would delete every active record. Nothing was sent; check 'records', 'records-file' and 'collect'."

/** Sends to the session; on the first write, waits if another run's session got there first. */
function sendToSession(api: RecordsApi, life: SessionLifecycle): SendBatch {
  let created = false
  return async (data, ids) => {
    for (;;) {
      try {
        const items = await api.uploadToSession(life.sessionId, data, ids)
        created = true
        return items
      } catch (error) {
        // acquire() checked, but another run may have opened its session since. Drata refuses
        // a second IN_PROGRESS session with a 400 whose text is not documented: check for a
        // competing session rather than parsing the message.
        if (created || !(error instanceof ApiError) || error.status !== 400) throw error
        if ((await api.otherSessionsInProgress(life.sessionId)).length === 0) throw error
        await life.waitForOthers()
      }
    }
  }
}

/** Uploads active records into the session again, adding their ids to `expected`. */
async function carry(
  ctx: PushContext,
  carried: readonly Sendable[],
  send: SendBatch,
  outcome: PushOutcome,
  expected: Set<string>,
): Promise<void> {
  for (const record of carried) expected.add(record.id)
  const result = await uploadBatches(
    carried,
    ctx.settings.batchSize,
    send,
    ctx.logger,
    'Carry forward',
  )
  outcome.batches += result.batches
  fail(outcome, result.failures, 'carried ')
}

function fail(outcome: PushOutcome, failures: PushOutcome['failures'], kind = ''): void {
  if (failures.length === 0) return
  outcome.failures.push(...failures)
  outcome.failed = outcome.failures.length
  throw new PushFailed(
    `Drata rejected ${failures.length} ${kind}record${failures.length === 1 ? '' : 's'}; the session was not completed, so Drata's active data is unchanged.`,
  )
}

/**
 * Lists the session's records and checks they are exactly the ones sent: a missing record
 * would be deleted by completing, and a foreign one means another writer shares the session id.
 */
async function verifySession(
  api: RecordsApi,
  sessionId: string,
  expected: ReadonlySet<string>,
): Promise<void> {
  const staged = new Set<string>()
  for await (const page of api.records({ sessionId })) for (const r of page) staged.add(r.id)
  const missing = [...expected].filter((id) => !staged.has(id))
  const foreign = [...staged].filter((id) => !expected.has(id))
  if (missing.length === 0 && foreign.length === 0) return
  const list = (ids: string[]) => ids.slice(0, 10).join(', ') + (ids.length > 10 ? ', …' : '')
  throw new PushFailed(
    `Session '${sessionId}' does not hold exactly the records sent (${missing.length} missing${missing.length ? `: ${list(missing)}` : ''}; ${foreign.length} not sent by this run${foreign.length ? `: ${list(foreign)}` : ''}). Another job may be using the same session id. Not completing it.`,
  )
}

/** Cancels after a failure, on a client the job's cancellation does not abort. */
async function cancel(ctx: PushContext, outcome: PushOutcome): Promise<void> {
  const api = ctx.cleanupApi
  if (!api) return
  const id = ctx.settings.sessionId
  try {
    const deps = { ...ctx.session, sleep: realSleep }
    const status = await new SessionLifecycle(api, id, deps).cancel()
    if (status === 'CANCELED') {
      outcome.sessionStatus = 'CANCELED'
      ctx.logger.info(`Session '${id}' cancelled; Drata's active data is unchanged`)
    } else if (status === 'NOT_FOUND') {
      // Nothing staged yet; an upload still in flight could create it, so the post step looks again.
      outcome.sessionStatus = 'none'
    } else {
      outcome.sessionStatus = 'ACTIVE'
      outcome.error += ` Session '${id}' had already been completed (${status}) before it could be cancelled.`
    }
  } catch (error) {
    outcome.sessionStatus = 'IN_PROGRESS'
    outcome.error += ` Cancelling session '${id}' also failed (${(error as Error).message}); the post step will try again. Until then it stays IN_PROGRESS and the active data is unchanged.`
  }
}
