import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../src/drata/errors.js'
import type { RecordsApi, SessionInfo, SessionStatus } from '../../src/drata/custom-data.js'
import {
  type SessionDeps,
  SessionError,
  SessionLifecycle,
  waitForFreeResource,
} from '../../src/push/session-lifecycle.js'

const SID = 'gh-100-1-evidence-abcd1234'
const NOW = Date.parse('2030-01-01T06:00:00Z')
const HOUR = 3_600_000

function info(sessionId: string, status: SessionStatus, createdAt = NOW - 60_000): SessionInfo {
  const iso = new Date(createdAt).toISOString()
  return { id: 1, sessionId, status, createdAt: iso, updatedAt: iso }
}

type Action = 'complete' | 'cancel'
type Answer<T> = T | Error

/** A hand-written RecordsApi: each call takes the next scripted answer (a value or an error). */
function fakeApi(script: {
  actions?: Answer<object>[]
  found?: (SessionInfo | undefined)[]
  open?: SessionInfo[][]
  counts?: number[]
}) {
  const calls = { actions: [] as [string, Action][], found: [] as [string, number][], open: 0 }
  const take = <T>(list: Answer<T>[] | undefined, what: string): T => {
    if (!list || list.length === 0) throw new Error(`unexpected ${what} call`)
    const next = list.length === 1 ? list[0] : list.shift()
    if (next instanceof Error) throw next
    return next as T
  }
  const api = {
    async sessionAction(sessionId: string, action: Action) {
      calls.actions.push([sessionId, action])
      return take(script.actions, 'sessionAction')
    },
    async recentSession(sessionId: string, since: number) {
      calls.found.push([sessionId, since])
      return take(script.found, 'recentSession')
    },
    async sessionsInProgress() {
      calls.open++
      return take(script.open, 'sessionsInProgress')
    },
    async countRecords(sessionId: string) {
      expect(sessionId).toBe(SID)
      return take(script.counts, 'countRecords')
    },
  }
  return { api: api as unknown as RecordsApi, calls }
}

function deps(overrides: Partial<SessionDeps> = {}) {
  let t = NOW
  const sleeps: number[] = []
  const logs: string[] = []
  const memory = { opened: vi.fn(), closed: vi.fn() }
  const d: SessionDeps = {
    logger: { info: (m) => logs.push(m), warning: (m) => logs.push(m), debug: () => {} },
    sleep: async (ms) => {
      sleeps.push(ms)
      t += ms
    },
    now: () => t,
    random: () => 0.5,
    memory,
    maxRetries: 3,
    waitMs: 60_000,
    staleMs: 6 * HOUR,
    since: NOW - 120_000,
    ...overrides,
  }
  return { deps: d, sleeps, logs, memory }
}

const lost = () => new ApiError('Could not reach Drata (ECONNRESET)', 0, true)
const refused422 = () => new ApiError('Drata refused to complete session (422)', 422, false)
const notFound = () => new ApiError('Drata found nothing (404)', 404, false)

