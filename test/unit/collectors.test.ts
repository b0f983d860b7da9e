// The commit and pull-request collectors, and the GitHub client they use, against the local
// GitHub REST fake (test/github-fake). Release, deployment, repository, artifacts and the
// choice of collectors are in the other collectors-*.test.ts files.
import { describe, expect, it } from 'vitest'
import { CollectorError, githubReadError } from '../../src/evidence/collector.js'
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
  useGithubExtras,
  useGithubFake,
} from './collectors-fake.js'

const fake = useGithubFake()
// The fake does not serve commit statuses (it answers them 404); this stub does when told to.
const extras = useGithubExtras(fake)

/** The author and committer of the fake's main commit, as the commit record gives them. */
const MAIN_AUTHOR = {
  name: 'Hubot',
  email: 'hubot@acme.example',
  login: 'hubot',
  date: '2026-11-03T09:30:02Z',
}
const MAIN_COMMITTER = {
  name: 'GitHub',
  email: 'noreply@github.com',
  login: 'web-flow',
  date: '2026-11-03T09:30:02Z',
}

/** The main commit's record when nothing but its sha is known. */
const UNKNOWN_MAIN_COMMIT = {
  sha: SHA.main,
  messageTitle: null,
  author: null,
  committer: null,
  timestamp: null,
  verified: null,
}

/**
 * A review of PR `pr` like the fake's own, by `login`, in `state`, at `submittedAt`, of
 * `commit` (by default PR #17's first commit, not its head).
 */
function review(
  pr: number,
  id: number,
  login: string,
  state: Review['state'],
  at: string,
  commit: string = SHA.pr17First,
): Review {
  const base = fake().state.reviews[17]?.[0]
  if (!base) throw new Error('the default state has no review of PR #17')
  return {
    ...base,
    id,
    user: makeUser(login, 3_000_000 + id),
    state,
    submitted_at: at,
    commit_id: commit,
    pull_request_url: `https://api.github.com${REPO_PATH}/pulls/${pr}`,
  }
}

/** The path of the combined commit status of `sha`. */
const statusPath = (sha: string) => `${REPO_PATH}/commits/${sha}/status`

/** The record of PR #17 (a push run), read with the stub that serves commit statuses. */
async function pr17WithStatuses() {
  return only(await collectPullRequests(collectorInput(fake(), 'push', { apiUrl: extras().url })))
}

/** Makes the stub answer the combined status of PR #17's head with these statuses. */
function serveStatuses(statuses: Array<{ context: string; state: string }>): void {
  extras().routes.set(statusPath(SHA.pr17Head), {
    status: 200,
    body: {
      state: 'success',
      sha: SHA.pr17Head,
      total_count: statuses.length,
      statuses: statuses.map((s, i) => ({
        id: 6_000_000 + i,
        url: `https://api.github.com${REPO_PATH}/statuses/${SHA.pr17Head}`,
        context: s.context,
        state: s.state,
        description: null,
        target_url: `https://ci.acme.example/builds/${i}`,
        created_at: '2026-11-02T13:30:00Z',
        updated_at: '2026-11-02T13:30:00Z',
      })),
      commit_url: `https://api.github.com${REPO_PATH}/commits/${SHA.pr17Head}`,
      url: `https://api.github.com${REPO_PATH}/commits/${SHA.pr17Head}/status`,
    },
  })
}

