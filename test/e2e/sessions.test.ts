import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type GithubFake, startGithubFake } from '../github-fake/server.ts'
import { type Sandbox, startSandbox } from '../sandbox/server.ts'
import { makeRecords, runAction, runPost, sandboxInputs } from './harness.ts'

let sandbox: Sandbox
let github: GithubFake
beforeAll(async () => {
  github = await startGithubFake()
})
afterAll(async () => {
  await github.close()
})
beforeEach(async () => {
  sandbox = await startSandbox()
  github.state.workflowRuns = {}
})
afterEach(async () => {
  await sandbox.close()
})

const HOUR = 3_600_000
const ids = () => sandbox.activeRecords(1, 1).map((r) => r.id)
const sessions = () => sandbox.state().resources[0]?.sessions ?? []
const status = (id: string) => sessions().find((s) => s.sessionId === id)?.status
const githubEnv = () => ({ GITHUB_API_URL: github.url })

describe('matrix jobs of one run', () => {
  it('each get their own session, and the resource never holds a mix of their records', async () => {
    sandbox.seed(1, 1, makeRecords(100, 'before'))
    // Three matrix jobs: same run, attempt and job id, started together.
    const jobs = ['a', 'b', 'c'].map((name) =>
      runAction({
        inputs: sandboxInputs(sandbox.url, {
          mode: 'replace',
          records: JSON.stringify(makeRecords(100, `job-${name}`)),
          'batch-size': '10',
          'allow-shrink': 'true',
          'session-wait': '60',
        }),
      }),
    )
    const results = await Promise.all(jobs)
    for (const r of results) expect(r.code, r.stdout).toBe(0)
    const sessionIds = results.map((r) => r.outputs['session-id'])
    expect(new Set(sessionIds).size).toBe(3)
    for (const id of sessionIds) expect(id).toMatch(/^gh-9001-1-evidence-[0-9a-f]{8}$/)
    // Exactly one job's snapshot is active: never records of two jobs.
    const prefixes = new Set(ids().map((id) => id.split('-').slice(0, 2).join('-')))
    expect(prefixes.size).toBe(1)
    expect(ids()).toHaveLength(100)
  })
})

describe('stranded sessions', () => {
  it('cancels a session idle longer than stale-session-after, then pushes', async () => {
    sandbox.seed(1, 1, [{ id: 'kept' }])
    sandbox.seedSession(1, 1, 'runner-died', {
      createdAt: new Date(Date.now() - 7 * HOUR),
      records: [{ id: 'half-staged' }],
    })
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, { records: '{"id":"new"}', 'session-wait': '5' }),
    })
    expect(result.code).toBe(0)
    expect(status('runner-died')).toBe('CANCELED')
    expect(ids()).toEqual(['kept', 'new'])
    expect(result.stdout).toContain("::warning::Cancelling session 'runner-died'")
    expect(result.summary).toContain('Stranded sessions cancelled (1)')
    expect(JSON.parse(result.outputs.result ?? '').recoveredSessions).toEqual([
      { sessionId: 'runner-died', reason: expect.stringContaining('stale-session-after') },
    ])
  })

  it('cancels one of this action’s sessions whose GitHub run has finished', async () => {
    github.state.workflowRuns = { 4242: { status: 'completed', conclusion: 'cancelled' } }
    sandbox.seedSession(1, 1, 'gh-4242-1-evidence-0a0b0c0d', {
      createdAt: new Date(Date.now() - 10 * 60_000),
    })
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        mode: 'replace',
        records: '{"id":"new"}',
        'github-token': 'ghs_e2eFakeToken0123456789',
        'session-wait': '5',
      }),
      env: githubEnv(),
    })
    expect(result.code, result.stdout).toBe(0)
    expect(status('gh-4242-1-evidence-0a0b0c0d')).toBe('CANCELED')
    expect(result.stdout).toContain('its GitHub run 4242 has finished')
    expect(github.requests.some((r) => r.path.endsWith('/actions/runs/4242'))).toBe(true)
  })

  it('waits for a young session of a running job and never touches it', async () => {
    github.state.workflowRuns = { 4243: { status: 'in_progress', conclusion: null } }
    sandbox.seedSession(1, 1, 'gh-4243-1-evidence-0a0b0c0d', { createdAt: new Date() })
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        records: '{"id":"new"}',
        'github-token': 'ghs_e2eFakeToken0123456789',
        'session-wait': '1',
      }),
      env: githubEnv(),
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('still IN_PROGRESS')
    expect(status('gh-4243-1-evidence-0a0b0c0d')).toBe('IN_PROGRESS')
    expect(sandbox.requests.filter((r) => r.method !== 'GET')).toEqual([])
  })

  it('a dry run says what it would cancel and cancels nothing', async () => {
    sandbox.seedSession(1, 1, 'runner-died', { createdAt: new Date(Date.now() - 9 * HOUR) })
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, { records: '{"id":"new"}', 'dry-run': 'true' }),
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("Session 'runner-died' is stranded")
    expect(result.summary).toContain('Stranded sessions a real run would cancel (1)')
    expect(status('runner-died')).toBe('IN_PROGRESS')
    expect(sandbox.requests.filter((r) => r.method !== 'GET')).toEqual([])
  })
})

