import { describe, expect, it } from 'vitest'
import { call, tickingClock } from '../sandbox/client.ts'
import { useSandboxes } from '../sandbox/hooks.ts'

const start = useSandboxes()

const valid = {
  name: 'MacBook Pro 16-inch',
  description: 'Engineering laptop',
  assetClassTypes: ['HARDWARE'],
  assetType: 'PHYSICAL',
  ownerId: 2,
}

const ISO = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)

describe('POST /assets', () => {
  it('creates an asset: 201 with AssetResponsePublicV2Dto, owner and class types on expand', async () => {
    const sb = await start({ now: tickingClock() })
    const res = await call(sb, 'POST', '/assets', {
      ...valid,
      notes: 'Serial on the back',
      associatedId: 'C02T6CDJGTFL',
      externalId: 'i-0c844e3b433e4e3f',
      externalOwnerId: 'account-353',
      assetClassTypes: ['HARDWARE', 'PERSONNEL'],
    })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      id: 1,
      name: 'MacBook Pro 16-inch',
      description: 'Engineering laptop',
      assetType: 'PHYSICAL',
      assetProvider: 'DRATA',
      removedAt: null,
      notes: 'Serial on the back',
      assetReferenceType: 'OTHER',
      associatedId: 'C02T6CDJGTFL',
      createdAt: ISO,
      updatedAt: ISO,
      device: null,
      externalId: 'i-0c844e3b433e4e3f',
      externalOwnerId: 'account-353',
    })

    const got = await call(sb, 'GET', '/assets/1?expand[]=owner&expand[]=assetClassTypes')
    expect(got.status).toBe(200)
    expect(got.body.owner).toEqual({
      id: 2,
      email: 'sec@acme.example',
      firstName: null,
      lastName: null,
      createdAt: ISO,
      updatedAt: ISO,
      jobTitle: null,
      avatarUrl: null,
      drataTermsAgreedAt: null,
    })
    expect(got.body.assetClassTypes).toEqual([
      { id: expect.any(Number), assetClassType: 'HARDWARE', createdAt: ISO, updatedAt: ISO },
      { id: expect.any(Number), assetClassType: 'PERSONNEL', createdAt: ISO, updatedAt: ISO },
    ])
    const plain = await call(sb, 'GET', '/assets/1')
    expect(plain.body).not.toHaveProperty('owner')
    expect(sb.assets()).toEqual([got.body])

    const virtual = await call(sb, 'POST', '/assets', {
      ...valid,
      assetType: 'VIRTUAL',
      assetClassTypes: ['COMPUTE'],
      removedAt: '2025-07-01T16:45:55.246Z',
    })
    expect(virtual.status).toBe(201)
    expect(virtual.body).toMatchObject({
      id: 2,
      assetReferenceType: 'VIRTUAL',
      removedAt: '2025-07-01T16:45:55.246Z',
    })
  })

  it('answers 400 naming the field for missing, too long, mistyped and unknown fields', async () => {
    const sb = await start()
    const bad = async (body: Record<string, unknown>) => {
      const res = await call(sb, 'POST', '/assets', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body).toMatchObject({ name: 'BadRequestException', statusCode: 400 })
      return res.body.message as string
    }
    const without = (key: string) =>
      Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key))
    for (const field of ['name', 'description', 'assetClassTypes', 'assetType', 'ownerId']) {
      expect(await bad(without(field))).toContain(field)
    }
    expect(await bad({ ...valid, name: 'x'.repeat(192) })).toBe(
      'name must be shorter than or equal to 191 characters',
    )
    expect(await bad({ ...valid, description: 'x'.repeat(192) })).toContain('description')
    expect(await bad({ ...valid, notes: 'x'.repeat(192) })).toContain('notes')
    expect(await bad({ ...valid, assetType: 'CLOUD' })).toBe(
      'assetType must be one of the following values: PHYSICAL, VIRTUAL',
    )
    expect(await bad({ ...valid, assetClassTypes: ['LAPTOP'] })).toContain(
      'each value in assetClassTypes must be one of the following values: HARDWARE,',
    )
    expect(await bad({ ...valid, assetClassTypes: [] })).toContain('assetClassTypes')
    expect(await bad({ ...valid, assetClassTypes: 'HARDWARE' })).toContain('assetClassTypes')
    expect(await bad({ ...valid, ownerId: '2' })).toContain('ownerId')
    expect(await bad({ ...valid, name: '' })).toBe('name should not be empty')
    expect(await bad({ ...valid, removedAt: 'yesterday' })).toContain('removedAt')
    expect(await bad({ ...valid, color: 'black' })).toBe('property color should not exist')
    const both = await bad({ ...valid, name: 7, assetType: 'X' })
    expect(both).toContain('name must be a string')
    expect(both).toContain('assetType must be one of')
    expect(sb.assets()).toEqual([])

    const exactly191 = await call(sb, 'POST', '/assets', { ...valid, name: 'é'.repeat(191) })
    expect(exactly191.status).toBe(201)
  })

  it('answers 404 for an owner that is not a user, and for custom fields (none exist)', async () => {
    const sb = await start()
    const owner = await call(sb, 'POST', '/assets', { ...valid, ownerId: 99 })
    expect(owner.status).toBe(404)
    expect(owner.body).toMatchObject({ name: 'NotFoundException', statusCode: 404 })
    expect(owner.body.message).toContain('ownerId 99')
    const custom = await call(sb, 'POST', '/assets', {
      ...valid,
      customFields: [{ name: 'Stakeholders', value: 'IT' }],
    })
    expect(custom.status).toBe(404)
    const malformed = await call(sb, 'POST', '/assets', { ...valid, customFields: [{ value: 1 }] })
    expect(malformed.status).toBe(400)
    expect(sb.assets()).toEqual([])
    expect(sb.events()).toEqual([])
  })
})

