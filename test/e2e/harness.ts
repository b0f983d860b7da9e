import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The committed bundles: e2e tests run what users run. */
export const DIST = {
  main: fileURLToPath(new URL('../../dist/main/index.js', import.meta.url)),
  post: fileURLToPath(new URL('../../dist/post/index.js', import.meta.url)),
}
export const API_KEY = 'sandbox-key'

export interface ActionRun {
  /** Action inputs by their action.yml names (become INPUT_<NAME> variables). */
  inputs?: Record<string, string>
  /** Extra or overriding environment variables. */
  env?: Record<string, string>
  /** Event payload written to GITHUB_EVENT_PATH. */
  event?: object
  /** Files to create in the workspace, by relative path (bytes for files that are not text). */
  files?: Record<string, string | Uint8Array>
  /** State the runner hands a post step (STATE_<name>). */
  state?: Record<string, string>
  /** Called with the child right after it starts (to signal or kill it). */
  onSpawn?: (child: ChildProcess) => void
  /** Reuse a workspace (for a post step after its main). */
  dirs?: RunDirs
  /** Which step's bundle to run; main by default. */
  step?: 'main' | 'post'
  /** A command to run node under, e.g. ['/usr/bin/time', '-v'] (the bench's peak RSS). */
  wrap?: string[]
}

export interface RunDirs {
  root: string
  workspace: string
}

export interface ActionResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  /** What the step saved with core.saveState, as the runner would pass it to the post step. */
  savedState: Record<string, string>
  summary: string
  dirs: RunDirs
}

const made: string[] = []

/** Removes every job directory made so far (test/setup.ts calls it after each test file). */
export function removeDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/** A fresh root with a workspace, like a runner's job directory; see removeDirs. */
export function makeDirs(): RunDirs {
  const root = mkdtempSync(path.join(tmpdir(), 'drata-e2e-'))
  made.push(root)
  const workspace = path.join(root, 'workspace')
  mkdirSync(workspace)
  return { root, workspace }
}

/** Runs `node dist/index.js` as a child process with the environment a GitHub runner gives a step. */
export function runAction(run: ActionRun = {}): Promise<ActionResult> {
  const dirs = run.dirs ?? makeDirs()
  const step = mkdtempSync(path.join(dirs.root, 'step-'))
  const files = {
    GITHUB_OUTPUT: path.join(step, 'output'),
    GITHUB_STATE: path.join(step, 'state'),
    GITHUB_STEP_SUMMARY: path.join(step, 'summary'),
    GITHUB_ENV: path.join(step, 'env'),
    GITHUB_PATH: path.join(step, 'path'),
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const eventPath = path.join(step, 'event.json')
  writeFileSync(eventPath, JSON.stringify(run.event ?? pushEvent()))
  for (const [rel, content] of Object.entries(run.files ?? {})) {
    const target = path.join(dirs.workspace, rel)
    mkdirSync(path.dirname(target), { recursive: true })
    writeFileSync(target, content)
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dirs.root,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKFLOW: 'Release',
    GITHUB_JOB: 'evidence',
    GITHUB_RUN_ID: '9001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_ACTOR: 'octocat',
    GITHUB_TRIGGERING_ACTOR: 'octocat',
    GITHUB_WORKSPACE: dirs.workspace,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: step,
    ...files,
    ...run.env,
  }
  for (const [name, value] of Object.entries(run.inputs ?? {})) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  for (const [name, value] of Object.entries(run.state ?? {})) env[`STATE_${name}`] = value

  return new Promise((resolve, reject) => {
    const [command = process.execPath, ...args] = run.wrap ? [...run.wrap, process.execPath] : []
    const child = spawn(command, [...args, DIST[run.step ?? 'main']], {
      env,
      cwd: dirs.workspace,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      resolve({
        code,
        signal,
        stdout,
        stderr,
        outputs: parseFileCommand(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
        savedState: parseFileCommand(readFileSync(files.GITHUB_STATE, 'utf8')),
        summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
        dirs,
      })
    })
    run.onSpawn?.(child)
  })
}

/** Runs the post step after a main step, handing over its saved state as the runner does. */
export function runPost(main: ActionResult, run: ActionRun = {}): Promise<ActionResult> {
  return runAction({
    ...run,
    step: 'post',
    dirs: main.dirs,
    state: { ...main.savedState, ...run.state },
  })
}

/** Parses the `name<<delimiter` blocks of GITHUB_OUTPUT and GITHUB_STATE files. */
export function parseFileCommand(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '')
    if (!match) continue
    const [, name, delimiter] = match as unknown as [string, string, string]
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '')
    out[name] = value.join('\n')
  }
  return out
}

/** Inputs that point the action at a sandbox. */
export function sandboxInputs(
  url: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'api-key': API_KEY,
    'api-url': url,
    'connection-id': '1',
    'resource-id': '1',
    collect: 'none',
    ...extra,
  }
}

/** A push event payload shaped like GitHub's. */
export function pushEvent(): object {
  return {
    ref: 'refs/heads/main',
    after: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    repository: { full_name: 'acme/shop', name: 'shop', owner: { login: 'acme' } },
    head_commit: {
      id: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      message: 'Add checkout audit log\n\nDetails of the change',
      timestamp: '2026-11-20T10:00:00Z',
      author: { name: 'Mona Lisa', email: 'mona@example.com', username: 'mona' },
      committer: { name: 'GitHub', email: 'noreply@github.com', username: 'web-flow' },
    },
    pusher: { name: 'mona' },
  }
}

/** `count` simple records with ids `<prefix>-<n>`. */
export function makeRecords(
  count: number,
  prefix = 'rec',
  extra: Record<string, unknown> = {},
): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${String(i + 1).padStart(4, '0')}`,
    name: `${prefix} ${i + 1}`,
    ...extra,
  }))
}

/** Write requests (anything but GET) in a sandbox request log. */
export function writes(requests: ReadonlyArray<{ method: string }>): number {
  return requests.filter((r) => r.method !== 'GET').length
}

/** Resources whose schema requires `name`, so records without it are rejected per item. */
export const NAME_REQUIRED = [
  { connectionId: 1, resourceId: 1, schema: { type: 'object', required: ['name'] } },
]

/** Runs the action against `sandbox` with `inputs` on top of {@link sandboxInputs}' own. */
export function runAgainst(
  sandbox: { url: string },
  inputs: Record<string, string> = {},
  run: Omit<ActionRun, 'inputs'> = {},
): Promise<ActionResult> {
  return runAction({ ...run, inputs: sandboxInputs(sandbox.url, inputs) })
}
