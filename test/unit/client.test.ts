import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Agent, MockAgent } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { type ClientOptions, DrataClient, type RequestSpec } from '../../src/drata/client.js'
import { ApiError, type Operation, PERMISSIONS } from '../../src/drata/errors.js'
import { Pacer, type Sleep } from '../../src/drata/pacer.js'
import { RecordsApi } from '../../src/drata/custom-data.js'
import { backoffDelay } from '../../src/drata/retry.js'

const ORIGIN = 'https://drata.test'
const BASE = `${ORIGIN}/public/v2`
const KEY = 'drata-KEY-3f9a1c7e5b2d4f60'
const RES = '/custom-connections/1/resources/2'
const NOW = Date.parse('2030-01-01T00:00:00Z')

const agents: MockAgent[] = []
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()))
})

const UPLOAD: Operation = {
  what: 'upload records to session s-1',
  area: 'sessions',
  permission: 'custom-connections-data-post',
  recordIds: ['rec-a', 'rec-b'],
}
const LIST: Operation = {
  what: 'list sessions',
  area: 'sessions',
  permission: 'custom-connections-get',
}

function spec(overrides: Partial<RequestSpec> = {}): RequestSpec {
  return { method: 'GET', path: `${RES}/sessions`, op: LIST, retry: 'idempotent', ...overrides }
}

interface Captured {
  path: string
  method: string
  headers: Record<string, string>
  body: string | undefined
}

function setup(options: Partial<ClientOptions> = {}) {
  const agent = new MockAgent()
  agent.disableNetConnect()
  agents.push(agent)
  const pool = agent.get(ORIGIN)
  const delays: number[] = []
  const sleep: Sleep = async (ms, signal) => {
    signal?.throwIfAborted()
    delays.push(ms)
  }
  let t = NOW
  const pacer = new Pacer({
    now: () => t,
    sleep: async (ms) => {
      t += ms
    },
  })
  const logs: string[] = []
  const log = (m: string) => {
    logs.push(m)
  }
  const client = new DrataClient({
    baseUrl: BASE,
    apiKey: KEY,
    region: 'eu',
    maxRetries: 3,
    timeoutMs: 1000,
    logger: { info: log, warning: log, debug: log },
    dispatcher: agent,
    pacer,
    sleep,
    now: () => NOW,
    random: () => 0.5,
    ...options,
  })
  const captured: Captured[] = []
  /** Replies with `status` and `body` once, recording what was sent. */
  const reply = (
    status: number,
    body: unknown = {},
    headers: Record<string, string> = {},
    path = /.*/,
  ) =>
    pool.intercept({ path, method: /.*/ }).reply((opts) => {
      captured.push({
        path: opts.path,
        method: opts.method,
        headers: normalizeHeaders(opts.headers),
        body: typeof opts.body === 'string' ? opts.body : undefined,
      })
      return {
        statusCode: status,
        data: typeof body === 'string' ? body : JSON.stringify(body),
        responseOptions: { headers },
      }
    })
  return { agent, pool, client, delays, logs, captured, reply }
}

function normalizeHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (headers instanceof Headers) {
    headers.forEach((v, k) => {
      out[k.toLowerCase()] = v
    })
  } else if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2)
      out[String(headers[i]).toLowerCase()] = String(headers[i + 1])
  } else if (headers && typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = String(v)
  }
  return out
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError)
    return error as ApiError
  }
  throw new Error('the request succeeded')
}

