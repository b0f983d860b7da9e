import { describe, expect, it } from 'vitest'
import type { DrataRecord, RecordsApi } from '../../src/drata/records.js'
import {
  type ActivePlan,
  changedSince,
  collectedAt,
  planAppend,
  planReplace,
  readActive,
  shrinkProblem,
  toSendable,
} from '../../src/push/plan.js'

const DAY = 86_400_000
const NOW = Date.parse('2030-06-15T12:00:00Z')

function rec(
  id: string,
  updatedAt = NOW - DAY,
  attributes: Record<string, unknown> = { v: id },
): DrataRecord {
  return {
    id,
    attributes,
    sessionId: null,
    createdAt: new Date(NOW - 100 * DAY).toISOString(),
    updatedAt: new Date(updatedAt).toISOString(),
  }
}

/** An active record last collected at `time` (its own attributes.collectedAt). */
function collected(id: string, time: number, updatedAt = NOW - DAY): DrataRecord {
  return rec(id, updatedAt, { v: id, collectedAt: new Date(time).toISOString() })
}

function plan(activeCount: number, removed: number): ActivePlan {
  const removedIds = Array.from({ length: removed }, (_, i) => `gone-${i}`)
  return { activeCount, removedIds, carried: [], seenUpdatedAt: new Map() }
}

/** A RecordsApi whose records() yields the given pages (and records the queries). */
function pagedApi(pages: DrataRecord[][]) {
  const queries: unknown[] = []
  const api = {
    async *records(query: unknown = {}) {
      queries.push(query)
      for (const page of pages) yield page
    },
  }
  return { api: api as unknown as RecordsApi, queries }
}

describe('planAppend', () => {
  it('carries every active record this run does not send', () => {
    const active = [rec('a'), rec('b'), rec('c')]
    const p = planAppend(active, new Set(['b', 'z']), 0, NOW)
    expect(p.activeCount).toBe(3)
    expect(p.carried.map((s) => s.id)).toEqual(['a', 'c'])
    expect(p.removedIds).toEqual([])
  })

  it('lets the new version win over the active one (not carried, not removed)', () => {
    const p = planAppend([collected('a', NOW - 400 * DAY)], new Set(['a']), 30, NOW)
    expect(p.carried).toEqual([])
    expect(p.removedIds).toEqual([])
  })

  it('drops records not collected within the retention and names them as removed', () => {
    const active = [
      collected('fresh', NOW - 29 * DAY),
      collected('old', NOW - 31 * DAY),
      collected('edge', NOW - 30 * DAY),
      collected('older', NOW - 90 * DAY),
    ]
    const p = planAppend(active, new Set(), 30, NOW)
    expect(p.carried.map((s) => s.id)).toEqual(['fresh', 'edge'])
    expect(p.removedIds).toEqual(['old', 'older'])
  })

  it("judges retention by the record's collectedAt, not Drata's updatedAt", () => {
    // Carrying forward re-uploads a record, so updatedAt is recent for an old record…
    const stale = collected('stale', NOW - 60 * DAY, NOW - 60_000)
    // …and a recently collected record may have an old updatedAt.
    const recent = collected('recent', NOW - DAY, NOW - 400 * DAY)
    const p = planAppend([stale, recent], new Set(), 30, NOW)
    expect(p.removedIds).toEqual(['stale'])
    expect(p.carried.map((s) => s.id)).toEqual(['recent'])
  })

  it('never drops by retention a record without a parsable collectedAt', () => {
    const active = [
      rec('missing', NOW - 400 * DAY),
      rec('garbage', NOW - 400 * DAY, { collectedAt: 'last tuesday' }),
      rec('number', NOW - 400 * DAY, { collectedAt: NOW - 400 * DAY }),
      rec('null', NOW - 400 * DAY, { collectedAt: null }),
      collected('old', NOW - 400 * DAY),
    ]
    const p = planAppend(active, new Set(), 30, NOW)
    expect(p.carried.map((s) => s.id)).toEqual(['missing', 'garbage', 'number', 'null'])
    expect(p.removedIds).toEqual(['old'])
  })

  it('keeps everything, however old, with retention 0', () => {
    const p = planAppend([collected('ancient', 0, 0)], new Set(), 0, NOW)
    expect(p.carried.map((s) => s.id)).toEqual(['ancient'])
    expect(p.removedIds).toEqual([])
  })

  it('remembers the updatedAt of every active record read: carried, replaced or removed', () => {
    const carried = rec('a', NOW - 2 * DAY)
    const replaced = rec('b', NOW - 3 * DAY)
    const removed = collected('c', NOW - 90 * DAY, NOW - 4 * DAY)
    const p = planAppend([carried, replaced, removed], new Set(['b']), 30, NOW)
    expect(p.removedIds).toEqual(['c'])
    expect([...p.seenUpdatedAt]).toEqual([
      ['a', carried.updatedAt],
      ['b', replaced.updatedAt],
      ['c', removed.updatedAt],
    ])
  })

  it('carries the attributes with the id put into the data', () => {
    const p = planAppend([rec('a', NOW, { name: 'x', id: 'stale' })], new Set(), 0, NOW)
    expect(p.carried).toEqual([{ id: 'a', data: { name: 'x', id: 'a' } }])
  })
})

