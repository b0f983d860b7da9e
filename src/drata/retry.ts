/**
 * Backoff arithmetic for the client's retry loop. The loop itself lives in client.ts because
 * its policy is Drata-specific (which requests are safe to repeat, Retry-After, pacing, retry
 * counts for the summary); general retry libraries cannot wait for a server-given delay
 * without adding their own on top, and cannot take an injected sleep for tests.
 */

export const BASE_DELAY_MS = 500
export const MAX_DELAY_MS = 30_000
/**
 * The longest Retry-After the client waits for. Drata's limit is per minute, so a longer delay
 * means something waiting inside a job will not fix (maintenance, a block); the request fails
 * at once instead of waiting or retrying early.
 */
export const MAX_RETRY_AFTER_MS = 120_000
/** Default of the `retry-wait` input: all waits between retries of a run, together. */
export const DEFAULT_RETRY_WAIT_MS = 300_000

/** The time a run may still spend waiting between retries, shared by the requests of a run. */
export class RetryBudget {
  private spent = 0

  constructor(readonly totalMs: number) {}

  /** What is left of the budget. */
  get leftMs(): number {
    return Math.max(0, this.totalMs - this.spent)
  }

  /** Takes `ms` from the budget; false, taking nothing, when more than is left. */
  take(ms: number): boolean {
    if (ms > this.leftMs) return false
    this.spent += ms
    return true
  }
}

/** Capped exponential backoff with full jitter, for the attempt that just failed (0-based). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt)
  // Full jitter keeps parallel jobs sharing an IP from retrying in lockstep; the floor of half
  // the ceiling keeps a retry from firing at once.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/**
 * Parses a Retry-After header (delay in seconds or an HTTP date) into milliseconds from now,
 * uncapped: the caller decides what a long one means. Returns undefined when the header is
 * absent or unreadable, so the caller backs off itself.
 */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  if (!header) return undefined
  const value = header.trim()
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000)
  // HTTP dates (IMF-fixdate, RFC 850, asctime) all start with a day name; Date.parse alone
  // would read garbage such as '-1' or '1,5' as a date long past and retry at once.
  if (!/^[A-Za-z]{3}/.test(value)) return undefined
  const date = Date.parse(value)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}
