// The commit and pull-request collectors, and the GitHub client they use, against the local
// GitHub REST fake (test/github-fake). Release, deployment, repository, artifacts and the
// choice of collectors are in the other collectors-*.test.ts files.
import { describe, expect, it } from 'vitest'
import { CollectorError } from '../../src/evidence/collector.js'
import { collectCommit } from '../../src/evidence/commit.js'
import { collectPullRequests } from '../../src/evidence/pull-request.js'
import { githubClient, githubStatus } from '../../src/github/client.js'
import { makeUser, type Review, SHA } from '../github-fake/server.ts'
import {
  COLLECTED_AT,
  collectorInput,
  memoryLogger,
  only,
  paths,
  rejection,
  REPO_PATH,
  useGithubFake,
} from './collectors-fake.js'

const fake = useGithubFake()

/** A review of PR `pr` like the fake's own, by `login`, in `state`, at `submittedAt`. */
function review(pr: number, id: number, login: string, state: Review['state'], at: string): Review {
  const base = fake().state.reviews[17]?.[0]
  if (!base) throw new Error('the default state has no review of PR #17')
  return {
    ...base,
    id,
    user: makeUser(login, 3_000_000 + id),
    state,
    submitted_at: at,
    pull_request_url: `https://api.github.com${REPO_PATH}/pulls/${pr}`,
  }
}

describe('commit collector', () => {
  it('records the pushed commit with its verified signature from the API', async () => {
    const records = await collectCommit(collectorInput(fake(), 'push'))
    expect(only(records)).toEqual({
      id: `commit:acme/shop@${SHA.main}`,
      repository: 'acme/shop',
      sha: SHA.main,
      ref: 'refs/heads/main',
      url: `https://github.com/acme/shop/commit/${SHA.main}`,
      messageTitle: 'Merge pull request #17 from acme/feature/checkout-retry',
      author: {
        name: 'Hubot',
        email: 'hubot@acme.example',
        login: 'hubot',
        date: '2026-11-03T09:30:02Z',
      },
      committer: {
        name: 'GitHub',
        email: 'noreply@github.com',
        login: 'web-flow',
        date: '2026-11-03T09:30:02Z',
      },
      timestamp: '2026-11-03T09:30:02Z',
      verified: true,
      verificationReason: 'valid',
      collector: 'commit',
      schemaVersion: 1,
      collectedAt: COLLECTED_AT,
    })
    expect(paths(fake())).toEqual([`${REPO_PATH}/commits/${SHA.main}`])
  })

  it('reports an unsigned commit as not verified, with the reason', async () => {
    const commit = fake().state.commits[SHA.main]
    if (!commit) throw new Error('no main commit')
    commit.commit.verification = {
      verified: false,
      reason: 'unsigned',
      signature: null,
      payload: null,
      verified_at: null,
    }
    const record = only(await collectCommit(collectorInput(fake(), 'push')))
    expect(record.verified).toBe(false)
    expect(record.verificationReason).toBe('unsigned')
  })

  it('falls back to the push payload without a client, verification unknown (null)', async () => {
    const record = only(await collectCommit(collectorInput(fake(), 'push', { github: 'none' })))
    expect(record).toMatchObject({
      id: `commit:acme/shop@${SHA.main}`,
      sha: SHA.main,
      messageTitle: 'Merge pull request #17 from acme/feature/checkout-retry',
      // The payload gives the username and only the commit's timestamp.
      author: {
        name: 'Hubot',
        email: 'hubot@acme.example',
        login: 'hubot',
        date: '2026-11-03T09:30:02Z',
      },
      committer: {
        name: 'GitHub',
        email: 'noreply@github.com',
        login: 'web-flow',
        date: '2026-11-03T09:30:02Z',
      },
      timestamp: '2026-11-03T09:30:02Z',
      verified: null,
      verificationReason: null,
      collector: 'commit',
    })
    expect(fake().requests).toEqual([])
  })

  it('records only what it knows without a client or a payload commit', async () => {
    const record = only(await collectCommit(collectorInput(fake(), 'schedule', { github: 'none' })))
    expect(record).toMatchObject({
      sha: SHA.main,
      messageTitle: null,
      author: null,
      committer: null,
      timestamp: null,
      verified: null,
    })
  })

  it('names contents: read when the commit endpoint answers 403', async () => {
    fake().fail({ path: `${REPO_PATH}/commits/${SHA.main}`, status: 403 })
    const error = await rejection(() => collectCommit(collectorInput(fake(), 'push')))
    expect(error).toBeInstanceOf(CollectorError)
    expect(error.message).toContain(`could not read commit ${SHA.main} (403:`)
    expect(error.message).toContain('Resource not accessible by integration')
    expect(error.message).toContain("'permissions: contents: read'")
    expect(error.message).toContain("'collector-errors: warn'")
  })

  it('fails without GITHUB_SHA', async () => {
    const input = collectorInput(fake(), 'push', { env: { GITHUB_SHA: '' } })
    await expect(collectCommit(input)).rejects.toThrow('needs GITHUB_SHA')
  })
})