describe('complete', () => {
  it('reads the session back and resolves ACTIVE only when Drata lists it ACTIVE', async () => {
    const { api, calls } = fakeApi({ actions: [{}], found: [info(SID, 'ACTIVE')] })
    const { deps: d, memory } = deps()
    await expect(new SessionLifecycle(api, SID, d).complete()).resolves.toBe('ACTIVE')
    expect(calls.actions).toEqual([[SID, 'complete']])
    // The read-back looks only at sessions since the run started (minus clock-skew margin).
    expect(calls.found[0]?.[1]).toBeLessThan(d.since)
    expect(memory.closed).toHaveBeenCalledOnce()
  })

  it('fails when a 2xx complete was not applied (still IN_PROGRESS), without retrying', async () => {
    const { api, calls } = fakeApi({
      actions: [{ status: 'ACTIVE' }],
      found: [info(SID, 'IN_PROGRESS')],
    })
    const { deps: d, memory } = deps()
    await expect(new SessionLifecycle(api, SID, d).complete()).rejects.toThrow(
      /answered the complete .* with success, but the session is still IN_PROGRESS/,
    )
    expect(calls.actions).toHaveLength(1)
    expect(memory.closed).not.toHaveBeenCalled()
  })

  it('does not complete twice when a lost answer had been applied', async () => {
    const { api, calls } = fakeApi({ actions: [lost()], found: [info(SID, 'ACTIVE')] })
    const { deps: d, logs } = deps()
    await expect(new SessionLifecycle(api, SID, d).complete()).resolves.toBe('ACTIVE')
    expect(calls.actions).toHaveLength(1)
    expect(logs.join('\n')).toContain('had been applied (status ACTIVE)')
  })

  it('reports ARCHIVED when a later session superseded it at once', async () => {
    const { api } = fakeApi({ actions: [{}], found: [info(SID, 'ARCHIVED')] })
    await expect(new SessionLifecycle(api, SID, deps().deps).complete()).resolves.toBe('ARCHIVED')
  })

  it('retries after a lost answer while the session is still IN_PROGRESS, with backoff', async () => {
    const { api, calls } = fakeApi({
      actions: [lost(), new ApiError('bad gateway', 502, true), {}],
      found: [info(SID, 'IN_PROGRESS'), info(SID, 'IN_PROGRESS'), info(SID, 'ACTIVE')],
    })
    const { deps: d, sleeps } = deps()
    await expect(new SessionLifecycle(api, SID, d).complete()).resolves.toBe('ACTIVE')
    expect(calls.actions).toHaveLength(3)
    expect(sleeps).toHaveLength(2)
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] ?? 0)
  })

  it('gives up after maxRetries while the session stays IN_PROGRESS', async () => {
    const { api, calls } = fakeApi({ actions: [lost()], found: [info(SID, 'IN_PROGRESS')] })
    await expect(
      new SessionLifecycle(api, SID, deps({ maxRetries: 2 }).deps).complete(),
    ).rejects.toThrow(/Could not complete .* \(still IN_PROGRESS\)/)
    expect(calls.actions).toHaveLength(3)
  })

  it('does not retry a 422 while the session is IN_PROGRESS', async () => {
    const { api, calls } = fakeApi({ actions: [refused422()], found: [info(SID, 'IN_PROGRESS')] })
    await expect(new SessionLifecycle(api, SID, deps().deps).complete()).rejects.toThrow(
      SessionError,
    )
    expect(calls.actions).toHaveLength(1)
  })

  it('fails when the session was cancelled meanwhile, or does not exist', async () => {
    const cancelled = fakeApi({ actions: [refused422()], found: [info(SID, 'CANCELED')] })
    await expect(new SessionLifecycle(cancelled.api, SID, deps().deps).complete()).rejects.toThrow(
      /it is CANCELED/,
    )
    const missing = fakeApi({ actions: [notFound()], found: [undefined] })
    await expect(new SessionLifecycle(missing.api, SID, deps().deps).complete()).rejects.toThrow(
      /does not exist in Drata/,
    )
  })

  it('rethrows an error that says nothing was done (403) without reading back', async () => {
    const { api, calls } = fakeApi({ actions: [new ApiError('no permission', 403, false)] })
    await expect(new SessionLifecycle(api, SID, deps().deps).complete()).rejects.toThrow(
      'no permission',
    )
    expect(calls.found).toHaveLength(0)
  })
})

describe('cancel', () => {
  it('resolves CANCELED once Drata lists it so', async () => {
    const { api } = fakeApi({ actions: [{}], found: [info(SID, 'CANCELED')] })
    const { deps: d, memory } = deps()
    await expect(new SessionLifecycle(api, SID, d).cancel()).resolves.toBe('CANCELED')
    expect(memory.closed).toHaveBeenCalledOnce()
  })

  it('resolves NOT_FOUND for a session Drata does not have, leaving it remembered', async () => {
    const { api } = fakeApi({ actions: [notFound()], found: [undefined] })
    const { deps: d, memory } = deps()
    await expect(new SessionLifecycle(api, SID, d).cancel()).resolves.toBe('NOT_FOUND')
    expect(memory.closed).not.toHaveBeenCalled()
  })

  it('reports the status reached when a complete went through first', async () => {
    const { api } = fakeApi({ actions: [refused422()], found: [info(SID, 'ACTIVE')] })
    await expect(new SessionLifecycle(api, SID, deps().deps).cancel()).resolves.toBe('ACTIVE')
  })

  it('retries a cancel while the session is IN_PROGRESS after a lost answer', async () => {
    const { api, calls } = fakeApi({
      actions: [lost(), {}],
      found: [info(SID, 'IN_PROGRESS'), info(SID, 'CANCELED')],
    })
    await expect(new SessionLifecycle(api, SID, deps().deps).cancel()).resolves.toBe('CANCELED')
    expect(calls.actions).toHaveLength(2)
  })
})

describe('acquire', () => {
  it('takes two requests on a free resource: the open sessions and the id’s record count', async () => {
    const { api, calls } = fakeApi({ open: [[]], counts: [0] })
    await expect(new SessionLifecycle(api, SID, deps().deps).acquire()).resolves.toEqual([])
    expect(calls.open).toBe(1)
  })

  it('refuses an id that already holds records, naming a per-job id', async () => {
    const { api } = fakeApi({ open: [[]], counts: [3] })
    await expect(new SessionLifecycle(api, SID, deps().deps).acquire()).rejects.toThrow(
      /was used before .* holds 3 records.*strategy\.job-index/,
    )
  })

  it('refuses an id another job already has IN_PROGRESS', async () => {
    const { api } = fakeApi({ open: [[info(SID, 'IN_PROGRESS')]] })
    await expect(new SessionLifecycle(api, SID, deps().deps).acquire()).rejects.toThrow(
      /already IN_PROGRESS .* another job or step is using the same id/,
    )
  })
})