describe('GET /assets', () => {
  it('pages with a cursor, counts on the first page, sorts and filters', async () => {
    const sb = await start({ now: tickingClock() })
    for (let i = 1; i <= 5; i++) {
      const res = await call(sb, 'POST', '/assets', {
        ...valid,
        name: `Asset ${i}`,
        assetType: i % 2 ? 'PHYSICAL' : 'VIRTUAL',
        assetClassTypes: i % 2 ? ['HARDWARE'] : ['DATABASE'],
        ownerId: i <= 2 ? 1 : 2,
      })
      expect(res.status).toBe(201)
    }
    const names = (body: { data: Array<{ name: string }> }) => body.data.map((a) => a.name)

    const first = await call(sb, 'GET', '/assets?size=2&includeTotalCount=true')
    expect(first.status).toBe(200)
    expect(names(first.body)).toEqual(['Asset 1', 'Asset 2'])
    expect(first.body.pagination).toEqual({ cursor: expect.any(String), totalCount: 5 })
    const next = (cursor: string) => `/assets?size=2&cursor=${encodeURIComponent(cursor)}`
    const second = await call(sb, 'GET', next(first.body.pagination.cursor))
    expect(names(second.body)).toEqual(['Asset 3', 'Asset 4'])
    expect(second.body.pagination.totalCount).toBeNull()
    const third = await call(sb, 'GET', next(second.body.pagination.cursor))
    expect(names(third.body)).toEqual(['Asset 5'])
    expect(third.body.pagination).toEqual({ cursor: null, totalCount: null })

    const desc = await call(sb, 'GET', '/assets?size=2&sort=updatedAt&sortDir=DESC')
    expect(names(desc.body)).toEqual(['Asset 5', 'Asset 4'])

    const virtual = await call(sb, 'GET', '/assets?assetType=VIRTUAL')
    expect(names(virtual.body)).toEqual(['Asset 2', 'Asset 4'])
    const owned = await call(sb, 'GET', '/assets?userId=1')
    expect(names(owned.body)).toEqual(['Asset 1', 'Asset 2'])
    const byClass = await call(
      sb,
      'GET',
      '/assets?assetClassType=DATABASE&expand[]=assetClassTypes',
    )
    expect(names(byClass.body)).toEqual(['Asset 2', 'Asset 4'])
    expect(byClass.body.data[0].assetClassTypes[0].assetClassType).toBe('DATABASE')
    const provider = await call(sb, 'GET', '/assets?assetProvider=AGENT')
    expect(provider.body.data).toEqual([])
    const employed = await call(sb, 'GET', '/assets?employmentStatus=CURRENT_EMPLOYEE')
    expect(employed.body.data).toHaveLength(5)

    for (const bad of [
      'assetType=CLOUD',
      'assetClassType=DATABASE',
      'expand[]=everything',
      'search=mac',
      'size=0',
      'sort=name',
      'userId=x',
      'employmentStatus=RETIRED',
      'cursor=%%%',
    ]) {
      expect((await call(sb, 'GET', `/assets?${bad}`)).status, bad).toBe(400)
    }
  })
})

