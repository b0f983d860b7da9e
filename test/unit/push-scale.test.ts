// Request counts of each mode with payload-sized batches and concurrent uploads, pinned to the
// formulas in the README, and the guarantees concurrency must keep.
import { afterEach, describe, expect, it } from 'vitest'
import { evidence, options, pushAppend, pushKit, pushReplace } from './push-kit.js'

let kit: Awaited<ReturnType<typeof pushKit>>
afterEach(async () => {
  await kit.close()
})

const SID = 'gh-9001-1-evidence-0badcafe'
const replace = (extra = {}) => options({ mode: 'replace', sessionId: SID, ...extra })
const uploads = () =>
  kit.sandbox.requests.filter((r) => r.method === 'POST' && !r.path.endsWith('/actions'))
const active = () => kit.sandbox.activeRecords(1, 1).map((r) => r.id)

function seed(count: number) {
  kit.sandbox.seed(
    1,
    1,
    Array.from({ length: count }, (_, i) => ({ id: `old-${i}` })),
  )
  kit.requests()
}

describe('push at scale: requests against the floor', () => {
  it.each([1_000, 10_000])(
    'replace of %i records into 500 active costs ceil(N/500) + ceil(active/500) + 5',
    async (n) => {
      kit = await pushKit()
      seed(500)
      const outcome = await pushReplace(replace({ allowShrink: true }), kit.deps, evidence(n))
      expect(outcome.error).toBeUndefined()
      expect(outcome.batches).toBe(Math.ceil(n / 500))
      expect(kit.requests()).toHaveLength(Math.ceil(n / 500) + Math.ceil(500 / 500) + 5)
      expect(active()).toHaveLength(n)
    },
  )

  it.each([0, 20_000])(
    'append of 10,000 records with %i active costs ceil(N/500) + 2',
    async (held) => {
      kit = await pushKit()
      seed(held)
      const outcome = await pushAppend(options(), kit.deps, evidence(10_000))
      expect(outcome.error).toBeUndefined()
      expect(kit.requests()).toHaveLength(Math.ceil(10_000 / 500) + 2)
      expect(active()).toHaveLength(held + 10_000)
    },
  )

  it('fills requests by bytes when records are large: about 2 MiB each, never more', async () => {
    kit = await pushKit()
    // 1,000 records of ~10 KB: 500 would be ~5 MB, so the 2 MiB budget decides (~200 a request).
    const outcome = await pushAppend(
      options(),
      kit.deps,
      evidence(1_000, 'big', { pad: 'x'.repeat(10_000) }),
    )
    expect(outcome.error).toBeUndefined()
    const sent = uploads()
    expect(sent).toHaveLength(Math.ceil((1_000 * 10_040) / (2 * 1024 * 1024)))
    for (const r of sent)
      expect(JSON.stringify(r.body).length).toBeLessThanOrEqual(2 * 1024 * 1024 + 16)
  })
})

describe('push at scale: concurrency keeps every guarantee', () => {
  it('replace sends its first batch alone: it creates the session before any other upload', async () => {
    kit = await pushKit()
    const api = kit.deps.api as NonNullable<typeof kit.deps.api>
    const upload = api.uploadToSession.bind(api)
    let inFlight = 0
    const seen: number[] = []
    // Counts the uploads in flight as each one starts: the injected API, observed, not mocked.
    api.uploadToSession = async (sessionId, batch) => {
      seen.push(++inFlight)
      try {
        return await upload(sessionId, batch)
      } finally {
        inFlight--
      }
    }
    const outcome = await pushReplace(replace({ concurrency: 4 }), kit.deps, evidence(5_000))
    expect(outcome.error).toBeUndefined()
    expect(outcome.sessionStatus).toBe('ACTIVE')
    expect(seen).toHaveLength(10)
    // The first went alone; the second started only once the first was in, then up to 4 at once.
    expect(seen.slice(0, 2)).toEqual([1, 1])
    expect(Math.max(...seen)).toBe(4)
    const sessions = kit.sandbox.state().resources[0]?.sessions.filter((s) => s.sessionId === SID)
    expect(sessions).toHaveLength(1)
  })

  it('append reports every rejected record by id, in order, across concurrent batches', async () => {
    kit = await pushKit({
      resources: [
        { connectionId: 1, resourceId: 1, schema: { type: 'object', required: ['name'] } },
      ],
    })
    const records = evidence(2_000).map((r, i) =>
      i % 450 === 7 ? { ...r, data: { id: r.id }, json: undefined } : r,
    )
    const bad = records.filter((_, i) => i % 450 === 7).map((r) => r.id)
    const outcome = await pushAppend(options({ concurrency: 4 }), kit.deps, records)
    expect(outcome.failures.map((f) => f.id)).toEqual(bad)
    expect(outcome).toMatchObject({ pushed: 2_000 - bad.length, failed: bad.length })
  })

  it('an error after retries still reports what went in before it', async () => {
    kit = await pushKit()
    // From the third upload on every attempt fails: the two that went in are reported.
    kit.sandbox.addFault({
      method: 'POST',
      path: '/records',
      skip: 2,
      times: 1_000,
      kind: 'status',
      status: 503,
    })
    const outcome = await pushAppend(options({ concurrency: 2 }), kit.deps, evidence(5_000))
    expect(outcome.error).toMatch(/503|unavailable/i)
    expect(outcome.pushed).toBe(active().length)
    expect(outcome.pushed).toBeGreaterThanOrEqual(1_000)
    expect(outcome.error).toContain(
      `The ${outcome.pushed} records accepted before this error stay in Drata`,
    )
  })

  it('refuses a record too large for any request before the first request', async () => {
    kit = await pushKit()
    const records = [
      ...evidence(3),
      { id: 'huge', source: 'inline', data: { id: 'huge', pad: 'x'.repeat(2 * 1024 * 1024) } },
    ]
    for (const push of [pushAppend, pushReplace]) {
      const outcome = await push(
        replace({ mode: push === pushAppend ? 'append' : 'replace' }),
        kit.deps,
        records,
      )
      expect(outcome.error).toMatch(/Record 'huge' is \d+ bytes .* nothing was sent/)
    }
    expect(kit.sandbox.requests).toEqual([])
  })
})
