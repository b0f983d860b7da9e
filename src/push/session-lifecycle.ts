import { confirmedWrite } from '../drata/confirmed-write.js'
import type { ApiError } from '../drata/errors.js'
import type { RecordsApi, SessionInfo, SessionStatus } from '../drata/custom-data.js'
import { backoffDelay } from '../drata/retry.js'
import type { Clock, Logger, Sleep } from '../runtime.js'
import { type Orphan, orphanReason, type RunLookup } from './orphans.js'

/** Where the open session is remembered so the post step can cancel it after a crash. */
export interface SessionMemory {
  /** Called before the first write that may create the session. */
  opened(sessionId: string): void
  /** Called once the session is known to be ACTIVE, ARCHIVED or CANCELED. */
  closed(): void
}

/** A memory for callers that have no later step to tell (the post step, orphan cleanup). */
export const NO_MEMORY: SessionMemory = { opened() {}, closed() {} }

export interface SessionDeps {
  logger: Logger
  sleep: Sleep
  now: Clock
  random?: () => number
  memory: SessionMemory
  maxRetries: number
  /** How long to wait for another run's IN_PROGRESS session. */
  waitMs: number
  /** An IN_PROGRESS session with no activity for this long is cancelled as stranded. */
  staleMs: number
  /** Tells whether a GitHub run has finished, for sessions this action named after one. */
  runs?: RunLookup
  /**
   * Sessions created before this time (ms) are not this run's: the lookups after a complete
   * or cancel read the session list back only to here.
   */
  since: number
}

/** Raised when a session could not be brought to the state asked for. */
export class SessionError extends Error {
  override name = 'SessionError'
}

/** How to give a job its own session id, for hints. */
export const SESSION_ID_HINT =
  "give each job its own 'session-id', e.g. gh-${{ github.run_id }}-${{ github.run_attempt }}-${{ github.job }}-${{ strategy.job-index }}, or leave it empty: the default is unique per job execution"

/** Margin for clock skew between the runner and Drata when reading the session list back. */
const SKEW_MS = 10 * 60_000

/**
 * Guards one Drata session: takes the resource's single IN_PROGRESS slot (recovering stranded
 * sessions, waiting for live ones), and completes or cancels it, each time reading Drata's own
 * status back, because an answer can be lost, or be a success that was not applied.
 */
export class SessionLifecycle {
  /** Whether a write that may have created the session has been sent. */
  started = false

  constructor(
    private readonly api: RecordsApi,
    readonly sessionId: string,
    private readonly deps: SessionDeps,
  ) {}

  /**
   * Fails when the session id is in use or was used before on this resource; then waits while
   * another session is IN_PROGRESS. Returns the stranded sessions it cancelled. Two requests
   * when the resource is free, whatever its history. With `readOnly` (dry run) it makes the
   * same checks but cancels and waits for nothing.
   */
  async acquire(readOnly = false): Promise<Orphan[]> {
    const recovered = await waitForFreeResource(this.api, this.deps, {
      sessionId: this.sessionId,
      started: this.started,
      readOnly,
    })
    const used = await this.api.countRecords(this.sessionId)
    if (used > 0) {
      throw new SessionError(
        `Session '${this.sessionId}' was used before on this resource (it holds ${used} records). Drata session ids cannot be reused: ${SESSION_ID_HINT}.`,
      )
    }
    return recovered
  }

  /** Notes that a write which may create the session is about to be sent. */
  markStarted(): void {
    if (!this.started) this.deps.memory.opened(this.sessionId)
    this.started = true
  }

  /** Completes the session; resolves once Drata shows it ACTIVE (or ARCHIVED by a later one). */
  complete(): Promise<SessionStatus> {
    return this.act('complete', ['ACTIVE', 'ARCHIVED']) as Promise<SessionStatus>
  }

  /**
   * Cancels the session; resolves to CANCELED once Drata shows it so, to the status it had
   * already reached if a complete went through first, or to NOT_FOUND when Drata has no such
   * session (yet: an upload still in flight may create it, so it is not marked closed).
   */
  cancel(): Promise<SessionStatus | 'NOT_FOUND'> {
    return this.act('cancel', ['CANCELED'])
  }

