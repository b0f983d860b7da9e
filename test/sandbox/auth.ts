import { CODES, plainError } from './errors.ts'
import type { KeyProfile } from './types.ts'

/** The `x-drata-permissions` the Custom Data Records endpoints require. */
export const PERMISSIONS = {
  get: 'custom-connections-get',
  post: 'custom-connections-data-post',
  put: 'custom-connections-data-put',
  delete: 'custom-connections-data-delete',
} as const

/**
 * Checks the bearer key in the guard order 401, 412, 402, 403; throws the matching error and
 * returns the key's profile otherwise. `entitlement` says whether the endpoint needs the Custom
 * Connections and Tests entitlement (402), which only the custom-connection endpoints declare.
 * `ip` is the client's address, checked against a key's `allowedIps`.
 */
export function authorize(
  keys: Record<string, KeyProfile>,
  authorization: string | undefined,
  permission: string,
  entitlement = true,
  ip = '127.0.0.1',
): KeyProfile {
  // The auth scheme is case-insensitive (RFC 9110); the key itself must match exactly.
  const match = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '')
  const key = match?.[1]
  // ASSUMPTION: Drata documents a 401 only as "Invalid Authorization"; these three reasons,
  // their codes and messages are the shapes we expect, not documented ones.
  if (key === undefined) throw plainError(401, 'API key missing', CODES.keyMissing)
  const profile = Object.hasOwn(keys, key) ? keys[key] : undefined
  if (!profile) throw plainError(401, 'API key not found', CODES.keyNotFound)
  if (profile.allowedIps !== undefined && !profile.allowedIps.includes(ip)) {
    throw plainError(401, 'API key not allowed from this IP address', CODES.ipNotAllowed)
  }
  if (profile.terms === false) {
    throw plainError(412, 'You must accept the Drata terms and conditions to use the API')
  }
  if (entitlement && profile.plan === false) {
    throw plainError(402, 'You must upgrade your plan to use this feature')
  }
  // No `permissions` list grants every permission of every API area.
  if (profile.permissions !== undefined && !profile.permissions.includes(permission)) {
    throw plainError(403, 'You are not allowed to perform this action')
  }
  return profile
}

/** Sliding 60-second window of request times per client IP. */
export class RateLimiter {
  readonly #limit: number
  readonly #now: () => Date
  readonly #hits = new Map<string, number[]>()

  constructor(limitPerMinute: number, now: () => Date) {
    this.#limit = limitPerMinute
    this.#now = now
  }

  /** Records a request from `ip`; false when it is over the limit. */
  allow(ip: string): boolean {
    if (this.#limit <= 0) return true
    const now = this.#now().getTime()
    const recent = (this.#hits.get(ip) ?? []).filter((t) => t > now - 60_000)
    // Rejected requests count too (as in common throttlers; Drata's is undocumented), so a
    // client that retries without backing off stays locked out.
    recent.push(now)
    this.#hits.set(ip, recent)
    return recent.length <= this.#limit
  }
}
