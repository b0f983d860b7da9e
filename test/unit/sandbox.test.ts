import { describe, expect, it } from 'vitest'
import { type Answer, call, SANDBOX_KEY, tickingClock } from '../sandbox/client.ts'
import { useSandboxes } from '../sandbox/hooks.ts'
import type { Sandbox } from '../sandbox/server.ts'

const RES = '/custom-connections/1/resources/1'
const start = useSandboxes()

async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('waitFor timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

const ids = (sb: Sandbox) => sb.activeRecords(1, 1).map((r) => r.id)

describe('auth', () => {
  it('answers 401, 412, 402 and 403 in guard order with ExceptionResponseDto bodies', async () => {
    const sb = await start({
      keys: {
        good: {},
        noPlan: { plan: false },
        noTerms: { terms: false },
        neither: { plan: false, terms: false },
        readOnly: { permissions: ['custom-connections-get'] },
        officeOnly: { allowedIps: ['203.0.113.7'] },
        local: { allowedIps: ['127.0.0.1'] },
      },
    })
    const missing = await call(sb, 'GET', `${RES}/records`, undefined, { key: null })
    expect(missing.status).toBe(401)
    // The reasons, codes and messages of a 401 are assumptions (Drata documents none).
    expect(missing.body).toMatchObject({ statusCode: 401, message: 'API key missing', code: 40101 })
    const unknown = await call(sb, 'GET', `${RES}/records`, undefined, { key: 'nope' })
    expect(unknown.status).toBe(401)
    expect(unknown.body).toMatchObject({ message: 'API key not found', code: 40102 })
    const elsewhere = await call(sb, 'GET', `${RES}/records`, undefined, { key: 'officeOnly' })
    expect(elsewhere.status).toBe(401)
    expect(elsewhere.body).toMatchObject({
      message: 'API key not allowed from this IP address',
      code: 40103,
    })
    expect((await call(sb, 'GET', `${RES}/records`, undefined, { key: 'local' })).status).toBe(200)

    const terms = await call(sb, 'GET', `${RES}/records`, undefined, { key: 'noTerms' })
    expect(terms.status).toBe(412)
    expect((await call(sb, 'GET', `${RES}/records`, undefined, { key: 'neither' })).status).toBe(
      412,
    )
    expect((await call(sb, 'GET', `${RES}/records`, undefined, { key: 'noPlan' })).status).toBe(402)

    expect((await call(sb, 'GET', `${RES}/records`, undefined, { key: 'readOnly' })).status).toBe(
      200,
    )
    const denied = await call(
      sb,
      'POST',
      `${RES}/records`,
      { data: { id: 'a' } },
      { key: 'readOnly' },
    )
    expect(denied.status).toBe(403)
    expect(denied.body).toMatchObject({
      statusCode: 403,
      message: 'You are not allowed to perform this action',
    })
    expect(ids(sb)).toEqual([])
    expect((await call(sb, 'GET', `${RES}/records`, undefined, { key: 'good' })).status).toBe(200)
  })
})

describe('records', () => {
  const schema = {
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string' } },
  }

  it('reports per-item 400s in a bulk upsert and still applies the valid items', async () => {
    const sb = await start({ resources: [{ connectionId: 1, resourceId: 1, schema }] })
    const res = await call(sb, 'POST', `${RES}/records`, {
      data: [{ id: 'a', name: 'A' }, { id: 'bad' }, { name: 'no id' }, { id: 'b', name: 'B' }],
    })
    expect(res.status).toBe(200)
    expect(res.body.map((r: { statusCode: number }) => r.statusCode)).toEqual([201, 400, 400, 201])
    expect(res.body[1]).toMatchObject({ data: { id: 'bad' }, error: { code: 28022 } })
    expect(res.body[1].error.message).toBe(
      `Schema validation failed for data: [{"":"must have required property 'name'"}]`,
    )
    expect(res.body[2].error.message).toContain("must have required property 'id'")
    expect(ids(sb)).toEqual(['a', 'b'])

    const again = await call(sb, 'POST', `${RES}/records`, { data: { id: 'a', name: 'A2' } })
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ id: 'a', statusCode: 200, data: { name: 'A2' } })

    const single = await call(sb, 'POST', `${RES}/records`, { data: { id: 'c' } })
    expect(single.status).toBe(400)
    expect(single.body).toMatchObject({ name: 'BadRequestException', statusCode: 400, code: 28022 })
    expect(ids(sb)).toEqual(['a', 'b'])
  })

  it('rejects malformed bodies, bad path numbers, unknown resources and routes', async () => {
    const sb = await start()
    expect((await call(sb, 'POST', `${RES}/records`, { data: 'x' })).status).toBe(400)
    expect((await call(sb, 'POST', `${RES}/records`, { rows: [] })).status).toBe(400)
    expect((await call(sb, 'POST', `${RES}/records`, { data: [1, 2] })).status).toBe(400)
    const raw = await fetch(`${sb.url}${RES}/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SANDBOX_KEY}`, 'content-type': 'application/json' },
      body: '{"data":',
    })
    expect(raw.status).toBe(400)
    const zero = await call(sb, 'GET', '/custom-connections/0/resources/1/records')
    expect(zero.status).toBe(400)
    const unknown = await call(sb, 'GET', '/custom-connections/9/resources/1/records')
    expect(unknown.status).toBe(404)
    expect(unknown.body).toMatchObject({ name: 'NotFoundException', statusCode: 404 })
    expect((await call(sb, 'GET', '/custom-connections/1/resources/2/records')).status).toBe(404)
    expect((await call(sb, 'GET', '/nowhere')).status).toBe(404)
    expect((await call(sb, 'PATCH', `${RES}/records`, { data: {} })).status).toBe(404)
  })

  it('answers 413 for a body over maxBodyBytes without applying it', async () => {
    const sb = await start({ maxBodyBytes: 100 })
    const res = await call(sb, 'POST', `${RES}/records`, {
      data: { id: 'a', pad: 'x'.repeat(200) },
    })
    expect(res.status).toBe(413)
    expect(ids(sb)).toEqual([])
  })

  it('updates with PUT and deletes with DELETE, 404 when the record is absent', async () => {
    const sb = await start()
    sb.seed(1, 1, [{ id: 'a', v: 1 }])
    const put = await call(sb, 'PUT', `${RES}/records/a`, { data: { v: 2 } })
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({ id: 'a', attributes: { id: 'a', v: 2 } })
    expect((await call(sb, 'PUT', `${RES}/records/zz`, { data: { v: 2 } })).status).toBe(404)
    expect((await call(sb, 'DELETE', `${RES}/records/a`)).status).toBe(204)
    expect((await call(sb, 'DELETE', `${RES}/records/a`)).status).toBe(404)
    expect(ids(sb)).toEqual([])
  })

  it('paginates across three pages with a cursor and a first-page totalCount', async () => {
    const sb = await start({ now: tickingClock() })
    const all = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']
    for (const id of all) sb.upsertDirect(1, 1, { id })

    const first = await call(sb, 'GET', `${RES}/records?size=3&includeTotalCount=true`)
    expect(first.body.pagination.totalCount).toBe(7)
    expect(first.body.data.map((r: { id: string }) => r.id)).toEqual(['r1', 'r2', 'r3'])
    expect(typeof first.body.pagination.cursor).toBe('string')

    const q = (cursor: string) =>
      `${RES}/records?size=3&includeTotalCount=true&cursor=${encodeURIComponent(cursor)}`
    const second = await call(sb, 'GET', q(first.body.pagination.cursor))
    expect(second.body.data.map((r: { id: string }) => r.id)).toEqual(['r4', 'r5', 'r6'])
    expect(second.body.pagination.totalCount).toBeNull()
    const third = await call(sb, 'GET', q(second.body.pagination.cursor))
    expect(third.body.data.map((r: { id: string }) => r.id)).toEqual(['r7'])
    expect(third.body.pagination).toEqual({ cursor: null, totalCount: null })

    const desc = await call(sb, 'GET', `${RES}/records?size=2&sortDir=DESC`)
    expect(desc.body.data.map((r: { id: string }) => r.id)).toEqual(['r7', 'r6'])
    for (const bad of ['size=0', 'size=501', 'size=x', 'sort=name', 'sortDir=up', 'cursor=%%%']) {
      expect((await call(sb, 'GET', `${RES}/records?${bad}`)).status, bad).toBe(400)
    }
  })

  it('lists from a sorted order cached per version: every write shows on the next page', async () => {
    const sb = await start({ now: tickingClock() })
    for (const id of ['r1', 'r2', 'r3', 'r4']) sb.upsertDirect(1, 1, { id })
    const listed = (a: Answer) => a.body.data.map((r: { id: string }) => r.id)
    const first = await call(sb, 'GET', `${RES}/records?size=2&includeTotalCount=true`)
    expect(listed(first)).toEqual(['r1', 'r2'])
    // Between pages: one record deleted past the cursor, one added, one changed.
    await call(sb, 'DELETE', `${RES}/records/r3`)
    sb.upsertDirect(1, 1, { id: 'r5' })
    await call(sb, 'PUT', `${RES}/records/r4`, { data: { v: 2 } })
    const next = `${RES}/records?size=2&cursor=${encodeURIComponent(first.body.pagination.cursor)}`
    const second = await call(sb, 'GET', next)
    // Sorted by createdAt: r4 (updated in place), then r5 (new); r3 is gone.
    expect(listed(second)).toEqual(['r4', 'r5'])
    expect(second.body.data[0].attributes).toMatchObject({ v: 2 })
    const again = await call(sb, 'GET', `${RES}/records?size=10&includeTotalCount=true`)
    expect(again.body.pagination.totalCount).toBe(4)
  })
})

