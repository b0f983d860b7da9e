import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { EVENT_NAMES, eventEnv, eventPath, eventPayload } from '../github-fake/events.ts'
import {
  defaultState,
  type GithubFake,
  IDS,
  type Review,
  SHA,
  startGithubFake,
} from '../github-fake/server.ts'

const REPO = '/repos/acme/shop'

let fake: GithubFake
beforeAll(async () => {
  fake = await startGithubFake()
})
afterAll(async () => {
  await fake.close()
})
beforeEach(() => {
  fake.state = defaultState()
  fake.requests.length = 0
})

interface Answer {
  status: number
  headers: Headers
  body: unknown
}

async function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const url = path.startsWith('http') ? path : `${fake.url}${path}`
  const res = await fetch(url, { headers: { accept: 'application/vnd.github+json', ...headers } })
  const text = await res.text()
  return {
    status: res.status,
    headers: res.headers,
    body: text === '' ? undefined : JSON.parse(text),
  }
}

// Any JSON value, to read nested fields in assertions without casts at every step.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any
const json = async (path: string): Promise<Json> => {
  const answer = await get(path)
  expect(answer.status).toBe(200)
  return answer.body
}

function links(header: string | null): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]+)>;\s*rel="([^"]+)"/.exec(part)
    if (m?.[1] && m[2]) out[m[2]] = m[1]
  }
  return out
}

