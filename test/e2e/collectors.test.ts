import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { type EventName, eventEnv } from '../github-fake/events.ts'
import { useGithubFake } from '../github-fake/hooks.ts'
import { IDS, SHA } from '../github-fake/state.ts'
import { useSandbox } from '../sandbox/hooks.ts'
import { runAction, sandboxInputs } from './harness.ts'

const github = useGithubFake()
const sandbox = useSandbox()

const TOKEN = 'ghs_e2eFakeToken0123456789'

/** Runs the action for a fixture event with collect: auto against both fakes. */
function runFor(event: EventName, extra: Record<string, string> = {}) {
  return runAction({
    inputs: sandboxInputs(sandbox().url, { collect: 'auto', 'github-token': TOKEN, ...extra }),
    env: eventEnv(event, github().url),
  })
}

const active = () =>
  new Map(
    sandbox()
      .activeRecords(1, 1)
      .map((r) => [r.id, r.attributes]),
  )

describe('collect: auto chooses collectors by event and pushes their records', () => {
  it('push: commit, workflow-run and the pull request that brought the commit', async () => {
    const result = await runFor('push')
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const records = active()
    expect([...records.keys()].sort()).toEqual([
      `commit:acme/shop@${SHA.main}`,
      'pr:acme/shop#17',
      `run:acme/shop/${IDS.deployRun}/1`,
    ])
    expect(records.get(`commit:acme/shop@${SHA.main}`)).toMatchObject({
      collector: 'commit',
      schemaVersion: 1,
      sha: SHA.main,
      ref: 'refs/heads/main',
      verified: true,
      verificationReason: 'valid',
      messageTitle: 'Merge pull request #17 from acme/feature/checkout-retry',
      author: { login: 'hubot' },
    })
    expect(records.get('pr:acme/shop#17')).toMatchObject({
      number: 17,
      author: 'mona',
      merged: true,
      mergedBy: 'hubot',
      mergeCommitSha: SHA.main,
      approvers: ['hubot'],
      approved: true,
      approvedByNonAuthor: true,
      requiredChecks: [
        { name: 'build', status: 'completed', conclusion: 'success' },
        { name: 'test', status: 'completed', conclusion: 'success' },
      ],
      requiredChecksPassed: true,
    })
    expect(records.get(`run:acme/shop/${IDS.deployRun}/1`)).toMatchObject({
      event: 'push',
      workflow: 'Evidence',
      runUrl: `https://github.com/acme/shop/actions/runs/${IDS.deployRun}/attempts/1`,
    })
    expect(result.summary).toContain(
      '<td>pull-request</td><td>auto for a push event</td><td>1</td>',
    )
    // The token went to GitHub as auth, and nowhere into the output.
    expect(github().requests.every((r) => r.auth === `token ${TOKEN}`)).toBe(true)
    expect(result.stdout.replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN)
    expect(result.summary).not.toContain(TOKEN)
  })

  it('pull_request: the PR itself, reviewed only by its author, so not approved', async () => {
    const result = await runFor('pull_request')
    expect(result.code).toBe(0)
    const records = active()
    expect([...records.keys()].sort()).toEqual(['pr:acme/shop#18', 'run:acme/shop/9002/1'])
    expect(records.get('pr:acme/shop#18')).toMatchObject({
      number: 18,
      merged: false,
      head: { sha: SHA.pr18Head },
      approved: false,
      approvedByNonAuthor: false,
    })
  })

  it('release: the release with its assets and digests', async () => {
    const result = await runFor('release')
    expect(result.code).toBe(0)
    const release = active().get('release:acme/shop@v1.4.0')
    expect(release).toMatchObject({ tag: 'v1.4.0', draft: false, prerelease: false })
    const assets = release?.assets as Array<{ name: string; size: number; digest: string }>
    expect(assets).toHaveLength(2)
    for (const asset of assets) {
      expect(asset.size).toBeGreaterThan(0)
      expect(asset.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    }
  })

  for (const event of ['deployment', 'deployment_status'] as const) {
    it(`${event}: the deployment with its status history`, async () => {
      const result = await runFor(event)
      expect(result.code).toBe(0)
      expect(active().get(`deployment:acme/shop/${IDS.deployment}`)).toMatchObject({
        environment: 'production',
        production: true,
        sha: SHA.main,
        state: 'success',
        url: 'https://shop.acme.example',
        statuses: [{ state: 'queued' }, { state: 'in_progress' }, { state: 'success' }],
      })
    })
  }

  for (const event of ['schedule', 'workflow_dispatch'] as const) {
    it(`${event}: the repository's protections`, async () => {
      const result = await runFor(event)
      expect(result.code).toBe(0)
      expect(active().get('repo:acme/shop')).toMatchObject({
        defaultBranch: 'main',
        visibility: 'private',
        protection: {
          requiredReviews: true,
          requiredApprovingReviewCount: 1,
          signedCommitsRequired: true,
          forcePushBlocked: true,
          deletionBlocked: true,
          adminsEnforced: true,
        },
        classicProtection: 'enabled',
      })
    })
  }

  it('a second run of the same event updates the same records instead of adding new ones', async () => {
    expect((await runFor('push')).code).toBe(0)
    const first = [...active().keys()].sort()
    expect((await runFor('push', { 'session-id': 'second-run' })).code).toBe(0)
    expect([...active().keys()].sort()).toEqual(first)
  })
})

describe('what the token cannot see is unknown, not off', () => {
  it('repository: no rulesets and classic protection hidden from GITHUB_TOKEN → null protections', async () => {
    // useGithubFake gives the next test the default state again.
    github().state.branchRules = {}
    github().fail({ path: /\/branches\/main\/protection$/, status: 403 })
    const result = await runFor('schedule')
    expect(result.code).toBe(0)
    expect(active().get('repo:acme/shop')).toMatchObject({
      classicProtection: 'not visible',
      protection: {
        requiredReviews: null,
        requiredApprovingReviewCount: null,
        signedCommitsRequired: null,
        forcePushBlocked: null,
        deletionBlocked: null,
        adminsEnforced: null,
        requiredChecksComplete: false,
      },
    })
  })

  it('deployment: approvals are those of the deploying run for this environment', async () => {
    const result = await runFor('deployment_status')
    expect(result.code).toBe(0)
    const record = active().get(`deployment:acme/shop/${IDS.deployment}`)
    expect(record).toMatchObject({ deployRunId: IDS.deployRun })
    const approvals = record?.approvals as Array<{
      environments: string[]
      state: string
      user: string
    }>
    expect(approvals.length).toBeGreaterThan(0)
    for (const a of approvals) expect(a.environments).toContain('production')
  })
})

describe('artifacts', () => {
  it('records each built file with its size and SHA-256', async () => {
    const content = 'binary-ish content\n'
    const result = await runAction({
      inputs: sandboxInputs(sandbox().url, { collect: 'none', artifacts: 'dist/*.tgz' }),
      env: eventEnv('push', github().url),
      files: { 'dist/shop-1.4.0.tgz': content, 'dist/notes.txt': 'not matched' },
    })
    expect(result.code).toBe(0)
    expect(active().get(`artifact:acme/shop@${SHA.main}:dist/shop-1.4.0.tgz`)).toMatchObject({
      collector: 'artifacts',
      path: 'dist/shop-1.4.0.tgz',
      size: Buffer.byteLength(content),
      sha256: createHash('sha256').update(content).digest('hex'),
    })
    expect(active().size).toBe(1)
    expect(result.summary).toContain("<td>artifacts</td><td>'artifacts' is set</td><td>1</td>")
  })
})

describe('permissions', () => {
  it('a collector without its permission fails the run naming the permissions entry, sending nothing', async () => {
    github().fail({ path: /\/pulls\/17$/, status: 403 })
    const result = await runFor('push')
    expect(result.code).toBe(1)
    const error = result.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''
    expect(error).toContain("Collector 'pull-request' could not read pull request #17 (403")
    expect(error).toContain("'permissions: pull-requests: read'")
    expect(sandbox().requests).toHaveLength(0)
  })

  it('with collector-errors: warn the failing collector is a warning and the rest is pushed', async () => {
    github().fail({ path: /\/check-runs$/, status: 403 })
    const result = await runFor('push', { 'collector-errors': 'warn' })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /::warning::Collector 'pull-request' .*'permissions: checks: read'/,
    )
    expect([...active().keys()].sort()).toEqual([
      `commit:acme/shop@${SHA.main}`,
      `run:acme/shop/${IDS.deployRun}/1`,
    ])
    expect(result.summary).toContain('permissions: checks: read')
  })

  it('waits out a secondary rate limit', async () => {
    github().fail({ path: /\/reviews$/, status: 403, secondaryRateLimit: true, retryAfter: '1' })
    const result = await runFor('push')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('GitHub secondary rate limit')
    expect(github().requests.filter((r) => r.path.endsWith('/reviews'))).toHaveLength(2)
  })

  it('without a token the API collectors say how to give one', async () => {
    const result = await runFor('push', { 'github-token': '' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      "Collector 'pull-request' needs the GitHub API, but 'github-token' is empty",
    )
  })
})
