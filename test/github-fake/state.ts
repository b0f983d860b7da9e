// defaultState(): one coherent repository, acme/shop, as GitHub's REST API would describe it
// in November 2026. The story: PR #17 (mona) got changes requested by hubot, was fixed,
// approved by hubot and merged by him as a1b2c3…; CI passed; v1.4.0 was released from that
// commit; run 9001 deployed it to production after hubot's approval (deployment 7001). PR #18
// (mona) is open, and its latest push (b2c3…) was only commented on by mona herself.
import { createHash } from 'node:crypto'
import type {
  BranchProtection,
  BranchRule,
  CheckRun,
  Commit,
  Deployment,
  DeploymentStatus,
  EnvironmentApproval,
  GithubApp,
  GithubState,
  PullRequest,
  Release,
  ReleaseAsset,
  Repository,
  Review,
  SimpleUser,
} from './types.ts'

export const OWNER = 'acme'
export const REPO = 'shop'
export const FULL_NAME = `${OWNER}/${REPO}`
const API = 'https://api.github.com'
const WEB = 'https://github.com'
const REPO_API = `${API}/repos/${FULL_NAME}`
const REPO_WEB = `${WEB}/${FULL_NAME}`

/** Every commit of the default state, by role. */
export const SHA = {
  /** main before PR #17 was merged (`before` of the push). */
  previousMain: '4c6d25384bf2199fcca58d328ca9055a4a677969',
  /** PR #17's first commit, on which hubot requested changes. */
  pr17First: 'fa15ad0432ea60ac339d98ad568f1751b9e36c7b',
  /** PR #17's head, approved by hubot. */
  pr17Head: '3955fcf0fab9bbe24928e8cde3d12d115ac68d32',
  /** Head of main: PR #17's merge commit, released as v1.4.0 and deployed (signed, verified). */
  main: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  /** PR #18's head before its latest push (`before` of the synchronize event). */
  pr18Previous: '4459ebbef6710fecd96c746579061811f4d44e99',
  /** PR #18's head. */
  pr18Head: 'b2c3d4e5f60718293a4b5c6d7e8f901234567890',
  /** GitHub's test merge of PR #18 into main (GITHUB_SHA of its pull_request runs). */
  pr18Merge: 'c3d4e5f60718293a4b5c6d7e8f90123456789012',
} as const

/** Ids of the default state's objects, so tests need not repeat them. */
export const IDS = {
  org: 81234567,
  repo: 734512890,
  mona: 2101001,
  hubot: 2101002,
  pr17: 1987650017,
  pr18: 1987650018,
  release: 5001,
  assets: [5101, 5102],
  deployment: 7001,
  deploymentStatuses: [7100003, 7100002, 7100001],
  /** The push run that waited for hubot's approval of production and created deployment 7001. */
  deployRun: 9001,
  /** CI runs that made the check runs: PR #17 head, main, PR #18 head. */
  ciRuns: { pr17Head: 8990, main: 9000, pr18Head: 9010 },
  productionEnvironment: 3302001,
  ruleset: 412345,
  orgRuleset: 98765,
} as const

const GITHUB_ACTIONS_APP_ID = 15368

function nodeId(prefix: string, id: number | string): string {
  return `${prefix}_kwDO${Buffer.from(`acme:${id}`).toString('base64url')}`
}

/** A user, bot or organization the way GitHub embeds it ("simple user"). */
export function makeUser(login: string, id: number, type: SimpleUser['type'] = 'User'): SimpleUser {
  const api = `${API}/users/${encodeURIComponent(login)}`
  const prefix = type === 'Bot' ? 'BOT' : type === 'Organization' ? 'O' : 'U'
  return {
    login,
    id,
    node_id: nodeId(prefix, id).replace('_kwDO', '_kgDO'),
    avatar_url: `https://avatars.githubusercontent.com/${type === 'Bot' ? 'in' : 'u'}/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: type === 'Bot' ? `${WEB}/apps/${login.replace(/\[bot\]$/, '')}` : `${WEB}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  }
}

