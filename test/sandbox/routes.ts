import { authorize, PERMISSIONS } from './auth.ts'
import { badRequest, notFound } from './errors.ts'
import { checkQueryNames, PAGE_PARAMS, paginate, parsePageQuery } from './pagination.ts'
import type { ItemResult, ResourceRef, Store } from './store.ts'
import type { KeyProfile, SessionStatus } from './types.ts'
import { isJsonObject, parseDataEnvelope, requireObjectBody } from './validation.ts'

/** An API request after HTTP plumbing: path relative to /public/v2, body already parsed. */
export interface ApiRequest {
  method: string
  path: string
  query: URLSearchParams
  body: unknown
  authorization: string | undefined
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
}

type Handler = (store: Store, ref: ResourceRef, ids: string[], req: ApiRequest) => ApiReply

interface Route {
  method: string
  pattern: RegExp
  permission: string
  handle: Handler
}

const BASE = '^/custom-connections/([^/]+)/resources/([^/]+)'
const SESSION_STATUSES: SessionStatus[] = ['IN_PROGRESS', 'ACTIVE', 'CANCELED', 'ARCHIVED']
const SESSION_ID = /^[A-Za-z0-9_-]{3,64}$/

const ROUTES: Route[] = [
  route('GET', '/records', PERMISSIONS.get, listRecords),
  route('POST', '/records', PERMISSIONS.post, createRecords),
  route('PUT', '/records/([^/]+)', PERMISSIONS.put, updateRecord),
  route('DELETE', '/records/([^/]+)', PERMISSIONS.delete, deleteRecord),
  route('GET', '/sessions', PERMISSIONS.get, listSessions),
  route('POST', '/sessions/([^/]+)', PERMISSIONS.post, uploadToSession),
  route('POST', '/sessions/([^/]+)/actions', PERMISSIONS.post, sessionAction),
]

/** Routes, authorises and handles one API request; throws HttpError for error answers. */
export function handleApi(ctx: ApiContext, req: ApiRequest): ApiReply {
  for (const r of ROUTES) {
    const match = r.method === req.method ? r.pattern.exec(req.path) : null
    if (!match) continue
    // NestJS order: guards (auth) first, then pipes (path, query, body → 400), then the
    // handler (unknown resource/session → 404, wrong session state → 400/422).
    authorize(ctx.keys, req.authorization, r.permission)
    const [, connection = '', resource = '', ...ids] = match
    const ref = {
      connectionId: positiveInt(connection, 'connectionId'),
      resourceId: positiveInt(resource, 'resourceId'),
    }
    return r.handle(ctx.store, ref, ids.map(decodeSegment), req)
  }
  // Unmatched routes never reach the guards, so they 404 even without a key (as NestJS does).
  throw notFound(`Cannot ${req.method} /public/v2${req.path}`)
}

function route(method: string, tail: string, permission: string, handle: Handler): Route {
  return { method, pattern: new RegExp(`${BASE}${tail}$`), permission, handle }
}

function listRecords(store: Store, ref: ResourceRef, _ids: string[], req: ApiRequest): ApiReply {
  checkQueryNames(req.query, [...PAGE_PARAMS, 'sessionId'])
  const page = parsePageQuery(req.query)
  const sessionId = req.query.get('sessionId')
  if (sessionId !== null && (sessionId.length < 3 || sessionId.length > 64)) {
    throw badRequest('sessionId must be between 3 and 64 characters')
  }
  const rows = store.records(ref, sessionId)
  const body = paginate(rows, page, (r) => ({ value: r[page.sort], tie: r.id }))
  return { status: 200, body }
}

function createRecords(store: Store, ref: ResourceRef, _ids: string[], req: ApiRequest): ApiReply {
  checkQueryNames(req.query, [])
  const envelope = parseDataEnvelope(req.body)
  return itemsReply(envelope.single, store.upsert(ref, envelope))
}

function updateRecord(store: Store, ref: ResourceRef, ids: string[], req: ApiRequest): ApiReply {
  checkQueryNames(req.query, [])
  const { data } = requireObjectBody(req.body, ['data'])
  if (!isJsonObject(data)) throw badRequest('data must be an object')
  return { status: 200, body: store.update(ref, ids[0] ?? '', data) }
}

function deleteRecord(store: Store, ref: ResourceRef, ids: string[], req: ApiRequest): ApiReply {
  checkQueryNames(req.query, [])
  store.remove(ref, ids[0] ?? '')
  return { status: 204 }
}

function listSessions(store: Store, ref: ResourceRef, _ids: string[], req: ApiRequest): ApiReply {
  checkQueryNames(req.query, [...PAGE_PARAMS, 'status'])
  const page = parsePageQuery(req.query)
  const status = req.query.get('status')
  if (status !== null && !SESSION_STATUSES.includes(status as SessionStatus)) {
    throw badRequest(`status must be one of the following values: ${SESSION_STATUSES.join(', ')}`)
  }
  const sessions = store.sessions(ref, status as SessionStatus | null)
  const { data, pagination } = paginate(sessions, page, (s) => ({ value: s[page.sort], tie: s.id }))
  // recordCount is the sandbox's own bookkeeping, not part of SessionResponsePublicV2Dto.
  return { status: 200, body: { data: data.map(({ recordCount: _, ...dto }) => dto), pagination } }
}

function uploadToSession(store: Store, ref: ResourceRef, ids: string[], req: ApiRequest): ApiReply {
  checkQueryNames(req.query, [])
  const sessionId = checkSessionId(ids[0] ?? '')
  const envelope = parseDataEnvelope(req.body)
  return itemsReply(envelope.single, store.upload(ref, sessionId, envelope))
}

function sessionAction(store: Store, ref: ResourceRef, ids: string[], req: ApiRequest): ApiReply {
  checkQueryNames(req.query, [])
  const sessionId = checkSessionId(ids[0] ?? '')
  const { action } = requireObjectBody(req.body, ['action'])
  if (action !== 'complete' && action !== 'cancel') {
    throw badRequest('action must be one of the following values: complete, cancel')
  }
  return { status: 200, body: store.act(ref, sessionId, action) }
}

// A single object answers 201/200 with its own result; an array is always 200 with one result
// per item, failures included.
function itemsReply(single: boolean, results: ItemResult[]): ApiReply {
  const [first] = results
  if (single && first) return { status: first.statusCode, body: first }
  return { status: 200, body: results }
}

function checkSessionId(sessionId: string): string {
  if (!SESSION_ID.test(sessionId)) {
    throw badRequest('sessionId must be 3 to 64 characters of letters, digits, "-" or "_"')
  }
  return sessionId
}

function positiveInt(raw: string, name: string): number {
  if (!/^[1-9]\d*$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw badRequest(`${name} must be a positive integer`)
  }
  return Number(raw)
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    throw badRequest(`Malformed path segment: ${raw}`)
  }
}