describe('sessions', () => {
  it('stages uploads, then completion replaces the active data and deletes the rest', async () => {
    const sb = await start({ now: tickingClock() })
    sb.seed(1, 1, [{ id: 'keep', v: 1 }, { id: 'stale' }], { sessionId: 'base' })

    const up = await call(sb, 'POST', `${RES}/sessions/run-1`, {
      data: [{ id: 'keep', v: 2 }, { id: 'new' }],
    })
    expect(up.status).toBe(200)
    expect(up.body.map((r: { statusCode: number }) => r.statusCode)).toEqual([201, 201])
    const again = await call(sb, 'POST', `${RES}/sessions/run-1`, { data: { id: 'new', v: 9 } })
    expect(again.status).toBe(200)

    const visible = await call(sb, 'GET', `${RES}/records`)
    expect(visible.body.data.map((r: { id: string }) => r.id).sort()).toEqual(['keep', 'stale'])
    const staged = await call(sb, 'GET', `${RES}/records?sessionId=run-1`)
    expect(staged.body.data).toHaveLength(2)

    const done = await call(sb, 'POST', `${RES}/sessions/run-1/actions`, { action: 'complete' })
    expect(done.status).toBe(200)
    expect(done.body).toEqual({
      sessionId: 'run-1',
      status: 'ACTIVE',
      action: 'complete',
      connectionId: 1,
      resourceId: 1,
    })
    const active = sb.activeRecords(1, 1)
    expect(active.map((r) => [r.id, r.attributes.v, r.sessionId])).toEqual([
      ['keep', 2, 'run-1'],
      ['new', 9, 'run-1'],
    ])
    const sessions = await call(sb, 'GET', `${RES}/sessions`)
    expect(sessions.body.data.map((s: { sessionId: string; status: string }) => s.status)).toEqual([
      'ARCHIVED',
      'ACTIVE',
    ])
    expect(sessions.body.data[1].activatedAt).toEqual(expect.any(String))
    const archived = await call(sb, 'GET', `${RES}/sessions?status=ARCHIVED`)
    expect(archived.body.data.map((s: { sessionId: string }) => s.sessionId)).toEqual(['base'])
    expect((await call(sb, 'GET', `${RES}/sessions?status=DONE`)).status).toBe(400)
  })

  it('completing an empty session empties the resource', async () => {
    const sb = await start()
    sb.seed(1, 1, [{ id: 'a' }])
    expect((await call(sb, 'POST', `${RES}/sessions/empty-1`, { data: [{}] })).status).toBe(200)
    await call(sb, 'POST', `${RES}/sessions/empty-1/actions`, { action: 'complete' })
    expect(ids(sb)).toEqual([])
  })

  it('cancel discards staged records and leaves the active data untouched', async () => {
    const sb = await start()
    sb.seed(1, 1, [{ id: 'a' }, { id: 'b' }])
    await call(sb, 'POST', `${RES}/sessions/run-2`, { data: [{ id: 'c' }] })
    const res = await call(sb, 'POST', `${RES}/sessions/run-2/actions`, { action: 'cancel' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ status: 'CANCELED', action: 'cancel' })
    expect(ids(sb)).toEqual(['a', 'b'])
    const session = sb.state().resources[0]?.sessions.find((s) => s.sessionId === 'run-2')
    expect(session).toMatchObject({ status: 'CANCELED', recordCount: 0 })
    expect(session?.canceledAt).toEqual(expect.any(String))
    const late = await call(sb, 'POST', `${RES}/sessions/run-2`, { data: [{ id: 'd' }] })
    expect(late.status).toBe(400)
    expect(late.body.message).toContain('run-2 is CANCELED')
  })

  it('allows only one IN_PROGRESS session per resource', async () => {
    const sb = await start()
    expect((await call(sb, 'POST', `${RES}/sessions/first`, { data: { id: 'a' } })).status).toBe(
      201,
    )
    const second = await call(sb, 'POST', `${RES}/sessions/second`, { data: { id: 'b' } })
    expect(second.status).toBe(400)
    expect(second.body.message).toContain('first')
    await call(sb, 'POST', `${RES}/sessions/first/actions`, { action: 'cancel' })
    expect((await call(sb, 'POST', `${RES}/sessions/second`, { data: { id: 'b' } })).status).toBe(
      201,
    )
    expect((await call(sb, 'POST', `${RES}/sessions/x!`, { data: { id: 'b' } })).status).toBe(400)
  })

  it('answers 422 when completing twice, 404 for an unknown session, 400 for a bad action', async () => {
    const sb = await start()
    await call(sb, 'POST', `${RES}/sessions/once`, { data: { id: 'a' } })
    expect(
      (await call(sb, 'POST', `${RES}/sessions/once/actions`, { action: 'complete' })).status,
    ).toBe(200)
    const twice = await call(sb, 'POST', `${RES}/sessions/once/actions`, { action: 'complete' })
    expect(twice.status).toBe(422)
    expect(twice.body).toMatchObject({ statusCode: 422, message: 'Session once is ACTIVE' })
    const missing = await call(sb, 'POST', `${RES}/sessions/nope/actions`, { action: 'cancel' })
    expect(missing.status).toBe(404)
    const bad = await call(sb, 'POST', `${RES}/sessions/once/actions`, { action: 'finish' })
    expect(bad.status).toBe(400)
  })

  it('plain upserts join the ACTIVE session and vanish when another session completes', async () => {
    const sb = await start()
    await call(sb, 'POST', `${RES}/records`, { data: { id: 'loose' } })
    expect(sb.activeRecords(1, 1)[0]?.sessionId).toBeNull()
    sb.seed(1, 1, [{ id: 'a' }], { sessionId: 'base' })
    await call(sb, 'POST', `${RES}/records`, { data: { id: 'late' } })
    expect(sb.activeRecords(1, 1).map((r) => [r.id, r.sessionId])).toEqual([
      ['a', 'base'],
      ['late', 'base'],
    ])
    const listed = await call(sb, 'GET', `${RES}/records?sessionId=base`)
    expect(listed.body.data).toHaveLength(2)
    await call(sb, 'POST', `${RES}/sessions/next`, { data: { id: 'a' } })
    await call(sb, 'POST', `${RES}/sessions/next/actions`, { action: 'complete' })
    expect(ids(sb)).toEqual(['a'])
  })

  it('lets an onRequest hook act mid-run, e.g. a concurrent writer before completion', async () => {
    const sb = await start()
    sb.onRequest(({ path }) => {
      if (path.endsWith('/actions')) sb.upsertDirect(1, 1, { id: 'intruder' })
    })
    await call(sb, 'POST', `${RES}/sessions/mine`, { data: { id: 'ours' } })
    await call(sb, 'POST', `${RES}/sessions/mine/actions`, { action: 'complete' })
    expect(ids(sb)).toEqual(['ours'])
    expect(sb.requests.map((r) => [r.method, r.status])).toEqual([
      ['POST', 201],
      ['POST', 200],
    ])
  })
})

