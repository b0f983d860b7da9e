import { MockAgent } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { DrataClient } from '../../src/drata/client.js'
import { Pacer } from '../../src/drata/pacer.js'

const ORIGIN = 'https://drata.test'
const agents: MockAgent[] = []
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()))
})

/** A client over a mock Drata whose pacer allows 2 back to back, then 1 a second. */
function pacedClient() {
  const agent = new MockAgent()
  agent.disableNetConnect()
  agents.push(agent)
  let clock = 0
  const paceWaits: number[] = []
  const pacer = new Pacer({
    perMinute: 60,
    burst: 2,
    now: () => clock,
    sleep: async (ms) => {
      paceWaits.push(ms)
      clock += ms
    },
  })
  const client = new DrataClient({
    baseUrl: `${ORIGIN}/public/v2`,
    apiKey: 'k',
    region: 'us',
    maxRetries: 3,
    timeoutMs: 1000,
    logger: { info() {}, warning() {}, debug() {} },
    dispatcher: agent,
    pacer,
    sleep: async () => {},
    now: () => clock,
    random: () => 0.5,
  })
  return { client, pool: agent.get(ORIGIN), paceWaits }
}

const op = {
  what: 'list the active records',
  area: 'records',
  permission: 'custom-connections-get',
} as const

describe('DrataClient pacing', () => {
  it('takes a pacer token for every request, retries included', async () => {
    const { client, pool, paceWaits } = pacedClient()
    pool.intercept({ path: /.*/, method: 'GET' }).reply(503, {}).times(2)
    pool.intercept({ path: /.*/, method: 'GET' }).reply(200, { ok: true }).times(3)
    for (let i = 0; i < 3; i++)
      await client.request({ method: 'GET', path: '/x', op, retry: 'idempotent' })
    // 5 requests (2 retried 503s + 3 answered) through a burst of 2: three paced waits of ~1 s.
    expect(client.stats.requests).toBe(5)
    expect(paceWaits).toHaveLength(3)
    for (const wait of paceWaits) expect(wait).toBeGreaterThanOrEqual(999)
  })
})