describe('GitHub fake: endpoints', () => {
  it('serves the repository with security_and_analysis', async () => {
    const repo = await json(REPO)
    expect(repo).toMatchObject({
      id: IDS.repo,
      full_name: 'acme/shop',
      private: true,
      visibility: 'private',
      default_branch: 'main',
      owner: { login: 'acme', type: 'Organization' },
      html_url: 'https://github.com/acme/shop',
      security_and_analysis: {
        secret_scanning: { status: 'enabled' },
        secret_scanning_push_protection: { status: 'enabled' },
        dependabot_security_updates: { status: 'enabled' },
      },
    })
    expect(repo.node_id).toEqual(expect.any(String))
  })

  it('owner and repository names are case-insensitive; other repositories are not found', async () => {
    expect((await get('/repos/ACME/Shop')).status).toBe(200)
    const other = await get('/repos/acme/other/pulls/17')
    expect(other.status).toBe(404)
    expect(other.body).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request',
      status: '404',
    })
  })

  it('serves a commit with its signature verification, by full sha or unique prefix', async () => {
    const commit = await json(`${REPO}/commits/${SHA.main}`)
    expect(commit.sha).toBe(SHA.main)
    expect(commit.parents.map((p: Json) => p.sha)).toEqual([SHA.previousMain, SHA.pr17Head])
    const v = commit.commit.verification
    expect(v).toMatchObject({
      verified: true,
      reason: 'valid',
      verified_at: '2026-11-03T09:30:02Z',
    })
    expect(v.signature).toMatch(
      /^-----BEGIN PGP SIGNATURE-----\n[\s\S]+-----END PGP SIGNATURE-----\n$/,
    )
    expect(v.payload).toContain(`parent ${SHA.pr17Head}\n`)
    expect(v.payload.endsWith(`\n\n${commit.commit.message}\n`)).toBe(true)
    expect((await json(`${REPO}/commits/${SHA.main.slice(0, 7)}`)).sha).toBe(SHA.main)
  })

  it('answers 422 like GitHub for a commit it does not know', async () => {
    const answer = await get(`${REPO}/commits/0123456789abcdef0123456789abcdef01234567`)
    expect(answer.status).toBe(422)
    expect(answer.body).toMatchObject({
      message: 'No commit found for SHA: 0123456789abcdef0123456789abcdef01234567',
      status: '422',
    })
  })

  it('lists the pull requests of a commit in their simple form', async () => {
    const pulls = await json(`${REPO}/commits/${SHA.main}/pulls`)
    expect(pulls).toHaveLength(1)
    expect(pulls[0]).toMatchObject({ number: 17, state: 'closed', merge_commit_sha: SHA.main })
    expect(pulls[0]).not.toHaveProperty('merged_by')
    expect(await json(`${REPO}/commits/${SHA.pr18Merge}/pulls`)).toEqual([])
  })

  it('serves pull requests with their merge details', async () => {
    const pr17 = await json(`${REPO}/pulls/17`)
    expect(pr17).toMatchObject({
      number: 17,
      state: 'closed',
      merged: true,
      merged_at: '2026-11-03T09:30:02Z',
      merged_by: { login: 'hubot' },
      user: { login: 'mona', type: 'User' },
      base: { ref: 'main', sha: SHA.previousMain, repo: { full_name: 'acme/shop' } },
      head: { ref: 'feature/checkout-retry', sha: SHA.pr17Head, repo: { full_name: 'acme/shop' } },
      draft: false,
      html_url: 'https://github.com/acme/shop/pull/17',
    })
    const pr18 = await json(`${REPO}/pulls/18`)
    expect(pr18).toMatchObject({
      state: 'open',
      merged: false,
      merged_at: null,
      merged_by: null,
      merge_commit_sha: SHA.pr18Merge,
      head: { sha: SHA.pr18Head },
      base: { sha: SHA.main },
    })
  })

  it('lists reviews oldest first', async () => {
    const reviews = await json(`${REPO}/pulls/17/reviews`)
    expect(reviews.map((r: Json) => [r.user.login, r.state])).toEqual([
      ['hubot', 'CHANGES_REQUESTED'],
      ['mona', 'COMMENTED'],
      ['hubot', 'APPROVED'],
    ])
    expect(reviews[2]).toMatchObject({ commit_id: SHA.pr17Head, author_association: 'MEMBER' })
    const pr18 = await json(`${REPO}/pulls/18/reviews`)
    expect(pr18.map((r: Json) => [r.user.login, r.state])).toEqual([['mona', 'COMMENTED']])
  })

  it('lists check runs inside check_runs with total_count, filtered by check_name', async () => {
    const all = await json(`${REPO}/commits/${SHA.pr18Head}/check-runs`)
    expect(all.total_count).toBe(3)
    expect(all.check_runs.map((r: Json) => [r.name, r.status, r.conclusion])).toEqual([
      ['build', 'completed', 'success'],
      ['test', 'completed', 'success'],
      ['lint', 'completed', 'success'],
    ])
    expect(all.check_runs[0].app.slug).toBe('github-actions')
    expect(all.check_runs[0].head_sha).toBe(SHA.pr18Head)
    const one = await json(`${REPO}/commits/${SHA.main}/check-runs?check_name=test`)
    expect(one.total_count).toBe(1)
    expect(one.check_runs[0].name).toBe('test')
  })

  it('serves branch rules, and none for a branch no rule applies to', async () => {
    const rules = await json(`${REPO}/rules/branches/main`)
    expect(rules.map((r: Json) => r.type).sort()).toEqual([
      'deletion',
      'non_fast_forward',
      'pull_request',
      'required_signatures',
      'required_status_checks',
    ])
    const pr = rules.find((r: Json) => r.type === 'pull_request')
    expect(pr).toMatchObject({
      parameters: { required_approving_review_count: 1, dismiss_stale_reviews_on_push: true },
      ruleset_source_type: 'Repository',
      ruleset_source: 'acme/shop',
      ruleset_id: IDS.ruleset,
    })
    const checks = rules.find((r: Json) => r.type === 'required_status_checks')
    expect(checks.parameters.required_status_checks.map((c: Json) => c.context)).toEqual([
      'build',
      'test',
    ])
    expect(await json(`${REPO}/rules/branches/${encodeURIComponent('feature/x')}`)).toEqual([])
  })

  it('serves classic protection, and 404 "Branch not protected" without it', async () => {
    const protection = await json(`${REPO}/branches/main/protection`)
    expect(protection).toMatchObject({
      enforce_admins: { enabled: true },
      required_pull_request_reviews: { required_approving_review_count: 1 },
      required_status_checks: { contexts: ['build', 'test'] },
      allow_force_pushes: { enabled: false },
      allow_deletions: { enabled: false },
      required_signatures: { enabled: true },
    })
    const missing = await get(`${REPO}/branches/develop/protection`)
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ message: 'Branch not protected', status: '404' })
  })

  it('serves releases by tag and id, their assets, and hides drafts from the tag lookup', async () => {
    const byTag = await json(`${REPO}/releases/tags/v1.4.0`)
    expect(byTag).toMatchObject({ id: 5001, tag_name: 'v1.4.0', target_commitish: SHA.main })
    expect(await json(`${REPO}/releases/5001`)).toEqual(byTag)
    const assets = await json(`${REPO}/releases/5001/assets`)
    expect(assets.map((a: Json) => a.name)).toEqual([
      'shop-1.4.0-linux-x64.tar.gz',
      'shop-1.4.0.spdx.json',
    ])
    expect(assets).toEqual(byTag.assets)
    fake.state.releases[0]!.draft = true
    expect((await get(`${REPO}/releases/tags/v1.4.0`)).status).toBe(404)
    expect((await get(`${REPO}/releases/5001`)).status).toBe(200)
  })

  it('serves the deployment and its statuses newest first', async () => {
    const deployment = await json(`${REPO}/deployments/7001`)
    expect(deployment).toMatchObject({
      sha: SHA.main,
      ref: 'main',
      environment: 'production',
      production_environment: true,
    })
    const statuses = await json(`${REPO}/deployments/7001/statuses`)
    expect(statuses.map((s: Json) => s.state)).toEqual(['success', 'in_progress', 'queued'])
  })

  it('serves the approvals of run 9001, unpaginated', async () => {
    const approvals = await json(`${REPO}/actions/runs/9001/approvals`)
    expect(approvals).toEqual([
      expect.objectContaining({
        state: 'approved',
        user: expect.objectContaining({ login: 'hubot' }),
        environments: [expect.objectContaining({ name: 'production' })],
      }),
    ])
    expect((await get(`${REPO}/actions/runs/9002/approvals`)).status).toBe(404)
  })

  it('answers vulnerability-alerts with 204 when enabled, 404 otherwise', async () => {
    const on = await get(`${REPO}/vulnerability-alerts`)
    expect(on.status).toBe(204)
    expect(on.body).toBeUndefined()
    fake.state.vulnerabilityAlerts = undefined
    expect((await get(`${REPO}/vulnerability-alerts`)).status).toBe(404)
  })

  it.each([
    `${REPO}/pulls/99`,
    `${REPO}/pulls/99/reviews`,
    `${REPO}/releases/tags/v9.9.9`,
    `${REPO}/releases/1`,
    `${REPO}/releases/1/assets`,
    `${REPO}/deployments/1`,
    `${REPO}/deployments/1/statuses`,
    `${REPO}/teleport`,
    '/nowhere',
  ])('answers 404 Not Found for %s', async (path) => {
    const answer = await get(path)
    expect(answer.status).toBe(404)
    expect(answer.body).toMatchObject({ message: 'Not Found', status: '404' })
    expect((answer.body as Json).documentation_url).toMatch(/^https:\/\/docs\.github\.com\/rest/)
  })

  it('answers 404 to methods other than GET', async () => {
    const res = await fetch(`${fake.url}${REPO}/pulls/17`, { method: 'DELETE' })
    expect(res.status).toBe(404)
    await res.text()
  })
})

