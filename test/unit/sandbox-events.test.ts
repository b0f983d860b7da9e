import { describe, expect, it } from 'vitest'
import { call, callForm, tickingClock } from '../sandbox/client.ts'
import { useSandboxes } from '../sandbox/hooks.ts'
import { type Sandbox, startSandbox } from '../sandbox/server.ts'

const start = useSandboxes()

const RES = '/custom-connections/1/resources/1'
const asset = {
  name: 'Build server',
  description: 'CI runner',
  assetClassTypes: ['COMPUTE'],
  assetType: 'VIRTUAL',
  ownerId: 1,
}
const review = {
  reviewDeadlineAt: '2025-09-30T00:00:00.000Z',
  securityReviewStatus: 'NOT_YET_STARTED',
  securityReviewType: 'SECURITY',
  title: 'Annual',
}

function fileForm(): FormData {
  const form = new FormData()
  form.append('title', 'SOC 2')
  form.append('reviewDeadlineAt', '2025-10-01')
  form.append('securityReviewStatus', 'IN_PROGRESS')
  form.append('securityReviewType', 'UPLOAD_REPORT')
  form.append('file', new Blob(['a,b\n1,2\n']), 'answers.csv')
  return form
}

/** One accepted write of every kind, in a fixed order. */
async function writeEverything(sb: Sandbox): Promise<void> {
  const ok = (status: number, what: string) => expect(status, what).toBeLessThan(300)
  ok(
    (await call(sb, 'POST', `${RES}/records`, { data: [{ id: 'a' }, { id: 'b' }] })).status,
    'upsert',
  )
  ok((await call(sb, 'PUT', `${RES}/records/a`, { data: { v: 2 } })).status, 'put record')
  ok((await call(sb, 'DELETE', `${RES}/records/b`)).status, 'delete record')
  ok((await call(sb, 'POST', `${RES}/sessions/run-1`, { data: { id: 'c' } })).status, 'upload')
  const complete = { action: 'complete' }
  ok((await call(sb, 'POST', `${RES}/sessions/run-1/actions`, complete)).status, 'complete')
  ok((await call(sb, 'POST', '/assets', asset)).status, 'asset create')
  ok((await call(sb, 'PUT', '/assets/1', { notes: 'x' })).status, 'asset update')
  ok((await call(sb, 'DELETE', '/assets/1')).status, 'asset delete')
  ok((await call(sb, 'POST', '/vendors/11/security-reviews', review)).status, 'review')
  ok(
    (await callForm(sb, 'POST', '/vendors/11/security-reviews/with-file', fileForm())).status,
    'file',
  )
}

const EXPECTED = [
  ['CUSTOM_RESOURCE_RECORD_CREATED', 'CUSTOM_CONNECTION', 1],
  ['CUSTOM_RESOURCE_RECORD_UPDATED', 'CUSTOM_CONNECTION', 1],
  ['CUSTOM_RESOURCE_RECORD_REMOVED', 'CUSTOM_CONNECTION', 1],
  ['CUSTOM_RESOURCE_RECORD_CREATED', 'CUSTOM_CONNECTION', 1],
  ['CUSTOM_RESOURCE_RECORD_UPDATED', 'CUSTOM_CONNECTION', 1],
  ['MANUAL_ASSET_CREATED', 'ASSET', null],
  ['MANUAL_ASSET_UPDATED', 'ASSET', null],
  ['MANUAL_ASSET_DELETED', 'ASSET', null],
  ['VENDOR_SECURITY_REVIEW_CREATED', 'VENDOR', null],
  ['VENDOR_SECURITY_REVIEW_CREATED', 'VENDOR', null],
]

describe('events written by the sandbox', () => {
  it('writes one PUBLIC_API event per accepted write, none for reads or rejected writes', async () => {
    const sb = await start({ now: tickingClock() })
    await call(sb, 'GET', `${RES}/records`)
    await call(sb, 'GET', '/assets')
    await call(sb, 'POST', '/assets', { ...asset, assetType: 'CLOUD' })
    await call(sb, 'POST', `${RES}/records`, { data: 'x' })
    sb.addFault({ kind: 'status', status: 503, path: '/assets' })
    await call(sb, 'POST', '/assets', asset)
    expect(sb.events()).toEqual([])

    await writeEverything(sb)
    const events = sb.events()
    expect(events.map((e) => [e.type, e.category, e.connectionId])).toEqual(EXPECTED)
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(['PUBLIC_API']))
    expect(new Set(events.map((e) => e.userId))).toEqual(new Set([1]))
    for (const e of events) {
      expect(e).toMatchObject({ status: null, requestDescription: null })
      expect(e.description).toMatch(/^admin@acme\.example .+ via the Public API$/)
    }
    expect(events[0]?.description).toContain('upserted 2 record(s) (2 created, 0 updated)')
    expect(events[0]?.metadata?.targetEntity).toMatchObject({ connectionId: 1, created: 2 })
    expect(events[9]?.metadata?.fileKey).toBe('vendors/11/security-reviews/2/answers.csv')
    expect(sb.state().events).toEqual(events)
  })

  it('names the acting key’s user', async () => {
    const sb = await start({
      users: [
        { id: 1, email: 'admin@acme.example' },
        { id: 5, email: 'ci@acme.example', firstName: 'CI', lastName: 'Bot' },
      ],
      keys: { ci: { userId: 5 } },
    })
    await call(sb, 'POST', '/assets', asset, { key: 'ci' })
    expect(sb.events()[0]).toMatchObject({
      userId: 5,
      description: expect.stringMatching(/^CI Bot /),
    })
    await expect(startSandbox({ keys: { k: { userId: 9 } } })).rejects.toThrow(/user 9/)
  })
})

