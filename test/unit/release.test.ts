// scripts/release.mjs, run in a throwaway git repository whose scripts/check-dist.mjs is a stub
// that passes or fails on demand (the real one rebuilds with ncc, tested by `npm run check`).
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const SCRIPT = fileURLToPath(new URL('../../scripts/release.mjs', import.meta.url))
// Isolated from the user's git configuration (signing, hooks, default branch).
const ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Release Test',
  GIT_AUTHOR_EMAIL: 'release@example.invalid',
  GIT_COMMITTER_NAME: 'Release Test',
  GIT_COMMITTER_EMAIL: 'release@example.invalid',
}

let dir: string
let repo: string
let remote: string

function git(cwd: string, ...args: string[]): string {
  const run = spawnSync('git', args, { cwd, env: ENV, encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`)
  return run.stdout.trim()
}

function release(...args: string[]) {
  const run = spawnSync(process.execPath, ['scripts/release.mjs', ...args], {
    cwd: repo,
    env: ENV,
    encoding: 'utf8',
  })
  return { code: run.status, out: `${run.stdout}${run.stderr}` }
}

/** Commits package.json at `version` and a dist/ the stub check calls fresh or stale. */
function commitVersion(version: string, dist: 'fresh' | 'stale' = 'fresh'): string {
  writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ version }))
  writeFileSync(path.join(repo, 'dist', 'state'), dist)
  git(repo, 'add', '-A')
  git(repo, 'commit', '-q', '-m', `version ${version}`)
  return git(repo, 'rev-parse', 'HEAD')
}

const tagged = (cwd: string, tag: string) => git(cwd, 'rev-parse', `${tag}^{commit}`)
const tags = (cwd: string) => git(cwd, 'tag', '--list').split('\n').filter(Boolean)

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'release-'))
  repo = path.join(dir, 'repo')
  remote = path.join(dir, 'remote.git')
  mkdirSync(path.join(repo, 'scripts'), { recursive: true })
  mkdirSync(path.join(repo, 'dist'))
  copyFileSync(SCRIPT, path.join(repo, 'scripts', 'release.mjs'))
  writeFileSync(
    path.join(repo, 'scripts', 'check-dist.mjs'),
    "import { readFileSync } from 'node:fs'\nprocess.exit(readFileSync('dist/state', 'utf8') === 'fresh' ? 0 : 1)\n",
  )
  git(dir, 'init', '-q', '--bare', remote)
  git(repo, 'init', '-q')
  git(repo, 'remote', 'add', 'origin', remote)
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('scripts/release.mjs', () => {
  it('tags vX.Y.Z and moves vX to it, without pushing', () => {
    const first = commitVersion('1.2.3')
    expect(release().code).toBe(0)
    expect(tagged(repo, 'v1.2.3')).toBe(first)
    expect(tagged(repo, 'v1')).toBe(first)
    expect(tags(remote)).toEqual([])

    const second = commitVersion('1.3.0')
    const run = release('1.3.0')
    expect(run.code, run.out).toBe(0)
    expect(tagged(repo, 'v1.2.3')).toBe(first)
    expect(tagged(repo, 'v1')).toBe(second)
    expect(run.out).toContain('git push origin v1.3.0')
  })

  it('pushes both tags only with --push, moving the remote major tag', () => {
    commitVersion('1.0.0')
    expect(release('--push').code).toBe(0)
    const next = commitVersion('1.0.1')
    expect(release('--push').code).toBe(0)
    expect(tags(remote).sort()).toEqual(['v1', 'v1.0.0', 'v1.0.1'])
    expect(tagged(remote, 'v1')).toBe(next)
  })

  it('refuses a dirty tree, a stale dist/, an existing tag or another version', () => {
    commitVersion('2.0.0')
    writeFileSync(path.join(repo, 'notes.txt'), 'not committed')
    let run = release()
    expect(run.code).toBe(1)
    expect(run.out).toContain('uncommitted changes')
    rmSync(path.join(repo, 'notes.txt'))

    commitVersion('2.0.0', 'stale')
    run = release()
    expect(run.code).toBe(1)
    expect(run.out).toContain('dist/ is stale')

    commitVersion('2.0.0')
    expect(release('2.0.1').out).toContain('package.json says 2.0.0')
    expect(tags(repo)).toEqual([])
    expect(release().code).toBe(0)
    run = release()
    expect(run.code).toBe(1)
    expect(run.out).toContain('v2.0.0 already exists')
  })

  it('does not move the major tag for a pre-release', () => {
    const rc = commitVersion('3.0.0-rc.1')
    expect(release().code).toBe(0)
    expect(tagged(repo, 'v3.0.0-rc.1')).toBe(rc)
    expect(tags(repo)).not.toContain('v3')
  })
})
