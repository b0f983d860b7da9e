// `npm run local-action` as a developer runs it: @github/local-action loads src/main.ts and then
// src/post.ts (TypeScript, not dist/), each through its exported run(), with a .env file, here
// pointed at an in-process sandbox. It must need no network beyond the sandbox.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { DEMO_RESOURCES } from '../sandbox/connections.ts'
import { type Sandbox, startSandbox } from '../sandbox/server.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const BIN = path.join(root, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js')

let sandbox: Sandbox | undefined
let dir: string | undefined
afterEach(async () => {
  await sandbox?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  sandbox = undefined
  dir = undefined
})

/** The committed .env.example with the sandbox's URL and a summary file in `dir`. */
function dotenv(url: string, summary: string, extra: string[]): string {
  const example = readFileSync(path.join(root, '.env.example'), 'utf8')
  return [
    example
      .replace('http://127.0.0.1:8787/public/v2', url)
      .replace('GITHUB_STEP_SUMMARY=local-action-summary.md', `GITHUB_STEP_SUMMARY=${summary}`),
    ...extra,
  ].join('\n')
}

function localAction(envFile: string): Promise<{ code: number | null; out: string }> {
  // Only what npm and node need: nothing of this runner's own GITHUB_* may leak in.
  const env = {
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: process.env.HOME ?? root,
    NO_COLOR: '1',
  }
  const child = spawn(
    process.execPath,
    [BIN, '.', 'src/main.ts', envFile, '--post', 'src/post.ts'],
    {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out }))
  })
}

describe('npm run local-action', () => {
  it('runs main then post from the sources: names resolved, records pushed, nothing left for post to cancel', async () => {
    sandbox = await startSandbox({ resources: DEMO_RESOURCES })
    dir = mkdtempSync(path.join(tmpdir(), 'drata-local-action-'))
    const summary = path.join(dir, 'summary.md')
    const envFile = path.join(dir, '.env')
    writeFileSync(envFile, dotenv(sandbox.url, summary, ['INPUT_MODE=replace']))

    const run = await localAction(envFile)
    expect(run.out).not.toContain('::error::')
    expect(run.code).toBe(0)
    // Main: the demo names resolved, and the records arrived in that resource.
    expect(run.out).toContain("Resolved to connection 1 ('GitHub evidence'), resource 1 ('Builds')")
    expect(sandbox.activeRecords(1, 1).map((r) => r.id)).toEqual([
      'local-action-1',
      'run:acme/shop/1/1',
    ])
    const [session] = sandbox.state().resources[0]?.sessions ?? []
    expect(session?.status).toBe('ACTIVE')
    // Post ran after main, in the same process, and read the state main saved.
    const post = run.out.indexOf('Running Post Step')
    expect(post).toBeGreaterThan(run.out.indexOf('Running Action'))
    expect(run.out.slice(post)).toContain('No Drata session was left open by the main step')
    expect(readFileSync(summary, 'utf8')).toContain('Drata evidence pushed: 2 records (replace')
  })

  it('post cancels the session main left open', async () => {
    sandbox = await startSandbox({ resources: DEMO_RESOURCES })
    // Main can neither complete nor cancel (every session action fails), so its session stays
    // IN_PROGRESS; the post step's cancel goes through.
    let actions = 0
    sandbox.onRequest(({ method, path: p }) => {
      if (method === 'POST' && p.endsWith('/actions')) actions++
    })
    sandbox.addFault({ kind: 'status', status: 503, method: 'POST', path: /\/actions$/, times: 3 })
    dir = mkdtempSync(path.join(tmpdir(), 'drata-local-action-'))
    const envFile = path.join(dir, '.env')
    writeFileSync(
      envFile,
      dotenv(sandbox.url, path.join(dir, 'summary.md'), [
        'INPUT_MODE=replace',
        'INPUT_MAX-RETRIES=0',
      ]),
    )
    const run = await localAction(envFile)
    expect(actions).toBeGreaterThan(3)
    const post = run.out.slice(run.out.indexOf('Running Post Step'))
    expect(post).toMatch(/was cancelled by the post step/)
    const [session] = sandbox.state().resources[0]?.sessions ?? []
    expect(session?.status).toBe('CANCELED')
    expect(sandbox.activeRecords(1, 1)).toEqual([])
  })
})
