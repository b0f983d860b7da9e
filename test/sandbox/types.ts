// Public types of the Drata sandbox. Tests and `npm start` code against these names.

/** What an API key is allowed to do; every field defaults to "allowed". */
export interface KeyProfile {
  /** false → 402: the account lacks the Custom Connections and Tests entitlement. */
  plan?: boolean
  /** false → 412: the Drata terms and conditions were not accepted. */
  terms?: boolean
  /** Granted `x-drata-permissions`; default all. A missing one → 403. */
  permissions?: string[]
  /** Client IPs the key may be used from (Drata's per-key IP allowlist); default any. */
  allowedIps?: string[]
  /** The user the key acts as (events, asset/review defaults); default 1. Must be in `users`. */
  userId?: number
}

/** A user of the sandbox account. */
export interface UserConfig {
  id: number
  email: string
  firstName?: string
  lastName?: string
}

/** A vendor of the sandbox account. */
export interface VendorConfig {
  id: number
  name: string
}

/** A custom connection resource that exists in the sandbox. */
export interface ResourceConfig {
  connectionId: number
  resourceId: number
  /** JSON Schema every record must satisfy; default `{ type: 'object' }`. */
  schema?: object
  /** The connection's name in Drata (its clientAlias); default `Connection <connectionId>`. */
  connectionAlias?: string | null
  /** The resource's name; default `Resource <resourceId>`. */
  resourceName?: string
  /** Set for a soft-deleted resource: listed with this deletedAt, but it takes no records. */
  deletedAt?: string
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
  /**
   * Deviation: list the records staged in an IN_PROGRESS session together with the active
   * ones (Drata does not say that an unfiltered list excludes them). Default false.
   */
  stagedInActive?: boolean
  /** TCP port to listen on; default 0 (ephemeral). Used by the stand-alone CLI. */
  port?: number
  /** Users of the account; default user 1 admin@acme.example and user 2 sec@acme.example. */
  users?: UserConfig[]
  /** Vendors of the account; default vendor 11 'Stripe' and vendor 12 'Sentry'. */
  vendors?: VendorConfig[]
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
  /**
   * status: answer `status` without applying. drop: close the socket without applying.
   * drop-after-apply / status-after-apply: apply, then drop or answer `status`. delay: wait
   * `delayMs`, then handle normally. not-applied: answer 200 {} without applying (a success
   * that did nothing). no-pagination: apply, then leave `pagination` out of a list answer.
   * no-total: apply, then leave `totalCount` out. repeat-cursor: apply, then answer the
   * request's own cursor again as the next one (a list that never ends). empty-list: apply,
   * then answer a list with no items (a list that lacks what it should show). drip: answer
   * `status` (default 200) and then send the body one byte every `intervalMs` (default 1000)
   * until the client gives up. echo-auth: answer `status` with an error whose message holds
   * the request's bearer key, and each `echo` text, in every encoding a careless server might
   * use (raw, base64, base64url, hex, URL, JSON, base64 wrapped at 76).
   */
  kind:
    | 'status'
    | 'drop'
    | 'drop-after-apply'
    | 'status-after-apply'
    | 'delay'
    | 'not-applied'
    | 'no-pagination'
    | 'no-total'
    | 'repeat-cursor'
    | 'empty-list'
    | 'drip'
    | 'echo-auth'
  /** Status for 'status' / 'status-after-apply'; default 500. */
  status?: number
  /** Exact Retry-After header value; omitted → no header. */
  retryAfter?: string
  /** For 'delay': wait this long, then handle normally. */
  delayMs?: number
  /** Message of the error body a 'status' fault answers with; default the status text. */
  message?: string
  /** For 'drip': milliseconds between body bytes. */
  intervalMs?: number
  /** For 'echo-auth': more secrets to echo besides the request's bearer key. */
  echo?: string[]
}

