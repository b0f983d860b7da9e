import type { AssetSettings } from './inputs/asset.js'
import type { RunContext } from './evidence/context.js'
import type { VendorReviewSettings } from './inputs/vendor-review.js'

/** The typed settings the whole action runs on; built once by `inputs.ts`. */

export const MODES = ['append', 'replace'] as const
export type Mode = (typeof MODES)[number]

export const REGIONS = {
  us: 'https://public-api.drata.com/public/v2',
  eu: 'https://public-api.eu.drata.com/public/v2',
  apac: 'https://public-api.apac.drata.com/public/v2',
} as const
export type Region = keyof typeof REGIONS

export const COLLECTORS = [
  'commit',
  'workflow-run',
  'pull-request',
  'release',
  'deployment',
  'repository',
  'artifacts',
] as const
export type CollectorName = (typeof COLLECTORS)[number]

export const COLLECTOR_ERRORS = ['fail', 'warn'] as const

export interface Settings {
  /** Drata API key (Bearer); empty only for an offline dry run. Masked as soon as it is read. */
  apiKey: string
  /** Region the key belongs to; decides the default base URL. */
  region: Region
  /** API base URL including `/public/v2`, without a trailing slash. */
  baseUrl: string
  /** Custom Connection id; undefined for an offline dry run or when given by name. */
  connectionId: number | undefined
  /** Custom Connection resource id; undefined for an offline dry run or when given by name. */
  resourceId: number | undefined
  /** How records reach Drata: plain upserts that never delete, or a snapshot in a session. */
  mode: Mode
  /** Session id used by `replace`: the input, or one unique to this job execution. */
  sessionId: string
  /** Records parsed from the inline `records` input, in order. */
  inlineRecords: Record<string, unknown>[]
  /** Glob patterns from `records-file`, relative to the workspace. */
  recordsFiles: string[]
  /** Field holding each record's id. */
  idField: string
  /** Built-in collectors named in `collect`, in order. */
  collect: CollectorName[]
  /** Whether `collect` asked for `auto`: collectors chosen by the triggering event. */
  collectAuto: boolean
  /** Token for the GitHub API; empty disables API calls. Masked as soon as it is read. */
  githubToken: string
  /** GitHub REST API base URL (GITHUB_API_URL; GitHub Enterprise Server has its own). */
  githubApiUrl: string
  /** Glob patterns from `artifacts`, relative to the workspace. */
  artifacts: string[]
  /** What a failing collector does: fail the run, or warn and let the rest go on. */
  collectorErrors: (typeof COLLECTOR_ERRORS)[number]
  /** Most records per upload request: 500 for `auto`; requests also stay under 2 MiB of JSON. */
  batchSize: number
  /** Upload requests in flight at once. */
  concurrency: number
  /** Client-side pacing of every Drata request of the run, per minute; 0 turns it off. */
  requestsPerMinute: number
  /** `append` only: records whose `collectedAt` is older than this many days are deleted; 0 keeps all. */
  retentionDays: number
  /** `replace` only: allow a snapshot that removes more than half of the active records. */
  allowShrink: boolean
  /** Send no write request. */
  dryRun: boolean
  /** Retries for 429, 5xx and network errors on each request. */
  maxRetries: number
  /** Whether a failed push fails the step (true) or only warns (false). */
  failOnError: boolean
  /** Bound on each request attempt as a whole (connect, headers, whole body), in milliseconds. */
  requestTimeoutMs: number
  /** All waits between retries of the run together (backoff and Retry-After), in milliseconds. */
  retryWaitMs: number
  /** How long to wait for another run's IN_PROGRESS session to finish, in milliseconds. */
  sessionWaitMs: number
  /** An IN_PROGRESS session idle for this long is cancelled as stranded, in milliseconds. */
  staleSessionMs: number
  /** Absolute path of GITHUB_WORKSPACE; files are read only inside it. */
  workspace: string
  /** What the runner says about this run (GITHUB_* and the event payload), read once. */
  run: RunContext
  /** The Drata asset kept in step with this deployment, if `asset` is not `none`. */
  asset: AssetSettings | undefined
  /** The vendor security review to open, if `vendor-id` is set. */
  vendorReview: VendorReviewSettings | undefined
  /** Whether to list the Drata audit events of this run's writes. */
  auditEvents: boolean
  /**
   * The Custom Connection by name (its clientAlias) instead of `connectionId`; resolved through
   * Drata once, before any write. Never set together with `connectionId`.
   */
  connectionName: string | undefined
  /** The resource by name instead of `resourceId`; resolved with the connection. */
  resourceName: string | undefined
  /** Notes about the inputs for the log (such as a value that was shortened). */
  warnings: string[]
}
