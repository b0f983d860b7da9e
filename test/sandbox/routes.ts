// Custom Data Records and Sessions routes, and the routing table of every API area.
import { ASSET_ROUTES } from './assets.ts'
import { authorize, PERMISSIONS } from './auth.ts'
import { CONNECTION_ROUTES } from './connections.ts'
import { badRequest, notFound } from './errors.ts'
import { EVENT_ROUTES } from './events.ts'
import {
  checkQueryNames,
  PAGE_PARAMS,
  paginate,
  paginateSorted,
  parsePageQuery,
} from './pagination.ts'
import {
  type ApiContext,
  type ApiReply,
  type ApiRequest,
  apiRoute,
  decodeSegment,
  positiveInt,
  type Route,
  type RouteCall,
} from './router.ts'
import { copyRecord, type ItemResult, type ResourceRef } from './store.ts'
import type { SessionStatus } from './types.ts'
import { isJsonObject, parseDataEnvelope, requireObjectBody } from './validation.ts'
import { VENDOR_ROUTES } from './vendors.ts'

export type { ApiContext, ApiReply, ApiRequest } from './router.ts'

type Handler = (ctx: ApiContext, ref: ResourceRef, ids: string[], call: RouteCall) => ApiReply

const BASE = '/custom-connections/([^/]+)/resources/([^/]+)'
const SESSION_STATUSES: SessionStatus[] = ['IN_PROGRESS', 'ACTIVE', 'CANCELED', 'ARCHIVED']
const SESSION_ID = /^[A-Za-z0-9_-]{3,64}$/

const RECORD_ROUTES: Route[] = [
  route('GET', '/records', PERMISSIONS.get, listRecords),
  route('POST', '/records', PERMISSIONS.post, createRecords),
  route('PUT', '/records/([^/]+)', PERMISSIONS.put, updateRecord),
  route('DELETE', '/records/([^/]+)', PERMISSIONS.delete, deleteRecord),
  route('GET', '/sessions', PERMISSIONS.get, listSessions),
  route('POST', '/sessions/([^/]+)', PERMISSIONS.post, uploadToSession),
  route('POST', '/sessions/([^/]+)/actions', PERMISSIONS.post, sessionAction),
]

/** The routing table: every API area's routes. */
const ROUTES: Route[] = [
  ...RECORD_ROUTES,
  ...ASSET_ROUTES,
  ...VENDOR_ROUTES,
  ...EVENT_ROUTES,
  ...CONNECTION_ROUTES,
]

/** Routes, authorises and handles one API request; throws HttpError for error answers. */
export function handleApi(ctx: ApiContext, req: ApiRequest): ApiReply {
  for (const r of ROUTES) {
    const match = r.method === req.method ? r.pattern.exec(req.path) : null
    if (!match) continue
    // NestJS order: guards (auth) first, then pipes (path, query, body → 400), then the
    // handler (unknown resource/session/asset/vendor → 404, wrong session state → 400/422).
    const profile = authorize(ctx.keys, req.authorization, r.permission, r.entitlement, req.ip)
    const [, ...params] = match
    return r.handle(ctx, { params: params.map(decodeSegment), req, actor: profile.userId ?? 1 })
  }
  // Unmatched routes never reach the guards, so they 404 even without a key (as NestJS does).
  throw notFound(`Cannot ${req.method} /public/v2${req.path}`)
}

// A custom-connection route: needs the entitlement, and parses connectionId/resourceId.
function route(method: string, tail: string, permission: string, handle: Handler): Route {
  return apiRoute(
    method,
    `${BASE}${tail}`,
    permission,
    (ctx, call) => {
      const [connection = '', resource = '', ...ids] = call.params
      const ref = {
        connectionId: positiveInt(connection, 'connectionId'),
        resourceId: positiveInt(resource, 'resourceId'),
      }
      return handle(ctx, ref, ids, call)
    },
    { entitlement: true },
  )
}

function listRecords(ctx: ApiContext, ref: ResourceRef, _ids: string[], call: RouteCall) {
  const { query } = call.req
  checkQueryNames(query, [...PAGE_PARAMS, 'sessionId'])
  const page = parsePageQuery(query)
  const sessionId = query.get('sessionId')
  if (sessionId !== null && (sessionId.length < 3 || sessionId.length > 64)) {
    throw badRequest('sessionId must be between 3 and 64 characters')
  }
  const rows = ctx.store.sortedRecords(ref, sessionId, page.sort, page.sortDir)
  const { data, pagination } = paginateSorted(rows, page)
  // Only the page is copied: the answer must not share objects with the store.
  return { status: 200, body: { data: data.map(copyRecord), pagination } }
}

function createRecords(ctx: ApiContext, ref: ResourceRef, _ids: string[], call: RouteCall) {
  checkQueryNames(call.req.query, [])
  const envelope = parseDataEnvelope(call.req.body)
  const results = ctx.store.upsert(ref, envelope)
  recordsEvent(ctx, ref, call, results, null)
  return itemsReply(envelope.single, results)
}

