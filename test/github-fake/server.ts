// A local stand-in for the part of GitHub's REST API v3 the collectors read. Point
// GITHUB_API_URL at `fake.url`; answers come from `fake.state`, shaped like GitHub's.
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { defaultState } from './state.ts'
import type { GithubState } from './types.ts'

export type * from './types.ts'
export { defaultState, FULL_NAME, IDS, makeUser, OWNER, REPO, SHA } from './state.ts'

export interface GithubFakeOptions {
  /** Replaces parts of defaultState() (whole top-level entries, not merged deeper). */
  state?: Partial<GithubState>
  /** Largest per_page honoured (GitHub: 100); larger values are clamped to it. */
  perPageMax?: number
}

/** Makes the next `times` (default 1) requests matching `method` and `path` fail. */
export interface FailRule {
  /** Any method when absent; compared case-insensitively. */
  method?: string
  /** The request path (no query), e.g. '/repos/acme/shop/pulls/17'; a string must match exactly. */
  path: string | RegExp
  status: 403 | 404 | 500 | 429
  times?: number
  /** Answer GitHub's "secondary rate limit" body with a retry-after header. */
  secondaryRateLimit?: boolean
  /** retry-after for secondary rate limits and 429 (default '1'). */
  retryAfter?: string
}

export interface LoggedRequest {
  method: string
  /** Path as received, without the query string. */
  path: string
  query: Record<string, string>
  status: number
  /** The authorization header as sent ('token X', 'Bearer X'); absent when none was sent. */
  auth?: string
}

export interface GithubFake {
  /** Base URL for GITHUB_API_URL, e.g. http://127.0.0.1:PORT (no trailing slash). */
  url: string
  /** Read on every request: edit it (or replace it) between requests. */
  state: GithubState
  requests: LoggedRequest[]
  fail(rule: FailRule): void
  close(): Promise<void>
}

interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

interface RouteContext {
  state: GithubState
  query: URLSearchParams
  /** Absolute URL of the request without its query, for Link headers. */
  selfUrl: string
  perPageMax: number
  doc: string
}

interface Route {
  pattern: RegExp
  /** The endpoint's page in GitHub's REST docs (documentation_url of its errors). */
  doc: string
  handle: (ctx: RouteContext, params: string[]) => Reply
}

const DOCS = 'https://docs.github.com/rest'
const RATE_LIMIT = 5000
const SECONDARY_RATE_LIMIT = {
  message:
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  documentation_url:
    'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startGithubFake(opts: GithubFakeOptions = {}): Promise<GithubFake> {
  const perPageMax = opts.perPageMax ?? 100
  const failRules: Array<FailRule & { remaining: number }> = []
  const resetAt = Math.floor(Date.now() / 1000) + 3600
  let used = 0
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  const fake: GithubFake = {
    url: `http://127.0.0.1:${port}`,
    state: { ...defaultState(), ...opts.state },
    requests: [],
    fail(rule) {
      failRules.push({ ...rule, remaining: rule.times ?? 1 })
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Keep-alive sockets would otherwise hold close() open until they time out.
      server.closeAllConnections()
      await closed
    },
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    req.resume()
    const url = new URL(req.url ?? '/', fake.url)
    const method = req.method ?? 'GET'
    const auth = req.headers.authorization
    const entry: LoggedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      ...(auth === undefined ? {} : { auth }),
    }
    fake.requests.push(entry)
    used += 1

    let reply: Reply
    const rule = failRules.find((r) => r.remaining > 0 && matches(r, method, url.pathname))
    if (rule) {
      rule.remaining -= 1
      reply = failure(rule, docFor(url.pathname))
    } else {
      try {
        reply = route(fake.state, method, url, fake.url, perPageMax)
      } catch (error) {
        reply = { status: 500, body: { message: String(error), documentation_url: DOCS } }
      }
    }

    entry.status = reply.status
    const body = reply.status === 204 ? '' : JSON.stringify(reply.body ?? null)
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      ...(reply.status === 204 ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': requestId(),
      'x-ratelimit-limit': String(RATE_LIMIT),
      // Never 0: a fault here must not look like the primary rate limit.
      'x-ratelimit-remaining': String(Math.max(1, RATE_LIMIT - used)),
      'x-ratelimit-reset': String(resetAt),
      'x-ratelimit-used': String(Math.min(used, RATE_LIMIT - 1)),
      'x-ratelimit-resource': 'core',
      ...reply.headers,
    })
    res.end(body)
  })
  return fake
}

