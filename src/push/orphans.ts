import type { SessionInfo } from '../drata/custom-data.js'
import type { Clock } from '../runtime.js'

/** A stranded session this run cancelled (or, in a dry run, would cancel), and why. */
export interface Orphan {
  sessionId: string
  reason: string
}

/**
 * Tells whether a GitHub Actions run of this repository has finished: true or false, or
 * undefined when it cannot be known (no token, no `actions: read`, a run of another repository).
 */
export type RunLookup = (runId: string) => Promise<boolean | undefined>

/** The GitHub run a session id made by this action names: gh-<run id>-<attempt>[-…]. */
const OWN_SESSION = /^gh-(\d+)-\d+(?:-|$)/

/**
 * Why an IN_PROGRESS session is stranded and may be cancelled, or undefined when it may still
 * be live and must be waited for. Stranded means: one of this action's sessions whose GitHub
 * run has finished, or any session with no activity for `staleMs`. Cancelling changes no
 * active data, so a wrong guess costs that run a retry, never evidence.
 */
export async function orphanReason(
  session: SessionInfo,
  deps: { now: Clock; staleMs: number; runs?: RunLookup },
): Promise<string | undefined> {
  const times = [session.createdAt, session.updatedAt].map(Date.parse).filter((t) => !isNaN(t))
  const idle = deps.now() - Math.max(...times)
  if (times.length > 0 && idle > deps.staleMs) {
    const hours = (idle / 3_600_000).toFixed(1)
    return `no activity for ${hours} h, longer than 'stale-session-after' (${deps.staleMs / 3_600_000} h)`
  }
  const runId = OWN_SESSION.exec(session.sessionId)?.[1]
  if (runId && deps.runs && (await deps.runs(runId)) === true) {
    return `its GitHub run ${runId} has finished`
  }
  return undefined
}
