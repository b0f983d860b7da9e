// Webhook payloads (what GITHUB_EVENT_PATH holds) for acme/shop, built from defaultState() so
// they agree with what the fake serves. test/fixtures/events/*.json are these, written by
// `node test/github-fake/write-fixtures.ts`; a unit test checks the files still match.
import { defaultState, FULL_NAME, IDS, OWNER, repositoryCore, SHA } from './state.ts'
import type { Commit, GithubState, PullRequest, SimpleUser } from './types.ts'

export const EVENT_NAMES = [
  'push',
  'pull_request',
  'release',
  'deployment',
  'deployment_status',
  'schedule',
  'workflow_dispatch',
] as const
export type EventName = (typeof EVENT_NAMES)[number]

export const WORKFLOW_PATH = '.github/workflows/evidence.yml'
const API = 'https://api.github.com'

/** The payload GitHub delivers for `name`, consistent with defaultState(). */
export function eventPayload(name: EventName): Record<string, unknown> {
  const state = defaultState()
  const builders: Record<EventName, (s: GithubState) => Record<string, unknown>> = {
    push,
    pull_request: pullRequest,
    release,
    deployment,
    deployment_status: deploymentStatus,
    schedule,
    workflow_dispatch: workflowDispatch,
  }
  return builders[name](state)
}

function organization(owner: SimpleUser) {
  const api = `${API}/orgs/${owner.login}`
  return {
    login: owner.login,
    id: owner.id,
    node_id: owner.node_id,
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: owner.avatar_url,
    description: 'Acme Corporation',
  }
}

// The repository as webhooks embed it (no permissions or security_and_analysis).
function hookRepository(s: GithubState) {
  return { ...repositoryCore(s.repo.owner), custom_properties: {} }
}

// Push payloads keep an older form: dates as Unix seconds, owner with name and email, and
// a few extra fields.
/**
 * How most webhook payloads end: the repository, its organization and, for events a person
 * triggered, the sender.
 */
function source(s: GithubState, sender?: SimpleUser | null) {
  const where = { repository: hookRepository(s), organization: organization(s.repo.owner) }
  return sender === undefined ? where : { ...where, sender }
}

function pushRepository(s: GithubState, pushedAt: string) {
  const repo = hookRepository(s)
  return {
    ...repo,
    owner: { name: OWNER, email: null, ...repo.owner },
    created_at: Math.floor(Date.parse(repo.created_at) / 1000),
    pushed_at: Math.floor(Date.parse(pushedAt) / 1000),
    updated_at: pushedAt,
    stargazers: 0,
    master_branch: repo.default_branch,
    organization: OWNER,
  }
}

function pushCommit(c: Commit, distinct: boolean) {
  const identity = (who: { name: string; email: string }, user: SimpleUser | null) => ({
    name: who.name,
    email: who.email,
    username: user?.login ?? '',
  })
  const named = (status: string) =>
    c.files.filter((f) => f.status === status).map((f) => f.filename)
  return {
    id: c.sha,
    tree_id: c.commit.tree.sha,
    distinct,
    message: c.commit.message,
    timestamp: c.commit.committer.date,
    url: c.html_url,
    author: identity(c.commit.author, c.author),
    committer: identity(c.commit.committer, c.committer),
    added: named('added'),
    removed: named('removed'),
    modified: named('modified'),
  }
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`defaultState() has no ${what}`)
  return value
}

function push(s: GithubState) {
  const pull = need(s.pulls[17], 'PR #17')
  const commit = (sha: string) => need(s.commits[sha], `commit ${sha}`)
  const pushedAt = '2026-11-03T09:30:03Z'
  const head = pushCommit(commit(SHA.main), true)
  return {
    ref: 'refs/heads/main',
    before: SHA.previousMain,
    after: SHA.main,
    repository: pushRepository(s, pushedAt),
    pusher: { name: 'hubot', email: 'hubot@acme.example' },
    organization: organization(s.repo.owner),
    sender: need(pull.merged_by ?? undefined, 'merger of PR #17'),
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/${FULL_NAME}/compare/${SHA.previousMain.slice(0, 12)}...${SHA.main.slice(0, 12)}`,
    // The merged branch's commits came along; only the merge commit is new to the repository.
    commits: [
      pushCommit(commit(SHA.pr17First), false),
      pushCommit(commit(SHA.pr17Head), false),
      head,
    ],
    head_commit: head,
  }
}

function pullRequest(s: GithubState) {
  const pull: PullRequest = need(s.pulls[18], 'PR #18')
  return {
    action: 'synchronize',
    number: pull.number,
    before: SHA.pr18Previous,
    after: SHA.pr18Head,
    // Right after a push GitHub has not recomputed mergeability yet.
    pull_request: { ...pull, mergeable: null, rebaseable: null, mergeable_state: 'unknown' },
    ...source(s, pull.user),
  }
}

function release(s: GithubState) {
  const rel = need(
    s.releases.find((r) => r.id === IDS.release),
    'release 5001',
  )
  return {
    action: 'published',
    release: rel,
    ...source(s, rel.author),
  }
}

function deployment(s: GithubState) {
  const dep = need(
    s.deployments.find((d) => d.id === IDS.deployment),
    'deployment 7001',
  )
  return {
    action: 'created',
    // Delivered at creation, before any status changed it.
    deployment: { ...dep, updated_at: dep.created_at },
    ...source(s, dep.creator),
  }
}

function deploymentStatus(s: GithubState) {
  const dep = need(
    s.deployments.find((d) => d.id === IDS.deployment),
    'deployment 7001',
  )
  const latest = need(s.deploymentStatuses[dep.id]?.[0], 'status of deployment 7001')
  return {
    action: 'created',
    deployment_status: latest,
    deployment: dep,
    ...source(s, latest.creator),
  }
}

function schedule(s: GithubState) {
  return {
    schedule: '0 6 * * 1',
    workflow: WORKFLOW_PATH,
    ...source(s),
  }
}

function workflowDispatch(s: GithubState) {
  return {
    inputs: {},
    ref: 'refs/heads/main',
    ...source(s, need(s.pulls[18], 'PR #18').user),
    workflow: WORKFLOW_PATH,
  }
}
