// `npm run bench`: measures the action as users run it (node dist/index.js against the local
// sandbox) and prints each figure as a ratio to a baseline measured in the same run, so the
// numbers compare across machines. Not a test: it asserts nothing and never fails on speed.
import { spawnSync } from 'node:child_process'
import { makeRecords, runAction, sandboxInputs } from '../test/e2e/harness.ts'
import { startSandbox } from '../test/sandbox/server.ts'

const REPEAT = 5

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  const samples: number[] = []
  for (let i = 0; i < REPEAT; i++) {
    const start = performance.now()
    await fn()
    samples.push(performance.now() - start)
  }
  return median(samples)
}

const rows: Array<[string, string, string, string]> = []
const row = (name: string, ms: number, base: number, note = '') =>
  rows.push([name, `${ms.toFixed(0)} ms`, `${(ms / base).toFixed(2)}x`, note])

// Cold start: a bare Node process is the baseline; the action in an offline dry run does all
// its own start-up work (bundle load, inputs, collectors, summary) but no network.
const nodeStart = await time(() => spawnSync(process.execPath, ['-e', '0']))
row('node -e 0 (baseline)', nodeStart, nodeStart)
const coldStart = await time(() =>
  runAction({
    inputs: { 'dry-run': 'true', records: '{"id":"a"}', collect: 'commit,workflow-run' },
  }),
)
row('action cold start (offline dry run)', coldStart, nodeStart)

// Pushes of 1,000 records; the baseline is the plain upsert, the cheapest write.
const N = 1000
async function push(mode: string, carried: number): Promise<{ ms: number; requests: number }> {
  const sandbox = await startSandbox({ rateLimitPerMinute: 0 })
  try {
    if (carried > 0) sandbox.seed(1, 1, makeRecords(carried, 'old'))
    const start = performance.now()
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        mode,
        records: JSON.stringify(makeRecords(N)),
        'batch-size': '500',
        'session-id': 'bench-1',
      }),
    })
    const ms = performance.now() - start
    if (result.code !== 0) throw new Error(`bench run failed: ${result.stdout}`)
    return { ms, requests: sandbox.requests.length }
  } finally {
    await sandbox.close()
  }
}

const upsert = await push('upsert', 0)
row(`upsert ${N} (baseline)`, upsert.ms, upsert.ms, `${upsert.requests} requests`)
const replace = await push('replace', 0)
row(`replace ${N}`, replace.ms, upsert.ms, `${replace.requests} requests`)
const append0 = await push('append', 0)
row(`append ${N}, nothing to carry`, append0.ms, upsert.ms, `${append0.requests} requests`)
for (const carried of [5000, 20000]) {
  const append = await push('append', carried)
  const perK = ((append.ms - append0.ms) * 1000) / carried
  const reqPerK = ((append.requests - append0.requests) * 1000) / carried
  row(
    `append ${N}, carrying ${carried}`,
    append.ms,
    upsert.ms,
    `${append.requests} requests; carry-forward ≈ ${perK.toFixed(0)} ms and ${reqPerK.toFixed(1)} requests per 1,000 carried`,
  )
}

const width = rows.reduce((w, r) => Math.max(w, r[0].length), 0)
console.log(
  `Node ${process.version}, median of ${REPEAT} for cold starts; batch-size 500; sandbox rate limit off\n`,
)
for (const [name, ms, ratio, note] of rows)
  console.log(`${name.padEnd(width)}  ${ms.padStart(8)}  ${ratio.padStart(7)}  ${note}`)
