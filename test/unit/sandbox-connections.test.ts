import { afterEach, describe, expect, it } from 'vitest'
import { call } from '../sandbox/client.ts'
import { type Sandbox, type SandboxOptions, startSandbox } from '../sandbox/server.ts'

const running: Sandbox[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((sb) => sb.close()))
})

async function start(opts?: SandboxOptions): Promise<Sandbox> {
  const sb = await startSandbox(opts)
  running.push(sb)
  return sb
}

const NAMED: SandboxOptions = {
  resources: [
    { connectionId: 3, resourceId: 31, connectionAlias: 'GitHub', resourceName: 'Builds' },
    { connectionId: 3, resourceId: 32, resourceName: 'Releases' },
    { connectionId: 1, resourceId: 11, connectionAlias: null },
    { connectionId: 2, resourceId: 21, resourceName: 'Old', deletedAt: '2025-01-01T00:00:00.000Z' },
  ],
}

describe('GET /custom-connections', () => {
  it('lists CustomConnectionResponsePublicV2Dto in id order, resources only when expanded', async () => {
    const sb = await start(NAMED)
    const plain = await call(sb, 'GET', '/custom-connections')
    expect(plain.status).toBe(200)
    expect(plain.body.pagination).toEqual({ cursor: null, totalCount: null })
    expect(plain.body.data.map((c: { id: number }) => c.id)).toEqual([1, 2, 3])
    expect(plain.body.data[0]).toEqual({
      id: 1,
      clientAlias: null,
      description: null,
      providerTypes: ['CUSTOM'],
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
      createdById: 1,
    })
    const expanded = await call(sb, 'GET', '/custom-connections?expand[]=customResources')
    const github = expanded.body.data[2]
    expect(github.clientAlias).toBe('GitHub')
    expect(github.customResources).toEqual([
      {
        id: 31,
        name: 'Builds',
        description: null,
        schema: { type: 'object' },
        createdAt: '2024-01-01T00:00:00.000Z',
        updatedAt: '2024-01-01T00:00:00.000Z',
        deletedAt: null,
      },
      expect.objectContaining({ id: 32, name: 'Releases' }),
    ])
    expect(expanded.body.data[1].clientAlias).toBe('Connection 2')
    expect(expanded.body.data[1].customResources[0]).toMatchObject({
      name: 'Old',
      deletedAt: '2025-01-01T00:00:00.000Z',
    })
    expect(expanded.body.data[2].createdByUser).toBeUndefined()
    const withUser = await call(sb, 'GET', '/custom-connections?expand[]=createdByUser')
    expect(withUser.body.data[0].createdByUser).toMatchObject({
      id: 1,
      email: 'admin@acme.example',
    })
  })

  it('pages with a cursor and gives totalCount on the first page when asked', async () => {
    const sb = await start(NAMED)
    const first = await call(sb, 'GET', '/custom-connections?size=2&includeTotalCount=true')
    expect(first.body.data.map((c: { id: number }) => c.id)).toEqual([1, 2])
    expect(first.body.pagination.totalCount).toBe(3)
    const cursor = first.body.pagination.cursor as string
    expect(cursor).toEqual(expect.any(String))
    const next = await call(
      sb,
      'GET',
      `/custom-connections?size=2&cursor=${encodeURIComponent(cursor)}&includeTotalCount=true`,
    )
    expect(next.body.data.map((c: { id: number }) => c.id)).toEqual([3])
    expect(next.body.pagination).toEqual({ cursor: null, totalCount: null })
  })

  it('refuses unknown query parameters and expand values (400)', async () => {
    const sb = await start()
    expect((await call(sb, 'GET', '/custom-connections?name=x')).status).toBe(400)
    expect((await call(sb, 'GET', '/custom-connections?expand[]=records')).status).toBe(400)
    expect((await call(sb, 'GET', '/custom-connections?size=501')).status).toBe(400)
  })

  it('needs custom-connections-get (403) and the entitlement (402)', async () => {
    const sb = await start({
      keys: { narrow: { permissions: ['custom-connections-data-post'] }, poor: { plan: false } },
    })
    expect(
      (await call(sb, 'GET', '/custom-connections', undefined, { key: 'narrow' })).status,
    ).toBe(403)
    expect((await call(sb, 'GET', '/custom-connections', undefined, { key: 'poor' })).status).toBe(
      402,
    )
    expect((await call(sb, 'GET', '/custom-connections', undefined, { key: null })).status).toBe(
      401,
    )
  })
})

describe('GET /custom-connections/{connectionId}', () => {
  it('answers one connection, 404 for an unknown one, 400 for a malformed id', async () => {
    const sb = await start(NAMED)
    const one = await call(sb, 'GET', '/custom-connections/3?expand[]=customResources')
    expect(one.status).toBe(200)
    expect(one.body.customResources.map((r: { name: string }) => r.name)).toEqual([
      'Builds',
      'Releases',
    ])
    expect((await call(sb, 'GET', '/custom-connections/9')).status).toBe(404)
    expect((await call(sb, 'GET', '/custom-connections/x')).status).toBe(400)
  })

  it('a soft-deleted resource takes no records', async () => {
    const sb = await start(NAMED)
    const res = await call(sb, 'POST', '/custom-connections/2/resources/21/records', {
      data: { id: 'a' },
    })
    expect(res.status).toBe(404)
  })

  it('refuses resource configs that disagree about a connection', async () => {
    await expect(
      startSandbox({
        resources: [
          { connectionId: 1, resourceId: 1, connectionAlias: 'A' },
          { connectionId: 1, resourceId: 2, connectionAlias: 'B' },
        ],
      }),
    ).rejects.toThrow(/two aliases/)
  })
})