describe('GET /events', () => {
  it('filters by source, connectionId, category, type and creation time, and pages', async () => {
    const clock = tickingClock()
    const sb = await start({ now: clock })
    await call(sb, 'POST', `${RES}/records`, { data: { id: 'a' } })
    clock.advance(3_600_000)
    const midpoint = new Date(clock().getTime() + 500).toISOString()
    await call(sb, 'POST', '/assets', asset)
    await call(sb, 'POST', '/vendors/11/security-reviews', review)

    const list = async (query: string) => {
      const res = await call(sb, 'GET', `/events${query}`)
      expect(res.status, query).toBe(200)
      return (res.body.data as Array<{ type: string }>).map((e) => e.type)
    }
    const all = [
      'CUSTOM_RESOURCE_RECORD_CREATED',
      'MANUAL_ASSET_CREATED',
      'VENDOR_SECURITY_REVIEW_CREATED',
    ]
    expect(await list('')).toEqual(all)
    expect(await list('?source=PUBLIC_API')).toEqual(all)
    expect(await list('?source=APP')).toEqual([])
    expect(await list('?connectionId=1')).toEqual([all[0]])
    expect(await list('?connectionId=2')).toEqual([])
    expect(await list('?connectionId=')).toEqual(all.slice(1))
    expect(await list('?category=VENDOR')).toEqual([all[2]])
    expect(await list('?type=MANUAL_ASSET_CREATED')).toEqual([all[1]])
    expect(await list(`?createdAtStartDate=${midpoint}`)).toEqual(all.slice(1))
    expect(await list(`?createdAtEndDate=${midpoint}`)).toEqual([all[0]])
    expect(await list('?userId=1&workspaceId=1')).toEqual(all)
    expect(await list('?userId=2')).toEqual([])
    expect(await list('?sortDir=DESC&size=2')).toEqual([all[2], all[1]])

    const first = await call(sb, 'GET', '/events?size=2&includeTotalCount=true')
    expect(first.body.pagination).toEqual({ cursor: expect.any(String), totalCount: 3 })
    const rest = await call(
      sb,
      'GET',
      `/events?size=2&cursor=${encodeURIComponent(first.body.pagination.cursor)}`,
    )
    expect(rest.body.data.map((e: { type: string }) => e.type)).toEqual([all[2]])
    expect(first.body.data[0]).not.toHaveProperty('metadata')

    for (const bad of [
      'source=CLI',
      'type=NOT_A_TYPE',
      'category=NOPE',
      'sort=updatedAt',
      'createdAtStartDate=yesterday',
      'connectionId=abc',
      'expand[]=everything',
      'search=x',
    ]) {
      expect((await call(sb, 'GET', `/events?${bad}`)).status, bad).toBe(400)
    }
  })
})

describe('GET /events/{eventId}', () => {
  it('returns the event, with user, connection and metadata on expand', async () => {
    const sb = await start()
    await call(sb, 'POST', `${RES}/sessions/run-9`, { data: [{ id: 'a' }] })
    const [event] = sb.events()
    const id = event?.id ?? ''
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)

    const plain = await call(sb, 'GET', `/events/${id}`)
    expect(plain.status).toBe(200)
    expect(plain.body).toEqual({
      id,
      type: 'CUSTOM_RESOURCE_RECORD_CREATED',
      category: 'CUSTOM_CONNECTION',
      source: 'PUBLIC_API',
      description:
        'admin@acme.example uploaded 1 record(s) to session run-9 (1 created, 0 updated) in resource 1 of custom connection 1 via the Public API',
      status: null,
      createdAt: event?.createdAt,
      userId: 1,
      connectionId: 1,
      requestDescription: null,
    })

    const expanded = await call(
      sb,
      'GET',
      `/events/${id}?expand[]=user&expand[]=connection&expand[]=metadata`,
    )
    expect(expanded.body.user).toEqual({
      id: 1,
      email: 'admin@acme.example',
      firstName: null,
      lastName: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    })
    expect(expanded.body.connection).toMatchObject({ id: 1, clientType: 'CUSTOM', state: 'ACTIVE' })
    expect(expanded.body.metadata).toMatchObject({
      targetEntity: { connectionId: 1, resourceId: 1, sessionId: 'run-9', created: 1 },
      request: { method: 'POST', path: `${RES}/sessions/run-9` },
    })
    expect(expanded.body.issues).toEqual([])

    const unknown = await call(sb, 'GET', '/events/aaaaaaaa-bbbb-4000-8ccc-dddddddddddd')
    expect(unknown.status).toBe(404)
    expect((await call(sb, 'GET', '/events/42')).status).toBe(400)
  })

  it('needs event-tracking-get-event, separate from event-tracking-get', async () => {
    const sb = await start({ keys: { lister: { permissions: ['event-tracking-get'] } } })
    expect((await call(sb, 'GET', '/events', undefined, { key: 'lister' })).status).toBe(200)
    const id = '00000000-0000-4000-8000-000000000001'
    expect((await call(sb, 'GET', `/events/${id}`, undefined, { key: 'lister' })).status).toBe(403)
    expect((await call(sb, 'GET', '/events', undefined, { key: null })).status).toBe(401)
  })
})
