import type { RecordsApi } from '../drata/custom-data.js'
import type { Clock, Logger, Sleep } from '../runtime.js'
import type { RunLookup } from './orphans.js'
import type { SessionDeps, SessionMemory } from './session-lifecycle.js'

/** What a push is asked to do: the slice of Settings it needs, nothing more. */
export interface PushOptions {
  mode: 'append' | 'replace'
  /** Session id for `replace`. */
  sessionId: string
  /** Most records per upload request (`batch-size: auto` gives 500); requests also stay under 2 MiB. */
  batchSize: number
  /** Upload requests in flight at once. */
  concurrency: number
  /** `append`: records collected more than this many days ago are deleted; 0 keeps all. */
  retentionDays: number
  /** `replace`: allow a snapshot that removes more than half of the active records. */
  allowShrink: boolean
  /** Plan and read only; send no write. */
  dryRun: boolean
  /** Retries of a session complete or cancel whose outcome was unclear. */
  maxRetries: number
  /** How long to wait for another run's IN_PROGRESS session. */
  sessionWaitMs: number
  /** An IN_PROGRESS session idle this long is cancelled as stranded. */
  staleSessionMs: number
}

/** What a push works with, passed in so tests supply their own. */
export interface PushDeps {
  /** Endpoints for the resource; undefined only in an offline dry run. */
  api: RecordsApi | undefined
  /** The same endpoints on a client the job's cancellation does not abort: for the final cancel. */
  cleanupApi: RecordsApi | undefined
  logger: Logger
  /** Waits that the job's cancellation cuts short. */
  sleep: Sleep
  /** Waits of the final cancel, which the job's cancellation must not cut short. */
  cleanupSleep: Sleep
  now: Clock
  random?: () => number
  /** Remembers the open session for the post step. */
  memory: SessionMemory
  /** Finished-run lookups for recovering this action's stranded sessions. */
  runs?: RunLookup
  /** When the run started (ms): sessions older than this are not this run's. */
  started: number
}

/** The session steps' dependencies, from the push's. */
export function lifecycleDeps(options: PushOptions, deps: PushDeps): SessionDeps {
  return {
    logger: deps.logger,
    sleep: deps.sleep,
    now: deps.now,
    random: deps.random,
    memory: deps.memory,
    maxRetries: options.maxRetries,
    waitMs: options.sessionWaitMs,
    staleMs: options.staleSessionMs,
    runs: deps.runs,
    since: deps.started,
  }
}