function matches(rule: FailRule, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return false
  return typeof rule.path === 'string' ? rule.path === path : rule.path.test(path)
}

function failure(rule: FailRule, doc: string): Reply {
  const retryAfter = { 'retry-after': rule.retryAfter ?? '1' }
  if (rule.secondaryRateLimit) {
    return { status: rule.status, body: SECONDARY_RATE_LIMIT, headers: retryAfter }
  }
  switch (rule.status) {
    case 403:
      return error(403, 'Resource not accessible by integration', doc)
    case 404:
      return error(404, 'Not Found', doc)
    case 429:
      return { status: 429, body: SECONDARY_RATE_LIMIT, headers: retryAfter }
    case 500:
      return error(500, 'Server Error', doc)
  }
}

function error(status: number, message: string, doc: string): Reply {
  return { status, body: { message, documentation_url: doc, status: String(status) } }
}

// x-github-request-id looks like 'C2F4:3A1B7:9D0E12:A4B5C6:6745F0A1'.
function requestId(): string {
  const hex = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase()
  return `${hex(2)}:${hex(3).slice(1)}:${hex(3)}:${hex(3)}:${hex(4)}`
}

// ---------------------------------------------------------------------------------------------
// Routing

const REPO_PATH = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/

function docFor(path: string): string {
  const m = REPO_PATH.exec(path)
  if (!m) return DOCS
  const rest = m[3] ?? ''
  return ROUTES.find((r) => r.pattern.test(rest))?.doc ?? DOCS
}

