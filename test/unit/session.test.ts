import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../src/drata/errors.js'
import type { RecordsApi, SessionInfo, SessionStatus } from '../../src/drata/records.js'
import { type SessionDeps, SessionError, SessionLifecycle } from '../../src/push/session.js'

const SID = 'gh-100-1'
const NOW = Date.parse('2030-01-01T00:00:00Z')

function info(sessionId: string, status: SessionStatus): SessionInfo {
  return {
    id: 1,
    sessionId,
    status,
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
  }
}

type Action = 'complete' | 'cancel'

/** A hand-written RecordsApi: each call takes the next scripted answer (a value or an error). */
function fakeApi(script: {
  actions?: (({ status?: SessionStatus } | undefined) | Error)[]
  found?: (SessionInfo | undefined)[]
  others?: SessionInfo[][]
}) {
  const calls = { actions: [] as [string, Action][], find: 0, others: 0 }
  const take = <T>(list: T[] | undefined, what: string): T => {
    if (!list || list.length === 0) throw new Error(`unexpected ${what} call`)
    return list.length === 1 ? (list[0] as T) : (list.shift() as T)
  }
  const api = {
    async sessionAction(sessionId: string, action: Action) {
      calls.actions.push([sessionId, action])
      const next = take(script.actions, 'sessionAction')
      if (next instanceof Error) throw next
      return next
    },
    async findSession(sessionId: string) {
      calls.find++
      expect(sessionId).toBe(SID)
      return take(script.found, 'findSession')
    },
    async otherSessionsInProgress(sessionId: string) {
      calls.others++
      expect(sessionId).toBe(SID)
      return take(script.others, 'otherSessionsInProgress')
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
    ...overrides,
  }
  return { deps: d, sleeps, logs, memory }
}

const lost = () => new ApiError('Could not reach Drata (ECONNRESET)', 0, true)
const refused422 = () => new ApiError('Drata refused to complete session (422)', 422, false)

describe('SessionLifecycle.complete', () => {
  it('resolves with the status Drata answers and notes the session closed', async () => {
    const { api, calls } = fakeApi({ actions: [{ status: 'ACTIVE' }] })
    const { deps: d, memory } = deps()
    await expect(new SessionLifecycle(api, SID, d).complete()).resolves.toBe('ACTIVE')
    expect(calls.actions).toEqual([[SID, 'complete']])
    expect(calls.find).toBe(0)
    expect(memory.closed).toHaveBeenCalledOnce()
  })

  it('takes an answer without a status as ACTIVE', async () => {
    const { api } = fakeApi({ actions: [undefined] })
    await expect(new SessionLifecycle(api, SID, deps().deps).complete()).resolves.toBe('ACTIVE')
  })

  it('does not complete twice when the lost answer had been applied (found ACTIVE)', async () => {
    const { api, calls } = fakeApi({ actions: [lost()], found: [info(SID, 'ACTIVE')] })
    const { deps: d, memory, sleeps } = deps()
    await expect(new SessionLifecycle(api, SID, d).complete()).resolves.toBe('ACTIVE')
    expect(calls.actions).toHaveLength(1)
    expect(calls.find).toBe(1)
    expect(sleeps).toEqual([])
    expect(memory.closed).toHaveBeenCalledOnce()
  })

  it('accepts ARCHIVED as completed', async () => {
    const { api, calls } = fakeApi({ actions: [lost()], found: [info(SID, 'ARCHIVED')] })
    await expect(new SessionLifecycle(api, SID, deps().deps).complete()).resolves.toBe('ARCHIVED')
    expect(calls.actions).toHaveLength(1)
  })

  it('retries the complete after a backoff when the session is still IN_PROGRESS', async () => {
    const { api, calls } = fakeApi({
      actions: [lost(), { status: 'ACTIVE' }],
      found: [info(SID, 'IN_PROGRESS')],
    })
    const { deps: d, sleeps, memory } = deps()
    await expect(new SessionLifecycle(api, SID, d).complete()).resolves.toBe('ACTIVE')
    expect(calls.actions).toEqual([
      [SID, 'complete'],
      [SID, 'complete'],
    ])
    expect(sleeps).toEqual([375])
    expect(memory.closed).toHaveBeenCalledOnce()
  })

  it('retries after a 5xx as well', async () => {
    const { api, calls } = fakeApi({
      actions: [new ApiError('Drata failed (502)', 502, true), { status: 'ACTIVE' }],
      found: [info(SID, 'IN_PROGRESS')],
    })
    await expect(new SessionLifecycle(api, SID, deps().deps).complete()).resolves.toBe('ACTIVE')
    expect(calls.actions).toHaveLength(2)
  })

  it('gives up after maxRetries while the session stays IN_PROGRESS', async () => {
    const { api, calls } = fakeApi({ actions: [lost()], found: [info(SID, 'IN_PROGRESS')] })
    const { deps: d, memory } = deps({ maxRetries: 2 })
    const promise = new SessionLifecycle(api, SID, d).complete()
    await expect(promise).rejects.toBeInstanceOf(SessionError)
    await expect(promise).rejects.toThrow(
      `Could not complete session '${SID}' (now IN_PROGRESS): Could not reach Drata`,
    )
    expect(calls.actions).toHaveLength(3)
    expect(memory.closed).not.toHaveBeenCalled()
  })

  it('treats a 422 as success when the session is found ACTIVE', async () => {
    const { api, calls } = fakeApi({ actions: [refused422()], found: [info(SID, 'ACTIVE')] })
    await expect(new SessionLifecycle(api, SID, deps().deps).complete()).resolves.toBe('ACTIVE')
    expect(calls.actions).toHaveLength(1)
  })

  it('does not retry a 422 when the session is still IN_PROGRESS', async () => {
    const { api, calls } = fakeApi({
      actions: [refused422(), { status: 'ACTIVE' }],
      found: [info(SID, 'IN_PROGRESS')],
    })
    await expect(new SessionLifecycle(api, SID, deps().deps).complete()).rejects.toThrow(
      SessionError,
    )
    expect(calls.actions).toHaveLength(1)
  })

  it('fails when the session was cancelled meanwhile', async () => {
    const { api } = fakeApi({ actions: [lost()], found: [info(SID, 'CANCELED')] })
    await expect(new SessionLifecycle(api, SID, deps().deps).complete()).rejects.toThrow(
      `Could not complete session '${SID}' (now CANCELED)`,
    )
  })

  it('fails, naming the session, when the session does not exist', async () => {
    const { api } = fakeApi({ actions: [lost()], found: [undefined] })
    const { deps: d, memory } = deps()
    await expect(new SessionLifecycle(api, SID, d).complete()).rejects.toThrow(
      `Session '${SID}' does not exist in Drata, so it cannot be completed`,
    )
    expect(memory.closed).not.toHaveBeenCalled()
  })

  it.each([400, 401, 403, 404, 429])(
    'rethrows an unambiguous %i without looking the session up',
    async (status) => {
      const error = new ApiError(`status ${status}`, status, status === 429)
      const { api, calls } = fakeApi({ actions: [error] })
      await expect(new SessionLifecycle(api, SID, deps().deps).complete()).rejects.toBe(error)
      expect(calls.find).toBe(0)
    },
  )

  it('rethrows an error that is not an ApiError', async () => {
    const error = new Error('job cancelled')
    const { api, calls } = fakeApi({ actions: [error] })
    await expect(new SessionLifecycle(api, SID, deps().deps).complete()).rejects.toBe(error)
    expect(calls.find).toBe(0)
  })
})

describe('SessionLifecycle.cancel', () => {
  it('resolves CANCELED', async () => {
    const { api, calls } = fakeApi({ actions: [{ status: 'CANCELED' }] })
    const { deps: d, memory } = deps()
    await expect(new SessionLifecycle(api, SID, d).cancel()).resolves.toBe('CANCELED')
    expect(calls.actions).toEqual([[SID, 'cancel']])
    expect(memory.closed).toHaveBeenCalledOnce()
  })

  it('resolves NOT_FOUND for a session Drata does not have (404), leaving it remembered', async () => {
    const { api, calls } = fakeApi({
      actions: [new ApiError('Drata found nothing (404)', 404, false)],
      found: [undefined],
    })
    const { deps: d, memory, sleeps } = deps()
    await expect(new SessionLifecycle(api, SID, d).cancel()).resolves.toBe('NOT_FOUND')
    expect(calls.actions).toHaveLength(1)
    expect(calls.find).toBe(1)
    expect(sleeps).toEqual([])
    // An upload still in flight may create it later: the post step must look again.
    expect(memory.closed).not.toHaveBeenCalled()
  })

  it('resolves NOT_FOUND when a lost cancel answer is followed by no session found', async () => {
    const { api, calls } = fakeApi({ actions: [lost()], found: [undefined] })
    const { deps: d, memory } = deps()
    await expect(new SessionLifecycle(api, SID, d).cancel()).resolves.toBe('NOT_FOUND')
    expect(calls.actions).toHaveLength(1)
    expect(memory.closed).not.toHaveBeenCalled()
  })

  it('does not take a 404 as not found while Drata still lists the session', async () => {
    const { api, calls } = fakeApi({
      actions: [new ApiError('Drata found nothing (404)', 404, false), { status: 'CANCELED' }],
      found: [info(SID, 'IN_PROGRESS')],
    })
    const { deps: d, memory } = deps()
    await expect(new SessionLifecycle(api, SID, d).cancel()).resolves.toBe('CANCELED')
    expect(calls.actions).toHaveLength(2)
    expect(memory.closed).toHaveBeenCalledOnce()
  })

  it('does not cancel twice when the lost cancel had been applied', async () => {
    const { api, calls } = fakeApi({ actions: [lost()], found: [info(SID, 'CANCELED')] })
    await expect(new SessionLifecycle(api, SID, deps().deps).cancel()).resolves.toBe('CANCELED')
    expect(calls.actions).toHaveLength(1)
  })

  it('retries a cancel while the session is IN_PROGRESS', async () => {
    const { api, calls } = fakeApi({
      actions: [lost(), lost(), { status: 'CANCELED' }],
      found: [info(SID, 'IN_PROGRESS')],
    })
    const { deps: d, sleeps } = deps()
    await expect(new SessionLifecycle(api, SID, d).cancel()).resolves.toBe('CANCELED')
    expect(calls.actions).toHaveLength(3)
    expect(sleeps).toEqual([375, 750])
  })

  it('reports the status reached when a complete went through first', async () => {
    const { api, calls } = fakeApi({ actions: [lost()], found: [info(SID, 'ACTIVE')] })
    await expect(new SessionLifecycle(api, SID, deps().deps).cancel()).resolves.toBe('ACTIVE')
    expect(calls.actions).toHaveLength(1)
  })
})

describe('SessionLifecycle.acquire', () => {
  it('throws, naming the session and the fix, when the session id already exists', async () => {
    const { api, calls } = fakeApi({ found: [info(SID, 'ACTIVE')], others: [[]] })
    const promise = new SessionLifecycle(api, SID, deps().deps).acquire()
    await expect(promise).rejects.toBeInstanceOf(SessionError)
    await expect(promise).rejects.toThrow(
      `Session '${SID}' already exists on this resource with status ACTIVE`,
    )
    await expect(promise).rejects.toThrow("its own 'session-id'")
    expect(calls.others).toBe(0)
  })

  it('resolves when the id is new and no other session is in progress', async () => {
    const { api, calls } = fakeApi({ found: [undefined], others: [[]] })
    const { deps: d, sleeps } = deps()
    await expect(new SessionLifecycle(api, SID, d).acquire()).resolves.toBeUndefined()
    expect(calls.others).toBe(1)
    expect(sleeps).toEqual([])
  })

  it('waits for another session before resolving', async () => {
    const { api, calls } = fakeApi({
      found: [undefined],
      others: [[info('gh-99-1', 'IN_PROGRESS')], []],
    })
    const { deps: d, sleeps } = deps()
    await new SessionLifecycle(api, SID, d).acquire()
    expect(calls.others).toBe(2)
    expect(sleeps).toHaveLength(1)
  })
})

describe('SessionLifecycle.checkUnused', () => {
  it('throws when the session id already exists, without looking at other sessions', async () => {
    const { api, calls } = fakeApi({ found: [info(SID, 'CANCELED')], others: [[]] })
    await expect(new SessionLifecycle(api, SID, deps().deps).checkUnused()).rejects.toThrow(
      `Session '${SID}' already exists on this resource with status CANCELED`,
    )
    expect(calls.find).toBe(1)
    expect(calls.others).toBe(0)
  })

  it('resolves for a new id and does not wait for other sessions', async () => {
    const { api, calls } = fakeApi({
      found: [undefined],
      others: [[info('gh-99-1', 'IN_PROGRESS')]],
    })
    const { deps: d, sleeps } = deps()
    await expect(new SessionLifecycle(api, SID, d).checkUnused()).resolves.toBeUndefined()
    expect(calls.find).toBe(1)
    expect(calls.others).toBe(0)
    expect(sleeps).toEqual([])
  })
})

describe('SessionLifecycle.waitForOthers', () => {
  it('waits with growing backoff until the other session is gone', async () => {
    const other = info('gh-99-1', 'IN_PROGRESS')
    const { api, calls } = fakeApi({ others: [[other], [other], [other], []] })
    const { deps: d, sleeps, logs } = deps()
    await new SessionLifecycle(api, SID, d).waitForOthers()
    expect(calls.others).toBe(4)
    // backoffDelay(attempt + 2) with jitter 0.5: 1.5 s, 3 s, 6 s.
    expect(sleeps).toEqual([1500, 3000, 6000])
    expect(logs[0]).toContain("Session 'gh-99-1' of another run is IN_PROGRESS")
  })

  it('throws after the wait limit, naming the blocking session and session-wait', async () => {
    const other = info('gh-99-1', 'IN_PROGRESS')
    const { api } = fakeApi({ others: [[other]] })
    const { deps: d, sleeps } = deps({ waitMs: 45_000 })
    const promise = new SessionLifecycle(api, SID, d).waitForOthers()
    await expect(promise).rejects.toBeInstanceOf(SessionError)
    await expect(promise).rejects.toThrow(
      "Session 'gh-99-1' (started 2030-01-01T00:00:00.000Z) is still IN_PROGRESS on this resource after waiting 45s",
    )
    await expect(promise).rejects.toThrow("raise 'session-wait'")
    // Waited the whole limit, and not longer: the last wait is cut to the time left.
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(45_000)
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(30_000)
  })

  it('does not wait at all with a wait limit of 0', async () => {
    const { api } = fakeApi({ others: [[info('gh-99-1', 'IN_PROGRESS')]] })
    const { deps: d, sleeps } = deps({ waitMs: 0 })
    await expect(new SessionLifecycle(api, SID, d).waitForOthers()).rejects.toThrow(
      "Session 'gh-99-1'",
    )
    expect(sleeps).toEqual([])
  })
})

describe('SessionLifecycle.markStarted', () => {
  it('remembers the session once, before the first write', () => {
    const { api } = fakeApi({})
    const { deps: d, memory } = deps()
    const life = new SessionLifecycle(api, SID, d)
    expect(life.started).toBe(false)
    life.markStarted()
    life.markStarted()
    expect(life.started).toBe(true)
    expect(memory.opened).toHaveBeenCalledOnce()
    expect(memory.opened).toHaveBeenCalledWith(SID)
  })
})