describe('faults', () => {
  const post = (sb: Sandbox, id: string) => call(sb, 'POST', `${RES}/records`, { data: { id } })

  it('status faults answer without applying, with Retry-After only when given', async () => {
    const sb = await start()
    sb.addFault({ kind: 'status', status: 503, retryAfter: '1', method: 'POST' })
    const first = await post(sb, 'a')
    expect(first.status).toBe(503)
    expect(first.headers.get('retry-after')).toBe('1')
    expect(first.body).toMatchObject({ statusCode: 503 })
    expect(ids(sb)).toEqual([])

    sb.addFault({ kind: 'status', status: 500, path: /\/records$/ })
    const second = await post(sb, 'a')
    expect(second.status).toBe(500)
    expect(second.headers.get('retry-after')).toBeNull()
    expect((await post(sb, 'a')).status).toBe(201)
    expect(ids(sb)).toEqual(['a'])
  })

  it('honours skip, times, method and path', async () => {
    const sb = await start()
    sb.addFault({
      kind: 'status',
      status: 502,
      method: 'POST',
      path: '/sessions/',
      skip: 1,
      times: 2,
    })
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await call(sb, 'POST', `${RES}/sessions/s-1`, { data: { id: `r${i}` } })).status,
      )
    }
    expect((await call(sb, 'GET', `${RES}/sessions`)).status).toBe(200)
    expect(statuses).toEqual([201, 502, 502, 201])
  })

  it('drop closes the connection without applying', async () => {
    const sb = await start()
    sb.addFault({ kind: 'drop' })
    await expect(post(sb, 'a')).rejects.toThrow()
    expect(ids(sb)).toEqual([])
    expect(sb.requests).toHaveLength(1)
    expect(sb.requests[0]?.status).toBe(0)
  })

  it('drop-after-apply closes the connection after applying the write', async () => {
    const sb = await start()
    sb.addFault({ kind: 'drop-after-apply', method: 'POST' })
    await expect(post(sb, 'a')).rejects.toThrow()
    expect(ids(sb)).toEqual(['a'])
    expect(sb.requests[0]).toMatchObject({ status: 0, body: { data: { id: 'a' } } })
  })

  it('status-after-apply applies the write and then reports a failure', async () => {
    const sb = await start()
    sb.seed(1, 1, [])
    await call(sb, 'POST', `${RES}/sessions/s-1`, { data: { id: 'a' } })
    sb.addFault({ kind: 'status-after-apply', status: 504, path: '/actions' })
    const res = await call(sb, 'POST', `${RES}/sessions/s-1/actions`, { action: 'complete' })
    expect(res.status).toBe(504)
    expect(ids(sb)).toEqual(['a'])
    const retry = await call(sb, 'POST', `${RES}/sessions/s-1/actions`, { action: 'complete' })
    expect(retry.status).toBe(422)
  })

  it('delay waits, then handles normally, and still applies if the client gave up', async () => {
    const sb = await start()
    sb.addFault({ kind: 'delay', delayMs: 250 })
    const began = Date.now()
    expect((await post(sb, 'a')).status).toBe(201)
    expect(Date.now() - began).toBeGreaterThanOrEqual(240)

    sb.addFault({ kind: 'delay', delayMs: 200 })
    await expect(post2(sb, 'b', AbortSignal.timeout(50))).rejects.toThrow()
    await waitFor(() => sb.requests[1]?.status === 201)
    expect(ids(sb)).toEqual(['a', 'b'])
  })
})

