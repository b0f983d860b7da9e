// listRunEvents against a hand-written fake of Drata's events endpoints: how many events of the
// run are read in detail.
import { describe, expect, it } from 'vitest'
import { MAX_EVENTS, listRunEvents } from '../../src/audit/events.js'
import type { DrataEvent, EventsApi } from '../../src/drata/events.js'
import { memoryLogger } from './collectors-fake.js'

const START = new Date('2030-01-02T03:04:05.000Z')

function event(id: string, second: number, connectionId: number | null): DrataEvent {
  return {
    id,
    type: connectionId === null ? 'MANUAL_ASSET_CREATED' : 'CUSTOM_DATA_CREATED',
    category: 'PUBLIC_API',
    source: 'PUBLIC_API',
    description: `event ${id}`,
    createdAt: new Date(START.getTime() + second * 1000).toISOString(),
    connectionId,
  }
}

/** Drata's events of connection 7 and without a connection, listed oldest first up to `max`. */
class FakeEvents {
  readonly details: string[] = []
  readonly listed: Array<{ connectionId: number | null; max: number | undefined }> = []

  constructor(
    private readonly ofConnection: DrataEvent[],
    private readonly withoutConnection: DrataEvent[],
  ) {}

  async since(_start: Date, connectionId: number | null, max?: number): Promise<DrataEvent[]> {
    this.listed.push({ connectionId, max })
    const all = connectionId === null ? this.withoutConnection : this.ofConnection
    return all.slice(0, max)
  }

  async get(id: string): Promise<DrataEvent> {
    this.details.push(id)
    const found = [...this.ofConnection, ...this.withoutConnection].find((e) => e.id === id)
    if (!found) throw new Error(`no event ${id}`)
    return found
  }

  get api(): EventsApi {
    return this as unknown as EventsApi
  }
}

const many = (prefix: string, count: number, connectionId: number | null) =>
  Array.from({ length: count }, (_, i) => event(`${prefix}-${i}`, i, connectionId))

describe('listRunEvents', () => {
  it('details up to MAX_EVENTS of each query: the connection and those without one', async () => {
    expect(MAX_EVENTS).toBe(50)
    const fake = new FakeEvents(many('record', 60, 7), many('asset', 60, null))
    const { logger, logs } = memoryLogger()
    const events = await listRunEvents(fake.api, START, 7, true, logger)
    expect(fake.listed).toEqual([
      { connectionId: 7, max: MAX_EVENTS },
      { connectionId: null, max: MAX_EVENTS },
    ])
    // Both full lists are detailed: the assets' events are not cut off by the records'.
    expect(events).toHaveLength(2 * MAX_EVENTS)
    expect(fake.details).toHaveLength(2 * MAX_EVENTS)
    expect(events.filter((e) => e.connectionId === null)).toHaveLength(MAX_EVENTS)
    expect(logs).toEqual([`${2 * MAX_EVENTS} Drata audit events for this run`])
  })

  it('details an event listed by both queries once, sorted by creation time', async () => {
    const shared = event('shared', 5, 7)
    const fake = new FakeEvents([event('b', 9, 7), shared], [shared, event('a', 1, null)])
    const events = await listRunEvents(fake.api, START, 7, true, memoryLogger().logger)
    expect(events.map((e) => e.id)).toEqual(['a', 'shared', 'b'])
    expect(fake.details).toEqual(['b', 'shared', 'a'])
  })

  it('lists only the connection when nothing else was written', async () => {
    const fake = new FakeEvents(many('record', 3, 7), many('asset', 3, null))
    const events = await listRunEvents(fake.api, START, 7, false, memoryLogger().logger)
    expect(fake.listed).toEqual([{ connectionId: 7, max: MAX_EVENTS }])
    expect(events.map((e) => e.id)).toEqual(['record-0', 'record-1', 'record-2'])
  })
})
