import type { CollectorRun } from '../evidence/index.js'
import type { RecordSet } from '../evidence/record-set.js'
import type { FollowUp } from '../follow-up.js'
import type { PushOutcome } from '../push/outcome.js'

/** Everything the outputs and the summary are written from. */
export interface RunReport {
  outcome: PushOutcome
  /** Asset, vendor review and audit events, after the push. */
  followUp: FollowUp
  /** The records this run gathered (sent, or to send in a dry run). */
  records: RecordSet
  /** Which collectors ran, why, and how each went. */
  collectors: readonly CollectorRun[]
  requests: number
  retries: number
  durationMs: number
  /**
   * The Custom Connection resource of the run: ids (resolved from names when names were given),
   * and the names Drata gave them; null where unknown (an offline dry run does not look names up).
   */
  target?: {
    connectionId: number | null
    resourceId: number | null
    connectionName: string | null
    resourceName: string | null
  }
  /** Set when inputs or records were invalid: nothing was sent to Drata. */
  invalid?: boolean
}