describe('waitForFreeResource', () => {
  it('waits with growing backoff while a young session of another job is open', async () => {
    const other = info('other-job', 'IN_PROGRESS')
    const { api, calls } = fakeApi({ open: [[other], [other], []] })
    const { deps: d, sleeps } = deps()
    await expect(waitForFreeResource(api, d, { sessionId: SID })).resolves.toEqual([])
    expect(calls.open).toBe(3)
    expect(calls.actions).toEqual([]) // a live session is never touched
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] ?? 0)
  })

  it('gives up after session-wait, naming the blocker and the inputs to change', async () => {
    const { api } = fakeApi({ open: [[info('other-job', 'IN_PROGRESS')]] })
    await expect(waitForFreeResource(api, deps({ waitMs: 5_000 }).deps)).rejects.toThrow(
      /'other-job' .* still IN_PROGRESS .* 5s.*session-wait.*stale-session-after/,
    )
  })

  it('cancels a session idle longer than stale-session-after, then goes on', async () => {
    const stale = info('someone-else', 'IN_PROGRESS', NOW - 7 * HOUR)
    const { api, calls } = fakeApi({
      open: [[stale], []],
      actions: [{}],
      found: [info('someone-else', 'CANCELED', NOW - 7 * HOUR)],
    })
    const { deps: d, logs } = deps()
    const recovered = await waitForFreeResource(api, d)
    expect(recovered).toEqual([
      { sessionId: 'someone-else', reason: expect.stringMatching(/no activity for 7\.0 h/) },
    ])
    expect(calls.actions).toEqual([['someone-else', 'cancel']])
    // The cancelled session's lookup reaches back to its own creation, not this run's start.
    expect(calls.found[0]?.[1]).toBeLessThan(NOW - 7 * HOUR)
    expect(logs.join('\n')).toContain('Cancelling changes no active data')
  })

  it('cancels one of this action’s sessions whose GitHub run has finished', async () => {
    const orphan = info('gh-555-1-build-0a0b0c0d', 'IN_PROGRESS')
    const runs = vi.fn(async (id: string) => id === '555')
    const { api, calls } = fakeApi({
      open: [[orphan], []],
      actions: [{}],
      found: [info('gh-555-1-build-0a0b0c0d', 'CANCELED')],
    })
    const recovered = await waitForFreeResource(api, deps({ runs }).deps)
    expect(runs).toHaveBeenCalledWith('555')
    expect(recovered[0]?.reason).toBe('its GitHub run 555 has finished')
    expect(calls.actions).toHaveLength(1)
  })

  it('leaves alone a session whose run is still going or cannot be looked up', async () => {
    const running = info('gh-556-1-build-0a0b0c0d', 'IN_PROGRESS')
    const unknown = info('gh-557-1', 'IN_PROGRESS')
    const runs = async (id: string) => (id === '556' ? false : undefined)
    const { api, calls } = fakeApi({ open: [[running, unknown], []] })
    await waitForFreeResource(api, deps({ runs }).deps)
    expect(calls.actions).toEqual([])
  })

  it('in a dry run cancels and waits for nothing, saying what a real run would do', async () => {
    const stale = info('stale', 'IN_PROGRESS', NOW - 9 * HOUR)
    const live = info('live', 'IN_PROGRESS')
    const { api, calls } = fakeApi({ open: [[stale, live]] })
    const { deps: d, logs, sleeps } = deps()
    const recovered = await waitForFreeResource(api, d, { readOnly: true })
    expect(recovered.map((r) => r.sessionId)).toEqual(['stale'])
    expect(calls.actions).toEqual([])
    expect(sleeps).toEqual([])
    expect(logs.join('\n')).toMatch(/a real run would cancel it[\s\S]*a real run would wait/)
  })

  it('waits for a stranded session whose cancel did not take, instead of cancelling forever', async () => {
    const stale = info('stuck', 'IN_PROGRESS', NOW - 9 * HOUR)
    const { api, calls } = fakeApi({
      open: [[stale]],
      actions: [{}],
      found: [info('stuck', 'CANCELED')],
    })
    await expect(waitForFreeResource(api, deps({ waitMs: 3_000 }).deps)).rejects.toThrow(
      /'stuck' .* still IN_PROGRESS/,
    )
    expect(calls.actions).toHaveLength(1)
  })
})

describe('markStarted', () => {
  it('remembers the session once, before the first write', () => {
    const { api } = fakeApi({})
    const { deps: d, memory } = deps()
    const life = new SessionLifecycle(api, SID, d)
    life.markStarted()
    life.markStarted()
    expect(memory.opened).toHaveBeenCalledOnce()
    expect(memory.opened).toHaveBeenCalledWith(SID)
    expect(life.started).toBe(true)
  })
})
