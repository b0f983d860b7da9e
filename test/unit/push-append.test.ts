import { afterEach, describe, expect, it } from 'vitest'
import { evidence, NOW, options, pushAppend, pushKit } from './push-kit.js'

const DAY = 86_400_000
let kit: Awaited<ReturnType<typeof pushKit>>
afterEach(async () => {
  await kit.close()
})

const ids = () => kit.sandbox.activeRecords(1, 1).map((r) => r.id)
const RECORDS = '/custom-connections/1/resources/1/records'
const SESSIONS = '/custom-connections/1/resources/1/sessions'

describe('append', () => {
  it('upserts 3 records into a resource holding 55,000 in 3 requests, deleting nothing', async () => {
    kit = await pushKit()
    kit.sandbox.seed(
      1,
      1,
      Array.from({ length: 55_000 }, (_, i) => ({ id: `old-${i}` })),
    )
    kit.requests()
    const outcome = await pushAppend(options(), kit.deps, evidence(3))
    expect(outcome).toMatchObject({
      mode: 'append',
      sessionId: null,
      sessionStatus: 'none',
      pushed: 3,
      failed: 0,
      removed: 0,
      batches: 1,
    })
    expect(outcome.error).toBeUndefined()
    // One check for a snapshot being staged, one upload, one check after it: never a read of
    // the 55,000, never a session.
    expect(kit.requests()).toEqual([`GET ${SESSIONS}`, `POST ${RECORDS}`, `GET ${SESSIONS}`])
    expect(ids()).toHaveLength(55_003)
    expect(kit.memory.opened).not.toHaveBeenCalled()
  })

  it('costs ceil(N / batch) uploads plus two checks, whatever Drata holds', async () => {
    kit = await pushKit()
    const outcome = await pushAppend(options({ batchSize: 100 }), kit.deps, evidence(250))
    expect(outcome.batches).toBe(3)
    expect(kit.requests()).toHaveLength(3 + 2)
  })

  it('loses nothing a direct writer upserts while it runs', async () => {
    kit = await pushKit()
    kit.sandbox.seed(1, 1, [{ id: 'kept' }])
    let n = 0
    kit.sandbox.onRequest(() => {
      kit.sandbox.upsertDirect(1, 1, { id: `direct-${++n}` })
    })
    await pushAppend(options({ batchSize: 1 }), kit.deps, evidence(5))
    const active = new Set(ids())
    for (let i = 1; i <= n; i++) expect(active.has(`direct-${i}`)).toBe(true)
    expect(active.has('kept')).toBe(true)
    expect(n).toBeGreaterThanOrEqual(7)
  })

  it('reports Drata’s per-item rejections by id, keeps the accepted ones, and says a re-run converges', async () => {
    kit = await pushKit({
      resources: [
        { connectionId: 1, resourceId: 1, schema: { type: 'object', required: ['name'] } },
      ],
    })
    const records = [...evidence(2), { id: 'bad', source: 'inline', data: { id: 'bad' } }]
    const outcome = await pushAppend(options({ retentionDays: 30 }), kit.deps, records)
    expect(outcome.failures.map((f) => f.id)).toEqual(['bad'])
    expect(outcome).toMatchObject({ pushed: 2, failed: 1, removed: 0 })
    expect(outcome.error).toMatch(/rejected 1 of 3 records .* re-run .* converges/)
    expect(outcome.error).toContain('Retention was not applied')
    expect(ids()).toEqual(['new-1', 'new-2'])
  })

  it('a 2xx answer that does not account for every record is a failure, not a success', async () => {
    kit = await pushKit()
    kit.sandbox.addFault({ kind: 'not-applied', method: 'POST', path: '/records' })
    const outcome = await pushAppend(options(), kit.deps, evidence(2))
    expect(outcome.pushed).toBe(0)
    expect(outcome.failed).toBe(2)
    expect(outcome.error).toMatch(/rejected or did not confirm 2 of 2/)
  })

  it('waits while a snapshot is being staged, so it neither swallows nor discards the upserts', async () => {
    kit = await pushKit()
    kit.sandbox.seedSession(1, 1, 'gh-1-1-other-aaaaaaaa', { createdAt: new Date(NOW - 60_000) })
    // The other job completes its snapshot while this run waits.
    kit.sleep.mockImplementationOnce(async () => {
      const done = await fetch(`${kit.sandbox.url}${SESSIONS}/gh-1-1-other-aaaaaaaa/actions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sandbox-key', 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'cancel' }),
      })
      expect(done.ok).toBe(true)
    })
    const writesBeforeWait = () => kit.sandbox.requests.filter((r) => r.method === 'POST')
    const outcome = await pushAppend(options(), kit.deps, evidence(1))
    expect(outcome.error).toBeUndefined()
    expect(kit.sleep).toHaveBeenCalledOnce()
    // The upload came only after the other session was gone.
    const posts = writesBeforeWait().map((r) => r.path)
    expect(posts).toEqual([`${SESSIONS}/gh-1-1-other-aaaaaaaa/actions`, RECORDS])
    expect(ids()).toEqual(['new-1'])
  })

  it('gives up after session-wait without writing, naming the blocking session', async () => {
    kit = await pushKit()
    kit.sandbox.seedSession(1, 1, 'other-job', { createdAt: new Date(NOW - 60_000) })
    const outcome = await pushAppend(options({ sessionWaitMs: 10_000 }), kit.deps, evidence(1))
    expect(outcome.error).toMatch(/'other-job' .* still IN_PROGRESS/)
    expect(kit.sandbox.requests.filter((r) => r.method !== 'GET')).toEqual([])
  })

  it('cancels a stranded session older than stale-session-after, then upserts', async () => {
    kit = await pushKit()
    kit.sandbox.seed(1, 1, [{ id: 'kept' }])
    kit.sandbox.seedSession(1, 1, 'died', {
      createdAt: new Date(NOW - 7 * 3_600_000),
      records: [{ id: 'staged-by-dead-job' }],
    })
    const outcome = await pushAppend(options(), kit.deps, evidence(1))
    expect(outcome.recovered).toEqual([
      { sessionId: 'died', reason: expect.stringContaining("'stale-session-after'") },
    ])
    const died = kit.sandbox.state().resources[0]?.sessions.find((s) => s.sessionId === 'died')
    expect(died?.status).toBe('CANCELED')
    // Cancelling changed no active data.
    expect(ids()).toEqual(['kept', 'new-1'])
  })

  it('with retention-days deletes only records collected before the cut-off, reading only what expires', async () => {
    kit = await pushKit()
    const iso = (t: number) => new Date(t).toISOString()
    kit.sandbox.seed(
      1,
      1,
      [
        { id: 'expired-1', collectedAt: iso(NOW - 40 * DAY) },
        { id: 'expired-2', collectedAt: iso(NOW - 35 * DAY) },
        { id: 'no-date' },
        { id: 'recollected', collectedAt: iso(NOW - 2 * DAY) },
      ],
      { updatedAt: new Date(NOW - 31 * DAY) },
    )
    // 2,000 records updated today (by the sandbox clock): retention must not page through them.
    for (let i = 0; i < 2_000; i++) {
      kit.sandbox.upsertDirect(1, 1, { id: `fresh-${i}`, collectedAt: iso(NOW - 90 * DAY) })
    }
    kit.requests()
    const outcome = await pushAppend(options({ retentionDays: 30 }), kit.deps, evidence(1))
    expect(outcome.error).toBeUndefined()
    expect(outcome.removedIds).toEqual(['expired-1', 'expired-2'])
    expect(outcome.removed).toBe(2)
    const requests = kit.requests()
    // One listing per round of deletes, and one that finds nothing left.
    expect(requests.filter((r) => r.startsWith(`GET ${RECORDS}`))).toHaveLength(2)
    expect(requests.filter((r) => r.startsWith('DELETE'))).toEqual([
      `DELETE ${RECORDS}/expired-1`,
      `DELETE ${RECORDS}/expired-2`,
    ])
    expect(ids()).not.toContain('expired-1')
    expect(ids()).toContain('no-date')
    expect(ids()).toContain('recollected')
    expect(ids()).toHaveLength(2_003)
  })

  it('re-reads before each round of deletes, so a record another job refreshed meanwhile is kept', async () => {
    kit = await pushKit()
    const old = new Date(NOW - 40 * DAY)
    kit.sandbox.seed(
      1,
      1,
      Array.from({ length: 30 }, (_, i) => ({
        id: `old-${String(i).padStart(2, '0')}`,
        collectedAt: old.toISOString(),
      })),
      { updatedAt: old },
    )
    let deletes = 0
    kit.sandbox.onRequest(({ method }) => {
      // Another job re-collects old-29 while this run is deleting the first round.
      if (method === 'DELETE' && ++deletes === 1) {
        kit.sandbox.upsertDirect(1, 1, { id: 'old-29', collectedAt: new Date(NOW).toISOString() })
      }
    })
    const outcome = await pushAppend(options({ retentionDays: 30 }), kit.deps, evidence(1))
    expect(outcome.error).toBeUndefined()
    expect(outcome.removed).toBe(29)
    expect(ids()).toEqual(['new-1', 'old-29'])
  })

  it('does not count as removed a record someone else deleted first', async () => {
    kit = await pushKit()
    const old = new Date(NOW - 40 * DAY)
    kit.sandbox.seed(
      1,
      1,
      ['old-1', 'old-2', 'old-3'].map((id) => ({ id, collectedAt: old.toISOString() })),
      { updatedAt: old },
    )
    let deletes = 0
    kit.sandbox.onRequest(async ({ method }) => {
      if (method === 'DELETE' && ++deletes === 1) {
        const res = await fetch(`${kit.sandbox.url}${RECORDS}/old-2`, {
          method: 'DELETE',
          headers: { authorization: 'Bearer sandbox-key' },
        })
        expect(res.status).toBe(204)
      }
    })
    const outcome = await pushAppend(options({ retentionDays: 30 }), kit.deps, evidence(1))
    expect(outcome.error).toBeUndefined()
    expect(outcome.removedIds).toEqual(['old-1', 'old-3'])
    expect(ids()).toEqual(['new-1'])
  })

  it('in a dry run lists what retention would delete and writes nothing', async () => {
    kit = await pushKit()
    kit.sandbox.seed(
      1,
      1,
      [{ id: 'expired', collectedAt: new Date(NOW - 40 * DAY).toISOString() }],
      {
        updatedAt: new Date(NOW - 40 * DAY),
      },
    )
    const outcome = await pushAppend(
      options({ retentionDays: 30, dryRun: true }),
      kit.deps,
      evidence(2),
    )
    expect(outcome).toMatchObject({ dryRun: true, pushed: 0, removed: 1, removedIds: ['expired'] })
    expect(kit.sandbox.requests.filter((r) => r.method !== 'GET')).toEqual([])
    expect(ids()).toEqual(['expired'])
  })
})
