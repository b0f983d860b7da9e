import { afterEach, describe, expect, it } from 'vitest'
import { run as runMain } from '../../src/main.js'
import { run as runPost } from '../../src/post.js'
import { secretForms } from '../../src/secrets.js'
import { type Sandbox, startSandbox } from '../sandbox/server.ts'
import { recordingIO } from './action-io-fake.js'

const KEY = 'drk_live_0123456789abcdef'
let sandbox: Sandbox
afterEach(async () => {
  await sandbox.close()
})

function env(inputs: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {
    GITHUB_RUN_ID: '77',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'evidence',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_WORKSPACE: process.cwd(),
  }
  for (const [name, value] of Object.entries(inputs)) out[`INPUT_${name.toUpperCase()}`] = value
  return out
}

const noWait = { sleep: async () => {}, now: Date.now }

/** The environment of a main step that pushes one inline record to the sandbox. */
const pushEnv = (extra: Record<string, string> = {}) =>
  env({
    'api-key': KEY,
    'api-url': sandbox.url,
    'connection-id': '1',
    'resource-id': '1',
    collect: 'none',
    records: '{"id":"a"}',
    ...extra,
  })

describe('main', () => {
  it('pushes, writes every output once and fails nothing on success', async () => {
    sandbox = await startSandbox({ keys: { [KEY]: {} } })
    const rec = recordingIO()
    await runMain(pushEnv(), { io: rec.io, ...noWait })
    expect(rec.failed).toEqual([])
    expect(rec.outputs['records-pushed']).toBe('1')
    expect(rec.summary).toHaveLength(1)
    expect(sandbox.activeRecords(1, 1).map((r) => r.id)).toEqual(['a'])
  })

  it('redacts the key from its own messages too: a key pasted as the session id', async () => {
    sandbox = await startSandbox({ keys: { [KEY]: {} } })
    const rec = recordingIO()
    await runMain(pushEnv({ mode: 'replace', 'session-id': KEY }), { io: rec.io, ...noWait })
    expect(rec.failed).toEqual([])
    // The step's own log lines name the session; the key must not show in any of them.
    expect(rec.calls.some((c) => c.startsWith('info:') && c.includes("Session '***'"))).toBe(true)
    const said = [...rec.calls, ...Object.values(rec.outputs), ...rec.summary].join('\n')
    expect(said).not.toContain(KEY)
  })

  it('redacts the key from every message built from Drata’s answer: log, outputs, summary, failure', async () => {
    sandbox = await startSandbox({ keys: { [KEY]: {} } })
    sandbox.addFault({ kind: 'status', status: 500, message: `key ${KEY} is broken`, times: 20 })
    const rec = recordingIO()
    await runMain(pushEnv({ 'max-retries': '1' }), { io: rec.io, ...noWait })
    expect(rec.failed).toHaveLength(1)
    expect(rec.failed[0]).toContain('key *** is broken')
    const said = rec.calls.join('\n')
    expect(said).toContain('***')
    expect(said).not.toContain(KEY)
  })

  it('bad inputs fail the step, name the input, and send nothing', async () => {
    sandbox = await startSandbox({ keys: { [KEY]: {} } })
    const rec = recordingIO()
    await runMain(env({ 'api-key': KEY, 'api-url': sandbox.url, mode: 'upsert' }), {
      io: rec.io,
      ...noWait,
    })
    expect(rec.failed[0]).toMatch(/'mode: upsert' was removed/)
    expect(sandbox.requests).toEqual([])
  })
})

