/** Typed Drata API errors whose messages tell the user what to do next. */

/** Drata permission names (x-drata-permissions) with the label Drata's key editor shows. */
export const PERMISSIONS = {
  'custom-connections-get': 'Custom Connections Management: List Custom Connections',
  'custom-connections-data-post': 'Custom Connections Data: Create Custom Connection Data',
  'custom-connections-data-delete': 'Custom Connections Data: Delete Custom Connection Data',
  'assets-get': 'Assets: List Assets',
  'assets-post': 'Assets: Create Asset',
  'assets-put': 'Assets: Update Asset',
  'assets-delete': 'Assets: Delete Asset',
  'vendors-get': 'Vendors: List Vendors',
  'vendors-post-security-review': 'Vendors: Create Security Review',
  'event-tracking-get': 'Event Tracking: List Events',
  'event-tracking-get-event': 'Event Tracking: Get Event',
} as const
export type Permission = keyof typeof PERMISSIONS

/** The API area a request belongs to; it decides what an error status means for the user. */
export type Area = 'records' | 'sessions' | 'assets' | 'reviews' | 'events' | 'connections'

/** What a request is for: used in error messages and to name the permission a 403 lacks. */
export interface Operation {
  /** Human description, e.g. "upload records to session gh-1-1". */
  what: string
  /** Which advice an error status gets (a 422 on a session is not a 422 on an asset). */
  area: Area
  permission: Permission
  /** Record ids carried by the request, named when Drata rejects it with a 400. */
  recordIds?: readonly string[]
  /** What a 404 means for this request, when the area's advice is not precise enough. */
  notFound?: string
}

/** A failed Drata request after any retries. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when no response arrived (network error or timeout). */
    readonly status: number,
    /** Whether the failure was of a kind retrying could fix (429, 5xx, network). */
    readonly retryable: boolean,
    /** The server's own message, if any. */
    readonly serverMessage = '',
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'ApiError'
  }
}

/** Whether an HTTP status is worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504
}

const FIX_RECORDS = 'Fix the records or the inputs named in the message.'
const TARGET =
  "Check 'connection-id' and 'resource-id' (the Custom Connection and its resource must exist in this account and region)."

/** Advice per area for the statuses whose meaning depends on what was asked. */
const HINTS: Record<Area, { 400: string; 404: string; 413: string; 422: string }> = {
  records: {
    400: FIX_RECORDS,
    404: TARGET,
    413: "Lower 'batch-size', or make the records smaller.",
    422: `Drata could not process the records. ${FIX_RECORDS}`,
  },
  sessions: {
    400: FIX_RECORDS,
    404: TARGET,
    413: "Lower 'batch-size', or make the records smaller.",
    422: 'The session is no longer IN_PROGRESS (completed, cancelled or expired); re-run the job to push with a new session.',
  },
  assets: {
    400: "Fix the asset inputs named in the message ('asset-name', 'asset-type', 'asset-class-types', ...).",
    404: 'The asset does not exist in this Drata account.',
    413: "Shorten the asset texts ('asset-description', 'asset-notes').",
    422: "Drata could not process the asset: check 'asset-owner-id' (the id of a user of this account), 'asset-type' and 'asset-class-types'.",
  },
  reviews: {
    400: "Fix the vendor review inputs named in the message ('vendor-review-*').",
    404: "Check 'vendor-id': no such vendor in this Drata account.",
    413: "The file in 'vendor-review-file' is larger than Drata accepts; attach a smaller file (compress or split it).",
    422: "Drata could not process the review: check 'vendor-review-requester-id' (a user of this account), 'vendor-review-deadline' and 'vendor-review-document-type'.",
  },
  connections: {
    400: 'The Custom Connections query was refused; this is a bug of this action, please report it.',
    404: "Check 'connection-id': no such Custom Connection in this account and region.",
    413: 'The Custom Connections query was too large; this is a bug of this action, please report it.',
    422: 'The Custom Connections query was refused; this is a bug of this action, please report it.',
  },
  events: {
    400: 'The audit event query was refused; this is a bug of this action, please report it.',
    404: 'The audit event no longer exists in Drata.',
    413: 'The audit event query was too large; this is a bug of this action, please report it.',
    422: 'The audit event query was refused; this is a bug of this action, please report it.',
  },
}