describe('collectedAt', () => {
  it("parses the record's own ISO collectedAt", () => {
    expect(collectedAt(rec('a', NOW, { collectedAt: '2030-06-01T08:30:00.000Z' }))).toBe(
      Date.parse('2030-06-01T08:30:00.000Z'),
    )
    expect(collectedAt(rec('a', NOW, { collectedAt: '2030-06-01' }))).toBe(
      Date.parse('2030-06-01T00:00:00Z'),
    )
  })

  it('does not fall back to updatedAt', () => {
    expect(collectedAt(rec('a', NOW - DAY, {}))).toBeUndefined()
  })

  it('is undefined for a value that is not a parsable date string', () => {
    for (const value of ['', 'soon', 1_900_000_000_000, null, true, { at: 'x' }]) {
      expect(collectedAt(rec('a', NOW, { collectedAt: value })), String(value)).toBeUndefined()
    }
  })
})

describe('planReplace', () => {
  it('names every active record this run does not send as removed', () => {
    const p = planReplace([rec('a'), rec('b'), rec('c'), rec('d')], new Set(['a', 'new']))
    expect(p).toEqual({
      activeCount: 4,
      carried: [],
      removedIds: ['b', 'c', 'd'],
      seenUpdatedAt: new Map(['a', 'b', 'c', 'd'].map((id) => [id, rec(id).updatedAt])),
    })
  })

  it('removes records whatever their collectedAt (no retention in replace)', () => {
    const p = planReplace([collected('fresh', NOW)], new Set())
    expect(p.removedIds).toEqual(['fresh'])
  })

  it('removes nothing when every active record is sent again', () => {
    expect(planReplace([rec('a'), rec('b')], new Set(['a', 'b'])).removedIds).toEqual([])
  })

  it('removes nothing from an empty resource', () => {
    expect(planReplace([], new Set(['a'])).removedIds).toEqual([])
  })
})

describe('shrinkProblem', () => {
  it('allows removing exactly half', () => {
    expect(shrinkProblem(plan(10, 5), false)).toBeUndefined()
    expect(shrinkProblem(plan(2, 1), false)).toBeUndefined()
  })

  it('allows removing less than half, or nothing', () => {
    expect(shrinkProblem(plan(10, 4), false)).toBeUndefined()
    expect(shrinkProblem(plan(10, 0), false)).toBeUndefined()
  })

  it('refuses removing more than half, with counts and the way out', () => {
    const message = shrinkProblem(plan(10, 6), false)
    expect(message).toContain('remove 6 of the 10 active records')
    expect(message).toContain("'allow-shrink: true'")
    expect(shrinkProblem(plan(3, 2), false)).toBeDefined()
  })

  it('refuses removing all records, even a single one', () => {
    expect(shrinkProblem(plan(1, 1), false)).toContain('remove 1 of the 1 active records')
    expect(shrinkProblem(plan(50, 50), false)).toBeDefined()
  })

  it('allows any shrink with allowShrink', () => {
    expect(shrinkProblem(plan(10, 10), true)).toBeUndefined()
    expect(shrinkProblem(plan(10, 9), true)).toBeUndefined()
  })

  it('has nothing to refuse on an empty resource', () => {
    expect(shrinkProblem(plan(0, 0), false)).toBeUndefined()
  })

  it('counts the ids a replace plan would remove', () => {
    const active = [rec('a'), rec('b'), rec('c')]
    expect(shrinkProblem(planReplace(active, new Set(['a'])), false)).toContain(
      'remove 2 of the 3 active records',
    )
    expect(shrinkProblem(planReplace(active, new Set(['a', 'b'])), false)).toBeUndefined()
  })
})

