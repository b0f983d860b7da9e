import { afterEach, describe, expect, it } from 'vitest'
import { useSandbox } from '../sandbox/hooks.ts'
import { makeRecords, removeDirs, runAgainst } from './harness.ts'

const sandbox = useSandbox()
// The runs' job directories go after each test rather than after the file.
afterEach(removeDirs)

/**
 * The README's worst case ("Time limits") for a run that sends `n` requests (retries not
 * counted), in ms; `slackMs` covers starting node and everything that is not Drata.
 */
function worstCaseMs(
  i: { timeout: number; retries: number; retryWait: number; sessionWait: number; n: number },
  slackMs = 5000,
): number {
  const attempts = (i.retries + 1) * i.n
  const s = 1000
  return (
    attempts * i.timeout * s +
    i.retryWait * s +
    Math.min(i.retryWait, 60) * s +
    i.sessionWait * s +
    2 * i.retries * 30 * s +
    (Math.max(0, attempts - 25) * 60 * s) / 450 +
    slackMs
  )
}

/** Many retries allowed, but only 3 s of waiting for them in the whole run. */
const SMALL_RETRY_BUDGET = {
  'request-timeout': '2',
  'max-retries': '20',
  'retry-wait': '3',
  'session-wait': '0',
}

/** Runs the action pushing one record with `inputs`; gives how long the run took, in ms. */
async function timedRun(inputs: Record<string, string>) {
  const started = Date.now()
  const result = await runAgainst(sandbox(), { records: '{"id":"a"}', ...inputs })
  return { result, elapsed: Date.now() - started }
}

const LIST_SESSIONS = { method: 'GET', path: /\/sessions$/ } as const
const sessionLists = () =>
  sandbox().requests.filter((r) => r.method === 'GET' && r.path.endsWith('/sessions'))

describe('request-timeout bounds the whole exchange', () => {
  it('gives up on a body dripping in one byte at a time, once per attempt', async () => {
    // A byte every 200 ms never trips a per-chunk idle timeout of 1 s; it would take 5.5 hours.
    sandbox().addFault({ ...LIST_SESSIONS, kind: 'drip', intervalMs: 200, times: 10 })
    const inputs = { 'request-timeout': '1', 'max-retries': '1', 'retry-wait': '5' }
    const { result, elapsed } = await timedRun(inputs)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('no complete answer within 1s; retry 1 of 1')
    expect(result.stdout).toMatch(
      /::error::Drata did not answer the request to list sessions completely within 'request-timeout' \(1s\) after 1 retries\..*raise 'request-timeout'/,
    )
    expect(sessionLists()).toHaveLength(2)
    expect(sandbox().requests).toHaveLength(2)
    expect(elapsed).toBeLessThan(
      worstCaseMs({ timeout: 1, retries: 1, retryWait: 5, sessionWait: 300, n: 1 }),
    )
  })
})

describe('Retry-After and the retry-wait budget', () => {
  it('a server that always answers 429 Retry-After: 120 ends the run at once when the budget is small', async () => {
    sandbox().addFault({ kind: 'status', status: 429, retryAfter: '120', times: 1000 })
    const { result, elapsed } = await timedRun(SMALL_RETRY_BUDGET)
    expect(result.code).toBe(1)
    // Waiting 120 s would overrun retry-wait (3 s): no retry at all.
    expect(sandbox().requests).toHaveLength(1)
    expect(result.stdout).toContain(
      "::error::Drata answered 429 to the request to list sessions after 0 retries; the next retry would wait 120s (Retry-After), but only 3s of the run's 'retry-wait' (3s) are left.",
    )
    expect(result.stdout).toContain("raise 'retry-wait'")
    expect(JSON.parse(result.outputs.result ?? '{}')).toMatchObject({ requests: 1, retries: 0 })
    expect(elapsed).toBeLessThan(
      worstCaseMs({ timeout: 2, retries: 20, retryWait: 3, sessionWait: 0, n: 1 }),
    )
  })

  it('refuses a Retry-After over 120 s at once, even with budget to spare', async () => {
    sandbox().addFault({ kind: 'status', status: 429, retryAfter: '121', times: 1000 })
    const result = await runAgainst(sandbox(), { records: '{"id":"a"}', 'max-retries': '20' })
    expect(result.code).toBe(1)
    expect(sandbox().requests).toHaveLength(1)
    expect(result.stdout).toContain(
      'asked to wait 121s before retrying (Retry-After), longer than the 120s this action waits for one retry',
    )
  })

  it('a short Retry-After is honoured until the budget is spent, then the run stops', async () => {
    sandbox().addFault({ kind: 'status', status: 429, retryAfter: '1', times: 1000 })
    const { result, elapsed } = await timedRun(SMALL_RETRY_BUDGET)
    expect(result.code).toBe(1)
    // Three waits of 1 s fit in 3 s; the fourth answer would need a fourth.
    expect(sandbox().requests).toHaveLength(4)
    expect(result.stdout.match(/\(Retry-After\)\n/g)).toHaveLength(3)
    expect(result.stdout).toContain("but only 0s of the run's 'retry-wait' (3s) are left")
    expect(elapsed).toBeGreaterThanOrEqual(3000)
    expect(elapsed).toBeLessThan(
      worstCaseMs({ timeout: 2, retries: 20, retryWait: 3, sessionWait: 0, n: 1 }),
    )
  })

  it('a session opened before the budget ran out is still cancelled, with its own allowance', async () => {
    sandbox().seed(1, 1, [{ id: 'keep' }])
    const upload = /\/sessions\/gh-9001-1$/
    sandbox().addFault({
      method: 'POST',
      path: upload,
      kind: 'status',
      status: 503,
      skip: 1,
      times: 50,
    })
    // The cancel itself must wait once, after the run's budget is gone.
    sandbox().addFault({
      method: 'POST',
      path: '/actions',
      kind: 'status',
      status: 429,
      retryAfter: '1',
    })
    const result = await runAgainst(sandbox(), {
      records: JSON.stringify(makeRecords(4)),
      mode: 'replace',
      'session-id': 'gh-9001-1',
      'allow-shrink': 'true',
      'batch-size': '2',
      'max-retries': '20',
      'retry-wait': '1',
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("of the run's 'retry-wait' (1s) are left")
    const session = sandbox()
      .state()
      .resources[0]?.sessions.find((s) => s.sessionId === 'gh-9001-1')
    expect(session?.status).toBe('CANCELED')
    expect(sandbox().requests.filter((r) => r.path.endsWith('/actions'))).toHaveLength(2)
    expect(
      sandbox()
        .activeRecords(1, 1)
        .map((r) => r.id),
    ).toEqual(['keep'])
  })
})