function post2(sb: Sandbox, id: string, signal: AbortSignal) {
  return call(sb, 'POST', `${RES}/records`, { data: { id } }, { signal })
}

describe('rate limit', () => {
  it('answers 429 without Retry-After beyond the per-minute limit, then recovers', async () => {
    const clock = tickingClock()
    const sb = await start({ rateLimitPerMinute: 3, now: clock })
    for (let i = 0; i < 3; i++) expect((await call(sb, 'GET', `${RES}/records`)).status).toBe(200)
    const limited = await call(sb, 'GET', `${RES}/records`)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBeNull()
    expect(limited.body).toMatchObject({ statusCode: 429, message: 'Too Many Requests' })
    clock.advance(61_000)
    expect((await call(sb, 'GET', `${RES}/records`)).status).toBe(200)
  })
})

describe('state', () => {
  it('is a deep copy with deterministic key order', async () => {
    const sb = await start({ now: tickingClock() })
    sb.seed(1, 1, [{ id: 'b', z: 1, a: { y: 1, x: 2 } }, { id: 'a' }], { sessionId: 'seed-x' })
    const state = sb.state()
    const first = state.resources[0]
    expect(first?.records.map((r) => r.id)).toEqual(['a', 'b'])
    expect(Object.keys(first?.records[1]?.attributes ?? {})).toEqual(['a', 'id', 'z'])
    expect(first?.sessions[0]).toMatchObject({
      sessionId: 'seed-x',
      status: 'ACTIVE',
      recordCount: 2,
    })
    if (first?.records[0]) first.records[0].id = 'mutated'
    expect(ids(sb)).toEqual(['a', 'b'])
    expect(JSON.stringify(sb.state())).toBe(JSON.stringify(sb.state()))
  })
})