describe('toSendable', () => {
  it('uses the record id as the id in the data', () => {
    expect(toSendable(rec('x', NOW, { a: 1 }))).toEqual({ id: 'x', data: { a: 1, id: 'x' } })
  })
})

describe('readActive', () => {
  it('reads every page of the active records', async () => {
    const { api, queries } = pagedApi([[rec('a'), rec('b')], [rec('c')], []])
    expect((await readActive(api)).map((r) => r.id)).toEqual(['a', 'b', 'c'])
    expect(queries).toEqual([{}])
  })
})

describe('changedSince', () => {
  const SKEW = 5 * 60_000
  const since = NOW

  it('finds records changed after the read began (within the skew margin), newest first', async () => {
    const base = planAppend([rec('carried', NOW - DAY)], new Set(['mine']), 0, NOW)
    const { api, queries } = pagedApi([
      [
        rec('late', NOW + 1000), // upserted by someone else during the run
        rec('mine', NOW + 500), // this run's own record
        rec('carried', NOW + 200), // carried, then changed by someone else
        rec('skewed', NOW - SKEW + 1000), // inside the clock-skew margin
        rec('old', NOW - SKEW - 1000),
      ],
      [rec('older', NOW - DAY)],
    ])
    const changed = await changedSince(api, since, new Set(['mine']), base)
    expect(changed.map((s) => s.id)).toEqual(['late', 'carried', 'skewed'])
    expect(queries).toEqual([{ sort: 'updatedAt', sortDir: 'DESC' }])
  })

  it('skips a carried record that has not changed since it was read', async () => {
    const carried = rec('c', NOW + 10)
    const base = planAppend([carried], new Set(), 0, NOW)
    const { api } = pagedApi([[carried]])
    expect(await changedSince(api, since, new Set(), base)).toEqual([])
  })

  it('skips a record the plan removes when it has not changed since it was read', async () => {
    // Carried forward by earlier runs, so its updatedAt is recent though its collectedAt is old.
    const stale = collected('stale', NOW - 60 * DAY, NOW - 60_000)
    const base = planAppend([stale], new Set(), 30, NOW)
    expect(base.removedIds).toEqual(['stale'])
    const { api } = pagedApi([[stale]])
    expect(await changedSince(api, since, new Set(), base)).toEqual([])
  })

  it('keeps a removed record that someone changed after the read', async () => {
    const stale = collected('stale', NOW - 60 * DAY, NOW - 60_000)
    const base = planAppend([stale], new Set(), 30, NOW)
    const { api } = pagedApi([[collected('stale', NOW + 100, NOW + 100)]])
    expect((await changedSince(api, since, new Set(), base)).map((s) => s.id)).toEqual(['stale'])
  })

  it('skips records a replace plan read and removes when they have not changed', async () => {
    const active = [rec('a', NOW - 1000), rec('b', NOW - 2000)]
    const base = planReplace(active, new Set())
    const { api } = pagedApi([active])
    expect(await changedSince(api, since, new Set(), base)).toEqual([])
  })

  it('stops paging at the first page that reaches older records', async () => {
    let pagesRead = 0
    const api = {
      async *records() {
        pagesRead++
        yield [rec('new', NOW + 5)]
        pagesRead++
        yield [rec('x', NOW + 1), rec('stale', NOW - DAY)]
        pagesRead++
        yield [rec('never', NOW + 99)]
      },
    } as unknown as RecordsApi
    const changed = await changedSince(api, since, new Set(), plan(0, 0))
    expect(changed.map((s) => s.id)).toEqual(['new', 'x'])
    expect(pagesRead).toBe(2)
  })
})