const users = () => ({
  acme: makeUser(OWNER, IDS.org, 'Organization'),
  mona: makeUser('mona', IDS.mona),
  hubot: makeUser('hubot', IDS.hubot),
  actions: makeUser('github-actions[bot]', 41898282, 'Bot'),
  webFlow: makeUser('web-flow', 19864447),
})
type Users = ReturnType<typeof users>

function githubActionsApp(): GithubApp {
  return {
    id: GITHUB_ACTIONS_APP_ID,
    slug: 'github-actions',
    node_id: 'MDM6QXBwMTUzNjg=',
    owner: makeUser('github', 9919, 'Organization'),
    name: 'GitHub Actions',
    description: 'Automate your workflow from idea to production',
    external_url: 'https://help.github.com/en/actions',
    html_url: `${WEB}/apps/github-actions`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2024-04-10T20:33:16Z',
    permissions: { actions: 'write', checks: 'write', contents: 'write', deployments: 'write' },
    events: ['check_run', 'check_suite', 'deployment', 'pull_request', 'push', 'release'],
  }
}

/** The fields a repository has wherever GitHub embeds it (pull requests, webhooks). */
export function repositoryCore(owner: SimpleUser): Repository {
  const templates: Array<[string, string]> = [
    ['forks_url', '/forks'],
    ['keys_url', '/keys{/key_id}'],
    ['collaborators_url', '/collaborators{/collaborator}'],
    ['teams_url', '/teams'],
    ['hooks_url', '/hooks'],
    ['issue_events_url', '/issues/events{/number}'],
    ['events_url', '/events'],
    ['assignees_url', '/assignees{/user}'],
    ['branches_url', '/branches{/branch}'],
    ['tags_url', '/tags'],
    ['blobs_url', '/git/blobs{/sha}'],
    ['git_tags_url', '/git/tags{/sha}'],
    ['git_refs_url', '/git/refs{/sha}'],
    ['trees_url', '/git/trees{/sha}'],
    ['statuses_url', '/statuses/{sha}'],
    ['languages_url', '/languages'],
    ['stargazers_url', '/stargazers'],
    ['contributors_url', '/contributors'],
    ['subscribers_url', '/subscribers'],
    ['subscription_url', '/subscription'],
    ['commits_url', '/commits{/sha}'],
    ['git_commits_url', '/git/commits{/sha}'],
    ['comments_url', '/comments{/number}'],
    ['issue_comment_url', '/issues/comments{/number}'],
    ['contents_url', '/contents/{+path}'],
    ['compare_url', '/compare/{base}...{head}'],
    ['merges_url', '/merges'],
    ['archive_url', '/{archive_format}{/ref}'],
    ['downloads_url', '/downloads'],
    ['issues_url', '/issues{/number}'],
    ['pulls_url', '/pulls{/number}'],
    ['milestones_url', '/milestones{/number}'],
    ['notifications_url', '/notifications{?since,all,participating}'],
    ['labels_url', '/labels{/name}'],
    ['releases_url', '/releases{/id}'],
    ['deployments_url', '/deployments'],
  ]
  return {
    id: IDS.repo,
    node_id: nodeId('R', IDS.repo).replace('_kwDO', '_kgDO'),
    name: REPO,
    full_name: FULL_NAME,
    private: true,
    owner,
    html_url: REPO_WEB,
    description: 'Storefront and checkout service',
    fork: false,
    url: REPO_API,
    ...Object.fromEntries(templates.map(([key, suffix]) => [key, `${REPO_API}${suffix}`])),
    created_at: '2025-02-03T11:24:52Z',
    updated_at: '2026-11-05T08:41:03Z',
    pushed_at: '2026-11-05T08:41:02Z',
    git_url: `git://github.com/${FULL_NAME}.git`,
    ssh_url: `git@github.com:${FULL_NAME}.git`,
    clone_url: `${REPO_WEB}.git`,
    svn_url: REPO_WEB,
    homepage: 'https://shop.acme.example',
    size: 18432,
    stargazers_count: 0,
    watchers_count: 0,
    language: 'TypeScript',
    has_issues: true,
    has_projects: false,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: 4,
    license: null,
    allow_forking: false,
    is_template: false,
    web_commit_signoff_required: false,
    topics: ['checkout', 'ecommerce'],
    visibility: 'private',
    forks: 0,
    open_issues: 4,
    watchers: 0,
    default_branch: 'main',
  }
}

