/**
 * Paces requests under Drata's limit of 500 requests per minute per source IP with a token
 * bucket: small runs go at full speed, large pushes settle at the sustained rate.
 */

import type { Sleep } from '../runtime.js'
import { realSleep } from '../runtime.js'

export { realSleep, type Sleep } from '../runtime.js'

export interface PacerOptions {
  /**
   * Sustained requests per minute; kept below Drata's 500 to leave room for other steps.
   * 0 turns pacing off (a 429 is still retried after its Retry-After).
   */
  perMinute?: number
  /** Requests allowed back to back before pacing starts. */
  burst?: number
  now?: () => number
  sleep?: Sleep
}

export class Pacer {
  private tokens: number
  private last: number
  private readonly perMs: number
  private readonly burst: number
  private readonly now: () => number
  private readonly sleep: Sleep

  constructor(options: PacerOptions = {}) {
    this.perMs = (options.perMinute ?? 450) / 60_000
    this.burst = options.burst ?? 25
    this.now = options.now ?? Date.now
    this.sleep = options.sleep ?? realSleep
    this.tokens = this.burst
    this.last = this.now()
  }

  /** Waits until one more request may be sent, then takes its token. */
  async take(signal?: AbortSignal): Promise<void> {
    if (this.perMs === 0) return
    for (;;) {
      const now = this.now()
      this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.perMs)
      this.last = now
      if (this.tokens >= 1) {
        this.tokens -= 1
        return
      }
      await this.sleep(Math.ceil((1 - this.tokens) / this.perMs), signal)
    }
  }
}