describe('what the run says about its session is true', () => {
  it('a read-only key: session-status none, and the post step claims nothing it did not do', async () => {
    await sandbox.close()
    sandbox = await startSandbox({
      keys: { 'read-only': { permissions: ['custom-connections-get'] } },
    })
    sandbox.seed(1, 1, [{ id: 'kept' }])
    const inputs = {
      ...sandboxInputs(sandbox.url, { mode: 'replace', records: '{"id":"a"}' }),
      'api-key': 'read-only',
    }
    const main = await runAction({ inputs })
    expect(main.code).toBe(1)
    expect(main.stdout).toContain('Custom Connections Data: Create Custom Connection Data')
    expect(main.outputs['session-status']).toBe('none')
    expect(sessions().filter((s) => s.status !== 'ACTIVE')).toEqual([])
    const post = await runPost(main, { inputs })
    expect(post.code).toBe(0)
    expect(post.stdout).not.toContain('::warning::')
    expect(post.stdout).toContain('was never created in Drata; nothing to cancel')
    expect(ids()).toEqual(['kept'])
  })
})

describe('a job killed as it starts', () => {
  it('never pushes from its post step: the post step only ever cancels', async () => {
    for (const delay of [0, 100, 250, 500]) {
      await sandbox.close()
      sandbox = await startSandbox()
      sandbox.seed(1, 1, makeRecords(50, 'old'))
      const before = JSON.stringify(sandbox.activeRecords(1, 1))
      const main = await runAction({
        inputs: sandboxInputs(sandbox.url, {
          mode: 'replace',
          records: JSON.stringify(makeRecords(3, 'new')),
          'allow-shrink': 'true',
        }),
        onSpawn: (child) => {
          setTimeout(() => child.kill('SIGKILL'), delay)
        },
      })
      const mainRequests = sandbox.requests.length
      const post = await runPost(main, {
        inputs: sandboxInputs(sandbox.url, {
          mode: 'replace',
          records: JSON.stringify(makeRecords(3, 'new')),
          'allow-shrink': 'true',
        }),
      })
      expect(post.code, `post after a kill at ${delay} ms`).toBe(0)
      const postRequests = sandbox.requests.slice(mainRequests)
      for (const r of postRequests) {
        const isCancel =
          r.method === 'POST' &&
          r.path.endsWith('/actions') &&
          (r.body as { action?: string }).action === 'cancel'
        expect(r.method === 'GET' || isCancel, `${r.method} ${r.path} from post`).toBe(true)
      }
      // Killed before its complete, what it staged is cancelled and the data is unchanged;
      // killed after it, the snapshot is whole. Never a mix, and nothing left open.
      const after = ids()
      const whole = after.length === 3 && after.every((id) => id.startsWith('new-'))
      if (!whole)
        expect(JSON.stringify(sandbox.activeRecords(1, 1)), `kill at ${delay} ms`).toBe(before)
      expect(sessions().filter((s) => s.status === 'IN_PROGRESS')).toEqual([])
    }
  })
})