function repository(u: Users): Repository {
  return {
    ...repositoryCore(u.acme),
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: false,
    allow_auto_merge: false,
    delete_branch_on_merge: true,
    allow_update_branch: true,
    use_squash_pr_title_as_default: false,
    squash_merge_commit_message: 'COMMIT_MESSAGES',
    squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
    merge_commit_message: 'PR_TITLE',
    merge_commit_title: 'MERGE_MESSAGE',
    custom_properties: {},
    organization: u.acme,
    security_and_analysis: {
      secret_scanning: { status: 'enabled' },
      secret_scanning_push_protection: { status: 'enabled' },
      dependabot_security_updates: { status: 'enabled' },
      secret_scanning_non_provider_patterns: { status: 'disabled' },
      secret_scanning_validity_checks: { status: 'disabled' },
    },
    network_count: 0,
    subscribers_count: 3,
  }
}

interface Identity {
  user: SimpleUser | null
  name: string
  email: string
  date: string
}

interface CommitSpec {
  sha: string
  tree: string
  parents: string[]
  author: Identity
  committer: Identity
  message: string
  /** How it is signed: mona signs with SSH, GitHub (web-flow) with its PGP key. */
  signature: 'ssh' | 'pgp' | null
  files: Array<
    [filename: string, status: 'added' | 'modified', additions: number, deletions: number]
  >
}

const unixSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000)

// The signed object GitHub reports as `verification.payload`: the commit without its gpgsig.
function signedPayload(c: CommitSpec): string {
  const line = (role: string, who: Identity) =>
    `${role} ${who.name} <${who.email}> ${unixSeconds(who.date)} +0000\n`
  return (
    `tree ${c.tree}\n` +
    c.parents.map((p) => `parent ${p}\n`).join('') +
    line('author', c.author) +
    line('committer', c.committer) +
    `\n${c.message}\n`
  )
}

// Not a real signature: stable bytes derived from the payload, armored the way git stores them.
function fakeSignature(kind: 'ssh' | 'pgp', payload: string): string {
  const bytes = Buffer.concat([
    createHash('sha512').update(`${kind}:${payload}`).digest(),
    createHash('sha512').update(`${payload}:${kind}`).digest(),
  ]).toString('base64')
  const width = kind === 'ssh' ? 70 : 64
  const lines = bytes.match(new RegExp(`.{1,${width}}`, 'g')) ?? []
  if (kind === 'ssh') {
    return `-----BEGIN SSH SIGNATURE-----\n${lines.join('\n')}\n-----END SSH SIGNATURE-----\n`
  }
  const crc = createHash('sha1').update(payload).digest('base64').slice(0, 4)
  return `-----BEGIN PGP SIGNATURE-----\n\n${lines.join('\n')}\n=${crc}\n-----END PGP SIGNATURE-----\n`
}

function commit(c: CommitSpec): Commit {
  const payload = signedPayload(c)
  const files = c.files.map(([filename, status, additions, deletions]) => {
    const blob = createHash('sha1').update(`${c.sha}:${filename}`).digest('hex')
    return {
      sha: blob,
      filename,
      status,
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `${REPO_WEB}/blob/${c.sha}/${filename}`,
      raw_url: `${REPO_WEB}/raw/${c.sha}/${filename}`,
      contents_url: `${REPO_API}/contents/${filename}?ref=${c.sha}`,
    }
  })
  const additions = files.reduce((sum, f) => sum + f.additions, 0)
  const deletions = files.reduce((sum, f) => sum + f.deletions, 0)
  const gitActor = ({ name, email, date }: Identity) => ({ name, email, date })
  return {
    sha: c.sha,
    node_id: nodeId('C', c.sha.slice(0, 12)),
    commit: {
      author: gitActor(c.author),
      committer: gitActor(c.committer),
      message: c.message,
      tree: { sha: c.tree, url: `${REPO_API}/git/trees/${c.tree}` },
      url: `${REPO_API}/git/commits/${c.sha}`,
      comment_count: 0,
      verification: c.signature
        ? {
            verified: true,
            reason: 'valid',
            signature: fakeSignature(c.signature, payload),
            payload,
            verified_at: c.committer.date,
          }
        : {
            verified: false,
            reason: 'unsigned',
            signature: null,
            payload: null,
            verified_at: null,
          },
    },
    url: `${REPO_API}/commits/${c.sha}`,
    html_url: `${REPO_WEB}/commit/${c.sha}`,
    comments_url: `${REPO_API}/commits/${c.sha}/comments`,
    author: c.author.user,
    committer: c.committer.user,
    parents: c.parents.map((sha) => ({
      sha,
      url: `${REPO_API}/commits/${sha}`,
      html_url: `${REPO_WEB}/commit/${sha}`,
    })),
    stats: { total: additions + deletions, additions, deletions },
    files,
  }
}

