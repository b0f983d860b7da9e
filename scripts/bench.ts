// `npm run bench`: measures the action as users run it (node dist/main/index.js against the
// local sandbox) and prints each figure as a ratio to a baseline measured in the same run, and
// each mode's requests against the floor, so the numbers compare across machines. Not a test:
// it asserts nothing and never fails on speed.
import { spawnSync } from 'node:child_process'
import { makeRecords, removeDirs, runAction, sandboxInputs } from '../test/e2e/harness.ts'
import { startSandbox } from '../test/sandbox/server.ts'

const REPEAT = 5
const BATCH = 500

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

const rows: string[][] = []
const row = (...cells: string[]) => rows.push(cells)

// Cold start: a bare Node process is the baseline; the action in an offline dry run does all
// its own start-up work (bundle load, inputs, collectors, summary) but no network.
const nodeStart = await time(() => spawnSync(process.execPath, ['-e', '0']))
const coldStart = await time(() =>
  runAction({
    inputs: { 'dry-run': 'true', records: '{"id":"a"}', collect: 'commit,workflow-run' },
  }),
)

/** One run of `mode` with `n` new records into a resource already holding `active`. */
async function push(mode: string, n: number, active: number) {
  const sandbox = await startSandbox({ rateLimitPerMinute: 0 })
  try {
    if (active > 0) {
      sandbox.seed(
        1,
        1,
        Array.from({ length: active }, (_, i) => ({ id: `old-${i}` })),
      )
    }
    const start = performance.now()
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        mode,
        records: JSON.stringify(makeRecords(n)),
        'batch-size': String(BATCH),
        ...(mode === 'replace' ? { 'allow-shrink': 'true' } : {}),
      }),
    })
    const ms = performance.now() - start
    if (result.code !== 0) throw new Error(`bench run failed: ${result.stdout}`)
    return { ms, requests: sandbox.requests.length }
  } finally {
    await sandbox.close()
  }
}

const uploads = (n: number) => Math.ceil(n / BATCH)
const cases: Array<[string, number, number, number]> = [
  // mode, new records, active records, the floor of requests for them
  ['append', 3, 55_000, uploads(3) + 2],
  ['append', 1_000, 0, uploads(1_000) + 2],
  ['append', 1_000, 20_000, uploads(1_000) + 2],
  ['append', 1_000, 55_000, uploads(1_000) + 2],
  ['replace', 1_000, 0, uploads(1_000) + 1 + 5],
  ['replace', 1_000, 20_000, uploads(1_000) + Math.ceil(20_000 / 500) + 5],
]
const base = await push('append', 1_000, 0)
for (const [mode, n, active, floor] of cases) {
  const run = await push(mode, n, active)
  row(
    `${mode} ${n} into ${active} active`,
    `${run.ms.toFixed(0)} ms`,
    `${(run.ms / base.ms).toFixed(2)}x`,
    `${run.requests} requests (floor ${floor})`,
  )
}
removeDirs()

console.log(`Node ${process.version}; batch-size ${BATCH}; sandbox rate limit off\n`)
console.log(
  `cold start (offline dry run): ${coldStart.toFixed(0)} ms = ${(coldStart / nodeStart).toFixed(2)}x node -e 0 (${nodeStart.toFixed(0)} ms), median of ${REPEAT}`,
)
console.log(`baseline: append of 1000 into an empty resource, ${base.ms.toFixed(0)} ms\n`)
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '))
