/**
 * The small runtime seams every module shares: where messages go, how to wait, what time it
 * is. Passed in rather than imported, so tests run without real waits or module mocks.
 */

/** Where messages go; `@actions/core` fits it. */
export interface Logger {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
}

/** Sleep that an abort signal can cut short. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

/** Milliseconds since the epoch. */
export type Clock = () => number

/** Real sleep, cut short (rejecting) when the signal aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal))
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortError(signal))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason
  return reason instanceof Error ? reason : new Error('aborted')
}
