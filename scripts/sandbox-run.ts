// Runs dist/main/index.js exactly as a GitHub runner would (INPUT_*, GITHUB_* files, event payload
// built from this repository's git state) against the local Drata sandbox, then its post step,
// (dist/post/index.js), and prints the summary, the outputs and the sandbox's final state. No Drata account needed.
import { execFileSync } from 'node:child_process'
import { makeRecords, removeDirs, runAction, runPost, sandboxInputs } from '../test/e2e/harness.ts'
import { startSandbox } from '../test/sandbox/server.ts'

const git = (...args: string[]): string => {
  try {
    return execFileSync('git', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  } catch {
    return ''
  }
}

const sha = git('rev-parse', 'HEAD') || '0000000000000000000000000000000000000000'
const branch = git('rev-parse', '--abbrev-ref', 'HEAD') || 'main'
const remote = git('remote', 'get-url', 'origin')
const slug = /[:/]([^/:]+\/[^/]+?)(\.git)?$/.exec(remote)?.[1] ?? 'local/drata-evidence-action'
const [owner = 'local', repo = 'drata-evidence-action'] = slug.split('/')
const [message = '', name = '', email = '', date = ''] = git(
  'log',
  '-1',
  '--format=%B%x00%an%x00%ae%x00%aI',
).split('\0')

const sandbox = await startSandbox()
// Yesterday's evidence: the append run adds to it and deletes nothing.
sandbox.seed(1, 1, makeRecords(3, 'yesterday', { kind: 'example' }), { sessionId: 'gh-previous-1' })

const env = {
  GITHUB_REPOSITORY: `${owner}/${repo}`,
  GITHUB_REPOSITORY_OWNER: owner,
  GITHUB_SHA: sha,
  GITHUB_REF: `refs/heads/${branch}`,
  GITHUB_RUN_ID: String(Date.now()).slice(-8),
  GITHUB_ACTOR: name || 'local',
}
const event = {
  ref: env.GITHUB_REF,
  after: sha,
  repository: { full_name: env.GITHUB_REPOSITORY, name: repo, owner: { login: owner } },
  head_commit: {
    id: sha,
    message: message.trim(),
    timestamp: date,
    author: { name, email },
    committer: { name, email },
  },
}
const inputs = sandboxInputs(sandbox.url, {
  // The API collectors need GitHub; this demo has only the local git state.
  collect: 'commit,workflow-run',
  // An asset for this "deployment" and the audit events Drata recorded for the run.
  asset: 'upsert',
  environment: 'sandbox',
  'asset-owner-id': '1',
  'audit-events': 'true',
  records: JSON.stringify([{ id: 'control-cc8.1', control: 'CC8.1', status: 'evidence attached' }]),
})

console.log(`Drata sandbox on ${sandbox.url}; running dist/main/index.js as the main step…\n`)
const main = await runAction({ inputs, env, event })
console.log(main.stdout.trimEnd())
if (main.stderr) console.error(main.stderr.trimEnd())
const post = await runPost(main, { inputs, env, event })
console.log(`\n--- post step (exit ${post.code}) ---\n${post.stdout.trimEnd()}`)
console.log(`\n--- job summary ---\n${main.summary.trimEnd()}`)
console.log(
  `\n--- outputs ---\n${Object.entries(main.outputs)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}`,
)
const state = sandbox.state().resources[0]
console.log('\n--- sandbox state (connection 1, resource 1) ---')
console.log(
  `sessions: ${state?.sessions.map((s) => `${s.sessionId}=${s.status}(${s.recordCount})`).join(', ')}`,
)
for (const record of state?.records ?? [])
  console.log(`  ${record.id}  session=${record.sessionId}  updated=${record.updatedAt}`)
for (const asset of sandbox.assets()) {
  console.log(`asset ${asset.id}: ${asset.name} (externalId ${asset.externalId})`)
}
console.log(
  `audit events: ${sandbox
    .events()
    .map((e) => e.type)
    .join(', ')}`,
)
await sandbox.close()
removeDirs()
console.log(
  `\nMain step exited ${main.code}${main.code === 0 ? `: ${main.outputs['records-pushed']} records pushed to the sandbox.` : '.'}`,
)
process.exitCode = main.code ?? 1