describe('GitHub fake: headers, auth and request log', () => {
  it('sends rate-limit headers, a request id and JSON content type on every answer', async () => {
    for (const path of [REPO, `${REPO}/pulls/99`, `${REPO}/vulnerability-alerts`]) {
      const { headers } = await get(path)
      expect(headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(headers.get('x-ratelimit-limit')).toBe('5000')
      expect(Number(headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0)
      expect(Number(headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000)
      expect(headers.get('x-github-request-id')).toMatch(/^[0-9A-F]+(:[0-9A-F]+){4}$/)
    }
  })

  it('records method, path, query, status and the authorization header as given', async () => {
    await get(`${REPO}/pulls/17/reviews?per_page=5`, { authorization: 'token ghs_abc' })
    await get(`${REPO}/pulls/99`, { authorization: 'Bearer ghs_def' })
    await get(REPO)
    expect(fake.requests).toEqual([
      {
        method: 'GET',
        path: `${REPO}/pulls/17/reviews`,
        query: { per_page: '5' },
        status: 200,
        auth: 'token ghs_abc',
      },
      { method: 'GET', path: `${REPO}/pulls/99`, query: {}, status: 404, auth: 'Bearer ghs_def' },
      { method: 'GET', path: REPO, query: {}, status: 200 },
    ])
  })
})

describe('GitHub fake: pagination', () => {
  function manyReviews(n: number): Review[] {
    const template = defaultState().reviews[18]![0]!
    return Array.from({ length: n }, (_, i) => ({ ...template, id: 3_000_000 + i }))
  }

  it('pages 250 reviews by 100 with next/last/prev/first links, followed to the end', async () => {
    fake.state.reviews[18] = manyReviews(250)
    const first = `${fake.url}${REPO}/pulls/18/reviews?per_page=100`
    const pages: Array<{ ids: number[]; rels: Record<string, string> }> = []
    let next: string | undefined = first
    while (next) {
      const answer = await get(next)
      expect(answer.status).toBe(200)
      const rels = links(answer.headers.get('link'))
      pages.push({ ids: (answer.body as Review[]).map((r) => r.id), rels })
      next = rels.next
    }
    expect(pages.map((p) => p.ids.length)).toEqual([100, 100, 50])
    expect(pages.flatMap((p) => p.ids)).toEqual(manyReviews(250).map((r) => r.id))
    const page = (n: number) => `${fake.url}${REPO}/pulls/18/reviews?per_page=100&page=${n}`
    expect(pages[0]!.rels).toEqual({ next: page(2), last: page(3) })
    expect(pages[1]!.rels).toEqual({ prev: page(1), next: page(3), last: page(3), first: page(1) })
    expect(pages[2]!.rels).toEqual({ prev: page(2), first: page(1) })
    // The raw header lists them the way GitHub does.
    const raw = (await get(page(2))).headers.get('link')
    expect(raw).toBe(
      `<${page(1)}>; rel="prev", <${page(3)}>; rel="next", <${page(3)}>; rel="last", <${page(1)}>; rel="first"`,
    )
  })

  it('defaults to 30 a page, clamps per_page to 100, and sends no Link when one page holds all', async () => {
    fake.state.reviews[18] = manyReviews(250)
    const byDefault = await get(`${REPO}/pulls/18/reviews`)
    expect(byDefault.body).toHaveLength(30)
    expect(links(byDefault.headers.get('link')).last).toBe(
      `${fake.url}${REPO}/pulls/18/reviews?page=9`,
    )
    const clamped = await get(`${REPO}/pulls/18/reviews?per_page=500`)
    expect(clamped.body).toHaveLength(100)
    const past = await get(`${REPO}/pulls/18/reviews?per_page=100&page=4`)
    expect(past.body).toEqual([])
    const single = await get(`${REPO}/pulls/17/reviews`)
    expect(single.headers.get('link')).toBeNull()
  })

  it('honours perPageMax', async () => {
    const small = await startGithubFake({ perPageMax: 2 })
    try {
      const res = await fetch(`${small.url}${REPO}/pulls/17/reviews?per_page=100`)
      expect(await res.json()).toHaveLength(2)
      expect(links(res.headers.get('link')).next).toBe(
        `${small.url}${REPO}/pulls/17/reviews?per_page=100&page=2`,
      )
    } finally {
      await small.close()
    }
  })

  it('pages check runs inside check_runs, keeping total_count', async () => {
    const second = await json(`${REPO}/commits/${SHA.main}/check-runs?per_page=2&page=2`)
    expect(second.total_count).toBe(3)
    expect(second.check_runs.map((r: Json) => r.name)).toEqual(['lint'])
  })
})

describe('GitHub fake: fail()', () => {
  it('answers 403 "Resource not accessible by integration" the next time only', async () => {
    fake.fail({ path: `${REPO}/branches/main/protection`, status: 403 })
    const denied = await get(`${REPO}/branches/main/protection`)
    expect(denied.status).toBe(403)
    expect(denied.body).toEqual({
      message: 'Resource not accessible by integration',
      documentation_url:
        'https://docs.github.com/rest/branches/branch-protection#get-branch-protection',
      status: '403',
    })
    expect(Number(denied.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0)
    expect((await get(`${REPO}/branches/main/protection`)).status).toBe(200)
  })

  it('answers 404 for `times` matching requests, by method and RegExp', async () => {
    fake.fail({ method: 'get', path: /\/pulls\/\d+$/, status: 404, times: 2 })
    fake.fail({ method: 'POST', path: REPO, status: 500 })
    expect((await get(`${REPO}/pulls/17`)).status).toBe(404)
    expect((await get(REPO)).status).toBe(200)
    expect((await get(`${REPO}/pulls/18`)).status).toBe(404)
    expect((await get(`${REPO}/pulls/17`)).status).toBe(200)
    expect(fake.requests.map((r) => r.status)).toEqual([404, 200, 404, 200])
  })

  it('answers a secondary rate limit as 403 with retry-after and remaining quota', async () => {
    fake.fail({ path: `${REPO}/pulls/17/reviews`, status: 403, secondaryRateLimit: true })
    fake.fail({ path: REPO, status: 403, secondaryRateLimit: true, retryAfter: '60' })
    const limited = await get(`${REPO}/pulls/17/reviews`)
    expect(limited.status).toBe(403)
    expect(limited.body).toEqual({
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    })
    expect(limited.headers.get('retry-after')).toBe('1')
    expect(limited.headers.get('x-ratelimit-remaining')).not.toBe('0')
    expect((await get(REPO)).headers.get('retry-after')).toBe('60')
    expect((await get(`${REPO}/pulls/17/reviews`)).status).toBe(200)
  })

  it('answers 429 with retry-after, and 500', async () => {
    fake.fail({ path: REPO, status: 429, retryAfter: '3' })
    fake.fail({ path: REPO, status: 500 })
    const tooMany = await get(REPO)
    expect(tooMany.status).toBe(429)
    expect(tooMany.headers.get('retry-after')).toBe('3')
    const broken = await get(REPO)
    expect(broken.status).toBe(500)
    expect(broken.body).toMatchObject({ status: '500' })
    expect((await get(REPO)).status).toBe(200)
  })
})

describe('GitHub fake: default state coherence', () => {
  const state = defaultState()

  it('main is PR #17 merged: merge commit, commit→PR map, approvals', () => {
    const pr17 = state.pulls[17]!
    expect(pr17.merge_commit_sha).toBe(SHA.main)
    expect(pr17.merged_by?.login).toBe('hubot')
    expect(state.commitPulls[SHA.main]).toEqual([17])
    expect(state.commits[SHA.main]!.commit.verification.verified).toBe(true)
    expect(state.commits[SHA.main]!.parents.map((p) => p.sha)).toContain(pr17.head.sha)
    const approvals = state.reviews[17]!.filter((r) => r.state === 'APPROVED')
    expect(approvals.map((r) => [r.user.login, r.commit_id])).toEqual([['hubot', pr17.head.sha]])
    expect(state.reviews[18]!.every((r) => r.user.login === state.pulls[18]!.user.login)).toBe(true)
  })

  it('every head sha has 3 successful check runs and a commit', () => {
    for (const sha of [SHA.main, SHA.pr17Head, SHA.pr18Head]) {
      const runs = state.checkRuns[sha]!
      expect(runs.map((r) => r.name)).toEqual(['build', 'test', 'lint'])
      expect(runs.every((r) => r.conclusion === 'success' && r.head_sha === sha)).toBe(true)
      expect(state.commits[sha]?.sha).toBe(sha)
    }
  })

  it('the release, deployment and approval agree on the head sha and ids', () => {
    const release = state.releases[0]!
    expect(release.target_commitish).toBe(SHA.main)
    expect(release.assets).toHaveLength(2)
    for (const asset of release.assets) {
      expect(asset.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
      expect(asset.size).toBeGreaterThan(0)
    }
    const deployment = state.deployments[0]!
    expect(deployment).toMatchObject({ id: IDS.deployment, sha: SHA.main })
    const statuses = state.deploymentStatuses[IDS.deployment]!
    expect(statuses.map((s) => s.created_at)).toEqual(
      [...statuses.map((s) => s.created_at)].sort().reverse(),
    )
    expect(state.runApprovals[IDS.deployRun]![0]!.environments[0]!.name).toBe(
      deployment.environment,
    )
  })

  it('all timestamps of the story are in November 2026', () => {
    const stamps = JSON.stringify(state).match(/"(?:\w+_at|date)":"[^"]+"/g) ?? []
    const story = stamps.filter((s) => !/created_at":"20(18|25)|updated_at":"20(24|25)/.test(s))
    expect(story.length).toBeGreaterThan(20)
    for (const stamp of story) expect(stamp).toMatch(/"2026-11-\d\dT\d\d:\d\d:\d\dZ"$/)
  })

  it('hands out independent copies', () => {
    const a = defaultState()
    a.pulls[17]!.title = 'changed'
    expect(defaultState().pulls[17]!.title).not.toBe('changed')
  })
})

describe('event fixtures', () => {
  it.each(EVENT_NAMES)('%s.json is what payloads.ts builds from defaultState()', (name) => {
    const onDisk: unknown = JSON.parse(readFileSync(eventPath(name), 'utf8'))
    expect(onDisk).toEqual(eventPayload(name))
    expect(onDisk).toMatchObject({ repository: { full_name: 'acme/shop' } })
  })

  it('payloads match the state the fake serves', () => {
    const state = defaultState()
    const push: Json = eventPayload('push')
    expect(push).toMatchObject({
      ref: 'refs/heads/main',
      before: SHA.previousMain,
      after: SHA.main,
    })
    expect(push.head_commit.id).toBe(SHA.main)
    expect(push.commits.at(-1)).toEqual(push.head_commit)
    const pr: Json = eventPayload('pull_request')
    expect(pr).toMatchObject({ action: 'synchronize', number: 18, after: SHA.pr18Head })
    expect(pr.pull_request.head).toEqual(state.pulls[18]!.head)
    const release: Json = eventPayload('release')
    expect(release.action).toBe('published')
    expect(release.release).toEqual(state.releases[0])
    expect((eventPayload('deployment') as Json).deployment.id).toBe(IDS.deployment)
    const status: Json = eventPayload('deployment_status')
    expect(status.deployment_status.state).toBe('success')
    expect(status.deployment.id).toBe(IDS.deployment)
    expect(eventPayload('schedule')).toMatchObject({ schedule: '0 6 * * 1' })
    expect(eventPayload('workflow_dispatch')).toMatchObject({ inputs: {}, ref: 'refs/heads/main' })
  })

  it('eventEnv gives the runner variables of each event', () => {
    expect(eventEnv('pull_request', fake.url)).toMatchObject({
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath('pull_request'),
      GITHUB_SHA: SHA.pr18Merge,
      GITHUB_REF: 'refs/pull/18/merge',
      GITHUB_REF_NAME: '18/merge',
      GITHUB_HEAD_REF: 'fix/cart-rounding',
      GITHUB_BASE_REF: 'main',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_API_URL: fake.url,
    })
    expect(eventEnv('release')).toMatchObject({
      GITHUB_SHA: SHA.main,
      GITHUB_REF: 'refs/tags/v1.4.0',
      GITHUB_REF_NAME: 'v1.4.0',
      GITHUB_REF_TYPE: 'tag',
      GITHUB_HEAD_REF: '',
      GITHUB_API_URL: 'https://api.github.com',
    })
    expect(eventEnv('push')).toMatchObject({
      GITHUB_SHA: SHA.main,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_RUN_ID: String(IDS.deployRun),
    })
    for (const name of EVENT_NAMES) {
      const env = eventEnv(name)
      expect(env.GITHUB_EVENT_NAME).toBe(name)
      expect(env.GITHUB_EVENT_PATH).toBe(eventPath(name))
      expect(env.GITHUB_SHA).toMatch(/^[0-9a-f]{40}$/)
    }
  })
})
