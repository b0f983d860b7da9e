import type { RecordsApi } from '../drata/records.js'
import type { EvidenceRecord } from '../evidence/records.js'
import type { PushContext } from './context.js'
import { emptyOutcome, type PushOutcome } from './outcome.js'
import { planAppend, planReplace, readActive, shrinkProblem } from './plan.js'

/**
 * Plans a push without writing: with a key it reads the active data (GET only) to count what
 * would be carried and removed and to apply the shrink guard; without one it plans offline.
 */
export async function planDryRun(
  ctx: PushContext,
  records: readonly EvidenceRecord[],
  api: RecordsApi | undefined,
): Promise<PushOutcome> {
  const { settings } = ctx
  const outcome = emptyOutcome(settings.mode, true)
  outcome.sessionId = settings.mode === 'upsert' ? null : settings.sessionId
  if (settings.mode === 'upsert') {
    outcome.carried = 0
    outcome.removed = 0
    return outcome
  }
  if (!api) return outcome // offline: carried and removed stay unknown
  try {
    const newIds = new Set(records.map((r) => r.id))
    const active = await readActive(api)
    const plan =
      settings.mode === 'append'
        ? planAppend(active, newIds, settings.retentionDays, ctx.session.now())
        : planReplace(active, newIds)
    outcome.carried = plan.carried.length
    outcome.removed = plan.removed
    const shrink =
      settings.mode === 'replace' ? shrinkProblem(plan, settings.allowShrink) : undefined
    if (shrink) outcome.error = `A real run would fail: ${shrink}`
  } catch (error) {
    outcome.error = (error as Error).message
  }
  return outcome
}