describe('PUT and DELETE /assets/{assetId}', () => {
  it('updates only the fields sent, keeps class type rows, and 404s unknown assets', async () => {
    const sb = await start({ now: tickingClock() })
    const created = await call(sb, 'POST', '/assets', {
      ...valid,
      assetClassTypes: ['HARDWARE', 'SOFTWARE'],
    })
    const before = sb.assets()[0]
    const put = await call(sb, 'PUT', '/assets/1', {
      name: 'Renamed',
      notes: 'Moved to IT',
      ownerId: 1,
      assetClassTypes: ['SOFTWARE', 'STORAGE'],
    })
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({
      id: 1,
      name: 'Renamed',
      description: 'Engineering laptop',
      notes: 'Moved to IT',
      createdAt: created.body.createdAt,
    })
    expect(put.body.updatedAt > created.body.updatedAt).toBe(true)
    const after = sb.assets()[0]
    expect(after?.owner?.id).toBe(1)
    const software = (a: typeof after) =>
      a?.assetClassTypes?.find((c) => c.assetClassType === 'SOFTWARE')
    expect(software(after)).toEqual(software(before))
    expect(after?.assetClassTypes?.map((c) => c.assetClassType)).toEqual(['SOFTWARE', 'STORAGE'])

    expect((await call(sb, 'PUT', '/assets/1', { name: 'x'.repeat(192) })).status).toBe(400)
    // AssetModifyRequestPublicV2Dto has no externalId.
    expect((await call(sb, 'PUT', '/assets/1', { externalId: 'i-1' })).status).toBe(400)
    expect((await call(sb, 'PUT', '/assets/1', { ownerId: 99 })).status).toBe(404)
    expect((await call(sb, 'PUT', '/assets/7', { name: 'x' })).status).toBe(404)
    expect((await call(sb, 'PUT', '/assets/abc', { name: 'x' })).status).toBe(400)
    expect(sb.assets()[0]?.name).toBe('Renamed')
  })

  it('deletes with 204, then answers 404; provider assets cannot be removed', async () => {
    const sb = await start()
    await call(sb, 'POST', '/assets', valid)
    const del = await call(sb, 'DELETE', '/assets/1')
    expect(del.status).toBe(204)
    expect(del.body).toBeUndefined()
    expect((await call(sb, 'GET', '/assets/1')).status).toBe(404)
    expect((await call(sb, 'DELETE', '/assets/1')).status).toBe(404)
    expect(sb.assets()).toEqual([])

    const agent = sb.seedAsset({ name: 'Agent laptop', ownerId: 1, assetProvider: 'AGENT' })
    expect(agent).toMatchObject({ id: 2, assetProvider: 'AGENT', owner: { id: 1 } })
    expect((await call(sb, 'DELETE', `/assets/${agent.id}`)).status).toBe(400)
    expect(sb.assets().map((a) => a.id)).toEqual([2])
  })
})

describe('assets and the shared machinery', () => {
  it('answers 403 to a key lacking the asset permission, and never 402 (no entitlement)', async () => {
    const sb = await start({
      keys: { reader: { permissions: ['assets-get'] }, noPlan: { plan: false } },
    })
    expect((await call(sb, 'GET', '/assets', undefined, { key: 'reader' })).status).toBe(200)
    const denied = await call(sb, 'POST', '/assets', valid, { key: 'reader' })
    expect(denied.status).toBe(403)
    expect(denied.body).toEqual({
      statusCode: 403,
      message: 'You are not allowed to perform this action',
      code: expect.any(Number),
    })
    expect((await call(sb, 'DELETE', '/assets/1', undefined, { key: 'reader' })).status).toBe(403)
    expect((await call(sb, 'GET', '/assets', undefined, { key: null })).status).toBe(401)
    expect((await call(sb, 'POST', '/assets', valid, { key: 'noPlan' })).status).toBe(201)
    expect(sb.assets()).toHaveLength(1)
  })

  it('applies faults, logs requests and rate-limits the asset routes', async () => {
    const clock = tickingClock()
    // A 'status' fault answers before the rate limiter counts the request (faults stand in for
    // the network in front of Drata), so three requests count: one POST and two GETs.
    const sb = await start({ now: clock, rateLimitPerMinute: 3 })
    sb.addFault({ kind: 'status', status: 503, method: 'POST', path: '/assets' })
    expect((await call(sb, 'POST', '/assets', valid)).status).toBe(503)
    expect(sb.assets()).toEqual([])
    sb.addFault({ kind: 'status-after-apply', status: 500, path: /^\/assets$/ })
    expect((await call(sb, 'POST', '/assets', valid)).status).toBe(500)
    expect(sb.assets()).toHaveLength(1)
    expect(sb.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/assets', 503],
      ['POST', '/assets', 500],
    ])
    expect(sb.requests[0]?.body).toEqual(valid)
    expect((await call(sb, 'GET', '/assets')).status).toBe(200)
    expect((await call(sb, 'GET', '/assets')).status).toBe(200)
    expect((await call(sb, 'GET', '/assets')).status).toBe(429)
  })

  it('state() lists assets sorted by id with owner and class types', async () => {
    const sb = await start()
    sb.seedAsset({ name: 'B', ownerId: 2, assetType: 'VIRTUAL', assetClassTypes: ['CODE'] })
    await call(sb, 'POST', '/assets', valid)
    const state = sb.state()
    expect(state.assets.map((a) => [a.id, a.name, a.owner?.email])).toEqual([
      [1, 'B', 'sec@acme.example'],
      [2, 'MacBook Pro 16-inch', 'sec@acme.example'],
    ])
    expect(state.assets[0]?.assetReferenceType).toBe('VIRTUAL')
    expect(JSON.stringify(sb.state())).toBe(JSON.stringify(sb.state()))
    expect(() => sb.seedAsset({ name: 'C', ownerId: 42 })).toThrow(/ownerId/)
  })
})