/** Builds the error for a Drata response with a non-success status. */
export function errorForStatus(
  status: number,
  body: unknown,
  op: Operation,
  context: { region: string; retries: number },
): ApiError {
  const server = serverMessage(body)
  const said = server ? `: ${server}` : ''
  const hints = HINTS[op.area]
  const message = (() => {
    switch (status) {
      case 400: {
        const ids = op.recordIds?.length ? ` Records in the request: ${listIds(op.recordIds)}.` : ''
        return `Drata rejected the request to ${op.what} as invalid (400)${said}.${ids} ${hints[400]}`
      }
      case 401:
        return unauthorized(body, op, context.region)
      case 402:
        return `Your Drata plan does not include ${op.permission.startsWith('custom-connections') ? 'Custom Connections and Tests' : 'the feature'} needed to ${op.what} (402). Ask your Drata CSM to enable it.`
      case 403:
        return `The API key lacks the permission "${PERMISSIONS[op.permission]}" (${op.permission}) needed to ${op.what} (403). Edit the key in Drata (Settings > API Keys) and grant that permission.`
      case 404:
        return `Drata found nothing to ${op.what} (404)${said}. ${op.notFound ?? hints[404]}`
      case 412:
        return `Drata's API terms and conditions have not been accepted (412). An admin must accept them in Drata (Settings > API Keys) before the API can be used.`
      case 413:
        return `Drata refused the request to ${op.what} as too large (413)${said}. ${hints[413]}`
      case 422:
        return `Drata refused to ${op.what} (422)${said}. ${hints[422]}`
      case 429:
        return `Drata kept rate limiting the request to ${op.what} (429) after ${context.retries} retries. Wait a minute and re-run, or raise 'max-retries'.`
      default:
        if (status >= 500) {
          return `Drata failed to ${op.what} with ${status}${said} after ${context.retries} retries. Drata may be having an outage; re-run later.`
        }
        return `Drata answered ${status} to the request to ${op.what}${said}.`
    }
  })()
  return new ApiError(message, status, isRetryableStatus(status), server)
}

/**
 * Codes and wordings of Drata's 401 bodies. ASSUMPTION: Drata documents a 401 only as
 * "Invalid Authorization" (ExceptionResponseDto {statusCode, message, code}); these codes and
 * messages are the shapes we expect (the sandbox, test/sandbox/auth.ts, answers with them).
 * Both are matched, and anything else gets the general advice.
 */
export const AUTH_CODES = { keyMissing: 40101, keyNotFound: 40102, ipNotAllowed: 40103 } as const

type AuthProblem = keyof typeof AUTH_CODES | 'unknown'

function authProblem(body: unknown): AuthProblem {
  const code = (body as { code?: unknown } | null)?.code
  for (const [name, value] of Object.entries(AUTH_CODES))
    if (code === value) return name as AuthProblem
  const text = serverMessage(body)
  if (/\bIP\b|ip address|allow ?list/i.test(text)) return 'ipNotAllowed'
  if (/missing|not provided|no (api )?key/i.test(text)) return 'keyMissing'
  if (/not found|unknown key|revoked|expired/i.test(text)) return 'keyNotFound'
  return 'unknown'
}

function unauthorized(body: unknown, op: Operation, region: string): string {
  const server = serverMessage(body)
  const said = server && server !== 'Invalid Authorization' ? `: ${server}` : ''
  switch (authProblem(body)) {
    case 'keyMissing':
      return `Drata received no API key with the request to ${op.what} (401${said}). 'api-key' is set, so something between the runner and Drata dropped the Authorization header: check the proxy (HTTPS_PROXY) or gateway in between.`
    case 'keyNotFound':
      return `Drata does not know the API key (401${said}) used to ${op.what}. Check that 'api-key' holds a current key of this account (not revoked or expired) and that 'region' (${region}) is the region of your Drata account: a key works in its own region only.`
    case 'ipNotAllowed':
      return `Drata refused the API key from this runner's IP address (401${said}) to ${op.what}. The key has an IP allowlist (Drata: Settings > API Keys): add the runner's outgoing IP to it, or run the job on a runner with a fixed IP that is on the list (see "Self-hosted runners and proxies" in the README).`
    default:
      return `Drata did not accept the API key (401${said || ' Invalid Authorization'}) to ${op.what}. Check that 'api-key' holds a current key (not expired or revoked), that 'region' (${region}) is the region of your Drata account, and that the key's IP allowlist, if any, has this runner's IP.`
  }
}