  private act(
    action: 'complete' | 'cancel',
    done: SessionStatus[],
  ): Promise<SessionStatus | 'NOT_FOUND'> {
    const id = this.sessionId
    return confirmedWrite<unknown, SessionStatus | 'NOT_FOUND'>({
      send: () => this.api.sessionAction(id, action),
      // A refused cancel is read back too: a session that was never created (a key that
      // cannot write) is NOT_FOUND, not an error to warn about.
      isAmbiguous: (error) => action === 'cancel' || isAmbiguous(error) || error.status === 404,
      maxRetries: this.deps.maxRetries,
      delayMs: (attempt) => backoffDelay(attempt, this.deps.random),
      sleep: this.deps.sleep,
      logger: this.deps.logger,
      // Whatever the answer said, Drata's list says what happened: an answer can be lost, and
      // a success can come back without being applied.
      confirm: async (outcome) => {
        const failure = 'failure' in outcome ? outcome.failure : undefined
        const found = await this.api.recentSession(id, this.deps.since - SKEW_MS)
        if (!found) {
          if (action === 'cancel') return { done: 'NOT_FOUND' as const }
          throw new SessionError(
            `Session '${id}' does not exist in Drata, so it cannot be completed`,
          )
        }
        if (
          done.includes(found.status) ||
          (action === 'cancel' && found.status !== 'IN_PROGRESS')
        ) {
          // A cancel that finds the session completed first has nothing left to cancel.
          if (failure) {
            this.deps.logger.info(
              `The ${action} of session '${id}' had been applied (status ${found.status})`,
            )
          }
          this.deps.memory.closed()
          return { done: found.status }
        }
        if (found.status !== 'IN_PROGRESS') {
          throw new SessionError(
            `Could not ${action} session '${id}': it is ${found.status}${failure ? ` (${failure.message})` : ''}`,
          )
        }
        if (!failure) {
          throw new SessionError(
            `Drata answered the ${action} of session '${id}' with success, but the session is still IN_PROGRESS: the ${action} was not applied`,
          )
        }
        const giveUp = new SessionError(
          `Could not ${action} session '${id}' (still IN_PROGRESS): ${failure.message}`,
        )
        if (failure.status === 422 || (!failure.retryable && failure.status !== 404)) throw giveUp
        return { retry: `Session '${id}' is still IN_PROGRESS after the ${action} failed`, giveUp }
      },
    })
  }
}

/**
 * Waits, with bounded backoff, until no other session of the resource is IN_PROGRESS.
 * Stranded sessions (see orphans.ts) are cancelled instead of waited for; a young one of
 * another job is never touched. With `readOnly` (dry run) nothing is cancelled or waited for:
 * what a real run would do is only logged.
 */
export async function waitForFreeResource(
  api: RecordsApi,
  deps: SessionDeps,
  own: { sessionId?: string; started?: boolean; readOnly?: boolean } = {},
): Promise<Orphan[]> {
  const recovered: Orphan[] = []
  const deadline = deps.now() + deps.waitMs
  // A stranded session is cancelled once; if it still shows IN_PROGRESS it is waited for.
  const tried = new Set<string>()
  for (let attempt = 0; ; attempt++) {
    const open = await api.sessionsInProgress()
    if (open.some((s) => s.sessionId === own.sessionId) && !own.started) {
      throw new SessionError(
        `Session '${own.sessionId}' is already IN_PROGRESS on this resource before this run wrote anything: another job or step is using the same id. ${capitalise(SESSION_ID_HINT)}.`,
      )
    }
    const others = open.filter((s) => s.sessionId !== own.sessionId)
    if (others.length === 0) return recovered
    const live: SessionInfo[] = []
    for (const other of others) {
      const reason = tried.has(other.sessionId) ? undefined : await orphanReason(other, deps)
      if (!reason) {
        live.push(other)
      } else if (own.readOnly) {
        deps.logger.warning(
          `Session '${other.sessionId}' is stranded (${reason}); a real run would cancel it`,
        )
        recovered.push({ sessionId: other.sessionId, reason })
      } else {
        tried.add(other.sessionId)
        await cancelStranded(api, deps, other, reason)
        recovered.push({ sessionId: other.sessionId, reason })
      }
    }
    const blocker = live[0]
    if (own.readOnly) {
      if (blocker) {
        deps.logger.warning(
          `Session '${blocker.sessionId}' of another run is IN_PROGRESS; a real run would wait for it (up to 'session-wait')`,
        )
      }
      return recovered
    }
    if (!blocker) continue // every blocker was cancelled: look again
    const left = deadline - deps.now()
    if (left <= 0) {
      throw new SessionError(
        `Session '${blocker.sessionId}' (started ${blocker.createdAt}) is still IN_PROGRESS on this resource after waiting ${Math.round(deps.waitMs / 1000)}s; Drata allows one at a time. Wait for that run to finish, cancel that session in Drata, raise 'session-wait', or lower 'stale-session-after' if it was left behind.`,
      )
    }
    const delay = Math.min(left, backoffDelay(attempt + 2, deps.random))
    deps.logger.info(
      `Session '${blocker.sessionId}' of another run is IN_PROGRESS; checking again in ${(delay / 1000).toFixed(1)}s`,
    )
    await deps.sleep(delay)
  }
}

async function cancelStranded(
  api: RecordsApi,
  deps: SessionDeps,
  other: SessionInfo,
  reason: string,
): Promise<void> {
  deps.logger.warning(
    `Cancelling session '${other.sessionId}', which blocks the resource: ${reason}. Cancelling changes no active data.`,
  )
  const since = Date.parse(other.createdAt)
  const own = { ...deps, memory: NO_MEMORY, since: Number.isNaN(since) ? 0 : since }
  const status = await new SessionLifecycle(api, other.sessionId, own).cancel()
  deps.logger.info(`Session '${other.sessionId}' is now ${status}`)
}

/** A failure after which the action may or may not have happened. */
function isAmbiguous(error: ApiError): boolean {
  return error.status === 0 || error.status >= 500 || error.status === 422
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