function route(
  state: GithubState,
  method: string,
  url: URL,
  base: string,
  perPageMax: number,
): Reply {
  const m = REPO_PATH.exec(url.pathname)
  if (!m) return error(404, 'Not Found', DOCS)
  const rest = m[3] ?? ''
  for (const r of ROUTES) {
    const found = r.pattern.exec(rest)
    if (!found) continue
    const params = found.slice(1).map(decode)
    const owner = decode(m[1] ?? '')
    const name = decode(m[2] ?? '')
    const repoExists =
      owner?.toLowerCase() === state.repo.owner.login.toLowerCase() &&
      name?.toLowerCase() === state.repo.name.toLowerCase()
    if (method !== 'GET' || !repoExists || params.some((p) => p === undefined)) {
      return error(404, 'Not Found', r.doc)
    }
    const selfUrl = `${base}${url.pathname}`
    return r.handle(
      { state, query: url.searchParams, selfUrl, perPageMax, doc: r.doc },
      params as string[],
    )
  }
  return error(404, 'Not Found', DOCS)
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

const notFound = (ctx: RouteContext) => error(404, 'Not Found', ctx.doc)

const ROUTES: Route[] = [
  {
    pattern: /^\/?$/,
    doc: `${DOCS}/repos/repos#get-a-repository`,
    handle: (ctx) => ({ status: 200, body: ctx.state.repo }),
  },
  {
    pattern: /^\/commits\/([^/]+)$/,
    doc: `${DOCS}/commits/commits#get-a-commit`,
    handle: (ctx, [ref = '']) => {
      const sha = resolveSha(ctx.state, ref)
      const commit = sha === undefined ? undefined : ctx.state.commits[sha]
      return commit ? { status: 200, body: commit } : noCommit(ctx, ref)
    },
  },
  {
    pattern: /^\/commits\/([^/]+)\/pulls$/,
    doc: `${DOCS}/commits/commits#list-pull-requests-associated-with-a-commit`,
    handle: (ctx, [ref = '']) => {
      const sha = resolveSha(ctx.state, ref)
      if (sha === undefined) return noCommit(ctx, ref)
      const pulls = (ctx.state.commitPulls[sha] ?? [])
        .map((n) => ctx.state.pulls[n])
        .filter((p) => p !== undefined)
        .map(simplePull)
      return paginate(ctx, pulls)
    },
  },
  {
    pattern: /^\/commits\/([^/]+)\/check-runs$/,
    doc: `${DOCS}/checks/runs#list-check-runs-for-a-git-reference`,
    handle: (ctx, [ref = '']) => {
      const sha = resolveSha(ctx.state, ref)
      if (sha === undefined) return noCommit(ctx, ref)
      const q = ctx.query
      let runs = (ctx.state.checkRuns[sha] ?? []).filter(
        (run) =>
          (!q.has('check_name') || run.name === q.get('check_name')) &&
          (!q.has('status') || run.status === q.get('status')) &&
          (!q.has('app_id') || String(run.app.id) === q.get('app_id')),
      )
      // filter=latest (the default) keeps the most recent run of each name.
      if (q.get('filter') !== 'all') {
        const latest = new Map<string, (typeof runs)[number]>()
        for (const run of runs) {
          const seen = latest.get(run.name)
          if (!seen || run.id > seen.id) latest.set(run.name, run)
        }
        runs = runs.filter((run) => latest.get(run.name) === run)
      }
      return paginate(ctx, runs, (items, total) => ({ total_count: total, check_runs: items }))
    },
  },
  {
    pattern: /^\/pulls\/(\d+)$/,
    doc: `${DOCS}/pulls/pulls#get-a-pull-request`,
    handle: (ctx, [n]) => {
      const pull = ctx.state.pulls[Number(n)]
      return pull ? { status: 200, body: pull } : notFound(ctx)
    },
  },
  {
    pattern: /^\/pulls\/(\d+)\/reviews$/,
    doc: `${DOCS}/pulls/reviews#list-reviews-for-a-pull-request`,
    handle: (ctx, [n]) => {
      if (!ctx.state.pulls[Number(n)]) return notFound(ctx)
      return paginate(ctx, ctx.state.reviews[Number(n)] ?? [])
    },
  },
  {
    pattern: /^\/rules\/branches\/(.+)$/,
    doc: `${DOCS}/repos/rules#get-rules-for-a-branch`,
    // The branch need not exist: a name no rule applies to has no rules.
    handle: (ctx, [branch = '']) => paginate(ctx, ctx.state.branchRules[branch] ?? []),
  },
  {
    pattern: /^\/branches\/(.+)\/protection$/,
    doc: `${DOCS}/branches/branch-protection#get-branch-protection`,
    handle: (ctx, [branch = '']) => {
      const protection = ctx.state.branchProtection[branch]
      return protection
        ? { status: 200, body: protection }
        : error(404, 'Branch not protected', ctx.doc)
    },
  },
  {
    pattern: /^\/releases\/tags\/(.+)$/,
    doc: `${DOCS}/releases/releases#get-a-release-by-tag-name`,
    // Only published releases: a draft is not found by its tag.
    handle: (ctx, [tag]) => {
      const release = ctx.state.releases.find((r) => r.tag_name === tag && !r.draft)
      return release ? { status: 200, body: release } : notFound(ctx)
    },
  },
  {
    pattern: /^\/releases\/(\d+)$/,
    doc: `${DOCS}/releases/releases#get-a-release`,
    handle: (ctx, [id]) => {
      const release = ctx.state.releases.find((r) => r.id === Number(id))
      return release ? { status: 200, body: release } : notFound(ctx)
    },
  },
  {
    pattern: /^\/releases\/(\d+)\/assets$/,
    doc: `${DOCS}/releases/assets#list-release-assets`,
    handle: (ctx, [id]) => {
      const release = ctx.state.releases.find((r) => r.id === Number(id))
      return release ? paginate(ctx, release.assets) : notFound(ctx)
    },
  },
  {
    pattern: /^\/deployments\/(\d+)$/,
    doc: `${DOCS}/deployments/deployments#get-a-deployment`,
    handle: (ctx, [id]) => {
      const deployment = ctx.state.deployments.find((d) => d.id === Number(id))
      return deployment ? { status: 200, body: deployment } : notFound(ctx)
    },
  },
  {
    pattern: /^\/deployments\/(\d+)\/statuses$/,
    doc: `${DOCS}/deployments/statuses#list-deployment-statuses`,
    handle: (ctx, [id]) => {
      if (!ctx.state.deployments.some((d) => d.id === Number(id))) return notFound(ctx)
      return paginate(ctx, ctx.state.deploymentStatuses[Number(id)] ?? [])
    },
  },
  {
    pattern: /^\/actions\/runs\/(\d+)\/approvals$/,
    doc: `${DOCS}/actions/workflow-runs#get-the-review-history-for-a-workflow-run`,
    // Not paginated on GitHub either: the whole history in one array.
    handle: (ctx, [id]) => {
      const approvals = ctx.state.runApprovals[Number(id)]
      return approvals ? { status: 200, body: approvals } : notFound(ctx)
    },
  },
  {
    pattern: /^\/actions\/runs\/(\d+)$/,
    doc: `${DOCS}/actions/workflow-runs#get-a-workflow-run`,
    handle: (ctx, [id]) => {
      const run = ctx.state.workflowRuns[Number(id)]
      return run ? { status: 200, body: { id: Number(id), ...run } } : notFound(ctx)
    },
  },
  {
    pattern: /^\/vulnerability-alerts$/,
    doc: `${DOCS}/repos/repos#check-if-vulnerability-alerts-are-enabled-for-a-repository`,
    handle: (ctx) => (ctx.state.vulnerabilityAlerts === true ? { status: 204 } : notFound(ctx)),
  },
]

// GitHub answers 422, not 404, for a commit it cannot find.
function noCommit(ctx: RouteContext, ref: string): Reply {
  return error(422, `No commit found for SHA: ${ref}`, ctx.doc)
}

// A full sha, or a unique prefix of 7+ hex digits, of a commit the state knows anything about.
function resolveSha(state: GithubState, ref: string): string | undefined {
  const known = new Set([
    ...Object.keys(state.commits),
    ...Object.keys(state.commitPulls),
    ...Object.keys(state.checkRuns),
  ])
  if (known.has(ref)) return ref
  if (!/^[0-9a-f]{7,39}$/i.test(ref)) return undefined
  const candidates = [...known].filter((sha) => sha.startsWith(ref.toLowerCase()))
  return candidates.length === 1 ? candidates[0] : undefined
}

// "List pull requests associated with a commit" gives the simple form, without merge details.
const DETAIL_ONLY = [
  'merged',
  'mergeable',
  'rebaseable',
  'mergeable_state',
  'merged_by',
  'comments',
  'review_comments',
  'maintainer_can_modify',
  'commits',
  'additions',
  'deletions',
  'changed_files',
]
function simplePull(pull: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(pull).filter(([key]) => !DETAIL_ONLY.includes(key)))
}

