// Events API: GET /events and GET /events/{eventId}, and the event log every accepted write
// appends to (source PUBLIC_API, since every write the sandbox accepts comes through the API).
import type { Directory } from './directory.ts'
import { badRequest, notFound } from './errors.ts'
import { EVENT_TYPES } from './event-types.ts'
import { isIsoDateTime } from './fields.ts'
import { checkQueryNames, oneOf, PAGE_PARAMS, paginate, parsePageQuery } from './pagination.ts'
import {
  type ApiReply,
  apiRoute,
  expandSet,
  positiveInt,
  type Route,
  type RouteCall,
} from './router.ts'
import type { EventDto, EventMetadata, EventSource } from './types.ts'

/** The `x-drata-permissions` of the Events endpoints. */
export const EVENT_PERMISSIONS = {
  list: 'event-tracking-get',
  get: 'event-tracking-get-event',
} as const

export const EVENT_SOURCES: readonly EventSource[] = [
  'APP',
  'AUTOPILOT',
  'PUBLIC_API',
  'VENDOR_QUESTIONNAIRE',
  'SCHEDULED',
  'WORKFLOW',
  'DRATA_POLICY',
]

/** EventCategoryEnum. */
export const EVENT_CATEGORIES: readonly string[] = [
  'AUTOPILOT',
  'AGENT',
  'POLICY',
  'PERSONNEL',
  'REPORT',
  'VENDOR',
  'ASSET',
  'COMPANY',
  'ASSESSMENT',
  'AUDIT',
  'MONITOR',
  'USER',
  'CONNECTION',
  'GRC',
  'MDM',
  'QUESTIONNAIRE',
  'DEVICE',
  'TRUST_PAGES',
  'TRUST_CENTER_PRIVATE_ACCESS',
  'RISK',
  'COMPANY_NOTIFICATION',
  'CUSTOM_FRAMEWORKS',
  'MULTIPLE_PRODUCT_SUPPORT',
  'PUBLIC_API_KEY',
  'SERVICE_PROVIDER',
  'TASK',
  'AUTOPILOT_RECIPE_SCHEDULE',
  'RESYNC',
  'EVIDENCE',
  'AUTOPILOT_RECIPE',
  'ACCESS_REVIEW',
  'DOCUMENT_SCANNED',
  'CLOUD_STORAGE',
  'VENDOR_PROFILE',
  'CODEBASE',
  'EXCEPTION_MANAGEMENT',
  'WORKFLOWS',
  'CUSTOM_CONNECTION',
  'TRUST_CENTER_REPORTS',
  'OUTBOUND_WEBHOOKS',
  'SAFEBASE_MIGRATION',
  'TRUST_ACCESS_REQUEST',
  'SAFEBASE_ONBOARDING',
]

const EXPANDS = ['connection', 'issues', 'metadata', 'testId', 'testName', 'user'] as const
type Expand = (typeof EXPANDS)[number]

/** The single workspace the sandbox account has (assumption: its id is 1). */
const WORKSPACE_ID = 1

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** What a write tells the log; the log adds id, source, status and createdAt. */
export interface EventInput {
  /** EventTypeEnum value. */
  type: string
  /** EventCategoryEnum value. */
  category: string
  description: string
  userId: number
  connectionId: number | null
  metadata?: Partial<EventMetadata>
}

interface StoredEvent {
  seq: number
  dto: EventDto & { metadata: EventMetadata }
}

/** Every event the sandbox wrote, in order. */
export class EventLog {
  readonly #events: StoredEvent[] = []
  readonly #now: () => Date
  #seq = 0

  constructor(now: () => Date) {
    this.#now = now
  }

  /** Appends a PUBLIC_API event. */
  write(input: EventInput): EventDto {
    if (!EVENT_TYPES.has(input.type)) throw new Error(`Not an EventTypeEnum value: ${input.type}`)
    if (!EVENT_CATEGORIES.includes(input.category)) {
      throw new Error(`Not an EventCategoryEnum value: ${input.category}`)
    }
    const seq = ++this.#seq
    const dto = {
      // Deterministic UUIDs (v4 layout, counter in the last group) keep state() reproducible.
      id: `00000000-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`,
      type: input.type,
      category: input.category,
      source: 'PUBLIC_API' as const,
      description: input.description,
      status: null,
      createdAt: this.#now().toISOString(),
      userId: input.userId,
      connectionId: input.connectionId,
      requestDescription: null,
      metadata: {
        dto: null,
        targetEntity: null,
        targetEntities: [],
        fileKey: null,
        sourceData: null,
        taskType: null,
        request: null,
        response: null,
        ...structuredClone(input.metadata),
      },
    }
    this.#events.push({ seq, dto })
    return structuredClone(dto)
  }

