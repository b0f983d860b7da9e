import { badRequest, notFound, publicError } from './errors.ts'
import { type CursorKey, sortEntries } from './pagination.ts'
import type {
  ResourceConfig,
  SandboxRecord,
  SandboxSession,
  SandboxState,
  SessionStatus,
} from './types.ts'
import {
  compileRecordValidator,
  type DataEnvelope,
  type JsonObject,
  type RecordCheck,
  type RecordValidator,
  recordId,
} from './validation.ts'

/** Identifies a custom connection resource. */
export interface ResourceRef {
  connectionId: number
  resourceId: number
}

/** Per-record outcome of a create/upload request, as Drata reports it. */
export type ItemResult =
  | { id: string; createdAt: string; updatedAt: string; statusCode: 200 | 201; data: JsonObject }
  | { statusCode: 400; data: JsonObject; error: { message: string; code: number } }

/** SessionActionResponsePublicV2Dto. */
export interface ActionResult extends ResourceRef {
  sessionId: string
  status: SessionStatus
  action: 'complete' | 'cancel'
}

interface Session {
  pk: number
  sessionId: string
  status: SessionStatus
  createdAt: string
  updatedAt: string
  activatedAt: string | null
  canceledAt: string | null
  /** Records uploaded while IN_PROGRESS; they become the active data on completion. */
  staged: Map<string, SandboxRecord>
}

interface Resource extends ResourceRef {
  validate: RecordValidator
  /** The data Drata's tests see: what the last completed session and later upserts left. */
  active: Map<string, SandboxRecord>
  sessions: Session[]
}

/** In-memory records and sessions of every resource, with Drata's session semantics. */
export class Store {
  readonly #resources = new Map<string, Resource>()
  readonly #now: () => Date
  #nextSessionPk = 1
  /** Bumped by every write: a sorted listing cached at an older version is stale. */
  #version = 0
  readonly #sorted = new Map<string, { version: number; entries: SortedEntry[] }>()

  /** Lists records staged in an IN_PROGRESS session with the active ones (a deviation to test). */
  readonly #stagedInActive: boolean

  constructor(configs: ResourceConfig[], now: () => Date, opts: { stagedInActive?: boolean } = {}) {
    this.#now = now
    this.#stagedInActive = opts.stagedInActive ?? false
    for (const { connectionId, resourceId, schema } of configs) {
      const validate = compileRecordValidator(schema)
      const resource = { connectionId, resourceId, validate, active: new Map(), sessions: [] }
      this.#resources.set(key(connectionId, resourceId), resource)
    }
  }

