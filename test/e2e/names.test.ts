// The bundled action with 'connection' and 'resource' names instead of ids.
import { afterEach, describe, expect, it } from 'vitest'
import { type Sandbox, startSandbox } from '../sandbox/server.ts'
import { API_KEY, runAction, runPost, writes } from './harness.ts'

const RESOURCES = [
  { connectionId: 4, resourceId: 40, connectionAlias: 'GitHub evidence', resourceName: 'Builds' },
  { connectionId: 4, resourceId: 41, resourceName: 'Releases' },
  { connectionId: 5, resourceId: 50, connectionAlias: 'Posture', resourceName: 'Builds' },
]

let sandbox: Sandbox
afterEach(async () => {
  await sandbox.close()
})

function inputs(extra: Record<string, string>): Record<string, string> {
  return {
    'api-key': API_KEY,
    'api-url': sandbox.url,
    collect: 'none',
    records: '[{"id":"a"},{"id":"b"}]',
    ...extra,
  }
}

describe('connection and resource names (dist)', () => {
  it('resolves the names, pushes there and reports the ids; post cancels on the same resource', async () => {
    sandbox = await startSandbox({ resources: RESOURCES })
    const main = await runAction({
      inputs: inputs({ connection: 'GitHub evidence', resource: 'Releases', mode: 'replace' }),
    })
    expect(main.code).toBe(0)
    expect(sandbox.activeRecords(4, 41).map((r) => r.id)).toEqual(['a', 'b'])
    expect(JSON.parse(main.outputs.result ?? '{}')).toMatchObject({
      connectionId: 4,
      resourceId: 41,
      connectionName: 'GitHub evidence',
      resourceName: 'Releases',
    })
    expect(main.summary).toContain('(id 41) of connection <strong>GitHub evidence</strong> (id 4)')
    const post = await runPost(main, { inputs: inputs({}) })
    expect(post.code).toBe(0)
  })

  it('an unknown resource fails with the names that exist and writes nothing', async () => {
    sandbox = await startSandbox({ resources: RESOURCES })
    const main = await runAction({
      inputs: inputs({ 'connection-id': '5', resource: 'Releases' }),
    })
    expect(main.code).toBe(1)
    expect(main.stdout).toContain(
      "'resource' 'Releases' is not the name of a resource of connection 'Posture' (id 5). Resources of connection 'Posture' (id 5): 'Builds' (id 50).",
    )
    expect(writes(sandbox.requests)).toBe(0)
  })
})