/** One API request as the sandbox saw it. */
export interface RequestLogEntry {
  method: string
  /** Pathname with the /public/v2 prefix removed. */
  path: string
  query: Record<string, string>
  /** Status sent; 0 while unanswered and for dropped connections. */
  status: number
  /**
   * Parsed JSON body, the raw text when it is not JSON, or undefined when empty. A
   * multipart/form-data body is logged as its fields, each file part as {@link FilePartSummary}.
   */
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

/** A file part of a multipart request, as the request log and the review state record it. */
export interface FilePartSummary {
  /** Original file name the client sent. */
  name: string
  /** Content type of the part; '' when the client sent none. */
  type: string
  size: number
  /** Hex SHA-256 of the file bytes. */
  sha256: string
}

/** UserCompactResponsePublicV2Dto. */
export interface UserCompactDto {
  id: number
  email: string
  firstName: string | null
  lastName: string | null
  createdAt: string
  updatedAt: string
}

/** UserResponsePublicV2Dto (without its own expansions), the `owner` of an asset. */
export interface UserDto extends UserCompactDto {
  jobTitle: string | null
  avatarUrl: string | null
  drataTermsAgreedAt: string | null
}

export type AssetType = 'PHYSICAL' | 'VIRTUAL'

export type AssetClassType =
  | 'HARDWARE'
  | 'POLICY'
  | 'DOCUMENT'
  | 'PERSONNEL'
  | 'SOFTWARE'
  | 'CODE'
  | 'CONTAINER'
  | 'COMPUTE'
  | 'NETWORKING'
  | 'DATABASE'
  | 'STORAGE'

/** AssetClassTypeResponsePublicV2Dto. */
export interface AssetClassTypeDto {
  id: number
  assetClassType: AssetClassType
  createdAt: string
  updatedAt: string
}

/**
 * AssetResponsePublicV2Dto. `assetClassTypes`, `owner` and `customFields` are present only when
 * the request expands them (`expand[]=assetClassTypes|owner|customFields`);
 * {@link Sandbox.assets} always includes `assetClassTypes` and `owner`.
 */
export interface AssetDto {
  id: number
  name: string
  description: string
  assetType: AssetType
  /** AssetProviderEnum; 'DRATA' for assets added through the API. */
  assetProvider: string
  removedAt: string | null
  notes: string | null
  /** AssetReferenceTypeEnum; 'OTHER' for manual physical assets, 'VIRTUAL' for virtual ones. */
  assetReferenceType: string
  associatedId: string | null
  createdAt: string
  updatedAt: string
  /** Manually added assets have no device. */
  device: null
  externalId: string | null
  externalOwnerId: string | null
  assetClassTypes?: AssetClassTypeDto[]
  owner?: UserDto
  customFields?: Array<{ customFieldId: number; name: string; value: string | null }>
}

/** What {@link Sandbox.seedAsset} takes: `name` and `ownerId` are required, the rest defaults. */
export interface AssetSeed {
  name: string
  ownerId: number
  description?: string
  notes?: string | null
  assetType?: AssetType
  assetClassTypes?: AssetClassType[]
  assetProvider?: string
  assetReferenceType?: string
  associatedId?: string | null
  externalId?: string | null
  externalOwnerId?: string | null
  removedAt?: string | null
  createdAt?: Date
  updatedAt?: Date
}

export type ReviewStatus = 'NOT_YET_STARTED' | 'IN_PROGRESS' | 'COMPLETED' | 'NOT_REQUIRED'
export type ReviewType = 'SECURITY' | 'SOC_REPORT' | 'UPLOAD_REPORT'
export type ReviewDecision = 'PENDING' | 'APPROVED' | 'APPROVED_WITH_CONDITIONS' | 'REJECTED'

/**
 * VendorSecurityReviewResponsePublicV2Dto. `user` and `requesterUser` are present only when the
 * request expands them.
 */
export interface ReviewDto {
  id: number
  requestedAt: string
  reviewDeadlineAt: string
  decision: ReviewDecision
  title: string | null
  note: string | null
  status: ReviewStatus
  type: ReviewType
  createdAt: string
  updatedAt: string
  vendorId: number
  userId: number | null
  requesterUserId: number | null
  user?: UserCompactDto
  requesterUser?: UserCompactDto
}

/** The file a `with-file` review was created with, as the sandbox stored it. */
export interface ReviewFile extends FilePartSummary {
  /** The `documentType` form field, or null when the client sent none. */
  documentType: string | null
}

/** A review as the sandbox holds it: the API DTO plus the uploaded file (null for JSON creates). */
export interface SandboxReview extends ReviewDto {
  file: ReviewFile | null
}

export type EventSource =
  | 'APP'
  | 'AUTOPILOT'
  | 'PUBLIC_API'
  | 'VENDOR_QUESTIONNAIRE'
  | 'SCHEDULED'
  | 'WORKFLOW'
  | 'DRATA_POLICY'

/** `metadata` of EventResponsePublicV2Dto. */
export interface EventMetadata {
  dto: Record<string, unknown> | null
  targetEntity: Record<string, unknown> | null
  targetEntities: Array<Record<string, unknown> | null>
  fileKey: string | null
  sourceData: Record<string, unknown> | null
  taskType: number | null
  request: Record<string, unknown> | null
  response: Record<string, unknown> | null
}

/** ConnectionCompactResponsePublicV2Dto, as the sandbox describes a custom connection. */
export interface ConnectionCompactDto {
  id: number
  clientType: string
  clientId: string | null
  clientAlias: string | null
  state: 'ACTIVE' | 'MISCONFIGURED'
  createdAt: string | null
  updatedAt: string | null
  connectedAt: string | null
  failedAt: string | null
  deletedAt: string | null
}

/**
 * EventResponsePublicV2Dto. `metadata`, `user`, `connection`, `issues`, `testName` and `testId`
 * are present only when the request expands them; {@link Sandbox.events} always includes
 * `metadata`.
 */
export interface EventDto {
  /** UUID. */
  id: string
  /** EventTypeEnum. */
  type: string
  /** EventCategoryEnum. */
  category: string
  source: EventSource
  description: string
  /** CheckResultStatusEnum for Autopilot test events; always null for what the sandbox writes. */
  status: string | null
  createdAt: string
  userId: number | null
  connectionId: number | null
  requestDescription: string | null
  metadata?: EventMetadata
  user?: UserCompactDto
  connection?: ConnectionCompactDto
  issues?: Array<Record<string, unknown>>
  testName?: string | null
  testId?: string | null
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
  /** Assets sorted by id, with `assetClassTypes` and `owner`. */
  assets: AssetDto[]
  /** Security reviews of every vendor, sorted by id (ids are account-wide). */
  vendorReviews: SandboxReview[]
  /** Events in the order they were written, with `metadata`. */
  events: EventDto[]
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
  /** Adds an IN_PROGRESS session (as a job that died would leave it), created at `createdAt`. */
  seedSession(
    connectionId: number,
    resourceId: number,
    sessionId: string,
    opts?: { createdAt?: Date; records?: Array<Record<string, unknown>> },
  ): void
  /** Assets sorted by id, with `assetClassTypes` and `owner` expanded. */
  assets(): AssetDto[]
  /** Security reviews of one vendor, sorted by id, each with its uploaded file; throws for an unknown vendor. */
  vendorReviews(vendorId: number): SandboxReview[]
  /** Events in the order they were written, with `metadata` expanded. */
  events(): EventDto[]
  /** Adds an asset without request validation (only `name` and an existing `ownerId` are required) and without an event. */
  seedAsset(partial: AssetSeed): AssetDto
  onRequest(hook: RequestHook): void
  close(): Promise<void>
}

/** Called (and awaited) before each API request is handled. */
export type RequestHook = (e: {
  method: string
  path: string
  body: unknown
}) => void | Promise<void>