/** Drops PR #17's head check runs named `name`. */
function dropCheckRun(name: string): void {
  const runs = fake().state.checkRuns[SHA.pr17Head] ?? []
  fake().state.checkRuns[SHA.pr17Head] = runs.filter((r) => r.name !== name)
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
      author: MAIN_AUTHOR,
      committer: MAIN_COMMITTER,
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
      author: MAIN_AUTHOR,
      committer: MAIN_COMMITTER,
      timestamp: '2026-11-03T09:30:02Z',
      verified: null,
      verificationReason: null,
      collector: 'commit',
    })
    expect(fake().requests).toEqual([])
  })

  it('records only what it knows without a client or a payload commit', async () => {
    const record = only(await collectCommit(collectorInput(fake(), 'schedule', { github: 'none' })))
    expect(record).toMatchObject(UNKNOWN_MAIN_COMMIT)
  })

  it('keeps the payload when the commit endpoint answers 403, verification unknown with the reason', async () => {
    fake().fail({ path: `${REPO_PATH}/commits/${SHA.main}`, status: 403 })
    const record = only(await collectCommit(collectorInput(fake(), 'push')))
    expect(record).toMatchObject({
      id: `commit:acme/shop@${SHA.main}`,
      sha: SHA.main,
      messageTitle: 'Merge pull request #17 from acme/feature/checkout-retry',
      author: { name: 'Hubot', login: 'hubot', date: '2026-11-03T09:30:02Z' },
      committer: { name: 'GitHub', login: 'web-flow', date: '2026-11-03T09:30:02Z' },
      timestamp: '2026-11-03T09:30:02Z',
      verified: null,
    })
    const reason = String(record.verificationReason)
    expect(reason).toContain(`could not read commit ${SHA.main} (403:`)
    expect(reason).toContain('Resource not accessible by integration')
    expect(reason).toContain("'permissions: contents: read'")
    expect(paths(fake())).toEqual([`${REPO_PATH}/commits/${SHA.main}`])
  })

  it('does not fail on a server error either: verification unknown, the error as reason', async () => {
    fake().fail({ path: `${REPO_PATH}/commits/${SHA.main}`, status: 500 })
    const record = only(await collectCommit(collectorInput(fake(), 'push')))
    expect(record.verified).toBeNull()
    expect(record.verificationReason).toContain(`could not read commit ${SHA.main} (500:`)
    expect(record.verificationReason).toContain('Server Error')
    expect(record.author).toMatchObject({ login: 'hubot' })
  })

  it('records nulls and the reason for an event without a payload commit when the API fails', async () => {
    fake().fail({ path: `${REPO_PATH}/commits/${SHA.main}`, status: 404 })
    const record = only(await collectCommit(collectorInput(fake(), 'schedule')))
    expect(record).toMatchObject(UNKNOWN_MAIN_COMMIT)
    expect(record.verificationReason).toContain(`could not read commit ${SHA.main} (404:`)
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
      // hubot approved the head commit itself.
      approvedByNonAuthorOnHead: true,
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
      // The fake does not serve commit statuses: 404, unneeded as every check has a run.
      statusPath(SHA.pr17Head),
    ])
    expect(fake().requests.at(-1)?.status).toBe(404)
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
      approvedByNonAuthorOnHead: false,
      requiredChecksPassed: true,
    })
    expect(paths(fake())).not.toContain(`${REPO_PATH}/commits/${SHA.pr18Merge}/pulls`)
  })

  it('does not count an approval by the author as approval by someone else', async () => {
    fake().state.reviews[18] = [
      review(18, 1, 'mona', 'APPROVED', '2026-11-05T09:00:00Z', SHA.pr18Head),
    ]
    const record = only(await collectPullRequests(collectorInput(fake(), 'pull_request')))
    expect(record.approvers).toEqual(['mona'])
    expect(record.approved).toBe(true)
    expect(record.approvedByNonAuthor).toBe(false)
    // Her approval is of the head commit, but it is her own.
    expect(record.approvedByNonAuthorOnHead).toBe(false)
  })

  it('counts an approval of an earlier commit as approval, but not on the head', async () => {
    const reviews = fake().state.reviews[17] ?? []
    // hubot approved the first commit; mona pushed the head after it.
    fake().state.reviews[17] = reviews.map((r) =>
      r.state === 'APPROVED' ? { ...r, commit_id: SHA.pr17First } : r,
    )
    const record = only(await collectPullRequests(collectorInput(fake(), 'push')))
    expect(record.approvers).toEqual(['hubot'])
    expect(record.approvedByNonAuthor).toBe(true)
    expect(record.approvedByNonAuthorOnHead).toBe(false)
  })

  it("goes by each reviewer's latest approval for the approval on the head", async () => {
    // carol approved the first commit, then the head: her latest approval covers the head.
    fake().state.reviews[17] = [
      review(17, 20, 'carol', 'APPROVED', '2026-11-03T09:15:00Z', SHA.pr17First),
      review(17, 21, 'carol', 'APPROVED', '2026-11-03T09:16:00Z', SHA.pr17Head),
    ]
    let record = only(await collectPullRequests(collectorInput(fake(), 'push')))
    expect(record.approvedByNonAuthorOnHead).toBe(true)

    // The other way round, her latest approval is of the first commit.
    fake().state.reviews[17] = [
      review(17, 20, 'carol', 'APPROVED', '2026-11-03T09:15:00Z', SHA.pr17Head),
      review(17, 21, 'carol', 'APPROVED', '2026-11-03T09:16:00Z', SHA.pr17First),
    ]
    record = only(await collectPullRequests(collectorInput(fake(), 'push')))
    expect(record.approvedByNonAuthor).toBe(true)
    expect(record.approvedByNonAuthorOnHead).toBe(false)
  })

  it('does not count an approval on the head while someone requests changes', async () => {
    const reviews = fake().state.reviews[17] ?? []
    fake().state.reviews[17] = [
      ...reviews,
      review(17, 10, 'carol', 'CHANGES_REQUESTED', '2026-11-03T09:20:00Z', SHA.pr17Head),
    ]
    const record = only(await collectPullRequests(collectorInput(fake(), 'push')))
    expect(record.approvers).toEqual(['hubot'])
    expect(record.approvedByNonAuthorOnHead).toBe(false)
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
    expect(record.approvedByNonAuthorOnHead).toBe(false)
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

  it('lets the newest run of a required check decide', async () => {
    const runs = fake().state.checkRuns[SHA.pr17Head] ?? []
    const test = runs.find((r) => r.name === 'test')
    if (!test) throw new Error('no test check run')
    fake().state.checkRuns[SHA.pr17Head] = [
      ...runs,
      { ...test, id: test.id + 100, conclusion: 'failure', started_at: '2026-11-02T14:00:00Z' },
    ]
    const record = only(await collectPullRequests(collectorInput(fake(), 'push')))
    expect(record.requiredChecks).toEqual([
      { name: 'build', status: 'completed', conclusion: 'success' },
      { name: 'test', status: 'completed', conclusion: 'failure' },
    ])
    expect(record.requiredChecksPassed).toBe(false)
  })

  it('records a check without a run as unknown, and passing as unknown, when statuses answer 404', async () => {
    // The fake has no commit statuses route: 404, so a check without a run may be a status.
    dropCheckRun('build')
    const record = only(await collectPullRequests(collectorInput(fake(), 'push')))
    expect(record.requiredChecks).toEqual([
      { name: 'build', status: 'unknown', conclusion: null },
      { name: 'test', status: 'completed', conclusion: 'success' },
    ])
    expect(record.requiredChecksPassed).toBeNull()
    expect(fake().requests.find((r) => r.path === statusPath(SHA.pr17Head))?.status).toBe(404)
  })

  it('keeps passing unknown when another required check failed but one is unknown', async () => {
    fake().fail({ path: statusPath(SHA.pr17Head), status: 403 })
    dropCheckRun('build')
    const runs = fake().state.checkRuns[SHA.pr17Head] ?? []
    fake().state.checkRuns[SHA.pr17Head] = runs.map((r) =>
      r.name === 'test' ? { ...r, conclusion: 'failure' as const } : r,
    )
    const record = only(await collectPullRequests(collectorInput(fake(), 'push')))
    expect(record.requiredChecks).toEqual([
      { name: 'build', status: 'unknown', conclusion: null },
      { name: 'test', status: 'completed', conclusion: 'failure' },
    ])
    expect(record.requiredChecksPassed).toBeNull()
  })

  it('records a check in neither check runs nor readable statuses as missing, and failing', async () => {
    serveStatuses([{ context: 'deploy-preview', state: 'success' }])
    dropCheckRun('build')
    const record = await pr17WithStatuses()
    expect(record.requiredChecks).toEqual([
      { name: 'build', status: 'missing', conclusion: null },
      { name: 'test', status: 'completed', conclusion: 'success' },
    ])
    expect(record.requiredChecksPassed).toBe(false)
    expect(paths(fake())).toContain(statusPath(SHA.pr17Head))
  })

  it('reads a required check that CI reported as a commit status', async () => {
    serveStatuses([{ context: 'build', state: 'success' }])
    dropCheckRun('build')
    const record = await pr17WithStatuses()
    expect(record.requiredChecks).toEqual([
      { name: 'build', status: 'completed', conclusion: 'success' },
      { name: 'test', status: 'completed', conclusion: 'success' },
    ])
    expect(record.requiredChecksPassed).toBe(true)
    const asked = fake().requests.find((r) => r.path === statusPath(SHA.pr17Head))
    expect(asked).toMatchObject({ status: 200, query: { per_page: '100' } })
  })

  it.each([
    ['failure', { status: 'completed', conclusion: 'failure' }],
    ['error', { status: 'completed', conclusion: 'error' }],
    ['pending', { status: 'pending', conclusion: null }],
  ])('records a %s commit status as a check that did not pass', async (state, check) => {
    serveStatuses([{ context: 'build', state }])
    dropCheckRun('build')
    const record = await pr17WithStatuses()
    expect(record.requiredChecks).toEqual([
      { name: 'build', ...check },
      { name: 'test', status: 'completed', conclusion: 'success' },
    ])
    expect(record.requiredChecksPassed).toBe(false)
  })

  it('lets a check run decide over a commit status of the same name', async () => {
    serveStatuses([{ context: 'build', state: 'failure' }])
    const record = await pr17WithStatuses()
    expect(record.requiredChecks).toEqual([
      { name: 'build', status: 'completed', conclusion: 'success' },
      { name: 'test', status: 'completed', conclusion: 'success' },
    ])
    expect(record.requiredChecksPassed).toBe(true)
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

  it('does not count a PR merged into another branch (main fast-forwarded to its merge)', async () => {
    const pr17 = fake().state.pulls[17]
    if (!pr17) throw new Error('no PR #17')
    pr17.base = { ...pr17.base, ref: 'release', label: 'acme:release' }
    expect(await collectPullRequests(collectorInput(fake(), 'push'))).toEqual([])
    expect(paths(fake())).toEqual([`${REPO_PATH}/commits/${SHA.main}/pulls`])
  })

  it('counts only the PR merged into the pushed branch when two were merged as the commit', async () => {
    const pr17 = fake().state.pulls[17]
    if (!pr17) throw new Error('no PR #17')
    // #19 was merged into develop as the same commit (develop was then merged ahead to main).
    fake().state.pulls[19] = {
      ...pr17,
      number: 19,
      id: pr17.id + 2,
      base: { ...pr17.base, ref: 'develop', label: 'acme:develop' },
    }
    fake().state.commitPulls[SHA.main] = [17, 19]
    const records = await collectPullRequests(collectorInput(fake(), 'push'))
    expect(records.map((r) => r.number)).toEqual([17])

    // A push to develop has #19, not #17.
    const develop = collectorInput(fake(), 'push', { env: { GITHUB_REF: 'refs/heads/develop' } })
    const onDevelop = await collectPullRequests(develop)
    expect(onDevelop.map((r) => r.number)).toEqual([19])
  })

  it('counts a PR merged into the pushed branch as an earlier commit when none was this one', async () => {
    const pr17 = fake().state.pulls[17]
    if (!pr17) throw new Error('no PR #17')
    pr17.merge_commit_sha = SHA.previousMain
    fake().state.pulls[19] = {
      ...pr17,
      number: 19,
      id: pr17.id + 2,
      base: { ...pr17.base, ref: 'develop', label: 'acme:develop' },
    }
    fake().state.pulls[20] = { ...pr17, number: 20, id: pr17.id + 3, merged_at: null }
    fake().state.commitPulls[SHA.main] = [17, 19, 20]
    const records = await collectPullRequests(collectorInput(fake(), 'push'))
    // #19 went into develop, #20 is open.
    expect(records.map((r) => r.number)).toEqual([17])
  })

  it('takes merged PRs of any base when the ref is not a branch (a tag push)', async () => {
    const pr17 = fake().state.pulls[17]
    if (!pr17) throw new Error('no PR #17')
    pr17.base = { ...pr17.base, ref: 'release', label: 'acme:release' }
    const input = collectorInput(fake(), 'push', { env: { GITHUB_REF: 'refs/tags/v1.4.0' } })
    const records = await collectPullRequests(input)
    expect(records.map((r) => r.number)).toEqual([17])
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
    const path = `${REPO_PATH}/commits/${SHA.main}/pulls`
    fake().fail({ path, status: 403, secondaryRateLimit: true, retryAfter: '1', times: 4 })
    const { logger, logs } = memoryLogger()
    const error = await rejection(() =>
      collectPullRequests(collectorInput(fake(), 'push', { logger })),
    )
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
    const path = `${REPO_PATH}/commits/${SHA.main}/pulls`
    fake().fail({ path, status: 403, secondaryRateLimit: true, retryAfter: '1', times: 4 })
    const error = await rejection(() => collectPullRequests(collectorInput(fake(), 'push')))
    expect(error.message).not.toContain('Grant the token')
    expect(error.message).toContain(
      `could not read the pull requests of commit ${SHA.main}: GitHub kept rate limiting the token (`,
    )
    expect(error.message).toMatch(/Re-run later\.$/)
  })

  it('reports a 429 that outlasts the retries as rate limiting too', async () => {
    const path = `${REPO_PATH}/commits/${SHA.main}/pulls`
    fake().fail({ path, status: 429, retryAfter: '1', times: 4 })
    const error = await rejection(() => collectPullRequests(collectorInput(fake(), 'push')))
    expect(error).toBeInstanceOf(CollectorError)
    expect(error.message).toContain('GitHub kept rate limiting the token')
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

  it('keeps the commit record when the commit endpoint stays rate limited', async () => {
    const path = `${REPO_PATH}/commits/${SHA.main}`
    fake().fail({ path, status: 403, secondaryRateLimit: true, retryAfter: '1', times: 4 })
    const record = only(await collectCommit(collectorInput(fake(), 'push')))
    expect(record.verified).toBeNull()
    expect(record.verificationReason).toContain('GitHub kept rate limiting the token')
    expect(record.author).toMatchObject({ login: 'hubot' })
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

describe('githubReadError', () => {
  /** An error shaped like Octokit's RequestError. */
  const httpError = (status: number, message: string) =>
    Object.assign(new Error(message), { status })

  it.each([
    [429, 'Too Many Requests'],
    [403, 'API rate limit exceeded for installation ID 4242.'],
    [403, 'You have exceeded a secondary rate limit. Please wait a few minutes.'],
  ])('reports a %i "%s" as rate limiting, to re-run later', (status, message) => {
    const error = githubReadError(httpError(status, message), 'the things', 'things: read')
    expect(error).toBeInstanceOf(CollectorError)
    expect(error.message).toBe(
      `could not read the things: GitHub kept rate limiting the token (${message}). Re-run later.`,
    )
    expect(error.cause).toBeInstanceOf(Error)
  })

  it('reads only the first line of the message for the rate-limit test', () => {
    const error = githubReadError(
      httpError(403, 'Resource not accessible by integration\nrate limit: see docs'),
      'the things',
      'things: read',
    )
    expect(error.message).toContain("Grant the token 'permissions: things: read'")
    expect(error.message).not.toContain('rate limiting')
  })

  it('still names the permission for a 403 or 404 that is no rate limit', () => {
    for (const status of [403, 404]) {
      const error = githubReadError(httpError(status, 'Not allowed'), 'the things', 'things: read')
      expect(error.message).toBe(
        `could not read the things (${status}: Not allowed). Grant the token 'permissions: things: read' in the workflow (or the job), or set 'collector-errors: warn'.`,
      )
    }
  })
})
