// `npm run test:scale`: 100,000 records of about 1 KB pushed by the bundled action with pacing
// off, as a user's NDJSON files, against the sandbox. Slow (tens of seconds), so it is kept out
// of the default run; .ci/run runs it too. It pins requests, not timings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAction, sandboxInputs } from '../e2e/harness.ts'
import { type Sandbox, startSandbox } from '../sandbox/server.ts'

const N = 100_000
const PER_FILE = 50_000 // two files: one 100 MB file would pass the 64 MiB per-file limit
const PAD = 'x'.repeat(960)

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ rateLimitPerMinute: 0 })
})
afterAll(async () => {
  await sandbox.close()
})

function ndjson(from: number, count: number): string {
  const lines: string[] = []
  for (let i = from; i < from + count; i++) {
    lines.push(JSON.stringify({ id: `rec-${String(i).padStart(6, '0')}`, n: i, pad: PAD }))
  }
  return `${lines.join('\n')}\n`
}

describe('scale', () => {
  it('replaces with 100,000 records of ~1 KB at the request floor, pacing off', async () => {
    sandbox.seed(
      1,
      1,
      Array.from({ length: 1_000 }, (_, i) => ({ id: `old-${i}` })),
    )
    const before = sandbox.requests.length
    const result = await runAction({
      files: {
        'evidence/a.ndjson': ndjson(0, PER_FILE),
        'evidence/b.ndjson': ndjson(PER_FILE, PER_FILE),
      },
      inputs: sandboxInputs(sandbox.url, {
        mode: 'replace',
        'records-file': 'evidence/*.ndjson',
        'allow-shrink': 'true',
        'requests-per-minute': '0',
      }),
    })
    expect(result.code, result.stdout).toBe(0)
    const outcome = JSON.parse(result.outputs.result ?? '{}') as Record<string, unknown>
    expect(outcome).toMatchObject({
      recordsPushed: N,
      recordsRemoved: 1_000,
      sessionStatus: 'ACTIVE',
      batches: N / 500,
    })
    // 2 checks, N/500 uploads, ceil(1,000/500) verified reads, 1 count, 1 complete, 1 read-back.
    const requests = sandbox.requests.length - before
    expect(requests).toBe(2 + N / 500 + 2 + 3)
    expect(sandbox.activeRecords(1, 1)).toHaveLength(N)
    // Ids and sizes were checked before the first write: nothing was rejected.
    expect(outcome).toMatchObject({ recordsFailed: 0 })
  })
})