describe('pull-request collector', () => {
  it('finds the PR a push merged and records its reviews, approval and checks', async () => {
    const record = only(await collectPullRequests(collectorInput(fake(), 'push')))
    expect(record).toEqual({
      id: 'pr:acme/shop#17',
      repository: 'acme/shop',
      number: 17,
      title: 'Retry payment capture on gateway timeouts',
      url: 'https://github.com/acme/shop/pull/17',
      state: 'closed',
      draft: false,
      author: 'mona',
      createdAt: '2026-11-02T08:14:05Z',
      merged: true,
      mergedAt: '2026-11-03T09:30:02Z',
      mergedBy: 'hubot',
      mergeCommitSha: SHA.main,
      base: { ref: 'main', sha: SHA.previousMain },
      head: { ref: 'feature/checkout-retry', sha: SHA.pr17Head },
      reviews: [
        {
          reviewer: 'hubot',
          state: 'CHANGES_REQUESTED',
          submittedAt: '2026-11-02T10:03:11Z',
          commitId: SHA.pr17First,
        },
        {
          reviewer: 'mona',
          state: 'COMMENTED',
          submittedAt: '2026-11-02T13:25:40Z',
          commitId: SHA.pr17Head,
        },
        {
          reviewer: 'hubot',
          state: 'APPROVED',
          submittedAt: '2026-11-03T09:12:27Z',
          commitId: SHA.pr17Head,
        },
      ],
      // mona's own COMMENTED review does not count; hubot's later approval supersedes his
      // request for changes.
      approvers: ['hubot'],
      approved: true,
      approvedByNonAuthor: true,
      requiredChecks: [
        { name: 'build', status: 'completed', conclusion: 'success' },
        { name: 'test', status: 'completed', conclusion: 'success' },
      ],
      requiredChecksPassed: true,
      collector: 'pull-request',
      schemaVersion: 1,
      collectedAt: COLLECTED_AT,
    })
    expect(paths(fake())).toEqual([
      `${REPO_PATH}/commits/${SHA.main}/pulls`,
      `${REPO_PATH}/pulls/17`,
      `${REPO_PATH}/pulls/17/reviews`,
      `${REPO_PATH}/rules/branches/main`,
      `${REPO_PATH}/commits/${SHA.pr17Head}/check-runs`,
    ])
  })

  it('takes the PR of a pull_request event from its payload; a self-review approves nothing', async () => {
    const record = only(await collectPullRequests(collectorInput(fake(), 'pull_request')))
    expect(record).toMatchObject({
      id: 'pr:acme/shop#18',
      number: 18,
      state: 'open',
      author: 'mona',
      merged: false,
      mergedBy: null,
      head: { ref: 'fix/cart-rounding', sha: SHA.pr18Head },
      reviews: [{ reviewer: 'mona', state: 'COMMENTED' }],
      approvers: [],
      approved: false,
      approvedByNonAuthor: false,
      requiredChecksPassed: true,
    })
    expect(paths(fake())).not.toContain(`${REPO_PATH}/commits/${SHA.pr18Merge}/pulls`)
  })

  it('does not count an approval by the author as approval by someone else', async () => {
    fake().state.reviews[18] = [review(18, 1, 'mona', 'APPROVED', '2026-11-05T09:00:00Z')]
    const record = only(await collectPullRequests(collectorInput(fake(), 'pull_request')))
    expect(record.approvers).toEqual(['mona'])
    expect(record.approved).toBe(true)
    expect(record.approvedByNonAuthor).toBe(false)
  })

  it('lets a dismissed approval or an open request for changes block approval', async () => {
    const reviews = fake().state.reviews[17] ?? []
    fake().state.reviews[17] = [
      ...reviews,
      review(17, 10, 'carol', 'CHANGES_REQUESTED', '2026-11-03T09:20:00Z'),
    ]
    let record = only(await collectPullRequests(collectorInput(fake(), 'push')))
    expect(record.approvers).toEqual(['hubot'])
    expect(record.approved).toBe(false)
    expect(record.approvedByNonAuthor).toBe(false)

    // GitHub shows a dismissed review in place, with the state DISMISSED.
    fake().state.reviews[17] = reviews.map((r) =>
      r.state === 'APPROVED' ? { ...r, state: 'DISMISSED' as const } : r,
    )
    record = only(await collectPullRequests(collectorInput(fake(), 'push')))
    expect(record.approvers).toEqual([])
    expect(record.approved).toBe(false)
  })

  it('reads every page of reviews (250 of them)', async () => {
    const many = Array.from({ length: 249 }, (_, i) =>
      review(17, 100 + i, `reviewer-${i}`, 'COMMENTED', '2026-11-02T12:00:00Z'),
    )
    // The only approval is the very last review, on the third page.
    many.push(review(17, 999, 'carol', 'APPROVED', '2026-11-03T09:00:00Z'))
    fake().state.reviews[17] = many
    const record = only(await collectPullRequests(collectorInput(fake(), 'push')))
    expect(record.reviews).toHaveLength(250)
    expect(record.approvers).toEqual(['carol'])
    expect(record.approvedByNonAuthor).toBe(true)
    const pages = fake().requests.filter((r) => r.path === `${REPO_PATH}/pulls/17/reviews`)
    expect(pages.map((r) => [r.query.per_page, r.query.page ?? '1'])).toEqual([
      ['100', '1'],
      ['100', '2'],
      ['100', '3'],
    ])
  })

  it('lets the newest run of a required check decide, and a missing one fail', async () => {
    const runs = fake().state.checkRuns[SHA.pr17Head] ?? []
    const test = runs.find((r) => r.name === 'test')
    if (!test) throw new Error('no test check run')
    fake().state.checkRuns[SHA.pr17Head] = [
      ...runs.filter((r) => r.name !== 'build'),
      { ...test, id: test.id + 100, conclusion: 'failure', started_at: '2026-11-02T14:00:00Z' },
    ]
    const record = only(await collectPullRequests(collectorInput(fake(), 'push')))
    expect(record.requiredChecks).toEqual([
      { name: 'build', status: 'missing', conclusion: null },
      { name: 'test', status: 'completed', conclusion: 'failure' },
    ])
    expect(record.requiredChecksPassed).toBe(false)
  })

  it('reads every page of check runs to find the required ones', async () => {
    const runs = fake().state.checkRuns[SHA.pr17Head] ?? []
    const lint = runs.find((r) => r.name === 'lint')
    if (!lint) throw new Error('no lint check run')
    const others = Array.from({ length: 150 }, (_, i) => ({
      ...lint,
      id: lint.id + 1000 + i,
      name: `matrix-${i}`,
    }))
    // build and test come last, on the second page.
    fake().state.checkRuns[SHA.pr17Head] = [...others, ...runs]
    const record = only(await collectPullRequests(collectorInput(fake(), 'push')))
    expect(record.requiredChecks).toEqual([
      { name: 'build', status: 'completed', conclusion: 'success' },
      { name: 'test', status: 'completed', conclusion: 'success' },
    ])
    const pages = fake().requests.filter((r) => r.path.endsWith('/check-runs'))
    expect(pages).toHaveLength(2)
  })

  it('has no required checks (null, not passed) when the base branch requires none', async () => {
    fake().state.branchRules = {}
    const record = only(await collectPullRequests(collectorInput(fake(), 'push')))
    expect(record.requiredChecks).toEqual([])
    expect(record.requiredChecksPassed).toBeNull()
    expect(paths(fake()).some((p) => p.endsWith('/check-runs'))).toBe(false)
  })

  it('records nothing for a push whose commit no PR brought', async () => {
    fake().state.commitPulls = {}
    expect(await collectPullRequests(collectorInput(fake(), 'push'))).toEqual([])
  })

  it.each([
    ['the PR', `${REPO_PATH}/pulls/17`, 'pull request #17'],
    ['the PRs of the commit', `${REPO_PATH}/commits/${SHA.main}/pulls`, 'the pull requests of'],
    ['the reviews', `${REPO_PATH}/pulls/17/reviews`, 'the reviews of pull request #17'],
  ])('names pull-requests: read when reading %s answers 403', async (_what, path, what) => {
    fake().fail({ path, status: 403 })
    const error = await rejection(() => collectPullRequests(collectorInput(fake(), 'push')))
    expect(error).toBeInstanceOf(CollectorError)
    expect(error.message).toContain(`could not read ${what}`)
    expect(error.message).toContain('(403:')
    expect(error.message).toContain("'permissions: pull-requests: read'")
  })

  it('names checks: read when the check runs answer 403', async () => {
    fake().fail({ path: `${REPO_PATH}/commits/${SHA.pr17Head}/check-runs`, status: 403 })
    const error = await rejection(() => collectPullRequests(collectorInput(fake(), 'push')))
    expect(error).toBeInstanceOf(CollectorError)
    expect(error.message).toContain(`could not read the check runs of ${SHA.pr17Head} (403:`)
    expect(error.message).toContain("'permissions: checks: read'")
  })

  it('needs a GitHub client', async () => {
    const error = await rejection(() =>
      collectPullRequests(collectorInput(fake(), 'push', { github: 'none' })),
    )
    expect(error).toBeInstanceOf(CollectorError)
    expect(error.message).toContain("'github-token' is empty")
  })
})