function commits(u: Users): Record<string, Commit> {
  const mona = (date: string): Identity => ({
    user: u.mona,
    name: 'Mona Lisa',
    email: 'mona@acme.example',
    date,
  })
  const hubot = (date: string): Identity => ({
    user: u.hubot,
    name: 'Hubot',
    email: 'hubot@acme.example',
    date,
  })
  const github = (date: string): Identity => ({
    user: u.webFlow,
    name: 'GitHub',
    email: 'noreply@github.com',
    date,
  })
  const list = [
    commit({
      sha: SHA.previousMain,
      tree: '08dc6980c8b91cffa8fda41f943707fc7be9bf80',
      parents: ['2f0c4a9e81d6b3c57e1a0f9d8c7b6a5948372615'],
      author: hubot('2026-11-01T16:42:10Z'),
      committer: github('2026-11-01T16:42:10Z'),
      message: 'Update lockfile (#16)',
      signature: 'pgp',
      files: [['package-lock.json', 'modified', 61, 58]],
    }),
    commit({
      sha: SHA.pr17First,
      tree: '4d2352ed1f32aed04133e60f8d6db4f6371824c0',
      parents: [SHA.previousMain],
      author: mona('2026-11-02T08:05:31Z'),
      committer: mona('2026-11-02T08:05:31Z'),
      message: 'Retry payment capture on gateway timeouts',
      signature: 'ssh',
      files: [
        ['src/checkout/capture.ts', 'modified', 31, 6],
        ['test/checkout/capture.test.ts', 'modified', 12, 1],
      ],
    }),
    commit({
      sha: SHA.pr17Head,
      tree: '3517f6b59d11f78763b93b88d7b84ca68e4c6494',
      parents: [SHA.pr17First],
      author: mona('2026-11-02T13:19:48Z'),
      committer: mona('2026-11-02T13:19:48Z'),
      message: 'Cap capture retries at three attempts',
      signature: 'ssh',
      files: [
        ['src/checkout/capture.ts', 'modified', 4, 2],
        ['src/checkout/backoff.ts', 'added', 14, 0],
      ],
    }),
    commit({
      sha: SHA.main,
      tree: 'fe3f8da7fa2a382b1047a93ab3aa64fb3b41d96c',
      parents: [SHA.previousMain, SHA.pr17Head],
      author: hubot('2026-11-03T09:30:02Z'),
      committer: github('2026-11-03T09:30:02Z'),
      message:
        'Merge pull request #17 from acme/feature/checkout-retry\n\nRetry payment capture on gateway timeouts',
      signature: 'pgp',
      files: [
        ['src/checkout/capture.ts', 'modified', 35, 8],
        ['src/checkout/backoff.ts', 'added', 14, 0],
        ['test/checkout/capture.test.ts', 'modified', 12, 1],
      ],
    }),
    commit({
      sha: SHA.pr18Previous,
      tree: '90faa25d52d1564b5351c076db15411cf1fa5b5c',
      parents: [SHA.main],
      author: mona('2026-11-04T13:58:00Z'),
      committer: mona('2026-11-04T13:58:00Z'),
      message: 'Round cart totals half to even',
      signature: 'ssh',
      files: [['src/cart/total.ts', 'modified', 9, 3]],
    }),
    commit({
      sha: SHA.pr18Head,
      tree: '18489f29e59c1deb5600ed6131f714af2168a221',
      parents: [SHA.pr18Previous],
      author: mona('2026-11-05T08:40:51Z'),
      committer: mona('2026-11-05T08:40:51Z'),
      message: 'Cover rounding of discounted lines',
      signature: 'ssh',
      files: [['test/cart/total.test.ts', 'modified', 22, 0]],
    }),
    commit({
      sha: SHA.pr18Merge,
      tree: '67c2f2f200b9772973fbd57eeb920fceb63d9ad4',
      parents: [SHA.main, SHA.pr18Head],
      author: mona('2026-11-05T08:41:05Z'),
      committer: github('2026-11-05T08:41:05Z'),
      message: `Merge ${SHA.pr18Head} into ${SHA.main}`,
      signature: 'pgp',
      files: [
        ['src/cart/total.ts', 'modified', 9, 3],
        ['test/cart/total.test.ts', 'modified', 22, 0],
      ],
    }),
  ]
  return Object.fromEntries(list.map((c) => [c.sha, c]))
}