describe('DrataClient requests', () => {
  it('sends the API key as a Bearer token and asks for JSON', async () => {
    const { client, reply, captured } = setup()
    reply(200, { ok: 1 })
    await client.request(spec())
    expect(captured).toHaveLength(1)
    expect(captured[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(captured[0]?.headers.accept).toBe('application/json')
    expect(captured[0]?.headers['content-type']).toBeUndefined()
  })

  it('resolves to the parsed JSON body', async () => {
    const { client, reply } = setup()
    reply(200, { data: [{ id: 1 }], pagination: { cursor: null } })
    await expect(client.request(spec())).resolves.toEqual({
      data: [{ id: 1 }],
      pagination: { cursor: null },
    })
  })

  it('resolves to undefined for an empty body', async () => {
    const { client, reply } = setup()
    reply(204, '')
    await expect(client.request(spec())).resolves.toBeUndefined()
  })

  it('sends a JSON body with its content type and the method', async () => {
    const { client, reply, captured } = setup()
    reply(201, [])
    const body = { data: [{ id: 'a', note: 'ünïcode & "quotes"' }] }
    await client.request(spec({ method: 'POST', path: `${RES}/sessions/s-1`, body, op: UPLOAD }))
    expect(captured[0]?.method).toBe('POST')
    expect(captured[0]?.path).toBe(`/public/v2${RES}/sessions/s-1`)
    expect(captured[0]?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(captured[0]?.body ?? '')).toEqual(body)
  })

  it('encodes the query and leaves out undefined values', async () => {
    const { client, reply, captured } = setup()
    reply(200, {})
    await client.request(
      spec({
        path: `${RES}/records`,
        query: { sessionId: 'a b&c=d', size: 500, includeTotalCount: true, cursor: undefined },
      }),
    )
    const url = new URL(captured[0]?.path ?? '', ORIGIN)
    expect(url.pathname).toBe(`/public/v2${RES}/records`)
    expect([...url.searchParams]).toEqual([
      ['sessionId', 'a b&c=d'],
      ['size', '500'],
      ['includeTotalCount', 'true'],
    ])
    expect(captured[0]?.path).not.toContain('a b&c')
  })

  it('counts one request and no retry for a success', async () => {
    const { client, reply } = setup()
    reply(200, {})
    await client.request(spec())
    expect(client.stats).toEqual({ requests: 1, retries: 0 })
  })
})

describe('DrataClient retries', () => {
  it('retries a 429 without Retry-After after an exponential backoff', async () => {
    const { client, reply, delays } = setup()
    reply(429)
    reply(429)
    reply(200, { ok: true })
    await expect(client.request(spec())).resolves.toEqual({ ok: true })
    expect(delays).toEqual([backoffDelay(0, () => 0.5), backoffDelay(1, () => 0.5)])
    expect(delays).toEqual([375, 750])
    expect(client.stats).toEqual({ requests: 3, retries: 2 })
  })

  it('waits exactly the Retry-After seconds of a 429', async () => {
    const { client, reply, delays, logs } = setup()
    reply(429, {}, { 'retry-after': '7' })
    reply(200, { ok: true })
    await client.request(spec())
    expect(delays).toEqual([7000])
    expect(logs.some((l) => l.includes('Retry-After') && l.includes('7.0s'))).toBe(true)
  })

  it('waits until a Retry-After date', async () => {
    const { client, reply, delays } = setup()
    reply(429, {}, { 'retry-after': new Date(NOW + 12_000).toUTCString() })
    reply(200, {})
    await client.request(spec())
    expect(delays).toEqual([12_000])
  })

  it('retries a 503 and then succeeds', async () => {
    const { client, reply, delays } = setup()
    reply(503, { message: 'maintenance' })
    reply(200, { fine: 1 })
    await expect(client.request(spec())).resolves.toEqual({ fine: 1 })
    expect(delays).toEqual([375])
    expect(client.stats).toEqual({ requests: 2, retries: 1 })
  })

  it.each([500, 502, 504])('retries a %i', async (status) => {
    const { client, reply } = setup()
    reply(status)
    reply(200, {})
    await client.request(spec())
    expect(client.stats).toEqual({ requests: 2, retries: 1 })
  })

  it('retries a network error and then succeeds', async () => {
    const { client, pool, reply, delays, logs } = setup()
    pool.intercept({ path: /.*/, method: /.*/ }).replyWithError(new Error('socket hang up'))
    reply(200, { ok: 1 })
    await expect(client.request(spec())).resolves.toEqual({ ok: 1 })
    expect(delays).toHaveLength(1)
    expect(client.stats).toEqual({ requests: 2, retries: 1 })
    expect(logs[0]).toContain('no response')
  })

  it('gives up after maxRetries with an error that says what to do (5xx)', async () => {
    const { client, reply, delays } = setup({ maxRetries: 2 })
    for (let i = 0; i < 4; i++) reply(503, { message: 'down for maintenance' })
    const error = await failure(client.request(spec()))
    expect(error.status).toBe(503)
    expect(error.retryable).toBe(true)
    expect(error.serverMessage).toBe('down for maintenance')
    expect(error.message).toContain('after 2 retries')
    expect(error.message).toContain('re-run later')
    expect(error.message).toContain('down for maintenance')
    expect(delays).toHaveLength(2)
    expect(client.stats).toEqual({ requests: 3, retries: 2 })
  })

  it('gives up on a persistent 429 and suggests max-retries', async () => {
    const { client, reply } = setup({ maxRetries: 1 })
    reply(429)
    reply(429)
    reply(200, {})
    const error = await failure(client.request(spec()))
    expect(error.status).toBe(429)
    expect(error.message).toContain("raise 'max-retries'")
    expect(error.message).toContain('after 1 retries')
    expect(client.stats).toEqual({ requests: 2, retries: 1 })
  })

  it('gives up on persistent network errors and names the network as the cause', async () => {
    const { client, pool } = setup({ maxRetries: 1 })
    pool
      .intercept({ path: /.*/, method: /.*/ })
      .replyWithError(new Error('connect ECONNREFUSED'))
      .times(2)
    const error = await failure(client.request(spec()))
    expect(error.status).toBe(0)
    expect(error.message).toContain('Could not reach Drata to list sessions')
    expect(error.message).toContain('connect ECONNREFUSED')
    expect(error.message).toContain("'region'/'api-url'")
    expect(client.stats).toEqual({ requests: 2, retries: 1 })
  })

  it('does not retry at all with maxRetries 0', async () => {
    const { client, reply, delays } = setup({ maxRetries: 0 })
    reply(503)
    reply(200, {})
    const error = await failure(client.request(spec()))
    expect(error.status).toBe(503)
    expect(delays).toEqual([])
  })

  it.each([400, 401, 402, 403, 404, 409, 412, 413, 422])('does not retry a %i', async (status) => {
    const { client, reply, delays } = setup()
    reply(status)
    reply(200, {})
    const error = await failure(client.request(spec()))
    expect(error.status).toBe(status)
    expect(error.retryable).toBe(false)
    expect(delays).toEqual([])
    expect(client.stats).toEqual({ requests: 1, retries: 0 })
  })
})

describe('DrataClient unsafe policy', () => {
  it('retries a 429', async () => {
    const { client, reply } = setup()
    reply(429, {}, { 'retry-after': '1' })
    reply(200, { status: 'ACTIVE' })
    await expect(
      client.request(spec({ method: 'POST', retry: 'unsafe', body: { action: 'complete' } })),
    ).resolves.toEqual({
      status: 'ACTIVE',
    })
    expect(client.stats).toEqual({ requests: 2, retries: 1 })
  })

  it('does not retry a 500', async () => {
    const { client, reply } = setup()
    reply(500)
    reply(200, {})
    const error = await failure(client.request(spec({ method: 'POST', retry: 'unsafe' })))
    expect(error.status).toBe(500)
    expect(client.stats).toEqual({ requests: 1, retries: 0 })
  })

  it('does not retry a network error', async () => {
    const { client, pool, reply } = setup()
    pool.intercept({ path: /.*/, method: /.*/ }).replyWithError(new Error('reset'))
    reply(200, {})
    const error = await failure(client.request(spec({ method: 'POST', retry: 'unsafe' })))
    expect(error.status).toBe(0)
    expect(client.stats).toEqual({ requests: 1, retries: 0 })
  })
})

describe('DrataClient error messages', () => {
  it('401 says to check the key and names the region', async () => {
    const { client, reply } = setup()
    reply(401, { message: 'Invalid Authorization' })
    const error = await failure(client.request(spec()))
    expect(error.message).toContain('401')
    expect(error.message).toContain("'api-key'")
    expect(error.message).toContain("'region' (eu)")
  })

  it('402 says the plan lacks the feature', async () => {
    const { client, reply } = setup()
    reply(402)
    const error = await failure(client.request(spec()))
    expect(error.message).toContain('plan does not include Custom Connections')
  })

  it('403 names the permission label and id the operation needs', async () => {
    const { client, reply } = setup()
    reply(403)
    const error = await failure(client.request(spec({ method: 'POST', op: UPLOAD })))
    expect(error.message).toContain(PERMISSIONS['custom-connections-data-post'])
    expect(error.message).toContain('(custom-connections-data-post)')
    expect(error.message).toContain(UPLOAD.what)
  })

  it('403 of a read names the read permission', async () => {
    const { client, reply } = setup()
    reply(403)
    const error = await failure(client.request(spec()))
    expect(error.message).toContain('Custom Connections Management: List Custom Connections')
  })

  it('404 points at connection-id and resource-id and keeps the server message', async () => {
    const { client, reply } = setup()
    reply(404, { message: 'Resource not found' })
    const error = await failure(client.request(spec()))
    expect(error.message).toContain("'connection-id'")
    expect(error.message).toContain("'resource-id'")
    expect(error.message).toContain('Resource not found')
  })

  it('412 says the API terms must be accepted', async () => {
    const { client, reply } = setup()
    reply(412)
    const error = await failure(client.request(spec()))
    expect(error.message).toContain('terms and conditions have not been accepted (412)')
  })

  it('422 carries the server message, joined when it is a list', async () => {
    const { client, reply } = setup()
    reply(422, { message: ['session is not in progress', 'try again'] })
    const error = await failure(client.request(spec({ op: UPLOAD })))
    expect(error.message).toBe(
      `Drata refused to ${UPLOAD.what} (422): session is not in progress; try again. The session is no longer IN_PROGRESS (completed, cancelled or expired); re-run the job to push with a new session.`,
    )
    expect(error.serverMessage).toBe('session is not in progress; try again')
  })

  it('404 gives the advice of the operation when it has its own', async () => {
    const { client, reply } = setup()
    reply(404, { message: 'Session not found' })
    const notFound = "The session does not exist; check 'session-id'."
    const error = await failure(
      client.request(
        spec({ method: 'POST', op: { ...LIST, what: 'cancel session s-1', notFound } }),
      ),
    )
    expect(error.message).toBe(
      `Drata found nothing to cancel session s-1 (404): Session not found. ${notFound}`,
    )
    expect(error.message).not.toContain("'connection-id'")
  })

  it('404 to a session action says the session does not exist', async () => {
    const { client, reply, captured } = setup()
    reply(404, { message: 'Not Found' })
    const api = new RecordsApi(client, { connectionId: 1, resourceId: 2 })
    const error = await failure(api.sessionAction('gh-7-1', 'cancel'))
    expect(captured[0]?.path).toBe(`/public/v2${RES}/sessions/gh-7-1/actions`)
    expect(error.message).toContain(
      'Drata found nothing to cancel session gh-7-1 (404): Not Found.',
    )
    expect(error.message).toContain('The session does not exist on this resource')
    expect(error.message).toContain("'session-id'")
  })

  it('400 names the record ids of the request', async () => {
    const { client, reply } = setup()
    reply(400, { message: 'data must be an array' })
    const error = await failure(client.request(spec({ method: 'POST', op: UPLOAD })))
    expect(error.message).toContain('Records in the request: rec-a, rec-b.')
    expect(error.message).toContain('data must be an array')
  })

  it('400 lists at most 20 ids and counts the rest', async () => {
    const { client, reply } = setup()
    reply(400)
    const ids = Array.from({ length: 25 }, (_, i) => `r${i + 1}`)
    const error = await failure(
      client.request(spec({ method: 'POST', op: { ...UPLOAD, recordIds: ids } })),
    )
    expect(error.message).toContain('r20 and 5 more')
    expect(error.message).not.toContain('r21')
  })

  it('keeps the start of a non-JSON error body', async () => {
    const { client, reply } = setup()
    reply(400, `<html>${'x'.repeat(1000)}</html>`)
    const error = await failure(client.request(spec()))
    expect(error.serverMessage.startsWith('<html>xxx')).toBe(true)
    expect(error.serverMessage).toHaveLength(500)
  })

  it('never puts the API key in an error or log message', async () => {
    const statuses = [400, 401, 402, 403, 404, 412, 413, 422, 429, 500, 503]
    for (const status of statuses) {
      const { client, reply, logs } = setup({ maxRetries: 1 })
      reply(status, { message: 'refused' })
      reply(status, { message: 'refused' })
      const error = await failure(
        client.request(spec({ method: 'POST', op: UPLOAD, body: { data: [] } })),
      )
      expect(error.message).not.toContain(KEY)
      expect(String(error.cause ?? '')).not.toContain(KEY)
      for (const line of logs) expect(line).not.toContain(KEY)
    }
    const { client, pool, logs } = setup({ maxRetries: 1 })
    pool.intercept({ path: /.*/, method: /.*/ }).replyWithError(new Error('ECONNRESET')).times(2)
    const error = await failure(client.request(spec()))
    expect(error.message).not.toContain(KEY)
    for (const line of logs) expect(line).not.toContain(KEY)
  })
})

describe('DrataClient abort', () => {
  it('sends nothing when the signal is already aborted', async () => {
    const reason = new Error('job cancelled')
    const { client, reply, captured } = setup({ signal: AbortSignal.abort(reason) })
    reply(200, {})
    await expect(client.request(spec())).rejects.toBe(reason)
    expect(captured).toHaveLength(0)
    expect(client.stats.requests).toBe(0)
  })

  it('stops retrying once the signal aborts during the wait', async () => {
    const controller = new AbortController()
    const reason = new Error('job cancelled')
    const delays: number[] = []
    const { client, reply, captured } = setup({
      signal: controller.signal,
      maxRetries: 5,
      sleep: async (ms) => {
        delays.push(ms)
        controller.abort(reason) // the job is cancelled while waiting to retry
      },
    })
    for (let i = 0; i < 6; i++) reply(503)
    await expect(client.request(spec())).rejects.toBe(reason)
    expect(captured).toHaveLength(1)
    expect(delays).toHaveLength(1)
    expect(client.stats).toEqual({ requests: 1, retries: 1 })
  })

  it('rejects with the abort reason, not a network error, when aborted mid-request', async () => {
    const controller = new AbortController()
    const reason = new Error('job cancelled')
    const { client, pool } = setup({ signal: controller.signal })
    pool.intercept({ path: /.*/, method: /.*/ }).reply(200, {}).delay(5_000)
    const pending = client.request(spec())
    setTimeout(() => controller.abort(reason), 20)
    await expect(pending).rejects.toBe(reason)
    expect(client.stats).toEqual({ requests: 1, retries: 0 })
  })
})

describe('DrataClient time limits', () => {
  it('refuses a Retry-After over the cap at once, saying what Drata asked for and what to do', async () => {
    const { client, reply, delays } = setup({ maxRetries: 20 })
    reply(429, { message: 'Too Many Requests' }, { 'retry-after': '121' })
    reply(200, {})
    const error = await failure(client.request(spec()))
    expect(error.status).toBe(429)
    expect(error.message).toContain('asked to wait 121s before retrying (Retry-After)')
    expect(error.message).toContain('longer than the 120s this action waits for one retry')
    expect(error.message).toContain('re-run once that time has passed')
    expect(delays).toEqual([])
    expect(client.stats).toEqual({ requests: 1, retries: 0 })
  })

  it('waits a Retry-After of exactly the cap', async () => {
    const { client, reply, delays } = setup()
    reply(429, {}, { 'retry-after': '120' })
    reply(200, {})
    await client.request(spec())
    expect(delays).toEqual([120_000])
  })

  it('stops when the next wait would overrun retry-wait, whatever max-retries allows', async () => {
    const { client, reply, delays } = setup({ maxRetries: 20, retryWaitMs: 2500 })
    for (let i = 0; i < 4; i++) reply(429, {}, { 'retry-after': '1' })
    reply(200, {})
    const error = await failure(client.request(spec()))
    expect(delays).toEqual([1000, 1000])
    expect(client.stats).toEqual({ requests: 3, retries: 2 })
    expect(error.status).toBe(429)
    expect(error.message).toBe(
      "Drata answered 429 to the request to list sessions after 2 retries; the next retry would wait 1s (Retry-After), but only 0.5s of the run's 'retry-wait' (2.5s) are left. Drata is rate limiting this API key or the runner's IP (other jobs using them at the same time?). Re-run later, spread out the jobs, or raise 'retry-wait'.",
    )
  })

  it('shares retry-wait between the requests of a run and counts backoff too', async () => {
    const { client, reply, delays } = setup({ maxRetries: 5, retryWaitMs: 1000 })
    reply(503)
    reply(200, {})
    await client.request(spec())
    reply(503)
    reply(503)
    reply(200, {})
    // 375 ms were spent; the next request's first backoff (375) fits, its second (750) not.
    const error = await failure(client.request(spec()))
    expect(delays).toEqual([375, 375])
    expect(error.status).toBe(503)
    expect(error.message).toContain("only 0.3s of the run's 'retry-wait' (1s) are left")
    expect(error.message).toContain(
      "Drata may be having an outage; re-run later, or raise 'retry-wait'.",
    )
  })

  it('with retry-wait 0 never waits: the first failure is final', async () => {
    const { client, reply, delays } = setup({ retryWaitMs: 0 })
    reply(503)
    reply(200, {})
    const error = await failure(client.request(spec()))
    expect(error.message).toContain("'retry-wait' (0s)")
    expect(delays).toEqual([])
  })
})

describe('DrataClient request-timeout bounds the whole attempt', () => {
  /** A server that sends the headers and one byte of a 1000-byte body, then nothing more. */
  async function drippingServer(onFirstByte: () => void) {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
      res.write('{', () => onFirstByte())
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    return {
      url: `http://127.0.0.1:${port}/public/v2`,
      close: () => {
        server.closeAllConnections()
        return new Promise<void>((resolve) => server.close(() => resolve()))
      },
    }
  }

  it('ends an attempt whose body is still arriving when the deadline passes', async () => {
    const deadlines: AbortController[] = []
    const asked: number[] = []
    const server = await drippingServer(() => deadlines.at(-1)?.abort())
    const dispatcher = new Agent()
    try {
      const { client, logs } = setup({
        baseUrl: server.url,
        dispatcher,
        maxRetries: 1,
        timeoutMs: 3000,
        deadline: (ms) => {
          asked.push(ms)
          const controller = new AbortController()
          deadlines.push(controller)
          return controller.signal
        },
      })
      const error = await failure(client.request(spec()))
      expect(error.status).toBe(0)
      expect(error.message).toBe(
        "Drata did not answer the request to list sessions completely within 'request-timeout' (3s) after 1 retries. Drata or the network path (proxy) is slow: re-run later, or raise 'request-timeout'.",
      )
      // One deadline per attempt, each of the whole timeout.
      expect(asked).toEqual([3000, 3000])
      expect(logs[0]).toContain('no complete answer within 3s; retry 1 of 1')
    } finally {
      await dispatcher.close()
      await server.close()
    }
  })

  it('still rejects with the job’s reason when the job is cancelled, not as a timeout', async () => {
    const job = new AbortController()
    const reason = new Error('job cancelled')
    const server = await drippingServer(() => job.abort(reason))
    const dispatcher = new Agent()
    try {
      const { client } = setup({ baseUrl: server.url, dispatcher, signal: job.signal })
      await expect(client.request(spec())).rejects.toBe(reason)
    } finally {
      await dispatcher.close()
      await server.close()
    }
  })
})

describe('DrataClient error advice follows the operation', () => {
  const ASSET: Operation = {
    what: "create asset 'shop (prod)'",
    area: 'assets',
    permission: 'assets-post',
  }
  const REVIEW: Operation = {
    what: 'create a security review for vendor 3',
    area: 'reviews',
    permission: 'vendors-post-security-review',
  }
  const UPSERT: Operation = {
    what: 'upsert records',
    area: 'records',
    permission: 'custom-connections-data-post',
  }
  const EVENTS: Operation = {
    what: 'list audit events',
    area: 'events',
    permission: 'event-tracking-get',
  }

  async function messageFor(status: number, op: Operation, body: unknown = {}): Promise<string> {
    const { client, reply } = setup()
    reply(status, body)
    return (await failure(client.request(spec({ method: 'POST', op })))).message
  }

  it('a 422 on an asset points at the asset inputs, not at the session', async () => {
    const message = await messageFor(422, ASSET, { message: 'ownerId is invalid' })
    expect(message).toContain(
      "Drata refused to create asset 'shop (prod)' (422): ownerId is invalid.",
    )
    expect(message).toContain("'asset-owner-id'")
    expect(message).not.toContain('session')
  })

  it('a 422 on a review points at the review inputs', async () => {
    const message = await messageFor(422, REVIEW)
    expect(message).toContain("'vendor-review-requester-id'")
    expect(message).not.toContain('session')
  })

  it('a 422 on a session says the session is no longer IN_PROGRESS', async () => {
    expect(await messageFor(422, UPLOAD)).toContain('The session is no longer IN_PROGRESS')
  })

  it('a 422 on a plain upsert names the records, not a session', async () => {
    const message = await messageFor(422, UPSERT)
    expect(message).toContain('Fix the records')
    expect(message).not.toContain('session')
  })

  it('a 413 on a review file says the file is too large, not to lower batch-size', async () => {
    const message = await messageFor(413, REVIEW)
    expect(message).toContain("'vendor-review-file' is larger than Drata accepts")
    expect(message).not.toContain('batch-size')
  })

  it('a 413 on records says to lower batch-size', async () => {
    expect(await messageFor(413, UPLOAD)).toContain("Lower 'batch-size'")
    expect(await messageFor(413, UPSERT)).toContain("Lower 'batch-size'")
  })

  it('a 404 of each area names what is missing there', async () => {
    expect(await messageFor(404, UPSERT)).toContain("'connection-id' and 'resource-id'")
    expect(await messageFor(404, REVIEW)).toContain("Check 'vendor-id'")
    expect(await messageFor(404, ASSET)).toContain('The asset does not exist')
    expect(await messageFor(404, EVENTS)).toContain('audit event no longer exists')
  })

  it('a 400 on an asset names the asset inputs; on events, reports a bug', async () => {
    expect(await messageFor(400, ASSET)).toContain("'asset-name'")
    expect(await messageFor(400, EVENTS)).toContain('bug of this action')
  })
})

describe('DrataClient decodes the reason of a 401', () => {
  async function messageFor(body: unknown): Promise<string> {
    const { client, reply } = setup()
    reply(401, body)
    return (await failure(client.request(spec()))).message
  }

  it('key missing: something in between dropped the header', async () => {
    for (const body of [
      { statusCode: 401, message: 'Invalid Authorization', code: 40101 },
      { statusCode: 401, message: 'API key missing' },
    ]) {
      const message = await messageFor(body)
      expect(message).toContain('Drata received no API key')
      expect(message).toContain('HTTPS_PROXY')
    }
  })

  it('key not found: a revoked key or the wrong region', async () => {
    for (const body of [{ code: 40102, message: 'x' }, { message: 'API key not found' }]) {
      const message = await messageFor(body)
      expect(message).toContain('Drata does not know the API key')
      expect(message).toContain("'region' (eu)")
    }
  })

  it('key not allowed from this IP: the allowlist and the runner IP', async () => {
    for (const body of [
      { code: 40103, message: 'x' },
      { message: 'API key not allowed from this IP address' },
    ]) {
      const message = await messageFor(body)
      expect(message).toContain("Drata refused the API key from this runner's IP address")
      expect(message).toContain('IP allowlist')
      expect(message).not.toContain("'region'")
    }
  })

  it('anything else gets the general advice', async () => {
    const message = await messageFor({ statusCode: 401, message: 'Invalid Authorization' })
    expect(message).toBe(
      "Drata did not accept the API key (401 Invalid Authorization) to list sessions. Check that 'api-key' holds a current key (not expired or revoked), that 'region' (eu) is the region of your Drata account, and that the key's IP allowlist, if any, has this runner's IP.",
    )
  })
})

describe('DrataClient removes secrets from what Drata answers', () => {
  it('before a long text body is cut short, and the other secrets given', async () => {
    const token = 'ghs_0123456789abcdefghijklmnop'
    const { client, reply } = setup({ secrets: [token] })
    const b64 = Buffer.from(KEY).toString('base64')
    // The key's base64 straddles the 500th character, where the message is cut.
    const text = `${'x'.repeat(480)}${b64} ${encodeURIComponent(token)}`
    reply(400, text)
    const error = await failure(client.request(spec()))
    expect(error.serverMessage).toBe(`${'x'.repeat(480)}*** ***`)
  })

  it('from JSON messages, in any encoding', async () => {
    const { client, reply } = setup()
    const hex = Buffer.from(KEY).toString('hex')
    reply(500, { message: `key ${KEY} hex ${hex}` })
    const error = await failure(client.request(spec({ retry: 'unsafe' })))
    expect(error.serverMessage).toBe('key *** hex ***')
    expect(error.message).not.toContain(hex)
  })
})

describe('DrataClient keeps what a success carries as Drata sent it', () => {
  it('even text equal to a secret: the run decides on those ids', async () => {
    const { client, reply } = setup()
    reply(200, { data: [{ id: KEY, sessionId: KEY }] })
    expect(await client.request(spec())).toEqual({ data: [{ id: KEY, sessionId: KEY }] })
  })
})

describe('DrataClient and TLS', () => {
  it('does not retry an untrusted certificate and points at NODE_EXTRA_CA_CERTS', async () => {
    const { client, pool, reply } = setup()
    const error = Object.assign(new Error('self-signed certificate'), {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    })
    pool.intercept({ path: /.*/, method: /.*/ }).replyWithError(error)
    reply(200, {})
    const failed = await failure(client.request(spec()))
    expect(failed.retryable).toBe(false)
    expect(failed.message).toContain('NODE_EXTRA_CA_CERTS')
    expect(client.stats).toEqual({ requests: 1, retries: 0 })
  })
})