  /** Plain upsert: writes straight into the active data, grouped under the ACTIVE session. */
  upsert(ref: ResourceRef, envelope: DataEnvelope): ItemResult[] {
    const res = this.#write(ref)
    const checks = checkItems(envelope, res.validate)
    const activeSession = res.sessions.find((s) => s.status === 'ACTIVE')?.sessionId ?? null
    return writeItems(envelope, checks, res.active, activeSession, this.#stamp())
  }

  /** Session upload: stages records in the session, creating it IN_PROGRESS if it is new. */
  upload(ref: ResourceRef, sessionId: string, envelope: DataEnvelope): ItemResult[] {
    const res = this.#write(ref)
    let session = res.sessions.find((s) => s.sessionId === sessionId)
    if (session && session.status !== 'IN_PROGRESS') {
      throw badRequest(
        `Session ${sessionId} is ${session.status}; records can only be uploaded to an IN_PROGRESS session`,
      )
    }
    const open = res.sessions.find((s) => s.status === 'IN_PROGRESS')
    if (!session && open) {
      // Drata allows one IN_PROGRESS session per resource; that it answers 400 (not 409) is an
      // assumption, the status is undocumented.
      throw badRequest(
        `Session ${open.sessionId} is already IN_PROGRESS for resource ${ref.resourceId}; complete or cancel it before starting session ${sessionId}`,
      )
    }
    const checks = checkItems(envelope, res.validate)
    const ts = this.#stamp()
    if (!session) {
      session = newSession(this.#nextSessionPk++, sessionId, 'IN_PROGRESS', ts)
      res.sessions.push(session)
    }
    session.updatedAt = ts
    // "Created" is judged within the session: the first upload of an id to a session is a 201
    // even when that id is in the active data (assumption; Drata does not say).
    return writeItems(envelope, checks, session.staged, sessionId, ts)
  }

  /**
   * Active records, or with `sessionId` that session's records (staged or active), as the
   * store's own rows: callers copy what they hand out (see `copyRecord`).
   */
  records(ref: ResourceRef, sessionId: string | null): SandboxRecord[] {
    const res = this.#get(ref)
    const rows = [...res.active.values()]
    if (sessionId === null && this.#stagedInActive) {
      const open = res.sessions.find((s) => s.status === 'IN_PROGRESS')
      return [...rows, ...(open ? open.staged.values() : [])]
    }
    if (sessionId === null) return rows
    // An unknown sessionId filters everything out rather than 404ing (assumption).
    const session = res.sessions.find((s) => s.sessionId === sessionId)
    if (session?.status === 'IN_PROGRESS') return [...session.staged.values()]
    return rows.filter((r) => r.sessionId === sessionId)
  }

  /**
   * The same rows in list order, sorted once per store version: paging through 100,000
   * records costs one sort, not one per page, so the sandbox is not what a bench measures.
   */
  sortedRecords(
    ref: ResourceRef,
    sessionId: string | null,
    sort: 'createdAt' | 'updatedAt',
    dir: 'ASC' | 'DESC',
  ): SortedEntry[] {
    const cacheKey = `${key(ref.connectionId, ref.resourceId)}|${sessionId ?? ''}|${sort}|${dir}`
    const cached = this.#sorted.get(cacheKey)
    if (cached?.version === this.#version) return cached.entries
    const entries = sortEntries(
      this.records(ref, sessionId).map((item) => ({
        item,
        key: { value: item[sort], tie: item.id },
      })),
      dir,
    )
    this.#sorted.set(cacheKey, { version: this.#version, entries })
    return entries
  }

  /** Sessions of a resource in creation order, optionally only those with `status`. */
  sessions(ref: ResourceRef, status: SessionStatus | null): SandboxSession[] {
    const res = this.#get(ref)
    return res.sessions
      .filter((s) => status === null || s.status === status)
      .map((s) => sessionView(res, s))
  }

  /** Completes or cancels an IN_PROGRESS session. */
  act(ref: ResourceRef, sessionId: string, action: 'complete' | 'cancel'): ActionResult {
    const res = this.#write(ref)
    const session = res.sessions.find((s) => s.sessionId === sessionId)
    if (!session) throw notFound(`Session ${sessionId} not found`)
    if (session.status !== 'IN_PROGRESS') {
      throw publicError(422, `Session ${sessionId} is ${session.status}`)
    }
    const ts = this.#stamp()
    if (action === 'complete') {
      // Completion replaces the resource's data wholesale: every record not staged in this
      // session is permanently deleted, even when the session is empty.
      archiveActive(res, ts)
      res.active = session.staged
      session.status = 'ACTIVE'
      session.activatedAt = ts
    } else {
      session.status = 'CANCELED'
      session.canceledAt = ts
    }
    session.staged = new Map()
    session.updatedAt = ts
    return { sessionId, status: session.status, action, ...ref }
  }

  /** PUT: replaces the attributes of an active record. */
  update(ref: ResourceRef, id: string, data: JsonObject): SandboxRecord {
    const res = this.#write(ref)
    const row = res.active.get(id)
    if (!row) throw notFound(`Record ${id} not found`)
    // The path names the record; a body naming another id is rejected (assumption).
    if (data.id !== undefined && recordId(data.id) !== id) {
      throw badRequest(`data.id must match the record id ${id}`)
    }
    const check = res.validate(data.id === undefined ? { id, ...data } : data)
    if (!check.ok) throw publicError(400, check.message, check.code)
    row.attributes = structuredClone(check.attributes)
    row.updatedAt = this.#stamp()
    return copyRecord(row)
  }

  /** DELETE: removes an active record. */
  remove(ref: ResourceRef, id: string): void {
    if (!this.#write(ref).active.delete(id)) throw notFound(`Record ${id} not found`)
  }

  /** Makes `records` the active data, as if a session holding exactly them had completed. */
  seed(
    ref: ResourceRef,
    records: JsonObject[],
    opts: { sessionId?: string; updatedAt?: Date } = {},
  ): void {
    const res = this.#write(ref)
    const ts = (opts.updatedAt ?? this.#now()).toISOString()
    const sessionId = opts.sessionId ?? `seed-${this.#nextSessionPk}`
    if (res.sessions.some((s) => s.sessionId === sessionId)) {
      throw new Error(`seed: session ${sessionId} already exists`)
    }
    // Seeds skip the schema on purpose, so tests can plant data a newer schema would reject.
    const rows = new Map<string, SandboxRecord>()
    for (const record of records) {
      const id = recordId(record.id)
      if (id === null)
        throw new Error(`seed: record without a usable id: ${JSON.stringify(record)}`)
      const attributes = structuredClone(record)
      rows.set(id, { id, attributes, sessionId, createdAt: ts, updatedAt: ts })
    }
    archiveActive(res, ts)
    const session = newSession(this.#nextSessionPk++, sessionId, 'ACTIVE', ts)
    session.activatedAt = ts
    res.sessions.push(session)
    res.active = rows
  }

  /** Adds an IN_PROGRESS session as a job that died mid-upload would leave it. */
  seedSession(
    ref: ResourceRef,
    sessionId: string,
    opts: { createdAt?: Date; records?: JsonObject[] } = {},
  ): void {
    const res = this.#write(ref)
    if (res.sessions.some((s) => s.sessionId === sessionId)) {
      throw new Error(`seedSession: session ${sessionId} already exists`)
    }
    if (res.sessions.some((s) => s.status === 'IN_PROGRESS')) {
      throw new Error('seedSession: the resource already has an IN_PROGRESS session')
    }
    const ts = (opts.createdAt ?? this.#now()).toISOString()
    const session = newSession(this.#nextSessionPk++, sessionId, 'IN_PROGRESS', ts)
    for (const record of opts.records ?? []) {
      const id = recordId(record.id)
      if (id === null) throw new Error(`seedSession: record without a usable id`)
      const attributes = structuredClone(record)
      session.staged.set(id, { id, attributes, sessionId, createdAt: ts, updatedAt: ts })
    }
    res.sessions.push(session)
  }

  /** Upserts one record as a plain POST by someone else would; throws if it is invalid. */
  upsertDirect(ref: ResourceRef, record: JsonObject): void {
    const [result] = this.upsert(ref, { items: [record], single: false })
    if (result && 'error' in result) throw new Error(`upsertDirect: ${result.error.message}`)
  }

  /** Active records of one resource, sorted by id. */
  activeRecords(ref: ResourceRef): SandboxRecord[] {
    return this.records(ref, null)
      .map(copyRecord)
      .sort((a, b) => compare(a.id, b.id))
  }

  /** Deep, deterministic snapshot of every resource. */
  state(): Pick<SandboxState, 'resources'> {
    const resources = [...this.#resources.values()].sort(
      (a, b) => a.connectionId - b.connectionId || a.resourceId - b.resourceId,
    )
    return {
      resources: resources.map((res) => ({
        connectionId: res.connectionId,
        resourceId: res.resourceId,
        records: this.activeRecords(res).map((r) => ({
          ...r,
          attributes: canonical(r.attributes),
        })),
        sessions: res.sessions.map((s) => sessionView(res, s)),
      })),
    }
  }

  /** The resource, for a change: cached listings go stale. */
  #write(ref: ResourceRef): Resource {
    this.#version++
    this.#sorted.clear()
    return this.#get(ref)
  }

  #get(ref: ResourceRef): Resource {
    const res = this.#resources.get(key(ref.connectionId, ref.resourceId))
    if (res) return res
    const connectionKnown = [...this.#resources.values()].some(
      (r) => r.connectionId === ref.connectionId,
    )
    if (!connectionKnown) throw notFound(`Custom connection ${ref.connectionId} not found`)
    throw notFound(`Custom resource ${ref.resourceId} not found for connection ${ref.connectionId}`)
  }

  #stamp(): string {
    return this.#now().toISOString()
  }
}

function key(connectionId: number, resourceId: number): string {
  return `${connectionId}/${resourceId}`
}

// A single invalid object fails the whole request (400) before anything is written; in an
// array each item stands alone, so valid items are applied next to failed ones.
function checkItems(envelope: DataEnvelope, validate: RecordValidator): RecordCheck[] {
  const checks = envelope.items.map(validate)
  const first = checks[0]
  if (envelope.single && first && !first.ok) throw publicError(400, first.message, first.code)
  return checks
}

function writeItems(
  envelope: DataEnvelope,
  checks: RecordCheck[],
  into: Map<string, SandboxRecord>,
  sessionId: string | null,
  ts: string,
): ItemResult[] {
  return checks.map((check, i): ItemResult => {
    const data = envelope.items[i] ?? {}
    if (!check.ok) {
      return { statusCode: 400, data, error: { message: check.message, code: check.code } }
    }
    const attributes = structuredClone(check.attributes)
    const existing = into.get(check.id)
    const row = existing
      ? { ...existing, attributes, sessionId, updatedAt: ts }
      : { id: check.id, attributes, sessionId, createdAt: ts, updatedAt: ts }
    into.set(check.id, row)
    const statusCode = existing ? 200 : 201
    return { id: row.id, createdAt: row.createdAt, updatedAt: row.updatedAt, statusCode, data }
  })
}

function newSession(pk: number, sessionId: string, status: SessionStatus, ts: string): Session {
  return {
    pk,
    sessionId,
    status,
    createdAt: ts,
    updatedAt: ts,
    activatedAt: null,
    canceledAt: null,
    staged: new Map(),
  }
}

function archiveActive(res: Resource, ts: string): void {
  for (const s of res.sessions) {
    if (s.status !== 'ACTIVE') continue
    s.status = 'ARCHIVED'
    s.updatedAt = ts
  }
}

function sessionView(res: Resource, s: Session): SandboxSession {
  let recordCount = 0
  if (s.status === 'IN_PROGRESS') recordCount = s.staged.size
  if (s.status === 'ACTIVE') {
    recordCount = [...res.active.values()].filter((r) => r.sessionId === s.sessionId).length
  }
  return {
    id: s.pk,
    sessionId: s.sessionId,
    status: s.status,
    recordCount,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    activatedAt: s.activatedAt,
    canceledAt: s.canceledAt,
  }
}

/** A row with its list position; see `sortedRecords`. */
export type SortedEntry = { item: SandboxRecord; key: CursorKey }

/** A deep copy, so what a list answer or a test holds cannot change the store. */
export function copyRecord(r: SandboxRecord): SandboxRecord {
  return {
    id: r.id,
    attributes: structuredClone(r.attributes),
    sessionId: r.sessionId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }
}

function compare(a: string, b: string): number {
  if (a === b) return 0
  return a < b ? -1 : 1
}

// Sorted keys at every depth, so two equal states serialise to identical JSON.
function canonical<T>(value: T): T {
  if (Array.isArray(value)) return value.map(canonical) as T
  if (typeof value !== 'object' || value === null) return value
  const entries = Object.entries(value).sort(([a], [b]) => compare(a, b))
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)])) as T
}