interface PullSpec {
  number: number
  id: number
  title: string
  body: string
  user: SimpleUser
  headRef: string
  headSha: string
  baseSha: string
  createdAt: string
  updatedAt: string
  merged: { at: string; by: SimpleUser; sha: string } | null
  /** For an open pull request: its test merge commit. */
  testMergeSha?: string
  commits: number
  additions: number
  deletions: number
  changedFiles: number
  reviewComments: number
}

function pull(p: PullSpec, u: Users): PullRequest {
  const api = `${REPO_API}/pulls/${p.number}`
  const web = `${REPO_WEB}/pull/${p.number}`
  const issue = `${REPO_API}/issues/${p.number}`
  const repo = repositoryCore(u.acme)
  return {
    url: api,
    id: p.id,
    node_id: nodeId('PR', p.id),
    html_url: web,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    issue_url: issue,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${REPO_API}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${REPO_API}/statuses/${p.headSha}`,
    number: p.number,
    state: p.merged ? 'closed' : 'open',
    locked: false,
    title: p.title,
    user: p.user,
    body: p.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.merged?.at ?? null,
    merged_at: p.merged?.at ?? null,
    merge_commit_sha: p.merged?.sha ?? p.testMergeSha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${OWNER}:${p.headRef}`,
      ref: p.headRef,
      sha: p.headSha,
      user: u.acme,
      repo,
    },
    base: { label: `${OWNER}:main`, ref: 'main', sha: p.baseSha, user: u.acme, repo },
    _links: {
      self: { href: api },
      html: { href: web },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: `${REPO_API}/pulls/comments{/number}` },
      commits: { href: `${api}/commits` },
      statuses: { href: `${REPO_API}/statuses/${p.headSha}` },
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: false,
    merged: p.merged !== null,
    mergeable: p.merged ? null : true,
    rebaseable: p.merged ? null : true,
    mergeable_state: p.merged ? 'unknown' : 'blocked',
    merged_by: p.merged?.by ?? null,
    comments: 0,
    review_comments: p.reviewComments,
    maintainer_can_modify: false,
    commits: p.commits,
    additions: p.additions,
    deletions: p.deletions,
    changed_files: p.changedFiles,
  }
}

function review(
  pr: number,
  id: number,
  user: SimpleUser,
  state: Review['state'],
  body: string,
  commitId: string,
  submittedAt: string,
): Review {
  const html = `${REPO_WEB}/pull/${pr}#pullrequestreview-${id}`
  const pullUrl = `${REPO_API}/pulls/${pr}`
  return {
    id,
    node_id: nodeId('PRR', id),
    user,
    body,
    state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    submitted_at: submittedAt,
    commit_id: commitId,
    author_association: 'MEMBER',
  }
}