// ---------------------------------------------------------------------------------------------
// Pagination: per_page (default 30, at most perPageMax) and page (from 1), with a Link header
// of absolute URLs (prev, next, last, first), left out when everything fits on one page.

function paginate<T>(
  ctx: RouteContext,
  items: T[],
  wrap: (page: T[], total: number) => unknown = (page) => page,
): Reply {
  const perPage = clampInt(ctx.query.get('per_page'), 30, 1, ctx.perPageMax)
  const page = clampInt(ctx.query.get('page'), 1, 1, Number.MAX_SAFE_INTEGER)
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const slice = items.slice((page - 1) * perPage, page * perPage)
  const link = (n: number, rel: string) => {
    const query = new URLSearchParams(ctx.query)
    query.set('page', String(n))
    return `<${ctx.selfUrl}?${query.toString()}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page > 1) links.push(link(page - 1, 'prev'))
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
  if (page > 1) links.push(link(1, 'first'))
  return {
    status: 200,
    body: wrap(slice, items.length),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  }
}

// GitHub ignores a per_page or page it cannot read, and clamps per_page to its maximum.
function clampInt(raw: string | null, fallback: number, min: number, max: number): number {
  if (raw === null || !/^\d+$/.test(raw)) return fallback
  const n = Number(raw)
  return n < min ? fallback : Math.min(n, max)
}
