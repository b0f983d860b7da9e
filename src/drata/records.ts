import type { DrataClient } from './client.js'
import type { Operation } from './errors.js'
import { pages } from './pages.js'

/** A Custom Connection resource: the place records and sessions live. */
export interface ResourceRef {
  connectionId: number
  resourceId: number
}

/** A record as Drata lists it (CustomDataResponsePublicV2Dto). */
export interface DrataRecord {
  id: string
  attributes: Record<string, unknown>
  sessionId: string | null
  createdAt: string
  updatedAt: string
}

export type SessionStatus = 'IN_PROGRESS' | 'ACTIVE' | 'CANCELED' | 'ARCHIVED'

/** A session as Drata lists it (SessionResponsePublicV2Dto). */
export interface SessionInfo {
  id: number
  sessionId: string
  status: SessionStatus
  createdAt: string
  updatedAt: string
}

/** One item of a bulk upsert response; a 200 response can still hold rejected items. */
export interface ItemResult {
  id?: string
  statusCode?: number
  data?: unknown
  // The schema declares {message, code}; the spec's own example nests it as {error: {…}}.
  error?: { message?: string; code?: number; error?: { message?: string; code?: number } }
}

/** Custom Data Records and Sessions endpoints for one resource. */
export class RecordsApi {
  private readonly base: string

  constructor(
    private readonly client: DrataClient,
    readonly ref: ResourceRef,
  ) {
    this.base = `/custom-connections/${ref.connectionId}/resources/${ref.resourceId}`
  }

  /** Pages through records: the active data, or one session's records when `sessionId` is set. */
  async *records(
    query: { sessionId?: string; sort?: 'createdAt' | 'updatedAt'; sortDir?: 'ASC' | 'DESC' } = {},
  ): AsyncGenerator<DrataRecord[]> {
    const what = query.sessionId
      ? `list the records of session ${query.sessionId}`
      : 'list the active records'
    yield* pages<DrataRecord>(this.client, `${this.base}/records`, query, {
      what,
      area: 'records',
      permission: 'custom-connections-get',
    })
  }

  /** Uploads records into a session (creating it IN_PROGRESS on first use). */
  uploadToSession(
    sessionId: string,
    records: readonly Record<string, unknown>[],
    ids: readonly string[],
  ): Promise<ItemResult[]> {
    return this.bulk(`${this.base}/sessions/${encodeURIComponent(sessionId)}`, records, {
      what: `upload records to session ${sessionId}`,
      area: 'sessions',
      permission: 'custom-connections-data-post',
      recordIds: ids,
    })
  }

  /** Upserts records straight into the active data (no session). */
  upsert(
    records: readonly Record<string, unknown>[],
    ids: readonly string[],
  ): Promise<ItemResult[]> {
    return this.bulk(`${this.base}/records`, records, {
      what: 'upsert records',
      area: 'records',
      permission: 'custom-connections-data-post',
      recordIds: ids,
    })
  }

  /** Pages through the resource's sessions, newest first, optionally of one status. */
  async *sessions(status?: SessionStatus): AsyncGenerator<SessionInfo[]> {
    yield* pages<SessionInfo>(
      this.client,
      `${this.base}/sessions`,
      { status, sort: 'createdAt', sortDir: 'DESC' },
      { what: 'list sessions', area: 'sessions', permission: 'custom-connections-get' },
    )
  }

  /** Finds a session by its caller-given id (there is no endpoint to get one by id). */
  async findSession(sessionId: string): Promise<SessionInfo | undefined> {
    for await (const page of this.sessions()) {
      const found = page.find((s) => s.sessionId === sessionId)
      if (found) return found
    }
    return undefined
  }

  /** Sessions of other runs that are IN_PROGRESS (Drata allows one per resource). */
  async otherSessionsInProgress(sessionId: string): Promise<SessionInfo[]> {
    const found: SessionInfo[] = []
    for await (const page of this.sessions('IN_PROGRESS'))
      found.push(...page.filter((s) => s.sessionId !== sessionId))
    return found
  }

  /** Completes or cancels a session. Not retried on ambiguous failures: see push/session.ts. */
  sessionAction(
    sessionId: string,
    action: 'complete' | 'cancel',
  ): Promise<{ status?: SessionStatus }> {
    return this.client.request({
      method: 'POST',
      path: `${this.base}/sessions/${encodeURIComponent(sessionId)}/actions`,
      body: { action },
      op: {
        what: `${action} session ${sessionId}`,
        area: 'sessions',
        permission: 'custom-connections-data-post',
        notFound: `The session does not exist on this resource (never created, or removed); check 'connection-id', 'resource-id' and 'session-id'.`,
      },
      retry: 'unsafe',
    })
  }

  private async bulk(
    path: string,
    records: readonly Record<string, unknown>[],
    op: Operation,
  ): Promise<ItemResult[]> {
    const body = await this.client.request<unknown>({
      method: 'POST',
      path,
      body: { data: records },
      op,
      retry: 'idempotent',
    })
    // An array request is answered per item; anything else cannot prove what was stored.
    return Array.isArray(body) ? (body as ItemResult[]) : []
  }
}

/** The error message of a rejected bulk item, whichever of Drata's two shapes it uses. */
export function itemErrorMessage(item: ItemResult): string {
  return (
    item.error?.message ?? item.error?.error?.message ?? `status ${item.statusCode ?? 'missing'}`
  )
}