/** Builds the error for a request that got no response (connection refused, reset, timeout). */
export function networkError(
  error: unknown,
  op: Operation,
  retries: number,
  /** Set when the attempt ran out of 'request-timeout' (this many ms). */
  timedOutMs?: number,
): ApiError {
  if (timedOutMs !== undefined) {
    return new ApiError(
      `Drata did not answer the request to ${op.what} completely within 'request-timeout' (${seconds(timedOutMs)}) after ${retries} retries. Drata or the network path (proxy) is slow: re-run later, or raise 'request-timeout'.`,
      0,
      true,
      '',
      { cause: error },
    )
  }
  const detail =
    error instanceof Error
      ? (error as Error & { code?: string }).code || error.message
      : String(error)
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(detail)) {
    // Retrying cannot make an untrusted certificate trusted.
    return new ApiError(
      `Could not reach Drata to ${op.what}: the TLS certificate presented was not trusted (${detail}). Behind a proxy that inspects TLS, point NODE_EXTRA_CA_CERTS at the proxy's CA certificate (certificate checks are never turned off); otherwise check 'api-url'.`,
      0,
      false,
      '',
      { cause: error },
    )
  }
  return new ApiError(
    `Could not reach Drata to ${op.what} (${detail}) after ${retries} retries. Check the runner's network access to Drata (and HTTPS_PROXY/NO_PROXY on a self-hosted runner), and 'region'/'api-url'.`,
    0,
    true,
    '',
    { cause: error },
  )
}

/** Why a retry that max-retries allowed was not made. */
export interface WaitRefused {
  /** The wait the retry needed, in ms. */
  waitMs: number
  /** Whether Drata asked for it (Retry-After) or the client chose it (backoff). */
  retryAfter: boolean
  /** The longest single Retry-After honoured, when that is what was exceeded. */
  capMs?: number
  /** What was left of the run's 'retry-wait' budget, and the budget. */
  leftMs: number
  budgetMs: number
  retries: number
}

/** Builds the error for a retry given up because its wait was too long for one wait or the run. */
export function waitRefusedError(failure: ApiError, op: Operation, wait: WaitRefused): ApiError {
  const answered = failure.status
    ? `Drata answered ${failure.status} to the request to ${op.what}`
    : `The request to ${op.what} got no answer`
  const why =
    wait.capMs !== undefined
      ? `and asked to wait ${seconds(wait.waitMs)} before retrying (Retry-After), longer than the ${seconds(wait.capMs)} this action waits for one retry.`
      : `after ${wait.retries} retries; the next retry would wait ${seconds(wait.waitMs)}${wait.retryAfter ? ' (Retry-After)' : ''}, but only ${seconds(wait.leftMs)} of the run's 'retry-wait' (${seconds(wait.budgetMs)}) are left.`
  const todo =
    wait.capMs !== undefined
      ? `Waiting that long inside a job does not help (Drata is rate limiting this API key or the runner's IP, or is under maintenance); re-run once that time has passed.`
      : failure.status === 429
        ? "Drata is rate limiting this API key or the runner's IP (other jobs using them at the same time?). Re-run later, spread out the jobs, or raise 'retry-wait'."
        : failure.status
          ? "Drata may be having an outage; re-run later, or raise 'retry-wait'."
          : "Check the runner's network access to Drata; re-run later, or raise 'retry-wait'."
  const server = failure.serverMessage ? ` Drata said: ${failure.serverMessage}.` : ''
  return new ApiError(
    `${answered} ${why}${server} ${todo}`,
    failure.status,
    failure.retryable,
    failure.serverMessage,
    { cause: failure },
  )
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`
}

function serverMessage(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const m = body.message
    if (typeof m === 'string') return m
    if (Array.isArray(m)) return m.map(String).join('; ')
  }
  return ''
}

function listIds(ids: readonly string[]): string {
  const shown = ids.slice(0, 20).join(', ')
  return ids.length > 20 ? `${shown} and ${ids.length - 20} more` : shown
}
