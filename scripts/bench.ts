// `npm run bench`: measures the action as users run it (node dist/main/index.js against the
// local sandbox, with the sandbox's rate limit and the action's pacing off) side by side with
// baselines measured in the same run: a bare undici loop posting the same batches, a shell
// curl loop posting record by record, and a bare `node -e 0`. Prints each mode's requests
// against the floor, peak RSS, cold start and an estimate for production's 500 requests a
// minute. Not a test: it asserts nothing and never fails on speed.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import os from 'node:os'
import { request } from 'undici'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { makeDirs, removeDirs, runAction, sandboxInputs } from '../test/e2e/harness.ts'
import { type Sandbox, startSandbox } from '../test/sandbox/server.ts'

const REPEAT = 5
const PER_REQUEST = 500
const CONCURRENCY = 4
const PACING = 450 // requests-per-minute default
const PAD = 'x'.repeat(960) // ~1 KB records
const TIME = '/usr/bin/time'

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

function record(i: number): Record<string, unknown> {
  return { id: `rec-${String(i).padStart(6, '0')}`, n: i, pad: PAD }
}

/** Record files as a user would commit them; at most 50k (~50 MB) per file (64 MiB limit). */
function recordFiles(n: number, format: 'ndjson' | 'json'): Record<string, string> {
  const files: Record<string, string> = {}
  for (let from = 0, part = 0; from < n; from += 50_000, part++) {
    const rows = Array.from({ length: Math.min(50_000, n - from) }, (_, i) => record(from + i))
    files[`evidence/part-${part}.${format}`] =
      format === 'ndjson'
        ? `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`
        : JSON.stringify(rows)
  }
  return files
}

async function withSandbox<T>(active: number, fn: (sandbox: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox({ rateLimitPerMinute: 0 })
  try {
    if (active > 0) {
      sandbox.seed(
        1,
        1,
        Array.from({ length: active }, (_, i) => ({ id: `old-${i}` })),
      )
    }
    return await fn(sandbox)
  } finally {
    await sandbox.close()
  }
}

interface Run {
  ms: number
  requests: number
  rssMb?: number
}

/** One run of the action: `mode` with `n` records from files into `active` records. */
async function push(
  mode: 'append' | 'replace',
  n: number,
  active: number,
  format: 'ndjson' | 'json' = 'ndjson',
): Promise<Run> {
  return withSandbox(active, async (sandbox) => {
    const measureRss = existsSync(TIME)
    // The files are written before the clock starts, as they are in a job before the step.
    const dirs = makeDirs()
    for (const [rel, text] of Object.entries(recordFiles(n, format))) {
      mkdirSync(path.dirname(path.join(dirs.workspace, rel)), { recursive: true })
      writeFileSync(path.join(dirs.workspace, rel), text)
    }
    const start = performance.now()
    const result = await runAction({
      dirs,
      wrap: measureRss ? [TIME, '-v'] : undefined,
      inputs: sandboxInputs(sandbox.url, {
        mode,
        'records-file': `evidence/*.${format}`,
        'requests-per-minute': '0',
        concurrency: String(CONCURRENCY),
        ...(mode === 'replace' ? { 'allow-shrink': 'true' } : {}),
      }),
    })
    const ms = performance.now() - start
    if (result.code !== 0) throw new Error(`bench run failed: ${result.stdout}`)
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1]
    removeDirs()
    return { ms, requests: sandbox.requests.length, rssMb: kb ? Number(kb) / 1024 : undefined }
  })
}

/** The least a client can do: the same lines, batched as the action does, posted by undici. */
async function bareUndici(n: number): Promise<number> {
  return withSandbox(0, async (sandbox) => {
    const files = recordFiles(n, 'ndjson')
    const base = `${sandbox.url}/custom-connections/1/resources/1`
    const headers = { authorization: 'Bearer sandbox-key', 'content-type': 'application/json' }
    const start = performance.now()
    const batches: string[][] = []
    for (const text of Object.values(files)) {
      const lines = text.split('\n').filter(Boolean)
      for (let i = 0; i < lines.length; i += PER_REQUEST)
        batches.push(lines.slice(i, i + PER_REQUEST))
    }
    const post = async (path: string, body: string) => {
      const res = await request(`${base}${path}`, { method: 'POST', headers, body })
      await res.body.text()
      if (res.statusCode >= 300) throw new Error(`bare loop: ${res.statusCode}`)
    }
    await post('/sessions/bare', `{"data":[${(batches[0] ?? []).join(',')}]}`)
    let next = 1
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++] ?? []
        await post('/sessions/bare', `{"data":[${batch.join(',')}]}`)
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    await post('/sessions/bare/actions', '{"action":"complete"}')
    const ms = performance.now() - start
    return ms
  })
}

