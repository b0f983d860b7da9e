import type { Logger, Sleep } from '../runtime.js'
import { ApiError } from './errors.js'

/** What a write's answer (or its ambiguous failure) turned out to mean. */
export type Confirmation<R> =
  /** The write took effect: this is its result. */
  | { done: R }
  /** It did not take effect and may be sent again; `giveUp` is thrown once retries run out. */
  | { retry: string; giveUp: Error }

/** One write that must not be repeated blindly. */
export interface ConfirmedWrite<A, R> {
  /** Sends the write once (the client does not retry it on ambiguous failures). */
  send(): Promise<A>
  /**
   * Says what happened, from the answer or from the ambiguous failure, usually by reading
   * Drata back. Throws to stop without retrying.
   */
  confirm(outcome: { answer: A } | { failure: ApiError }, attempt: number): Promise<Confirmation<R>>
  /** Whether a failure may have been applied (lost answer, 5xx): only those are read back. */
  isAmbiguous(error: ApiError): boolean
  maxRetries: number
  /** Delay before the next attempt (0-based attempt that just failed). */
  delayMs(attempt: number): number
  sleep: Sleep
  logger: Logger
}

/**
 * Ambiguous write → read back → retry, in one place: a create, complete or cancel whose
 * answer was lost may have been applied, and sending it again would duplicate an asset or a
 * review, or be refused for a session. So each answer (or ambiguous failure) is confirmed by
 * reading Drata back, and the write is sent again only when it did not take effect.
 */
export async function confirmedWrite<A, R>(write: ConfirmedWrite<A, R>): Promise<R> {
  for (let attempt = 0; ; attempt++) {
    let outcome: { answer: A } | { failure: ApiError }
    try {
      outcome = { answer: await write.send() }
    } catch (error) {
      if (!(error instanceof ApiError) || !write.isAmbiguous(error)) throw error
      outcome = { failure: error }
    }
    const result = await write.confirm(outcome, attempt)
    if ('done' in result) return result.done
    if (attempt >= write.maxRetries) throw result.giveUp
    const delay = write.delayMs(attempt)
    write.logger.info(`${result.retry}; trying again in ${(delay / 1000).toFixed(1)}s`)
    await write.sleep(delay)
  }
}
