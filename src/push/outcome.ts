import type { Mode } from '../settings.js'
import type { Failure } from './results.js'

/** What a push did (or, in a dry run, would do); the report is written from this alone. */
export interface PushOutcome {
  mode: Mode
  /** The session used, or null in upsert mode and when no session was opened. */
  sessionId: string | null
  /** ACTIVE when completed, CANCELED when cancelled, IN_PROGRESS if even cancelling failed. */
  sessionStatus: 'ACTIVE' | 'CANCELED' | 'IN_PROGRESS' | 'none'
  /** This run's records now active in Drata. */
  pushed: number
  /** Records Drata rejected (or that could not be verified). */
  failed: number
  /** Active records copied into the session (append); null when unknown (offline dry run). */
  carried: number | null
  /** Active records the session removed (replace, or retention in append); null when unknown. */
  removed: number | null
  /** Ids of the records removed (or, in a dry run, that would be). */
  removedIds: string[]
  /** Upload requests sent. */
  batches: number
  failures: Failure[]
  /** Why the push failed, if it did. */
  error?: string
  dryRun: boolean
  /** Cost of carrying records forward in append mode, for the summary. */
  carryCost?: { records: number; requests: number; ms: number }
}

/** An outcome with nothing done yet. */
export function emptyOutcome(mode: Mode, dryRun: boolean): PushOutcome {
  return {
    mode,
    sessionId: null,
    sessionStatus: 'none',
    pushed: 0,
    failed: 0,
    carried: null,
    removed: null,
    removedIds: [],
    batches: 0,
    failures: [],
    dryRun,
  }
}

/** Thrown inside a push to stop it; the session is cancelled and the message reported. */
export class PushFailed extends Error {
  override name = 'PushFailed'
}