/**
 * The least memory a client can use for the same push, in a process of its own: it streams the
 * NDJSON files line by line, posts 500 lines a request with undici (4 in flight) and parses
 * each answer, as any client that checks what Drata accepted must. No validation, no ids kept.
 */
const BARE_CLIENT = `
import { createReadStream } from 'node:fs'
import readline from 'node:readline'
import { request } from 'undici'
const [url, ...files] = process.argv.slice(1)
const headers = { authorization: 'Bearer sandbox-key', 'content-type': 'application/json' }
const inFlight = new Set()
const post = async (path, body) => {
  const res = await request(url + path, { method: 'POST', headers, body })
  const answer = JSON.parse(await res.body.text())
  if (res.statusCode >= 300 || !answer) throw new Error('bare client: ' + res.statusCode)
}
const send = async (lines) => {
  while (inFlight.size >= ${CONCURRENCY}) await Promise.race(inFlight)
  const p = post('/sessions/bare', '{"data":[' + lines.join(',') + ']}').finally(() => inFlight.delete(p))
  inFlight.add(p)
}
let lines = []
for (const file of files)
  for await (const line of readline.createInterface({ input: createReadStream(file) })) {
    if (!line) continue
    lines.push(line)
    if (lines.length === ${PER_REQUEST}) { await send(lines); lines = [] }
  }
if (lines.length > 0) await send(lines)
await Promise.all(inFlight)
await post('/sessions/bare/actions', '{"action":"complete"}')
`

async function bareClientRss(n: number): Promise<number | undefined> {
  if (!existsSync(TIME)) return undefined
  return withSandbox(0, async (sandbox) => {
    const dirs = makeDirs()
    const files = Object.entries(recordFiles(n, 'ndjson')).map(([rel, text]) => {
      const file = path.join(dirs.workspace, rel)
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(file, text)
      return file
    })
    const base = `${sandbox.url}/custom-connections/1/resources/1`
    const args = ['-v', process.execPath, '--input-type=module', '-e', BARE_CLIENT, base, ...files]
    const stderr = await new Promise<string>((resolve, reject) => {
      // Async so the sandbox in this process can answer while the client runs.
      const child = spawn(TIME, args, { stdio: ['ignore', 'ignore', 'pipe'] })
      let text = ''
      child.stderr.on('data', (d: Buffer) => (text += d.toString()))
      child.on('error', reject)
      child.on('close', (code) =>
        code === 0 ? resolve(text) : reject(new Error(`bare client failed: ${text}`)),
      )
    })
    removeDirs()
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1]
    return kb ? Number(kb) / 1024 : undefined
  })
}

/** A shell loop posting one record per curl, as a hand-written workflow step would. */
async function curlLoop(n: number): Promise<number> {
  return withSandbox(0, async (sandbox) => {
    const script = `for i in $(seq 1 ${n}); do curl -sS -o /dev/null -X POST -H 'authorization: Bearer sandbox-key' -H 'content-type: application/json' --data "{\\"data\\":[{\\"id\\":\\"c-$i\\",\\"pad\\":\\"${PAD}\\"}]}" "${sandbox.url}/custom-connections/1/resources/1/records"; done`
    const start = performance.now()
    // Async so the sandbox in this process can answer while the loop runs.
    await new Promise<void>((resolve, reject) => {
      const child = spawn('bash', ['-c', script], { stdio: 'ignore' })
      child.on('error', reject)
      child.on('close', () => resolve())
    })
    return performance.now() - start
  })
}

const floor = {
  append: (n: number) => Math.ceil(n / PER_REQUEST) + 2,
  replace: (n: number, active: number) =>
    Math.ceil(n / PER_REQUEST) + Math.max(1, Math.ceil(active / PER_REQUEST)) + 5,
}
/** Minutes at `PACING` a minute after the pacer's burst of 25; latency aside. */
const minutesAt = (requests: number) => Math.max(0, requests - 25) / PACING

const out: string[][] = [['run', 'time', 'requests (floor)', 'peak RSS', 'at 450/min']]
const row = (name: string, run: Run, floorCount: number) =>
  out.push([
    name,
    `${(run.ms / 1000).toFixed(1)} s`,
    `${run.requests} (${floorCount})`,
    run.rssMb === undefined ? '' : `${run.rssMb.toFixed(0)} MB`,
    `${(minutesAt(run.requests) * 60).toFixed(0)} s`,
  ])

const nodeStart = await time(() => spawnSync(process.execPath, ['-e', '0']))
// The action in an offline dry run does all its own start-up work (bundle load, inputs,
// collectors, summary) but no network.
const coldStart = await time(() =>
  runAction({
    inputs: { 'dry-run': 'true', records: '{"id":"a"}', collect: 'commit,workflow-run' },
  }),
)
removeDirs()

