import { ApiError } from '../drata/errors.js'
import type { RecordsApi } from '../drata/records.js'
import type { EvidenceRecord } from '../evidence/records.js'
import type { PushContext } from './context.js'
import { emptyOutcome, PushFailed, type PushOutcome } from './outcome.js'
import {
  type ActivePlan,
  changedSince,
  planAppend,
  planReplace,
  readActive,
  shrinkProblem,
} from './plan.js'
import { SessionLifecycle } from './session.js'
import { type Sendable, type SendBatch, uploadBatches } from './upload.js'

/**
 * `append` and `replace`: stage the complete new data set in a session and complete it only
 * when every record was accepted and counted; on any failure cancel it, so Drata's active data
 * is exactly as it was.
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
    // Drata refuses an empty upload, and an empty snapshot would delete the whole resource.
    outcome.error =
      "Mode 'replace' got no records, so completing a session would delete every active record. Nothing was sent; check 'records', 'records-file' and 'collect'."
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
    const plan: ActivePlan =
      settings.mode === 'append'
        ? planAppend(await readActive(api), newIds, settings.retentionDays, ctx.session.now())
        : planReplace(await readActive(api), newIds)
    outcome.removed = plan.removed
    outcome.carried = 0
    logger.info(
      `Drata holds ${plan.activeCount} active records; ${settings.mode === 'append' ? `carrying ${plan.carried.length} forward, ` : ''}completing will remove ${plan.removed}`,
    )
    const shrink =
      settings.mode === 'replace' ? shrinkProblem(plan, settings.allowShrink) : undefined
    if (shrink) throw new PushFailed(shrink)

    let expected = records.length
    if (settings.mode === 'append') {
      outcome.carried = await carry(ctx, plan.carried, send, outcome)
      expected += outcome.carried
      await verifyCount(api, settings.sessionId, expected)
      // Someone may have upserted records since the read; completing would delete them.
      const late = await changedSince(api, readStart, newIds, plan)
      const fresh = late.filter((r) => !plan.carriedUpdatedAt.has(r.id)).length
      if (late.length > 0) {
        logger.info(
          `${late.length} records changed in Drata during this run; adding them to the session`,
        )
        await carry(ctx, late, send, outcome)
        outcome.carried += fresh
        expected += fresh
      }
      outcome.carryCost = {
        records: outcome.carried,
        requests: ctx.stats.requests - requestsBefore,
        ms: ctx.session.now() - readStart,
      }
    }
    await verifyCount(api, settings.sessionId, expected)
    logger.info(`Session '${settings.sessionId}' holds all ${expected} records; completing it`)

    outcome.sessionStatus = (await life.complete()) === 'CANCELED' ? 'CANCELED' : 'ACTIVE'
    if (outcome.sessionStatus !== 'ACTIVE')
      throw new PushFailed(
        `Session '${settings.sessionId}' ended ${outcome.sessionStatus} instead of ACTIVE`,
      )
    outcome.pushed = records.length
    logger.info(
      `Session '${settings.sessionId}' is ACTIVE: Drata now holds exactly the ${expected} records it staged`,
    )
    return outcome
  } catch (error) {
    outcome.error = (error as Error).message
    // A session that was not completed changed nothing in the active data.
    outcome.pushed = 0
    outcome.carried = 0
    outcome.removed = 0
    if (life.started) await cancel(ctx, outcome)
    return outcome
  }
}

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
        // Drata refuses a second IN_PROGRESS session with a 400 whose text is not documented:
        // check for a competing session rather than parsing the message.
        if (created || !(error instanceof ApiError) || error.status !== 400) throw error
        if ((await api.otherSessionsInProgress(life.sessionId)).length === 0) throw error
        await life.waitForOthers()
      }
    }
  }
}

/** Uploads active records into the session again; returns how many (all, or it throws). */
async function carry(
  ctx: PushContext,
  carried: readonly Sendable[],
  send: SendBatch,
  outcome: PushOutcome,
): Promise<number> {
  const result = await uploadBatches(
    carried,
    ctx.settings.batchSize,
    send,
    ctx.logger,
    'Carry forward',
  )
  outcome.batches += result.batches
  fail(outcome, result.failures, 'carried ')
  return carried.length
}

function fail(outcome: PushOutcome, failures: PushOutcome['failures'], kind = ''): void {
  if (failures.length === 0) return
  outcome.failures.push(...failures)
  outcome.failed = outcome.failures.length
  throw new PushFailed(
    `Drata rejected ${failures.length} ${kind}record${failures.length === 1 ? '' : 's'}; the session was not completed, so Drata's active data is unchanged`,
  )
}

async function verifyCount(api: RecordsApi, sessionId: string, expected: number): Promise<void> {
  const count = await api.countSessionRecords(sessionId)
  if (count !== expected) {
    throw new PushFailed(
      `Session '${sessionId}' holds ${count} records but ${expected} were sent; another writer may be using the same session id. Not completing it.`,
    )
  }
}

async function cancel(ctx: PushContext, outcome: PushOutcome): Promise<void> {
  const api = ctx.cleanupApi
  if (!api) return
  try {
    const status = await new SessionLifecycle(api, ctx.settings.sessionId, ctx.session).cancel()
    if (status === 'CANCELED') {
      outcome.sessionStatus = 'CANCELED'
      ctx.logger.info(
        `Session '${ctx.settings.sessionId}' cancelled; Drata's active data is unchanged`,
      )
    } else {
      outcome.sessionStatus = 'ACTIVE'
      outcome.error += ` Session '${ctx.settings.sessionId}' had already been completed (${status}) before it could be cancelled.`
    }
  } catch (error) {
    outcome.sessionStatus = 'IN_PROGRESS'
    outcome.error += ` Cancelling session '${ctx.settings.sessionId}' also failed (${(error as Error).message}); the post step will try again. Until then it stays IN_PROGRESS and the active data is unchanged.`
  }
}
