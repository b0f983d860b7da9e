// Tags a release: vX.Y.Z on HEAD, and moves the major tag vX to it, so users of `@vX` get it.
//   node scripts/release.mjs [X.Y.Z] [--push] [--remote NAME] [--dry-run]
// The version defaults to package.json's and must match it when given. Refuses when the work
// tree is not clean, when dist/ is not what the sources build (scripts/check-dist.mjs), or when
// vX.Y.Z exists. Creates the tags locally; only --push sends them (the major tag by force).
// A pre-release (1.2.0-rc.1) gets its own tag but does not move the major tag.
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    push: { type: 'boolean', default: false },
    remote: { type: 'string', default: 'origin' },
    'dry-run': { type: 'boolean', default: false },
  },
})

/** Stops with a message saying what to do; nothing has been changed at that point. */
function refuse(message) {
  console.error(`release: ${message}`)
  process.exit(1)
}

function git(...args) {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
}

/** Runs a git command that changes something, or only prints it in a dry run. */
function change(...args) {
  console.log(`${values['dry-run'] ? '(dry run) ' : ''}git ${args.join(' ')}`)
  if (!values['dry-run']) execFileSync('git', args, { stdio: 'inherit' })
}

const root = git('rev-parse', '--show-toplevel')
process.chdir(root)

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
const version = (positionals[0] ?? pkg.version ?? '').replace(/^v/, '')
if (positionals.length > 1) refuse(`expected at most one version, got ${positionals.join(' ')}`)
if (!SEMVER.test(version)) refuse(`'${version}' is not a version of the form X.Y.Z`)
if (version !== pkg.version) {
  refuse(`package.json says ${pkg.version}, not ${version}: update it and commit first`)
}
const tag = `v${version}`
const prerelease = version.includes('-')
const major = `v${version.split('.')[0]}`

const dirty = git('status', '--porcelain', '--untracked-files=all')
if (dirty) refuse(`the work tree has uncommitted changes; commit or stash them first:\n${dirty}`)

const existing = spawnSync('git', ['rev-parse', '-q', '--verify', `refs/tags/${tag}`])
if (existing.status === 0) refuse(`${tag} already exists; bump the version in package.json`)

console.log('Checking that dist/ matches a fresh build…')
const check = spawnSync(process.execPath, [path.join('scripts', 'check-dist.mjs')], {
  stdio: 'inherit',
})
if (check.status !== 0) refuse("dist/ is stale: run 'npm run build', commit dist/ and try again")
if (git('status', '--porcelain', '--untracked-files=all')) {
  refuse('checking dist/ changed the work tree; commit what it changed and try again')
}

const head = git('rev-parse', 'HEAD')
change('tag', '-a', tag, '-m', `Release ${tag}`, head)
if (!prerelease) change('tag', '-f', '-a', major, '-m', `${major} is ${tag}`, head)

if (values.push) {
  change('push', values.remote, `refs/tags/${tag}`)
  if (!prerelease) change('push', '--force', values.remote, `refs/tags/${major}`)
} else {
  const majorPush = prerelease ? '' : ` && git push --force ${values.remote} ${major}`
  console.log(`Tagged ${tag} locally. Push with: git push ${values.remote} ${tag}${majorPush}`)
}
