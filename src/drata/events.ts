import type { DrataClient } from './client.js'
import { pages } from './pages.js'

/** An audit event as Drata lists and details it (EventResponsePublicV2Dto). */
export interface DrataEvent {
  id: string
  type: string
  category: string
  source: string
  description: string
  createdAt: string
  connectionId: number | null
  requestDescription?: string | null
}

/** Drata's events endpoints. */
export class EventsApi {
  constructor(private readonly client: DrataClient) {}

  /**
   * Public-API events created since a time, oldest first: those of one connection, or with
   * `null` those without a connection (assets, vendor reviews), as the filter defines it.
   */
  async since(start: Date, connectionId: number | null, max = 100): Promise<DrataEvent[]> {
    const events: DrataEvent[] = []
    const query = {
      source: 'PUBLIC_API',
      createdAtStartDate: start.toISOString(),
      connectionId: connectionId === null ? '' : String(connectionId),
      sort: 'createdAt',
      sortDir: 'ASC',
    }
    const op = {
      what: 'list audit events',
      area: 'events' as const,
      permission: 'event-tracking-get' as const,
    }
    for await (const page of pages<DrataEvent>(this.client, '/events', query, op, { size: 100 })) {
      events.push(...page)
      if (events.length >= max) break
    }
    return events.slice(0, max)
  }

  /** One event's details. */
  get(id: string): Promise<DrataEvent> {
    return this.client.request({
      method: 'GET',
      path: `/events/${encodeURIComponent(id)}`,
      op: {
        what: `read audit event ${id}`,
        area: 'events',
        permission: 'event-tracking-get-event',
      },
      retry: 'idempotent',
    })
  }
}