describe('main with connection and resource names', () => {
  const NAMED = [
    { connectionId: 1, resourceId: 1, connectionAlias: 'Other', resourceName: 'Builds' },
    { connectionId: 3, resourceId: 31, connectionAlias: 'GitHub', resourceName: 'Builds' },
    { connectionId: 3, resourceId: 32, resourceName: 'Releases' },
  ]
  const named = (extra: Record<string, string> = {}) =>
    env({
      'api-key': KEY,
      'api-url': sandbox.url,
      connection: 'GitHub',
      resource: 'Releases',
      collect: 'none',
      records: '{"id":"a"}',
      mode: 'replace',
      ...extra,
    })

  it('resolves them once, before any write, and pushes to that resource', async () => {
    sandbox = await startSandbox({ keys: { [KEY]: {} }, resources: NAMED })
    const rec = recordingIO()
    await runMain(named(), { io: rec.io, ...noWait })
    expect(rec.failed).toEqual([])
    expect(sandbox.activeRecords(3, 32).map((r) => r.id)).toEqual(['a'])
    expect(sandbox.activeRecords(3, 31)).toEqual([])
    const lists = sandbox.requests.filter((r) => r.path === '/custom-connections')
    expect(lists).toHaveLength(1)
    expect(sandbox.requests[0]?.path).toBe('/custom-connections')
    expect(JSON.parse(rec.outputs.result ?? '{}')).toMatchObject({
      connectionId: 3,
      resourceId: 32,
      connectionName: 'GitHub',
      resourceName: 'Releases',
    })
    expect(rec.summary[0]).toContain(
      'Drata resource <strong>Releases</strong> (id 32) of connection <strong>GitHub</strong> (id 3)',
    )
    // The post step cancels on the resolved resource.
    expect(JSON.parse(rec.state.session ?? '{}')).toMatchObject({ connectionId: 3, resourceId: 32 })
  })

  it('an unknown name fails the step with the names that exist, writes nothing, whatever fail-on-error says', async () => {
    sandbox = await startSandbox({ keys: { [KEY]: {} }, resources: NAMED })
    const rec = recordingIO()
    await runMain(named({ resource: 'Deploys', 'fail-on-error': 'false' }), {
      io: rec.io,
      ...noWait,
    })
    expect(rec.failed).toHaveLength(1)
    expect(rec.failed[0]).toContain(
      "'resource' 'Deploys' is not the name of a resource of connection 'GitHub' (id 3). Resources of connection 'GitHub' (id 3): 'Builds' (id 31), 'Releases' (id 32).",
    )
    expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /custom-connections',
    ])
    expect(rec.summary[0]).toContain('Nothing was sent to Drata')
  })

  it('a key without the list permission fails naming it; fail-on-error false softens it like any Drata failure', async () => {
    sandbox = await startSandbox({
      keys: { [KEY]: { permissions: ['custom-connections-data-post'] } },
      resources: NAMED,
    })
    const rec = recordingIO()
    await runMain(named(), { io: rec.io, ...noWait })
    expect(rec.failed[0]).toContain('Custom Connections Management: List Custom Connections')
    expect(sandbox.requests.filter((r) => r.method !== 'GET')).toEqual([])
    const soft = recordingIO()
    await runMain(named({ 'fail-on-error': 'false' }), { io: soft.io, ...noWait })
    expect(soft.failed).toEqual([])
    expect(
      soft.calls.some((c) => c.startsWith('warning:') && c.includes('custom-connections-get')),
    ).toBe(true)
  })
})

describe('post', () => {
  const saved = () => ({
    'session-closed': 'false',
    session: JSON.stringify({
      connectionId: 1,
      resourceId: 1,
      sessionId: 'gh-77-1-evidence-00000000',
      baseUrl: sandbox.url,
      region: 'us',
      started: Date.now() - 60_000,
    }),
  })

  it('does nothing, and says so, when main left no session open', async () => {
    sandbox = await startSandbox()
    const rec = recordingIO({})
    await runPost(env({ 'api-key': KEY }), { io: rec.io, ...noWait })
    // The key is registered raw and in each of its encoded forms, before anything else.
    const forms = secretForms(KEY).map((f) => `secret: ${f.length} chars`)
    expect(rec.calls).toEqual([...forms, 'info: No Drata session was left open by the main step'])
    expect(sandbox.requests).toEqual([])
  })

  it('redacts the key from its own messages whatever the saved state holds', async () => {
    sandbox = await startSandbox({ keys: { [KEY]: {} } })
    const state = JSON.parse(saved().session) as Record<string, unknown>
    const rec = recordingIO({
      'session-closed': 'false',
      session: JSON.stringify({ ...state, sessionId: KEY }),
    })
    await runPost(env({ 'api-key': KEY }), { io: rec.io, ...noWait })
    expect(rec.calls.some((c) => c.includes("Session '***'"))).toBe(true)
    expect(rec.calls.join('\n')).not.toContain(KEY)
  })

  it('redacts the key from its warning and never fails the step', async () => {
    sandbox = await startSandbox({ keys: { [KEY]: {} } })
    sandbox.addFault({ kind: 'status', status: 500, message: `not for ${KEY}`, times: 50 })
    const rec = recordingIO(saved())
    await runPost(env({ 'api-key': KEY }), { io: rec.io, ...noWait })
    expect(rec.failed).toEqual([])
    const warning = rec.calls.find((c) => c.startsWith('warning:')) ?? ''
    expect(warning).toContain('Could not cancel the open Drata session')
    expect(rec.calls.join('\n')).not.toContain(KEY)
  })

  it('looks again for a session an upload in flight may still create, then says it never existed', async () => {
    sandbox = await startSandbox({ keys: { [KEY]: {} } })
    const slept: number[] = []
    const rec = recordingIO(saved())
    await runPost(env({ 'api-key': KEY }), {
      io: rec.io,
      sleep: async (ms) => void slept.push(ms),
      now: Date.now,
    })
    expect(slept).toEqual([2_000, 4_000])
    expect(rec.calls.at(-1)).toBe(
      "info: Session 'gh-77-1-evidence-00000000' was never created in Drata; nothing to cancel",
    )
    expect(rec.calls.some((c) => c.startsWith('warning:'))).toBe(false)
    // It only ever asked to cancel; it never uploads or completes.
    for (const r of sandbox.requests.filter((x) => x.method === 'POST')) {
      expect(r.body).toEqual({ action: 'cancel' })
    }
  })
})
