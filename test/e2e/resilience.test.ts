import type { ChildProcess } from 'node:child_process'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Sandbox, startSandbox } from '../sandbox/server.ts'
import {
  API_KEY,
  makeRecords,
  NAME_REQUIRED,
  runAction,
  runPost,
  sandboxInputs,
} from './harness.ts'

let sandbox: Sandbox
beforeEach(async () => {
  sandbox = await startSandbox()
})
afterEach(async () => {
  await sandbox.close()
})

const SESSION = 'gh-9001-1-fixed'
/** Inputs of a replace run into the fixed session id, so its requests can be matched. */
const replaceInputs = (extra: Record<string, string> = {}) =>
  sandboxInputs(sandbox.url, {
    mode: 'replace',
    'session-id': SESSION,
    'allow-shrink': 'true',
    ...extra,
  })
const ids = () => sandbox.activeRecords(1, 1).map((r) => r.id)
const sessionStatus = (id = SESSION) =>
  sandbox.state().resources[0]?.sessions.find((s) => s.sessionId === id)?.status
const actions = (action: string) =>
  sandbox.requests.filter(
    (r) =>
      r.path.endsWith('/actions') && (r.body as { action?: string } | undefined)?.action === action,
  )

/** Opens another run's session through the API, as a concurrent job would. */
async function openOtherSession(id: string): Promise<void> {
  const res = await fetch(`${sandbox.url}/custom-connections/1/resources/1/sessions/${id}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ data: [{ id: 'theirs' }] }),
  })
  expect(res.status).toBe(200)
}

async function completeOtherSession(id: string): Promise<void> {
  const res = await fetch(
    `${sandbox.url}/custom-connections/1/resources/1/sessions/${id}/actions`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'complete' }),
    },
  )
  expect(res.status).toBe(200)
}

describe('retries', () => {
  it('gets through 429 (with and without Retry-After), 5xx, dropped connections and faults after the write was applied', async () => {
    sandbox.seed(1, 1, makeRecords(20, 'old'))
    const upload = /\/sessions\/gh-9001-1-fixed$/
    sandbox.addFault({
      method: 'GET',
      path: '/sessions',
      kind: 'status',
      status: 429,
      retryAfter: '1',
    })
    sandbox.addFault({ method: 'POST', path: upload, kind: 'status', status: 429 })
    sandbox.addFault({ method: 'POST', path: upload, kind: 'status', status: 503, skip: 1 })
    sandbox.addFault({ method: 'POST', path: upload, kind: 'drop', skip: 2 })
    sandbox.addFault({ method: 'POST', path: upload, kind: 'drop-after-apply', skip: 3 })
    sandbox.addFault({
      method: 'POST',
      path: upload,
      kind: 'status-after-apply',
      status: 502,
      skip: 4,
    })
    sandbox.addFault({ method: 'GET', path: '/records', kind: 'status', status: 500 })
    const result = await runAction({
      inputs: replaceInputs({
        records: JSON.stringify(makeRecords(60, 'new')),
        'batch-size': '10',
      }),
    })
    expect(result.code).toBe(0)
    expect(ids()).toEqual(makeRecords(60, 'new').map((r) => r.id))
    // Retried uploads after the write was applied must not leave extra staged records.
    const session = sandbox.state().resources[0]?.sessions.find((s) => s.sessionId === SESSION)
    expect(session?.recordCount).toBe(60)
    expect(sessionStatus()).toBe('ACTIVE')
    const result_ = JSON.parse(result.outputs.result ?? '{}')
    expect(result_.retries).toBeGreaterThanOrEqual(7)
    expect(result.stdout).toContain('Drata answered 429')
    expect(result.stdout).toContain('(Retry-After)')
    expect(result.stdout).toContain('no response; retry')
    // The Retry-After of 1 s was honoured before the next sessions request.
    const sessionsCalls = sandbox.requests.filter(
      (r) => r.method === 'GET' && r.path.endsWith('/sessions'),
    )
    expect((sessionsCalls[1]?.at ?? 0) - (sessionsCalls[0]?.at ?? 0)).toBeGreaterThanOrEqual(950)
  })

  it('gives up after max-retries with a message, cancelling the session', async () => {
    sandbox.seed(1, 1, [{ id: 'keep' }])
    const before = JSON.stringify(sandbox.activeRecords(1, 1))
    sandbox.addFault({
      method: 'POST',
      path: /\/sessions\/gh-9001-1-fixed$/,
      kind: 'status',
      status: 503,
      skip: 1,
      times: 10,
    })
    const result = await runAction({
      inputs: replaceInputs({
        records: JSON.stringify(makeRecords(4)),
        'batch-size': '2',
        'max-retries': '1',
      }),
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /::error::Drata failed to upload records to session gh-9001-1-fixed with 503.* after 1 retries/,
    )
    expect(sessionStatus()).toBe('CANCELED')
    expect(JSON.stringify(sandbox.activeRecords(1, 1))).toBe(before)
  })

  it('times out a slow response and retries it', async () => {
    sandbox.addFault({
      method: 'POST',
      path: /\/sessions\/gh-9001-1-fixed$/,
      kind: 'delay',
      delayMs: 2500,
    })
    const result = await runAction({
      inputs: replaceInputs({
        records: JSON.stringify(makeRecords(3)),
        'request-timeout': '1',
      }),
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/no complete answer within 1s; retry 1 of 5/)
    expect(ids()).toEqual(['rec-0001', 'rec-0002', 'rec-0003'])
  })
})

describe('session actions are checked, not blindly retried', () => {
  it('a complete whose answer was lost is found applied and not sent again', async () => {
    sandbox.addFault({ method: 'POST', path: '/actions', kind: 'drop-after-apply' })
    const result = await runAction({ inputs: replaceInputs({ records: '{"id":"a"}' }) })
    expect(result.code).toBe(0)
    expect(actions('complete')).toHaveLength(1)
    expect(result.outputs['session-status']).toBe('ACTIVE')
    expect(result.stdout).toContain('had been applied (status ACTIVE)')
  })

  it('a complete that failed before applying is retried after reading the status', async () => {
    sandbox.addFault({ method: 'POST', path: '/actions', kind: 'status', status: 500 })
    const result = await runAction({ inputs: replaceInputs({ records: '{"id":"a"}' }) })
    expect(result.code).toBe(0)
    expect(actions('complete')).toHaveLength(2)
    expect(ids()).toEqual(['a'])
  })

  it('a cancel whose answer was lost is found applied', async () => {
    await sandbox.close()
    sandbox = await startSandbox({ resources: NAME_REQUIRED })
    sandbox.addFault({ method: 'POST', path: '/actions', kind: 'drop-after-apply' })
    const result = await runAction({ inputs: replaceInputs({ records: '{"id":"no-name"}' }) })
    expect(result.code).toBe(1)
    expect(actions('cancel')).toHaveLength(1)
    expect(sessionStatus()).toBe('CANCELED')
    expect(result.outputs['session-status']).toBe('CANCELED')
    expect(result.savedState['session-closed']).toBe('true')
  })

  it('a complete answered 200 {} but not applied fails the run and cancels', async () => {
    sandbox.seed(1, 1, [{ id: 'keep' }])
    sandbox.addFault({ method: 'POST', path: '/actions', kind: 'not-applied' })
    const result = await runAction({ inputs: replaceInputs({ records: '{"id":"a"}' }) })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('with success, but the session is still IN_PROGRESS')
    expect(result.outputs['session-status']).toBe('CANCELED')
    expect(sessionStatus()).toBe('CANCELED')
    expect(ids()).toEqual(['keep'])
  })
})

describe('list answers that cannot be trusted stop a snapshot', () => {
  it('a page without pagination is not taken as the last page', async () => {
    sandbox.seed(1, 1, makeRecords(1_200, 'old'))
    // The first records listing is the session id's count; the second is the active data.
    sandbox.addFault({ method: 'GET', path: /\/records$/, kind: 'no-pagination', skip: 1 })
    const result = await runAction({ inputs: replaceInputs({ records: '{"id":"a"}' }) })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("no well-formed 'pagination'")
    expect(result.outputs['session-status']).toBe('CANCELED')
    expect(result.outputs['records-removed']).toBe('0')
    expect(ids()).toHaveLength(1_200)
  })

  it('a cursor that repeats stops the listing instead of looping', async () => {
    sandbox.seed(1, 1, makeRecords(1_200, 'old'))
    sandbox.addFault({ method: 'GET', path: /\/records$/, kind: 'repeat-cursor', times: 1_000 })
    const result = await runAction({ inputs: replaceInputs({ records: '{"id":"a"}' }) })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('same page cursor twice')
    expect(sandbox.requests.length).toBeLessThan(15)
    expect(ids()).toHaveLength(1_200)
  })
})

describe('one IN_PROGRESS session per resource', () => {
  it('waits for another run’s session, then pushes', async () => {
    sandbox.seed(1, 1, [{ id: 'old' }])
    await openOtherSession('other-run')
    setTimeout(() => void completeOtherSession('other-run'), 1500)
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, { records: '{"id":"mine"}' }),
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("Session 'other-run' of another run is IN_PROGRESS")
    // other-run replaced 'old' with 'theirs'; this append run kept it.
    expect(ids()).toEqual(['mine', 'theirs'])
  })

  it('gives up after session-wait, naming the session, without writing', async () => {
    await openOtherSession('other-run')
    const before = sandbox.requests.length
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, { records: '{"id":"mine"}', 'session-wait': '1' }),
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /::error::Session 'other-run' \(started .*\) is still IN_PROGRESS .* raise 'session-wait'/,
    )
    expect(sandbox.requests.slice(before).filter((r) => r.method !== 'GET')).toHaveLength(0)
    expect(sessionStatus('other-run')).toBe('IN_PROGRESS')
  })

  it('waits when another run’s session appears between its check and its first upload', async () => {
    let opened = false
    sandbox.onRequest(async (e) => {
      if (!opened && e.method === 'POST' && e.path.endsWith(`/sessions/${SESSION}`)) {
        opened = true
        await openOtherSession('sneaked-in')
        setTimeout(() => void completeOtherSession('sneaked-in'), 1200)
      }
    })
    const result = await runAction({ inputs: replaceInputs({ records: '{"id":"mine"}' }) })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("Session 'sneaked-in' of another run is IN_PROGRESS")
    expect(ids()).toEqual(['mine'])
  })

  it('refuses a session id that was used before', async () => {
    const first = await runAction({ inputs: replaceInputs({ records: '{"id":"a"}' }) })
    expect(first.code).toBe(0)
    const requests = sandbox.requests.length
    const second = await runAction({ inputs: replaceInputs({ records: '{"id":"b"}' }) })
    expect(second.code).toBe(1)
    expect(second.stdout).toContain(`Session '${SESSION}' was used before on this resource`)
    expect(second.stdout).toContain('strategy.job-index')
    expect(ids()).toEqual(['a'])
    // Two reads, whatever the resource's history: no paging through past sessions.
    expect(sandbox.requests.slice(requests).map((r) => r.method)).toEqual(['GET', 'GET'])
  })
})

describe('post step and signals', () => {
  /** Starts a push and calls `act` once upload batch `at` is in flight (and held 1.5 s). */
  async function interruptMidUpload(
    act: (child: ChildProcess) => void,
    { at = 2, count = 50, batch = 10 } = {},
  ) {
    const upload = /\/sessions\/gh-9001-1-fixed$/
    sandbox.addFault({ method: 'POST', path: upload, kind: 'delay', delayMs: 1500, skip: at - 1 })
    let child: ChildProcess | undefined
    let uploads = 0
    sandbox.onRequest((e) => {
      if (e.method === 'POST' && upload.test(e.path) && ++uploads === at && child) act(child)
    })
    return runAction({
      inputs: replaceInputs({
        records: JSON.stringify(makeRecords(count)),
        'batch-size': String(batch),
      }),
      onSpawn: (c) => {
        child = c
      },
    })
  }

  it('post cancels the session after the main process is SIGKILLed mid-upload', async () => {
    sandbox.seed(1, 1, makeRecords(5, 'old'))
    const before = JSON.stringify(sandbox.activeRecords(1, 1))
    const main = await interruptMidUpload((child) => child.kill('SIGKILL'))
    expect(main.signal).toBe('SIGKILL')
    expect(main.savedState.session).toContain(`"sessionId":"${SESSION}"`)
    await new Promise((r) => setTimeout(r, 1700)) // let the held upload land, as it would
    expect(sessionStatus()).toBe('IN_PROGRESS')

    const post = await runPost(main, { inputs: sandboxInputs(sandbox.url) })
    expect(post.code).toBe(0)
    expect(post.stdout).toContain(`::warning::Session '${SESSION}' was cancelled by the post step`)
    expect(sessionStatus()).toBe('CANCELED')
    expect(JSON.stringify(sandbox.activeRecords(1, 1))).toBe(before)
  })

  it('main cancels its own session on SIGTERM and the post step has nothing left to do', async () => {
    sandbox.seed(1, 1, makeRecords(5, 'old'))
    const before = JSON.stringify(sandbox.activeRecords(1, 1))
    const main = await interruptMidUpload((child) => child.kill('SIGTERM'))
    expect(main.code).toBe(1)
    expect(main.stdout).toContain('Received SIGTERM')
    expect(main.stdout).toContain('The job was cancelled (SIGTERM)')
    expect(sessionStatus()).toBe('CANCELED')
    expect(main.outputs['session-status']).toBe('CANCELED')
    expect(JSON.stringify(sandbox.activeRecords(1, 1))).toBe(before)

    const requestsBefore = sandbox.requests.length
    const post = await runPost(main, { inputs: sandboxInputs(sandbox.url) })
    expect(post.code).toBe(0)
    expect(post.stdout).toContain('No Drata session was left open by the main step')
    expect(sandbox.requests.length).toBe(requestsBefore)
  })

  it('main cancels on SIGINT too', async () => {
    const main = await interruptMidUpload((child) => child.kill('SIGINT'))
    expect(main.code).toBe(1)
    expect(main.stdout).toContain('The job was cancelled (SIGINT)')
    expect(sessionStatus()).toBe('CANCELED')
  })

  it('main still cancels when pacing has set in (a push of many requests)', async () => {
    // Past the pacer's burst, every further request waits; the cancel must not be cut short.
    const main = await interruptMidUpload((child) => child.kill('SIGTERM'), {
      at: 30,
      count: 60,
      batch: 1,
    })
    expect(main.code).toBe(1)
    expect(main.outputs['session-status']).toBe('CANCELED')
    expect(sessionStatus()).toBe('CANCELED')
    expect(main.savedState['session-closed']).toBe('true')
  })

  it('a session created by an upload still in flight at SIGTERM is left for post to cancel', async () => {
    sandbox.seed(1, 1, [{ id: 'keep' }])
    const main = await interruptMidUpload((child) => child.kill('SIGTERM'), { at: 1 })
    expect(main.code).toBe(1)
    // Main found no session to cancel yet, so it did not mark the session closed.
    expect(main.outputs['session-status']).toBe('none')
    expect(main.savedState['session-closed']).toBe('false')
    await new Promise((r) => setTimeout(r, 1700)) // the held first upload lands and creates it
    expect(sessionStatus()).toBe('IN_PROGRESS')

    const post = await runPost(main, { inputs: sandboxInputs(sandbox.url) })
    expect(post.code).toBe(0)
    expect(post.stdout).toContain(`Session '${SESSION}' was cancelled by the post step`)
    expect(sessionStatus()).toBe('CANCELED')
    expect(ids()).toEqual(['keep'])
  })

  it('post never fails the job, even when Drata cannot be reached', async () => {
    const main = await interruptMidUpload((child) => child.kill('SIGKILL'))
    await sandbox.close()
    const post = await runPost(main, { inputs: sandboxInputs(sandbox.url) })
    sandbox = await startSandbox() // for afterEach
    expect(post.code).toBe(0)
    expect(post.stdout).toContain('::warning::Could not cancel the open Drata session')
  })
})
