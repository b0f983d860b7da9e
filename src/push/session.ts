import type { Logger } from '../drata/client.js'
import { ApiError } from '../drata/errors.js'
import type { Sleep } from '../drata/pacer.js'
import type { RecordsApi, SessionStatus } from '../drata/records.js'
import { backoffDelay } from '../drata/retry.js'

/** Where the open session is remembered so the post step can cancel it after a crash. */
export interface SessionMemory {
  /** Called before the first write that may create the session. */
  opened(sessionId: string): void
  /** Called once the session is known to be ACTIVE or CANCELED. */
  closed(): void
}

export interface SessionDeps {
  logger: Logger
  sleep: Sleep
  now: () => number
  random?: () => number
  memory: SessionMemory
  maxRetries: number
  /** How long to wait for another run's IN_PROGRESS session. */
  waitMs: number
}

/** Raised when a session could not be brought to the state asked for. */
export class SessionError extends Error {
  override name = 'SessionError'
}

/**
 * Guards one Drata session: waits for the resource's single IN_PROGRESS slot, and completes or
 * cancels while checking the session's real status, because a complete or cancel whose answer
 * was lost may have been applied and a second one would be refused.
 */
export class SessionLifecycle {
  /** Whether a write that may have created the session has been sent. */
  started = false

  constructor(
    private readonly api: RecordsApi,
    readonly sessionId: string,
    private readonly deps: SessionDeps,
  ) {}

  /** Fails when the session id was used before; waits while another session is in progress. */
  async acquire(): Promise<void> {
    await this.checkUnused()
    await this.waitForOthers()
  }

  /** Fails when the session id was used before on this resource. */
  async checkUnused(): Promise<void> {
    const existing = await this.api.findSession(this.sessionId)
    if (existing) {
      throw new SessionError(
        `Session '${this.sessionId}' already exists on this resource with status ${existing.status}. Drata session ids cannot be reused, and an IN_PROGRESS one may belong to another job or step of this run. Give each step (and matrix job) its own 'session-id', e.g. gh-\${{ github.run_id }}-\${{ github.run_attempt }}-\${{ github.job }}.`,
      )
    }
  }

  /** Waits, with bounded backoff, until no other session of the resource is IN_PROGRESS. */
  async waitForOthers(): Promise<void> {
    const deadline = this.deps.now() + this.deps.waitMs
    for (let attempt = 0; ; attempt++) {
      const others = await this.api.otherSessionsInProgress(this.sessionId)
      const blocker = others[0]
      if (!blocker) return
      const left = deadline - this.deps.now()
      if (left <= 0) {
        throw new SessionError(
          `Session '${blocker.sessionId}' (started ${blocker.createdAt}) is still IN_PROGRESS on this resource after waiting ${Math.round(this.deps.waitMs / 1000)}s; Drata allows one at a time. Wait for that run to finish, cancel that session, or raise 'session-wait'.`,
        )
      }
      const delay = Math.min(left, backoffDelay(attempt + 2, this.deps.random))
      this.deps.logger.info(
        `Session '${blocker.sessionId}' of another run is IN_PROGRESS; checking again in ${(delay / 1000).toFixed(1)}s`,
      )
      await this.deps.sleep(delay)
    }
  }

  /** Notes that a write which may create the session is about to be sent. */
  markStarted(): void {
    if (!this.started) this.deps.memory.opened(this.sessionId)
    this.started = true
  }

  /** Completes the session; resolves once Drata shows it ACTIVE. */
  complete(): Promise<SessionStatus> {
    return this.act('complete', ['ACTIVE', 'ARCHIVED'])
  }

  /**
   * Cancels the session; resolves to CANCELED once Drata shows it so, to the status it had
   * already reached if a complete went through first, or to NOT_FOUND when Drata has no such
   * session (yet: an upload still in flight may create it, so it is not marked closed and the
   * post step looks again).
   */
  cancel(): Promise<SessionStatus | 'NOT_FOUND'> {
    return this.act('cancel', ['CANCELED'])
  }

  private async act(action: 'complete', done: SessionStatus[]): Promise<SessionStatus>
  private async act(action: 'cancel', done: SessionStatus[]): Promise<SessionStatus | 'NOT_FOUND'>
  private async act(
    action: 'complete' | 'cancel',
    done: SessionStatus[],
  ): Promise<SessionStatus | 'NOT_FOUND'> {
    for (let attempt = 0; ; attempt++) {
      let failure: unknown
      try {
        const answer = await this.api.sessionAction(this.sessionId, action)
        // An answer without a status (the spec allows a bare 201 {}) counts as applied.
        const status: SessionStatus =
          answer?.status ?? (action === 'complete' ? 'ACTIVE' : 'CANCELED')
        if (!done.includes(status)) {
          // Treat an answer that does not show the action applied as not applied.
          throw new SessionError(
            `Drata answered the ${action} of session '${this.sessionId}' with status ${status}`,
          )
        }
        this.deps.memory.closed()
        return status
      } catch (error) {
        failure = error
      }
      const unknownSession =
        failure instanceof ApiError && failure.status === 404 && action === 'cancel'
      if (!(failure instanceof ApiError) || !(isAmbiguous(failure) || unknownSession)) throw failure
      // The answer was lost or refused: the action may have been applied. Ask before retrying.
      const found = await this.api.findSession(this.sessionId)
      if (!found) {
        if (action === 'cancel') return 'NOT_FOUND'
        throw new SessionError(
          `Session '${this.sessionId}' does not exist in Drata, so it cannot be completed`,
        )
      }
      if (done.includes(found.status)) {
        this.deps.logger.info(
          `The ${action} of session '${this.sessionId}' had been applied (status ${found.status})`,
        )
        this.deps.memory.closed()
        return found.status
      }
      if (found.status !== 'IN_PROGRESS' && action === 'cancel') {
        // Already finished the other way (completed before the cancel): nothing left to cancel.
        this.deps.memory.closed()
        return found.status
      }
      if (
        found.status !== 'IN_PROGRESS' ||
        failure.status === 422 ||
        attempt >= this.deps.maxRetries
      ) {
        throw new SessionError(
          `Could not ${action} session '${this.sessionId}' (now ${found.status}): ${failure.message}`,
        )
      }
      const delay = backoffDelay(attempt, this.deps.random)
      this.deps.logger.info(
        `Session '${this.sessionId}' is still IN_PROGRESS; retrying ${action} in ${(delay / 1000).toFixed(1)}s`,
      )
      await this.deps.sleep(delay)
    }
  }
}

/** A failure after which the action may or may not have happened. */
function isAmbiguous(error: ApiError): boolean {
  return error.status === 0 || error.status >= 500 || error.status === 422
}
