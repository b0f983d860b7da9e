import type { Clock, Logger } from '../runtime.js'

/** A push shorter than this logs no progress: its batch lines say enough. */
export const PROGRESS_AFTER_MS = 10_000
/** Seconds between progress lines once they start. */
export const PROGRESS_EVERY_MS = 5_000

/**
 * Logs `done/total`, the rate and an ETA every few seconds of a long upload, on the injected
 * clock, so a 100k-record push shows it is alive without a line per request.
 */
export class Progress {
  private readonly start: number
  private last: number
  private done = 0

  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly logger: Logger,
    private readonly now: Clock,
  ) {
    this.start = now()
    this.last = this.start
  }

  /** Counts `records` more as done and logs when a line is due. */
  add(records: number): void {
    this.done += records
    const now = this.now()
    const elapsed = now - this.start
    if (elapsed < PROGRESS_AFTER_MS || now - this.last < PROGRESS_EVERY_MS) return
    this.last = now
    const rate = this.done / (elapsed / 1000)
    const left = rate > 0 ? Math.ceil((this.total - this.done) / rate) : 0
    this.logger.info(
      `${this.label}: ${this.done}/${this.total} records (${Math.floor((this.done / this.total) * 100)}%), ${Math.round(rate)} records/s, about ${left}s left`,
    )
  }
}