// Three jobs of one CI run, started together, each with its own check suite entry.
function checkRuns(
  headSha: string,
  runId: number,
  firstId: number,
  startedAt: string,
  pullRequest: PullRequest | null,
): CheckRun[] {
  const start = Date.parse(startedAt)
  const at = (seconds: number) => new Date(start + seconds * 1000).toISOString().replace('.000', '')
  const prRef = pullRequest && {
    url: pullRequest.url,
    id: pullRequest.id,
    number: pullRequest.number,
    head: {
      ref: pullRequest.head.ref,
      sha: pullRequest.head.sha,
      repo: { id: IDS.repo, url: REPO_API, name: REPO },
    },
    base: {
      ref: pullRequest.base.ref,
      sha: pullRequest.base.sha,
      repo: { id: IDS.repo, url: REPO_API, name: REPO },
    },
  }
  const jobs: Array<[name: string, seconds: number]> = [
    ['build', 94],
    ['test', 187],
    ['lint', 41],
  ]
  return jobs.map(([name, seconds], i) => {
    const id = firstId + i
    const html = `${REPO_WEB}/actions/runs/${runId}/job/${id}`
    return {
      id,
      head_sha: headSha,
      node_id: nodeId('CR', id),
      external_id: createHash('sha1').update(`${runId}:${name}`).digest('hex').slice(0, 32),
      url: `${REPO_API}/check-runs/${id}`,
      html_url: html,
      details_url: html,
      status: 'completed',
      conclusion: 'success',
      started_at: at(i * 2),
      completed_at: at(i * 2 + seconds),
      output: {
        title: null,
        summary: null,
        text: null,
        annotations_count: 0,
        annotations_url: `${REPO_API}/check-runs/${id}/annotations`,
      },
      name,
      check_suite: { id: runId * 10 + 1 },
      app: githubActionsApp(),
      pull_requests: prRef ? [prRef] : [],
    }
  })
}

function branchRules(): BranchRule[] {
  const repoSource = {
    ruleset_source_type: 'Repository',
    ruleset_source: FULL_NAME,
    ruleset_id: IDS.ruleset,
  } as const
  const orgSource = {
    ruleset_source_type: 'Organization',
    ruleset_source: OWNER,
    ruleset_id: IDS.orgRuleset,
  } as const
  return [
    { type: 'deletion', ...repoSource },
    { type: 'non_fast_forward', ...repoSource },
    {
      type: 'pull_request',
      parameters: {
        required_approving_review_count: 1,
        dismiss_stale_reviews_on_push: true,
        require_code_owner_review: false,
        require_last_push_approval: false,
        required_review_thread_resolution: false,
        allowed_merge_methods: ['merge', 'squash'],
      },
      ...repoSource,
    },
    {
      type: 'required_status_checks',
      parameters: {
        required_status_checks: [
          { context: 'build', integration_id: GITHUB_ACTIONS_APP_ID },
          { context: 'test', integration_id: GITHUB_ACTIONS_APP_ID },
        ],
        strict_required_status_checks_policy: true,
        do_not_enforce_on_create: false,
      },
      ...repoSource,
    },
    { type: 'required_signatures', ...orgSource },
  ]
}

function branchProtection(branch: string): BranchProtection {
  const url = `${REPO_API}/branches/${branch}/protection`
  return {
    url,
    required_status_checks: {
      url: `${url}/required_status_checks`,
      strict: true,
      contexts: ['build', 'test'],
      contexts_url: `${url}/required_status_checks/contexts`,
      checks: [
        { context: 'build', app_id: GITHUB_ACTIONS_APP_ID },
        { context: 'test', app_id: GITHUB_ACTIONS_APP_ID },
      ],
    },
    required_pull_request_reviews: {
      url: `${url}/required_pull_request_reviews`,
      dismiss_stale_reviews: true,
      require_code_owner_reviews: false,
      required_approving_review_count: 1,
      require_last_push_approval: false,
    },
    required_signatures: { url: `${url}/required_signatures`, enabled: true },
    enforce_admins: { url: `${url}/enforce_admins`, enabled: true },
    required_linear_history: { enabled: false },
    allow_force_pushes: { enabled: false },
    allow_deletions: { enabled: false },
    block_creations: { enabled: false },
    required_conversation_resolution: { enabled: false },
    lock_branch: { enabled: false },
    allow_fork_syncing: { enabled: false },
  }
}

