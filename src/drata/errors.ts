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

/** What a request is for: used in error messages and to name the permission a 403 lacks. */
export interface Operation {
  /** Human description, e.g. "upload records to session gh-1-1". */
  what: string
  permission: Permission
  /** Record ids carried by the request, named when Drata rejects it with a 400. */
  recordIds?: readonly string[]
  /** What a 404 means for this request, when it is not a wrong connection or resource. */
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

/** Builds the error for a Drata response with a non-success status. */
export function errorForStatus(
  status: number,
  body: unknown,
  op: Operation,
  context: { region: string; retries: number },
): ApiError {
  const server = serverMessage(body)
  const said = server ? `: ${server}` : ''
  const message = (() => {
    switch (status) {
      case 400: {
        const ids = op.recordIds?.length ? ` Records in the request: ${listIds(op.recordIds)}.` : ''
        return `Drata rejected the request to ${op.what} as invalid (400)${said}.${ids} Fix the data or the inputs named in the message.`
      }
      case 401:
        return `Drata did not accept the API key (401 Invalid Authorization) to ${op.what}. Check that 'api-key' holds a current key (not expired or revoked) and that 'region' (${context.region}) is the region of your Drata account.`
      case 402:
        return `Your Drata plan does not include ${op.permission.startsWith('custom-connections') ? 'Custom Connections and Tests' : 'the feature'} needed to ${op.what} (402). Ask your Drata CSM to enable it.`
      case 403:
        return `The API key lacks the permission "${PERMISSIONS[op.permission]}" (${op.permission}) needed to ${op.what} (403). Edit the key in Drata (Settings > API Keys) and grant that permission.`
      case 404:
        return `Drata found nothing to ${op.what} (404)${said}. ${op.notFound ?? "Check 'connection-id' and 'resource-id' (the Custom Connection and its resource must exist in this account and region)."}`
      case 412:
        return `Drata's API terms and conditions have not been accepted (412). An admin must accept them in Drata (Settings > API Keys) before the API can be used.`
      case 413:
        return `Drata refused the request to ${op.what} as too large (413). Lower 'batch-size'.`
      case 422:
        return `Drata refused to ${op.what} (422)${said}. The session is no longer IN_PROGRESS (completed, cancelled or expired); re-run the job to push with a new session.`
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

/** Builds the error for a request that got no response (connection refused, reset, timeout). */
export function networkError(error: unknown, op: Operation, retries: number): ApiError {
  const detail =
    error instanceof Error
      ? (error as Error & { code?: string }).code || error.message
      : String(error)
  return new ApiError(
    `Could not reach Drata to ${op.what} (${detail}) after ${retries} retries. Check the runner's network access to Drata and 'region'/'api-url'.`,
    0,
    true,
    '',
    { cause: error },
  )
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
