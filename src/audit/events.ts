import type { Logger } from '../runtime.js'
import type { DrataEvent, EventsApi } from '../drata/events.js'

/** Most events listed per query (the push's connection, and those without one). */
export const MAX_EVENTS = 50

/**
 * The audit events Drata recorded for this run's writes: Public API events since the run
 * started, for the push's connection and (when assets or vendor reviews were written) those
 * without a connection, each read in detail. Another job writing with the same key at the same
 * time would show up too; the events name what they concern.
 */
export async function listRunEvents(
  api: EventsApi,
  start: Date,
  connectionId: number | undefined,
  otherWrites: boolean,
  logger: Logger,
): Promise<DrataEvent[]> {
  const listed = new Map<string, DrataEvent>()
  const sets = [
    ...(connectionId === undefined ? [] : [await api.since(start, connectionId, MAX_EVENTS)]),
    ...(otherWrites ? [await api.since(start, null, MAX_EVENTS)] : []),
  ]
  for (const set of sets) for (const event of set) listed.set(event.id, event)
  const detailed: DrataEvent[] = []
  for (const event of [...listed.values()].slice(0, 2 * MAX_EVENTS))
    detailed.push(await api.get(event.id))
  logger.info(`${detailed.length} Drata audit events for this run`)
  return detailed.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
}