describe('githubClient', () => {
  it('waits out a secondary rate limit and succeeds', async () => {
    const path = `${REPO_PATH}/pulls/17/reviews`
    fake().fail({ path, status: 403, secondaryRateLimit: true, retryAfter: '1' })
    const { logger, logs } = memoryLogger()
    const started = Date.now()
    const record = only(await collectPullRequests(collectorInput(fake(), 'push', { logger })))
    expect(record.approvers).toEqual(['hubot'])
    expect(
      fake()
        .requests.filter((r) => r.path === path)
        .map((r) => r.status),
    ).toEqual([403, 200])
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(logs).toEqual([
      expect.stringMatching(/^GitHub secondary rate limit on GET .*\/pulls\/17\/reviews.*1s$/),
    ])
  })

  it('gives up after three rate-limit retries', async () => {
    const path = `${REPO_PATH}/commits/${SHA.main}`
    fake().fail({ path, status: 403, secondaryRateLimit: true, retryAfter: '1', times: 4 })
    const { logger, logs } = memoryLogger()
    const error = await rejection(() => collectCommit(collectorInput(fake(), 'push', { logger })))
    expect(error).toBeInstanceOf(CollectorError)
    expect(error.message).toContain('secondary rate limit')
    // The first answer and three retries, all refused.
    expect(
      fake()
        .requests.filter((r) => r.path === path)
        .map((r) => r.status),
    ).toEqual([403, 403, 403, 403])
    expect(logs).toHaveLength(3)
  })

  it('does not blame a missing permission for a rate limit', async () => {
    const path = `${REPO_PATH}/commits/${SHA.main}`
    fake().fail({ path, status: 403, secondaryRateLimit: true, retryAfter: '1', times: 4 })
    const error = await rejection(() => collectCommit(collectorInput(fake(), 'push')))
    expect(error.message).not.toContain('Grant the token')
  })

  it('sends the token to the API URL it is given (GITHUB_API_URL)', async () => {
    const github = githubClient('ghs_abc123', fake().url, memoryLogger().logger)
    const { data } = await github.rest.repos.get({ owner: 'acme', repo: 'shop' })
    expect(data.full_name).toBe('acme/shop')
    expect(fake().requests).toEqual([
      expect.objectContaining({ path: REPO_PATH, status: 200, auth: 'token ghs_abc123' }),
    ])
  })

  it('gives the HTTP status of an Octokit error, or 0', async () => {
    const github = githubClient('ghs_abc123', fake().url, memoryLogger().logger)
    const error = await rejection(() =>
      github.rest.pulls.get({ owner: 'acme', repo: 'shop', pull_number: 99 }),
    )
    expect(githubStatus(error)).toBe(404)
    expect(githubStatus(new Error('network down'))).toBe(0)
    expect(githubStatus(null)).toBe(0)
    expect(githubStatus({ status: '404' })).toBe(0)
  })
})