function release(u: Users): Release {
  const id = IDS.release
  const tag = 'v1.4.0'
  const asset = (
    assetId: number,
    name: string,
    contentType: string,
    size: number,
    sha256: string,
    createdAt: string,
  ): ReleaseAsset => ({
    url: `${REPO_API}/releases/assets/${assetId}`,
    browser_download_url: `${REPO_WEB}/releases/download/${tag}/${name}`,
    id: assetId,
    node_id: nodeId('RA', assetId),
    name,
    label: '',
    state: 'uploaded',
    content_type: contentType,
    size,
    digest: `sha256:${sha256}`,
    download_count: 3,
    created_at: createdAt,
    updated_at: createdAt,
    uploader: u.actions,
  })
  return {
    url: `${REPO_API}/releases/${id}`,
    html_url: `${REPO_WEB}/releases/tag/${tag}`,
    assets_url: `${REPO_API}/releases/${id}/assets`,
    upload_url: `https://uploads.github.com/repos/${FULL_NAME}/releases/${id}/assets{?name,label}`,
    tarball_url: `${REPO_API}/tarball/${tag}`,
    zipball_url: `${REPO_API}/zipball/${tag}`,
    id,
    node_id: nodeId('RE', id),
    tag_name: tag,
    target_commitish: SHA.main,
    name: 'v1.4.0',
    body: "## What's Changed\n* Retry payment capture on gateway timeouts by @mona in https://github.com/acme/shop/pull/17",
    draft: false,
    prerelease: false,
    immutable: false,
    // GitHub gives a release the date of its commit as created_at.
    created_at: '2026-11-03T09:30:02Z',
    updated_at: '2026-11-03T10:05:44Z',
    published_at: '2026-11-03T10:05:44Z',
    author: u.hubot,
    assets: [
      asset(
        IDS.assets[0],
        'shop-1.4.0-linux-x64.tar.gz',
        'application/gzip',
        18234567,
        'f489036ef7d5c91e4c8589528aa25a1e93b5c25358d2f9cbb32022ec7a0ed2c1',
        '2026-11-03T10:04:12Z',
      ),
      asset(
        IDS.assets[1],
        'shop-1.4.0.spdx.json',
        'application/json',
        48213,
        '7a13ec1e13ddfbc1a4774da187a3233baad8829598613ca621e91cdd7d1a321d',
        '2026-11-03T10:04:20Z',
      ),
    ],
  }
}

function deployment(u: Users): Deployment {
  const id = IDS.deployment
  return {
    url: `${REPO_API}/deployments/${id}`,
    id,
    node_id: nodeId('DE', id),
    task: 'deploy',
    original_environment: 'production',
    environment: 'production',
    description: null,
    created_at: '2026-11-03T10:12:00Z',
    updated_at: '2026-11-03T10:16:45Z',
    statuses_url: `${REPO_API}/deployments/${id}/statuses`,
    repository_url: REPO_API,
    creator: u.actions,
    sha: SHA.main,
    ref: 'main',
    payload: {},
    transient_environment: false,
    production_environment: true,
    performed_via_github_app: githubActionsApp(),
  }
}

function deploymentStatuses(u: Users): DeploymentStatus[] {
  const log = `${REPO_WEB}/actions/runs/${IDS.deployRun}/job/31009101`
  const status = (
    id: number,
    state: DeploymentStatus['state'],
    createdAt: string,
  ): DeploymentStatus => ({
    url: `${REPO_API}/deployments/${IDS.deployment}/statuses/${id}`,
    id,
    node_id: nodeId('DES', id),
    state,
    creator: u.actions,
    description: '',
    environment: 'production',
    target_url: log,
    created_at: createdAt,
    updated_at: createdAt,
    deployment_url: `${REPO_API}/deployments/${IDS.deployment}`,
    repository_url: REPO_API,
    environment_url: state === 'success' ? 'https://shop.acme.example' : '',
    log_url: log,
    performed_via_github_app: githubActionsApp(),
  })
  const [success, inProgress, queued] = IDS.deploymentStatuses
  return [
    status(success, 'success', '2026-11-03T10:16:45Z'),
    status(inProgress, 'in_progress', '2026-11-03T10:12:09Z'),
    status(queued, 'queued', '2026-11-03T10:12:01Z'),
  ]
}

