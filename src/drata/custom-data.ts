import type { DrataClient } from './client.js'
import { ApiError, type Operation } from './errors.js'
import { countItems, pages } from './pages.js'

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

/** Records as one bulk request sends them. */
export interface Batch {
  /** The records' ids, in order: each item of the answer is checked against them. */
  ids: string[]
  /** The request body, `{"data":[…]}`, made once from the records' JSON. */
  body: Buffer
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

  /**
   * Pages through records: the active data, or one session's records when `sessionId` is set.
   * With `exact`, the listing must add up to Drata's own total (see pages.ts).
   */
  async *records(
    query: { sessionId?: string; sort?: 'createdAt' | 'updatedAt'; sortDir?: 'ASC' | 'DESC' } = {},
    exact = false,
  ): AsyncGenerator<DrataRecord[]> {
    yield* pages<DrataRecord>(this.client, `${this.base}/records`, query, this.listOp(query), {
      exact,
    })
  }

  /** Drata's count of the active records, or of one session's records: one request. */
  countRecords(sessionId?: string): Promise<number> {
    return countItems(
      this.client,
      `${this.base}/records`,
      { sessionId },
      this.listOp({ sessionId }),
    )
  }

  /** Uploads records into a session (creating it IN_PROGRESS on first use). */
  uploadToSession(sessionId: string, batch: Batch): Promise<ItemResult[]> {
    return this.bulk(`${this.base}/sessions/${encodeURIComponent(sessionId)}`, batch, {
      what: `upload records to session ${sessionId}`,
      area: 'sessions',
      permission: 'custom-connections-data-post',
      recordIds: batch.ids,
    })
  }

  /** Upserts records straight into the active data (Drata groups them under the ACTIVE session). */
  upsert(batch: Batch): Promise<ItemResult[]> {
    return this.bulk(`${this.base}/records`, batch, {
      what: 'upsert records',
      area: 'records',
      permission: 'custom-connections-data-post',
      recordIds: batch.ids,
    })
  }

  /** Deletes one active record. A 404 means it is already gone, which is what was asked. */
  async deleteRecord(recordId: string): Promise<'deleted' | 'absent'> {
    try {
      await this.client.request({
        method: 'DELETE',
        path: `${this.base}/records/${encodeURIComponent(recordId)}`,
        op: {
          what: `delete record ${recordId}`,
          area: 'records',
          permission: 'custom-connections-data-delete',
          recordIds: [recordId],
        },
        retry: 'idempotent',
      })
      return 'deleted'
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return 'absent'
      throw error
    }
  }

  /** The resource's IN_PROGRESS sessions (Drata allows one; read them all anyway). */
  async sessionsInProgress(): Promise<SessionInfo[]> {
    const found: SessionInfo[] = []
    for await (const page of this.sessionPages('IN_PROGRESS')) found.push(...page)
    return found
  }

  /**
   * Finds a session created at or after `since` (ms) by its caller-given id. There is no
   * endpoint to get one session, so this reads newest first and stops at older sessions: the
   * cost grows with the sessions created since, not with the resource's history.
   */
  async recentSession(sessionId: string, since: number): Promise<SessionInfo | undefined> {
    for await (const page of this.sessionPages()) {
      const found = page.find((s) => s.sessionId === sessionId)
      if (found) return found
      const oldest = page.at(-1)
      if (!oldest || Date.parse(oldest.createdAt) < since) return undefined
    }
    return undefined
  }

  /** Completes or cancels a session. Not retried on ambiguous failures: see push/session-lifecycle.ts. */
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

  private sessionPages(status?: SessionStatus): AsyncGenerator<SessionInfo[]> {
    return pages<SessionInfo>(
      this.client,
      `${this.base}/sessions`,
      { status, sort: 'createdAt', sortDir: 'DESC' },
      { what: 'list sessions', area: 'sessions', permission: 'custom-connections-get' },
    )
  }

  private listOp(query: { sessionId?: string }): Operation {
    return {
      what: query.sessionId
        ? `list the records of session ${query.sessionId}`
        : 'list the active records',
      area: 'records',
      permission: 'custom-connections-get',
    }
  }

  private async bulk(path: string, batch: Batch, op: Operation): Promise<ItemResult[]> {
    const body = await this.client.request<unknown>({
      method: 'POST',
      path,
      // Made once, when batched, from each record's JSON as it was checked.
      json: batch.body,
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
