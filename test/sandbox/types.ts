// Public types of the Drata sandbox. Tests and `npm start` code against these names.

/** What an API key is allowed to do; every field defaults to "allowed". */
export interface KeyProfile {
  /** false → 402: the account lacks the Custom Connections and Tests entitlement. */
  plan?: boolean
  /** false → 412: the Drata terms and conditions were not accepted. */
  terms?: boolean
  /** Granted `x-drata-permissions`; default all. A missing one → 403. */
  permissions?: string[]
}

/** A custom connection resource that exists in the sandbox. */
export interface ResourceConfig {
  connectionId: number
  resourceId: number
  /** JSON Schema every record must satisfy; default `{ type: 'object' }`. */
  schema?: object
}

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** API keys; default `{ 'sandbox-key': {} }`. */
  keys?: Record<string, KeyProfile>
  /** Resources that exist; default `[{ connectionId: 1, resourceId: 1 }]`. */
  resources?: ResourceConfig[]
  /** Requests per client IP per 60 s sliding window; default 500; 0 disables. Excess → 429. */
  rateLimitPerMinute?: number
  /** Largest accepted request body; default 5 MiB. Larger → 413. */
  maxBodyBytes?: number
  /** Clock for timestamps and the rate-limit window; default real time. */
  now?: () => Date
  /** TCP port to listen on; default 0 (ephemeral). Used by the stand-alone CLI. */
  port?: number
}

/** A failure the sandbox injects into matching API requests. */
export interface FaultSpec {
  /** HTTP method to match, e.g. 'POST'; default any. */
  method?: string
  /** Substring of, or regex tested against, the pathname after /public/v2; default any. */
  path?: string | RegExp
  /** How many matching requests it affects; default 1. */
  times?: number
  /** Let this many matching requests through first; default 0. */
  skip?: number
  kind: 'status' | 'drop' | 'drop-after-apply' | 'status-after-apply' | 'delay'
  /** Status for 'status' / 'status-after-apply'; default 500. */
  status?: number
  /** Exact Retry-After header value; omitted → no header. */
  retryAfter?: string
  /** For 'delay': wait this long, then handle normally. */
  delayMs?: number
  /** Message of the error body a 'status' fault answers with; default the status text. */
  message?: string
}

/** One API request as the sandbox saw it. */
export interface RequestLogEntry {
  method: string
  /** Pathname with the /public/v2 prefix removed. */
  path: string
  query: Record<string, string>
  /** Status sent; 0 while unanswered and for dropped connections. */
  status: number
  /** Parsed JSON body, the raw text when it is not JSON, or undefined when empty. */
  body?: unknown
  /** Arrival time, real-clock epoch milliseconds. */
  at: number
}

export type SessionStatus = 'IN_PROGRESS' | 'ACTIVE' | 'CANCELED' | 'ARCHIVED'

/** A record as the API returns it (CustomDataResponsePublicV2Dto). */
export interface SandboxRecord {
  id: string
  attributes: Record<string, unknown>
  sessionId: string | null
  createdAt: string
  updatedAt: string
}

/** A session as the API returns it (SessionResponsePublicV2Dto) plus its record count. */
export interface SandboxSession {
  id: number
  sessionId: string
  status: SessionStatus
  /** Staged records while IN_PROGRESS, active records while ACTIVE, else 0. */
  recordCount: number
  createdAt: string
  updatedAt: string
  activatedAt: string | null
  canceledAt: string | null
}

/** Snapshot of everything the sandbox holds; JSON-serialisable with deterministic key order. */
export interface SandboxState {
  resources: Array<{
    connectionId: number
    resourceId: number
    /** Active records, sorted by id. */
    records: SandboxRecord[]
    /** Sessions in creation order. */
    sessions: SandboxSession[]
  }>
}

/** A running sandbox. */
export interface Sandbox {
  /** Base URL including /public/v2, e.g. http://127.0.0.1:PORT/public/v2 */
  url: string
  port: number
  addFault(f: FaultSpec): void
  clearFaults(): void
  /** Every API request in arrival order (control endpoints excluded). */
  requests: RequestLogEntry[]
  state(): SandboxState
  activeRecords(connectionId: number, resourceId: number): SandboxRecord[]
  seed(
    connectionId: number,
    resourceId: number,
    records: Array<Record<string, unknown>>,
    opts?: { sessionId?: string; updatedAt?: Date },
  ): void
  upsertDirect(connectionId: number, resourceId: number, record: Record<string, unknown>): void
  onRequest(hook: RequestHook): void
  close(): Promise<void>
}

/** Called (and awaited) before each API request is handled. */
export type RequestHook = (e: {
  method: string
  path: string
  body: unknown
}) => void | Promise<void>
