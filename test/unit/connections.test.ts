import { afterEach, describe, expect, it } from 'vitest'
import { ConnectionsApi, type DrataConnection } from '../../src/drata/connections.js'
import { InputError } from '../../src/inputs/index.js'
import { pickTarget, resolveTarget } from '../../src/target.js'
import type { ResourceConfig, Sandbox } from '../sandbox/server.ts'
import { startSandboxApi } from './sandbox-api.js'

const CONNECTIONS: DrataConnection[] = [
  {
    id: 3,
    clientAlias: 'GitHub evidence',
    customResources: [
      { id: 31, name: 'Builds', deletedAt: null },
      { id: 32, name: 'Releases' },
      { id: 33, name: 'Gone', deletedAt: '2025-01-01T00:00:00.000Z' },
      { id: 34, name: 'Twin' },
      { id: 35, name: 'Twin' },
    ],
  },
  { id: 4, clientAlias: 'Twins' },
  { id: 5, clientAlias: 'Twins' },
  { id: 6, clientAlias: null, customResources: [{ id: 61, name: 'Builds' }] },
]

function problem(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).problems.join('\n')
  }
  throw new Error('no InputError')
}

describe('pickTarget', () => {
  it('finds the connection by alias and the resource by name', () => {
    expect(
      pickTarget(CONNECTIONS, { connectionName: 'GitHub evidence', resourceName: 'Builds' }),
    ).toEqual({
      connectionId: 3,
      resourceId: 31,
      connectionName: 'GitHub evidence',
      resourceName: 'Builds',
    })
  })

  it('mixes a name with the other id, and checks that the id fits', () => {
    expect(pickTarget(CONNECTIONS, { connectionId: 6, resourceName: 'Builds' })).toMatchObject({
      connectionId: 6,
      resourceId: 61,
      connectionName: null,
    })
    expect(
      pickTarget(CONNECTIONS, { connectionName: 'GitHub evidence', resourceId: 32 }),
    ).toMatchObject({ resourceName: 'Releases' })
    expect(
      problem(() => pickTarget(CONNECTIONS, { connectionName: 'GitHub evidence', resourceId: 61 })),
    ).toMatch(/^'resource-id' 61 is not a resource of connection 'GitHub evidence' \(id 3\)/)
    expect(
      problem(() => pickTarget(CONNECTIONS, { connectionId: 9, resourceName: 'Builds' })),
    ).toMatch(/^'connection-id' 9 is not a Custom Connection of this account/)
  })

  it('an unknown connection name lists the names that exist', () => {
    expect(problem(() => pickTarget(CONNECTIONS, { connectionName: 'Nope', resourceId: 1 }))).toBe(
      "'connection' 'Nope' is not the name of a Custom Connection of this account. Custom Connections of this account: 'GitHub evidence' (id 3), 'Twins' (id 4), 'Twins' (id 5), (no name, id 6).",
    )
  })

  it('offers a name that differs only in case, but never takes it', () => {
    expect(
      problem(() => pickTarget(CONNECTIONS, { connectionName: 'github evidence', resourceId: 31 })),
    ).toContain("(did you mean 'GitHub evidence'? names are matched exactly)")
  })

  it('an ambiguous name names the ids to choose from', () => {
    expect(problem(() => pickTarget(CONNECTIONS, { connectionName: 'Twins', resourceId: 1 }))).toBe(
      "'connection' 'Twins' is ambiguous: 2 Custom Connections have that name (ids 4, 5). Give 'connection-id' instead.",
    )
    expect(
      problem(() => pickTarget(CONNECTIONS, { connectionId: 3, resourceName: 'Twin' })),
    ).toContain(
      "'resource' 'Twin' is ambiguous: 2 resources of connection 'GitHub evidence' (id 3) have that name (ids 34, 35)",
    )
  })

  it('an unknown resource lists the live resources of the connection; deleted ones are never chosen', () => {
    const message = problem(() =>
      pickTarget(CONNECTIONS, { connectionId: 3, resourceName: 'Gone' }),
    )
    expect(message).toBe(
      "'resource' 'Gone' is not the name of a resource of connection 'GitHub evidence' (id 3). Resources of connection 'GitHub evidence' (id 3): 'Builds' (id 31), 'Releases' (id 32), 'Twin' (id 34), 'Twin' (id 35).",
    )
    expect(
      problem(() => pickTarget(CONNECTIONS, { connectionId: 4, resourceName: 'x' })),
    ).toContain("Resources of connection 'Twins' (id 4): none.")
  })

  it('lists at most 30 names, and says how many more there are', () => {
    const many = Array.from({ length: 45 }, (_, i) => ({ id: i + 1, clientAlias: `c${i + 1}` }))
    const message = problem(() => pickTarget(many, { connectionName: 'x', resourceId: 1 }))
    expect(message).toContain("'c30' (id 30) and 15 more")
    expect(message).not.toContain("'c31'")
  })
})

describe('ConnectionsApi over the sandbox', () => {
  let sandbox: Sandbox | undefined
  afterEach(async () => {
    await sandbox?.close()
    sandbox = undefined
  })

  async function api(resources: ResourceConfig[], permissions?: string[]) {
    const started = await startSandboxApi({
      resources,
      keys: { 'sandbox-key': permissions ? { permissions } : {} },
    })
    sandbox = started.sandbox
    const { parts } = started
    return { parts, connections: new ConnectionsApi(parts.client) }
  }

  it('follows the cursor to the last page, asking for the resources each time', async () => {
    // 1201 connections: pages of 500, 500 and 201.
    const resources = Array.from({ length: 1201 }, (_, i) => ({
      connectionId: i + 1,
      resourceId: 1,
      connectionAlias: `conn-${i + 1}`,
      resourceName: i === 1100 ? 'Target' : 'Other',
    }))
    const { parts, connections } = await api(resources)
    const target = await resolveTarget(connections, {
      connectionName: 'conn-1101',
      resourceName: 'Target',
    })
    expect(target).toEqual({
      connectionId: 1101,
      resourceId: 1,
      connectionName: 'conn-1101',
      resourceName: 'Target',
    })
    const lists = sandbox?.requests.filter((r) => r.path === '/custom-connections') ?? []
    expect(lists).toHaveLength(3)
    for (const r of lists) expect(r.query['expand[]']).toBe('customResources')
    await parts.close()
  })

  it('stops on a repeated cursor or a page without pagination, never guessing', async () => {
    const resources = Array.from({ length: 600 }, (_, i) => ({
      connectionId: i + 1,
      resourceId: 1,
    }))
    const { parts, connections } = await api(resources)
    sandbox?.addFault({ kind: 'repeat-cursor', path: '/custom-connections', skip: 1 })
    await expect(connections.list()).rejects.toThrow(/same page cursor twice/)
    sandbox?.clearFaults()
    sandbox?.addFault({ kind: 'no-pagination', path: '/custom-connections' })
    await expect(connections.list()).rejects.toThrow(/no well-formed 'pagination'/)
    await parts.close()
  })

  it('names the permission a 403 lacks', async () => {
    const { parts, connections } = await api(
      [{ connectionId: 1, resourceId: 1 }],
      ['custom-connections-data-post'],
    )
    await expect(connections.list()).rejects.toThrow(
      'The API key lacks the permission "Custom Connections Management: List Custom Connections" (custom-connections-get)',
    )
    await parts.close()
  })
})
