import { afterEach, describe, expect, it } from 'vitest'
import { buildApi } from '../../src/drata/factory.js'
import { type Sandbox, startSandbox } from '../sandbox/server.ts'

let sandbox: Sandbox
afterEach(async () => {
  await sandbox.close()
})

/** Both records clients of buildApi over a sandbox, counting the pacer's waits. */
async function parts(requestsPerMinute?: number) {
  sandbox = await startSandbox({ rateLimitPerMinute: 0 })
  const waits: number[] = []
  let t = 0
  const built = buildApi({
    baseUrl: sandbox.url,
    apiKey: 'sandbox-key',
    region: 'us',
    maxRetries: 0,
    timeoutMs: 5_000,
    logger: { info() {}, warning() {}, debug() {} },
    ref: { connectionId: 1, resourceId: 1 },
    requestsPerMinute,
    // A clock that moves only when the pacer waits: no real time, no timing in the result.
    now: () => t,
    sleep: async (ms) => {
      waits.push(ms)
      t += ms
    },
  })
  return { ...built, waits }
}

describe('buildApi pacing', () => {
  it('paces the run client and the cleanup client from one budget (requests-per-minute)', async () => {
    const api = await parts(60)
    // 13 + 13 requests: neither client alone passes the burst of 25, together they do.
    for (let i = 0; i < 13; i++) {
      await api.api?.countRecords()
      await api.cleanupApi?.countRecords()
    }
    expect(api.waits.length).toBeGreaterThan(0)
    // 26 requests, a burst of 25: exactly one waits, a second for a token at 60 a minute.
    expect(api.waits).toEqual([1_000])
    await api.close()
  })

  it('does not pace at all with requests-per-minute 0', async () => {
    const api = await parts(0)
    for (let i = 0; i < 40; i++) await api.api?.countRecords()
    expect(api.waits).toEqual([])
    await api.close()
  })
})