function runApprovals(u: Users): EnvironmentApproval[] {
  const id = IDS.productionEnvironment
  return [
    {
      environments: [
        {
          id,
          node_id: nodeId('EN', id),
          name: 'production',
          url: `${REPO_API}/environments/production`,
          html_url: `${REPO_WEB}/deployments/activity_log?environments_filter=production`,
          created_at: '2025-02-10T15:03:27Z',
          updated_at: '2025-09-14T12:40:02Z',
        },
      ],
      state: 'approved',
      user: u.hubot,
      comment: 'Ship 1.4.0',
    },
  ]
}

/** A fresh copy of the acme/shop state (nothing is shared between calls). */
export function defaultState(): GithubState {
  const u = users()
  const pr17 = pull(
    {
      number: 17,
      id: IDS.pr17,
      title: 'Retry payment capture on gateway timeouts',
      body: 'Gateway timeouts left orders unpaid. Capture is now retried, at most three times.',
      user: u.mona,
      headRef: 'feature/checkout-retry',
      headSha: SHA.pr17Head,
      baseSha: SHA.previousMain,
      createdAt: '2026-11-02T08:14:05Z',
      updatedAt: '2026-11-03T09:30:03Z',
      merged: { at: '2026-11-03T09:30:02Z', by: u.hubot, sha: SHA.main },
      commits: 2,
      additions: 61,
      deletions: 9,
      changedFiles: 3,
      reviewComments: 1,
    },
    u,
  )
  const pr18 = pull(
    {
      number: 18,
      id: IDS.pr18,
      title: 'Round cart totals half to even',
      body: 'Totals of discounted lines were off by a cent. Rounds half to even, like the ledger.',
      user: u.mona,
      headRef: 'fix/cart-rounding',
      headSha: SHA.pr18Head,
      baseSha: SHA.main,
      createdAt: '2026-11-04T14:02:19Z',
      updatedAt: '2026-11-05T08:50:13Z',
      merged: null,
      testMergeSha: SHA.pr18Merge,
      commits: 2,
      additions: 31,
      deletions: 3,
      changedFiles: 2,
      reviewComments: 0,
    },
    u,
  )
  return {
    repo: repository(u),
    commits: commits(u),
    commitPulls: {
      [SHA.pr17First]: [17],
      [SHA.pr17Head]: [17],
      [SHA.main]: [17],
      [SHA.pr18Previous]: [18],
      [SHA.pr18Head]: [18],
    },
    pulls: { 17: pr17, 18: pr18 },
    reviews: {
      17: [
        review(
          17,
          2450001,
          u.hubot,
          'CHANGES_REQUESTED',
          'Please cap the retries: an unbounded loop could capture twice.',
          SHA.pr17First,
          '2026-11-02T10:03:11Z',
        ),
        review(
          17,
          2450002,
          u.mona,
          'COMMENTED',
          'Capped at three attempts with jittered backoff.',
          SHA.pr17Head,
          '2026-11-02T13:25:40Z',
        ),
        review(17, 2450003, u.hubot, 'APPROVED', '', SHA.pr17Head, '2026-11-03T09:12:27Z'),
      ],
      18: [
        review(
          18,
          2450004,
          u.mona,
          'COMMENTED',
          'Added a test for discounted lines; ready for review.',
          SHA.pr18Head,
          '2026-11-05T08:50:13Z',
        ),
      ],
    },
    checkRuns: {
      [SHA.pr17Head]: checkRuns(
        SHA.pr17Head,
        IDS.ciRuns.pr17Head,
        31008990,
        '2026-11-02T13:20:05Z',
        pr17,
      ),
      [SHA.main]: checkRuns(SHA.main, IDS.ciRuns.main, 31009000, '2026-11-03T09:30:15Z', null),
      [SHA.pr18Head]: checkRuns(
        SHA.pr18Head,
        IDS.ciRuns.pr18Head,
        31009010,
        '2026-11-05T08:41:20Z',
        pr18,
      ),
    },
    branchRules: { main: branchRules() },
    branchProtection: { main: branchProtection('main') },
    releases: [release(u)],
    deployments: [deployment(u)],
    deploymentStatuses: { [IDS.deployment]: deploymentStatuses(u) },
    runApprovals: { [IDS.deployRun]: runApprovals(u) },
    workflowRuns: {},
    vulnerabilityAlerts: true,
  }
}
