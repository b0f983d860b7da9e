import type { EvidenceRecord } from '../evidence/records.js'
import type { PushContext } from './context.js'
import { emptyOutcome, type PushOutcome } from './outcome.js'
import { planAppend, planReplace, readActive, shrinkProblem } from './plan.js'
import { SessionLifecycle } from './session.js'
import { EMPTY_REPLACE } from './session-push.js'

/**
 * Plans a push without writing. With a key it makes the real run's checks with reads only
 * (session id unused, no other session in progress, shrink guard) and counts what would be
 * carried and removed; without one it plans offline. A check a real run would fail on fails
 * the dry run too.
 */
export async function planDryRun(
  ctx: PushContext,
  records: readonly EvidenceRecord[],
): Promise<PushOutcome> {
  const { settings, api } = ctx
  const outcome = emptyOutcome(settings.mode, true)
  if (settings.mode === 'upsert') {
    outcome.carried = 0
    outcome.removed = 0
    return outcome
  }
  outcome.sessionId = settings.sessionId
  if (settings.mode === 'replace' && records.length === 0) {
    outcome.error = `A real run would fail: ${EMPTY_REPLACE}`
    return outcome
  }
  if (!api) return outcome // offline: carried and removed stay unknown
  try {
    await new SessionLifecycle(api, settings.sessionId, ctx.session).checkUnused()
    for (const other of await api.otherSessionsInProgress(settings.sessionId)) {
      ctx.logger.warning(
        `Session '${other.sessionId}' of another run is IN_PROGRESS; a real run would wait for it (up to 'session-wait')`,
      )
    }
    const newIds = new Set(records.map((r) => r.id))
    const active = await readActive(api)
    const plan =
      settings.mode === 'append'
        ? planAppend(active, newIds, settings.retentionDays, ctx.session.now())
        : planReplace(active, newIds)
    outcome.carried = plan.carried.length
    outcome.removed = plan.removedIds.length
    outcome.removedIds = plan.removedIds
    const shrink =
      settings.mode === 'replace' ? shrinkProblem(plan, settings.allowShrink) : undefined
    if (shrink) outcome.error = `A real run would fail: ${shrink}`
  } catch (error) {
    outcome.error = `A real run would fail: ${(error as Error).message}`
  }
  return outcome
}