  /** All events in write order, with metadata, deep-copied. */
  all(): EventDto[] {
    return this.#events.map((e) => structuredClone(e.dto))
  }

  /** Stored events for the list endpoint (not copied; the view copies). */
  entries(): readonly StoredEvent[] {
    return this.#events
  }

  find(id: string): StoredEvent | undefined {
    return this.#events.find((e) => e.dto.id.toLowerCase() === id.toLowerCase())
  }
}

export const EVENT_ROUTES: Route[] = [
  apiRoute('GET', '/events', EVENT_PERMISSIONS.list, listEvents),
  apiRoute('GET', '/events/([^/]+)', EVENT_PERMISSIONS.get, getEvent),
]

function listEvents(ctx: { events: EventLog; directory: Directory }, call: RouteCall): ApiReply {
  const { query } = call.req
  checkQueryNames(query, [
    ...PAGE_PARAMS,
    'expand[]',
    'type',
    'source',
    'category',
    'connectionId',
    'userId',
    'workspaceId',
    'createdAtStartDate',
    'createdAtEndDate',
  ])
  const page = parsePageQuery(query, ['createdAt'])
  const expand = expandSet(query, EXPANDS)
  const type = query.get('type')
  if (type !== null && !EVENT_TYPES.has(type)) {
    throw badRequest('type must be one of the EventTypeEnum values')
  }
  const source = oneOf(query.get('source'), 'source', EVENT_SOURCES)
  const category = oneOf(query.get('category'), 'category', EVENT_CATEGORIES)
  const connectionId = nullableId(query.get('connectionId'), 'connectionId')
  const userId = nullableId(query.get('userId'), 'userId')
  const workspace = query.get('workspaceId')
  const workspaceId = workspace === null ? null : positiveInt(workspace, 'workspaceId')
  const start = instant(query.get('createdAtStartDate'), 'createdAtStartDate')
  const end = instant(query.get('createdAtEndDate'), 'createdAtEndDate')

  const rows = ctx.events.entries().filter(({ dto }) => {
    const at = Date.parse(dto.createdAt)
    return (
      (type === null || dto.type === type) &&
      (source === null || dto.source === source) &&
      (category === null || dto.category === category) &&
      (connectionId === undefined || dto.connectionId === connectionId) &&
      (userId === undefined || dto.userId === userId) &&
      (workspaceId === null || workspaceId === WORKSPACE_ID) &&
      (start === null || at >= start) &&
      (end === null || at <= end)
    )
  })
  const { data, pagination } = paginate(rows, page, (e) => ({ value: e.dto.createdAt, tie: e.seq }))
  return { status: 200, body: { data: data.map((e) => view(ctx, e, expand)), pagination } }
}

function getEvent(ctx: { events: EventLog; directory: Directory }, call: RouteCall): ApiReply {
  const { query } = call.req
  // The spec declares paging parameters on this endpoint too (nothing in the DTO pages); they are
  // validated like everywhere else and otherwise ignored.
  checkQueryNames(query, ['cursor', 'size', 'sort', 'sortDir', 'expand[]'])
  parsePageQuery(query)
  const expand = expandSet(query, EXPANDS)
  const id = call.params[0] ?? ''
  // eventId is a UUID; anything else is a 400 rather than a 404 (assumption, a ParseUUIDPipe).
  if (!UUID.test(id)) throw badRequest('eventId must be a UUID')
  const event = ctx.events.find(id)
  if (!event) throw notFound(`Event ${id} not found`)
  return { status: 200, body: view(ctx, event, expand) }
}

/** undefined: no filter; null: "a null/blank value returns events without one"; else the id. */
function nullableId(raw: string | null, name: string): number | null | undefined {
  if (raw === null) return undefined
  if (raw === '' || raw === 'null') return null
  return positiveInt(raw, name)
}

function instant(raw: string | null, name: string): number | null {
  if (raw === null) return null
  if (!isIsoDateTime(raw)) throw badRequest(`${name} must be a valid ISO 8601 date string`)
  return Date.parse(raw)
}

function view(ctx: { directory: Directory }, { dto }: StoredEvent, expand: Set<Expand>): EventDto {
  const { metadata, ...base } = structuredClone(dto)
  const out: EventDto = base
  if (expand.has('metadata')) out.metadata = metadata
  if (expand.has('user') && dto.userId !== null && ctx.directory.hasUser(dto.userId)) {
    out.user = ctx.directory.compactUser(dto.userId)
  }
  if (expand.has('connection') && dto.connectionId !== null) {
    const connection = ctx.directory.connection(dto.connectionId)
    if (connection) out.connection = connection
  }
  // The sandbox writes no Autopilot events, so there are never issues or a monitoring test.
  if (expand.has('issues') || expand.has('metadata')) out.issues = []
  if (expand.has('testName')) out.testName = null
  if (expand.has('testId')) out.testId = null
  return out
}
