// The routing table's building blocks, shared by every API area (records and sessions in
// routes.ts, assets.ts, vendors.ts, events.ts).
import type { AssetStore } from './assets.ts'
import type { SandboxConnection } from './connections.ts'
import type { Directory } from './directory.ts'
import { badRequest } from './errors.ts'
import type { EventLog } from './events.ts'
import type { ParsedForm } from './multipart.ts'
import type { Store } from './store.ts'
import type { KeyProfile } from './types.ts'
import type { ReviewStore } from './vendors.ts'

/** An API request after HTTP plumbing: path relative to /public/v2, body already parsed. */
export interface ApiRequest {
  method: string
  path: string
  query: URLSearchParams
  /** Parsed JSON body; undefined for an empty or non-JSON body. */
  body: unknown
  /** The multipart/form-data body, the reason it could not be parsed, or null for other types. */
  form: ParsedForm | { error: string } | null
  authorization: string | undefined
  /** The client's address, for keys with an IP allowlist. */
  ip?: string
}

/** What to answer; `body` undefined means no content. */
export interface ApiReply {
  status: number
  body?: unknown
}

/** What the route handlers need from the running sandbox. */
export interface ApiContext {
  store: Store
  keys: Record<string, KeyProfile>
  directory: Directory
  assets: AssetStore
  reviews: ReviewStore
  events: EventLog
  /** The account's Custom Connections with their resources, in id order. */
  connections: SandboxConnection[]
}

/** One routed call: the path's captured segments (decoded), the request, the acting user id. */
export interface RouteCall {
  params: string[]
  req: ApiRequest
  actor: number
}

export type RouteHandler = (ctx: ApiContext, call: RouteCall) => ApiReply

/** One row of the routing table. */
export interface Route {
  method: string
  pattern: RegExp
  /** The operation's `x-drata-permissions` value. */
  permission: string
  /** Whether the Custom Connections and Tests entitlement is needed (402 without it). */
  entitlement: boolean
  handle: RouteHandler
}

/** A route for `path`, a regex source without anchors whose groups are the path parameters. */
export function apiRoute(
  method: string,
  path: string,
  permission: string,
  handle: RouteHandler,
  opts: { entitlement?: boolean } = {},
): Route {
  const pattern = new RegExp(`^${path}$`)
  return { method, pattern, permission, entitlement: opts.entitlement ?? false, handle }
}

/** A numeric path or query id (the spec's `type: number` ids); 400 otherwise. */
export function positiveInt(raw: string, name: string): number {
  if (!/^[1-9]\d*$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw badRequest(`${name} must be a positive integer`)
  }
  return Number(raw)
}

export function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    throw badRequest(`Malformed path segment: ${raw}`)
  }
}

/** The values of an array query parameter such as `status[]`, each checked against `values`. */
export function enumList<T extends string>(
  query: URLSearchParams,
  name: string,
  values: readonly T[],
): T[] {
  const raw = query.getAll(name)
  if (raw.some((v) => !values.includes(v as T))) {
    throw badRequest(
      `each value in ${name} must be one of the following values: ${values.join(', ')}`,
    )
  }
  return raw as T[]
}

/** The `expand[]` values of a request, checked against the endpoint's ExpandEnum. */
export function expandSet<T extends string>(query: URLSearchParams, values: readonly T[]): Set<T> {
  return new Set(enumList(query, 'expand[]', values))
}
