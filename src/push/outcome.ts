import type { Mode } from '../settings.js'
import type { Orphan } from './orphans.js'
import type { Failure } from './results.js'

/** The session's status as Drata showed it, or `none` when no session was ever created. */
export type ReportedStatus = 'ACTIVE' | 'ARCHIVED' | 'CANCELED' | 'IN_PROGRESS' | 'none'

/** What a push did (or, in a dry run, would do); the report is written from this alone. */
export interface PushOutcome {
  mode: Mode
  /** The session used (replace), or null when none was (append, or nothing to push). */
  sessionId: string | null
  /**
   * Drata's own word on the session after the run: ACTIVE only when it was read back ACTIVE;
   * CANCELED when cancelled; IN_PROGRESS when even cancelling failed (the post step retries);
   * `none` when no session was created.
   */
  sessionStatus: ReportedStatus
  /** This run's records Drata accepted. */
  pushed: number
  /** Records Drata rejected (or that could not be verified). */
  failed: number
  /** Active records removed (replace, or retention in append); null when unknown (offline dry run). */
  removed: number | null
  /** Ids of the records removed (or, in a dry run, that would be). */
  removedIds: string[]
  /** Upload requests sent. */
  batches: number
  failures: Failure[]
  /** Stranded sessions of other runs that were cancelled (or, in a dry run, would be). */
  recovered: Orphan[]
  /** Why the push failed, if it did. */
  error?: string
  dryRun: boolean
}

/** An outcome with nothing done yet. */
export function emptyOutcome(mode: Mode, dryRun: boolean): PushOutcome {
  return {
    mode,
    sessionId: null,
    sessionStatus: 'none',
    pushed: 0,
    failed: 0,
    removed: null,
    removedIds: [],
    batches: 0,
    failures: [],
    recovered: [],
    dryRun,
  }
}