// Warm up the sandbox (it runs in this process), then take the faster of two runs of each side.
await push('replace', 10_000, 0)
await bareUndici(10_000)
const fastest = (a: Run, b: Run) => (a.ms <= b.ms ? a : b)
// Side by side in turns, three times: the machine is shared, so each turn's ratio is taken
// and the median of the three reported, with the median times.
const turns: Array<{ action: Run; bare: number }> = []
for (let turn = 0; turn < 3; turn++)
  turns.push({ action: await push('replace', 100_000, 0), bare: await bareUndici(100_000) })
const ratio100k = median(turns.map((t) => t.action.ms / t.bare))
const replace100k = turns.map((t) => t.action).reduce(fastest)
row('replace 100k ndjson', replace100k, floor.replace(100_000, 0))
const bareRss100k = await bareClientRss(100_000)
const action100kMs = median(turns.map((t) => t.action.ms))
const bare100k = median(turns.map((t) => t.bare))
const replace100kJson = await push('replace', 100_000, 0, 'json')
row('replace 100k json', replace100kJson, floor.replace(100_000, 0))
const replace10k = await push('replace', 10_000, 0)
row('replace 10k ndjson', replace10k, floor.replace(10_000, 0))
row('replace 1k ndjson', await push('replace', 1_000, 0), floor.replace(1_000, 0))
const replace10kJson = await push('replace', 10_000, 0, 'json')
row('replace 10k json', replace10kJson, floor.replace(10_000, 0))
const append10k = await push('append', 10_000, 0)
for (const n of [1_000, 100_000])
  row(`append ${n / 1000}k into 0`, await push('append', n, 0), floor.append(n))
row('append 10k into 0', append10k, floor.append(10_000))
for (const active of [20_000, 55_000])
  row(`append 1k into ${active / 1000}k`, await push('append', 1_000, active), floor.append(1_000))
const CURL_N = 1_000
const curl = (await curlLoop(CURL_N)) * (10_000 / CURL_N)

const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
console.log(
  `Node ${process.version}; ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${os.platform()} ${os.release()}`,
)
console.log(
  `Action: batch-size auto, concurrency ${CONCURRENCY}, requests-per-minute 0; sandbox in this process, rate limit off; ~1 KB records from files\n`,
)
const widths = out[0]?.map((_, i) => Math.max(...out.map((r) => (r[i] ?? '').length))) ?? []
for (const r of out) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '))
console.log('')
const side = [
  ['comparison', 'action', 'baseline', 'ratio', 'target'],
  [
    'replace 100k vs bare undici loop (same batches, concurrency 4, median of 3 turns)',
    `${(action100kMs / 1000).toFixed(1)} s`,
    `${(bare100k / 1000).toFixed(1)} s`,
    `${ratio100k.toFixed(2)}x`,
    '<= 1.25x',
  ],
  [
    `append 10k vs curl loop, record per request (${CURL_N} timed, x10)`,
    `${(append10k.ms / 1000).toFixed(1)} s`,
    `${(curl / 1000).toFixed(1)} s`,
    `${(curl / append10k.ms).toFixed(1)}x faster`,
    '>= 10x',
  ],
  [
    'cold start (offline dry run) vs node -e 0',
    `${coldStart.toFixed(0)} ms`,
    `${nodeStart.toFixed(0)} ms`,
    `${(coldStart / nodeStart).toFixed(2)}x`,
    '<= 3x',
  ],
]
const mb = (value: number | undefined) => (value === undefined ? '?' : `${value.toFixed(0)} MB`)
const growth = (big: Run, small: Run) =>
  big.rssMb && small.rssMb ? `${(big.rssMb / small.rssMb).toFixed(2)}x` : '?'
side.push(
  [
    'peak RSS, replace 100k ndjson vs a bare streaming undici client (own process)',
    mb(replace100k.rssMb),
    mb(bareRss100k),
    replace100k.rssMb && bareRss100k ? `${(replace100k.rssMb / bareRss100k).toFixed(2)}x` : '?',
    '<= 150 MB',
  ],
  [
    'peak RSS growth 10k -> 100k, replace ndjson',
    mb(replace100k.rssMb),
    mb(replace10k.rssMb),
    growth(replace100k, replace10k),
    '<= 1.5x',
  ],
  [
    'peak RSS growth 10k -> 100k, replace json',
    mb(replace100kJson.rssMb),
    mb(replace10kJson.rssMb),
    growth(replace100kJson, replace10kJson),
    '<= 1.5x',
  ],
)
const w2 = side[0]?.map((_, i) => Math.max(...side.map((r) => (r[i] ?? '').length))) ?? []
for (const r of side) console.log(r.map((c, i) => c.padEnd(w2[i] ?? 0)).join('  '))
const bundle = (dir: string) =>
  spawnSync('du', ['-sb', '--exclude=licenses.txt', dir]).stdout.toString().split('\t')[0]
console.log(
  `\nbundle: dist/main ${bundle('dist/main')} bytes, dist/post ${bundle('dist/post')} bytes`,
)
