import { describe, expect, it } from 'vitest'
import type { DrataRecord } from '../../src/drata/custom-data.js'
import {
  collectedAt,
  expiredOnPage,
  planReplace,
  retentionCutoff,
  shrinkProblem,
} from '../../src/push/plan.js'

const DAY = 86_400_000
const NOW = Date.parse('2030-06-15T12:00:00Z')
const CUTOFF = retentionCutoff(30, NOW)

function rec(id: string, updatedAt: number, attributes: Record<string, unknown> = {}): DrataRecord {
  return {
    id,
    attributes: { id, ...attributes },
    sessionId: null,
    createdAt: new Date(updatedAt).toISOString(),
    updatedAt: new Date(updatedAt).toISOString(),
  }
}
const at = (time: number) => ({ collectedAt: new Date(time).toISOString() })

describe('planReplace', () => {
  it('removes every active record this run does not send, and counts the active data', () => {
    const plan = planReplace(['a', 'b', 'c'], new Set(['b', 'new']))
    expect(plan).toEqual({ activeCount: 3, removedIds: ['a', 'c'] })
  })
})

describe('shrinkProblem', () => {
  it('allows removing up to half of the records', () => {
    expect(shrinkProblem({ activeCount: 4, removedIds: ['a', 'b'] }, false)).toBeUndefined()
  })
  it('refuses removing more than half, or all, unless allowed', () => {
    expect(shrinkProblem({ activeCount: 4, removedIds: ['a', 'b', 'c'] }, false)).toMatch(
      /remove 3 of the 4 active records.*allow-shrink/,
    )
    expect(shrinkProblem({ activeCount: 1, removedIds: ['a'] }, false)).toMatch(/remove 1 of the 1/)
    expect(shrinkProblem({ activeCount: 4, removedIds: ['a', 'b', 'c'] }, true)).toBeUndefined()
  })
  it('has nothing to say about an empty resource', () => {
    expect(shrinkProblem({ activeCount: 0, removedIds: [] }, false)).toBeUndefined()
  })
})

describe('retention', () => {
  it('reads collectedAt from the record itself', () => {
    expect(collectedAt(rec('a', NOW, at(NOW - DAY)))).toBe(NOW - DAY)
    expect(collectedAt(rec('a', NOW, { collectedAt: 'yesterday-ish' }))).toBeUndefined()
    expect(collectedAt(rec('a', NOW))).toBeUndefined()
  })

  it('expires records updated and collected before the cut-off, and stops at the first newer one', () => {
    const page = [
      rec('old', CUTOFF - 5 * DAY, at(CUTOFF - 6 * DAY)),
      rec('no-collected-at', CUTOFF - 4 * DAY),
      rec('recollected', CUTOFF - 3 * DAY, at(CUTOFF + DAY)),
      rec('own', CUTOFF - 2 * DAY, at(CUTOFF - 2 * DAY)),
      rec('fresh', CUTOFF + DAY, at(CUTOFF - 9 * DAY)),
      rec('after-stop', CUTOFF - DAY, at(CUTOFF - DAY)),
    ]
    expect(expiredOnPage(page, CUTOFF, new Set(['own']))).toEqual({
      expired: ['old'],
      done: true,
    })
  })

  it('goes on to the next page when every record on this one is before the cut-off', () => {
    const page = [rec('a', CUTOFF - 2 * DAY, at(CUTOFF - 2 * DAY)), rec('b', CUTOFF - DAY)]
    expect(expiredOnPage(page, CUTOFF, new Set())).toEqual({ expired: ['a'], done: false })
  })

  it('treats a record exactly at the cut-off as not expired', () => {
    expect(expiredOnPage([rec('edge', CUTOFF, at(CUTOFF))], CUTOFF, new Set())).toEqual({
      expired: [],
      done: true,
    })
  })
})