function updateRecord(ctx: ApiContext, ref: ResourceRef, ids: string[], call: RouteCall) {
  checkQueryNames(call.req.query, [])
  const { data } = requireObjectBody(call.req.body, ['data'])
  if (!isJsonObject(data)) throw badRequest('data must be an object')
  const record = ctx.store.update(ref, ids[0] ?? '', data)
  connectionEvent(ctx, ref, call, {
    type: 'CUSTOM_RESOURCE_RECORD_UPDATED',
    what: `updated record ${record.id}`,
    target: { recordIds: [record.id] },
  })
  return { status: 200, body: record }
}

function deleteRecord(ctx: ApiContext, ref: ResourceRef, ids: string[], call: RouteCall) {
  checkQueryNames(call.req.query, [])
  const id = ids[0] ?? ''
  ctx.store.remove(ref, id)
  // CUSTOM_RESOURCE_RECORD_REMOVED rather than CUSTOM_DATA_RECORD_REMOVED: it pairs with the
  // CUSTOM_RESOURCE_RECORD_CREATED/UPDATED the other record writes use.
  connectionEvent(ctx, ref, call, {
    type: 'CUSTOM_RESOURCE_RECORD_REMOVED',
    what: `removed record ${id}`,
    target: { recordIds: [id] },
  })
  return { status: 204 }
}

function listSessions(ctx: ApiContext, ref: ResourceRef, _ids: string[], call: RouteCall) {
  const { query } = call.req
  checkQueryNames(query, [...PAGE_PARAMS, 'status'])
  const page = parsePageQuery(query)
  const status = query.get('status')
  if (status !== null && !SESSION_STATUSES.includes(status as SessionStatus)) {
    throw badRequest(`status must be one of the following values: ${SESSION_STATUSES.join(', ')}`)
  }
  const sessions = ctx.store.sessions(ref, status as SessionStatus | null)
  const { data, pagination } = paginate(sessions, page, (s) => ({ value: s[page.sort], tie: s.id }))
  // recordCount is the sandbox's own bookkeeping, not part of SessionResponsePublicV2Dto.
  return { status: 200, body: { data: data.map(({ recordCount: _, ...dto }) => dto), pagination } }
}

function uploadToSession(ctx: ApiContext, ref: ResourceRef, ids: string[], call: RouteCall) {
  checkQueryNames(call.req.query, [])
  const sessionId = checkSessionId(ids[0] ?? '')
  const envelope = parseDataEnvelope(call.req.body)
  const results = ctx.store.upload(ref, sessionId, envelope)
  recordsEvent(ctx, ref, call, results, sessionId)
  return itemsReply(envelope.single, results)
}

function sessionAction(ctx: ApiContext, ref: ResourceRef, ids: string[], call: RouteCall) {
  checkQueryNames(call.req.query, [])
  const sessionId = checkSessionId(ids[0] ?? '')
  const { action } = requireObjectBody(call.req.body, ['action'])
  if (action !== 'complete' && action !== 'cancel') {
    throw badRequest('action must be one of the following values: complete, cancel')
  }
  const result = ctx.store.act(ref, sessionId, action)
  // EventTypeEnum has no session values; completing or canceling changes the resource's records
  // as a whole, so CUSTOM_RESOURCE_RECORD_UPDATED is the closest.
  connectionEvent(ctx, ref, call, {
    type: 'CUSTOM_RESOURCE_RECORD_UPDATED',
    what: `${action === 'complete' ? 'completed' : 'canceled'} session ${sessionId}`,
    target: { sessionId, action, status: result.status },
  })
  return { status: 200, body: result }
}

// One event per create/upload request: CREATED when any record was new, else UPDATED (the closest
// EventTypeEnum values; Drata's per-record events are not documented). A plain upsert whose every
// item failed changed nothing and writes none; an upload always touched its session.
function recordsEvent(
  ctx: ApiContext,
  ref: ResourceRef,
  call: RouteCall,
  results: ItemResult[],
  sessionId: string | null,
): void {
  const created = results.filter((r) => r.statusCode === 201).length
  const updated = results.filter((r) => r.statusCode === 200).length
  if (sessionId === null && created + updated === 0) return
  const failed = results.length - created - updated
  const where = sessionId === null ? '' : ` to session ${sessionId}`
  connectionEvent(ctx, ref, call, {
    type: created > 0 ? 'CUSTOM_RESOURCE_RECORD_CREATED' : 'CUSTOM_RESOURCE_RECORD_UPDATED',
    what: `${sessionId === null ? 'upserted' : 'uploaded'} ${created + updated} record(s)${where} (${created} created, ${updated} updated)`,
    target: { sessionId, created, updated, failed },
  })
}

// Category CUSTOM_CONNECTION, with the connection's id: every record and session write concerns
// a custom connection.
function connectionEvent(
  ctx: ApiContext,
  ref: ResourceRef,
  call: RouteCall,
  e: { type: string; what: string; target: Record<string, unknown> },
): void {
  const actor = ctx.directory.displayName(call.actor)
  ctx.events.write({
    type: e.type,
    category: 'CUSTOM_CONNECTION',
    description: `${actor} ${e.what} in resource ${ref.resourceId} of custom connection ${ref.connectionId} via the Public API`,
    userId: call.actor,
    connectionId: ref.connectionId,
    metadata: {
      targetEntity: { ...ref, ...e.target },
      request: { method: call.req.method, path: call.req.path },
    },
  })
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
