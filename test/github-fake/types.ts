// Shapes of the GitHub REST API v3 objects the fake serves. Field names and types follow
// GitHub's REST documentation; each object also accepts extra fields so a test can add what
// a collector reads without changing these types.

/** A user, bot or organization as GitHub embeds it in other objects ("simple user"). */
export interface SimpleUser {
  login: string
  id: number
  node_id: string
  avatar_url: string
  gravatar_id: string
  url: string
  html_url: string
  followers_url: string
  following_url: string
  gists_url: string
  starred_url: string
  subscriptions_url: string
  organizations_url: string
  repos_url: string
  events_url: string
  received_events_url: string
  type: 'User' | 'Bot' | 'Organization'
  user_view_type: 'public' | 'private'
  site_admin: boolean
  [extra: string]: unknown
}

/** A repository as GET /repos/{owner}/{repo} returns it (and, without some fields, embedded). */
export interface Repository {
  id: number
  node_id: string
  name: string
  full_name: string
  private: boolean
  owner: SimpleUser
  html_url: string
  description: string | null
  fork: boolean
  url: string
  created_at: string
  updated_at: string
  pushed_at: string
  default_branch: string
  visibility: 'public' | 'private' | 'internal'
  archived: boolean
  disabled: boolean
  /** Present for callers with admin rights (or a token that can read it). */
  security_and_analysis?: Record<string, { status: 'enabled' | 'disabled' }>
  [extra: string]: unknown
}

/** GitHub's verdict on a commit signature (`commit.verification`). */
export interface Verification {
  verified: boolean
  /** `valid`, `unsigned`, `unknown_key`, `bad_email`, `expired_key`, … */
  reason: string
  signature: string | null
  payload: string | null
  verified_at: string | null
}

/** Git identity and date of an author or committer inside `commit`. */
export interface GitActor {
  name: string
  email: string
  date: string
}

/** A commit as GET /repos/{owner}/{repo}/commits/{ref} returns it. */
export interface Commit {
  sha: string
  node_id: string
  commit: {
    author: GitActor
    committer: GitActor
    message: string
    tree: { sha: string; url: string }
    url: string
    comment_count: number
    verification: Verification
  }
  url: string
  html_url: string
  comments_url: string
  author: SimpleUser | null
  committer: SimpleUser | null
  parents: Array<{ sha: string; url: string; html_url: string }>
  stats: { total: number; additions: number; deletions: number }
  files: Array<{
    sha: string
    filename: string
    status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged'
    additions: number
    deletions: number
    changes: number
    blob_url: string
    raw_url: string
    contents_url: string
    patch?: string
  }>
  [extra: string]: unknown
}

/** `base` or `head` of a pull request. */
export interface PullRequestRef {
  label: string
  ref: string
  sha: string
  user: SimpleUser
  repo: Repository
}

/** A pull request as GET /repos/{owner}/{repo}/pulls/{pull_number} returns it. */
export interface PullRequest {
  url: string
  id: number
  node_id: string
  html_url: string
  diff_url: string
  patch_url: string
  issue_url: string
  commits_url: string
  review_comments_url: string
  review_comment_url: string
  comments_url: string
  statuses_url: string
  number: number
  state: 'open' | 'closed'
  locked: boolean
  title: string
  user: SimpleUser
  body: string | null
  labels: Array<Record<string, unknown>>
  milestone: Record<string, unknown> | null
  active_lock_reason: string | null
  created_at: string
  updated_at: string
  closed_at: string | null
  merged_at: string | null
  merge_commit_sha: string | null
  assignee: SimpleUser | null
  assignees: SimpleUser[]
  requested_reviewers: SimpleUser[]
  requested_teams: Array<Record<string, unknown>>
  head: PullRequestRef
  base: PullRequestRef
  _links: Record<string, { href: string }>
  author_association: string
  auto_merge: Record<string, unknown> | null
  draft: boolean
  merged: boolean
  mergeable: boolean | null
  rebaseable: boolean | null
  mergeable_state: string
  merged_by: SimpleUser | null
  comments: number
  review_comments: number
  maintainer_can_modify: boolean
  commits: number
  additions: number
  deletions: number
  changed_files: number
  [extra: string]: unknown
}

/** A pull request review as GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews lists it. */
export interface Review {
  id: number
  node_id: string
  user: SimpleUser
  body: string
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING'
  html_url: string
  pull_request_url: string
  _links: { html: { href: string }; pull_request: { href: string } }
  submitted_at: string
  commit_id: string
  author_association: string
  [extra: string]: unknown
}

/** A GitHub App as embedded in check runs and deployments. */
export interface GithubApp {
  id: number
  slug: string
  node_id: string
  owner: SimpleUser
  name: string
  description: string
  external_url: string
  html_url: string
  created_at: string
  updated_at: string
  permissions: Record<string, string>
  events: string[]
  [extra: string]: unknown
}

/** A check run as GET /repos/{owner}/{repo}/commits/{ref}/check-runs lists it. */
export interface CheckRun {
  id: number
  head_sha: string
  node_id: string
  external_id: string
  url: string
  html_url: string
  details_url: string
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending'
  conclusion:
    | 'success'
    | 'failure'
    | 'neutral'
    | 'cancelled'
    | 'skipped'
    | 'timed_out'
    | 'action_required'
    | 'stale'
    | null
  started_at: string | null
  completed_at: string | null
  output: {
    title: string | null
    summary: string | null
    text: string | null
    annotations_count: number
    annotations_url: string
  }
  name: string
  check_suite: { id: number } | null
  app: GithubApp
  pull_requests: Array<Record<string, unknown>>
  [extra: string]: unknown
}

/** Where an active rule comes from (fields every rule of "Get rules for a branch" carries). */
interface RuleSource {
  ruleset_source_type: 'Repository' | 'Organization' | 'Enterprise'
  ruleset_source: string
  ruleset_id: number
}

/** One active rule as GET /repos/{owner}/{repo}/rules/branches/{branch} returns it. */
export type BranchRule = RuleSource &
  (
    | {
        type: 'pull_request'
        parameters: {
          required_approving_review_count: number
          dismiss_stale_reviews_on_push: boolean
          require_code_owner_review: boolean
          require_last_push_approval: boolean
          required_review_thread_resolution: boolean
          allowed_merge_methods?: Array<'merge' | 'squash' | 'rebase'>
          [extra: string]: unknown
        }
      }
    | {
        type: 'required_status_checks'
        parameters: {
          required_status_checks: Array<{ context: string; integration_id?: number }>
          strict_required_status_checks_policy: boolean
          do_not_enforce_on_create?: boolean
        }
      }
    | {
        type:
          | 'required_signatures'
          | 'non_fast_forward'
          | 'deletion'
          | 'creation'
          | 'required_linear_history'
          | 'update'
      }
  )

/** Classic branch protection as GET /repos/{owner}/{repo}/branches/{branch}/protection returns it. */
export interface BranchProtection {
  url: string
  required_status_checks?: {
    url: string
    strict: boolean
    contexts: string[]
    contexts_url: string
    checks: Array<{ context: string; app_id: number | null }>
  }
  required_pull_request_reviews?: {
    url: string
    dismiss_stale_reviews: boolean
    require_code_owner_reviews: boolean
    required_approving_review_count: number
    require_last_push_approval: boolean
    [extra: string]: unknown
  }
  required_signatures?: { url: string; enabled: boolean }
  enforce_admins?: { url: string; enabled: boolean }
  required_linear_history?: { enabled: boolean }
  allow_force_pushes?: { enabled: boolean }
  allow_deletions?: { enabled: boolean }
  block_creations?: { enabled: boolean }
  required_conversation_resolution?: { enabled: boolean }
  lock_branch?: { enabled: boolean }
  allow_fork_syncing?: { enabled: boolean }
  [extra: string]: unknown
}

/** A release asset as GET /repos/{owner}/{repo}/releases/{release_id}/assets lists it. */
export interface ReleaseAsset {
  url: string
  browser_download_url: string
  id: number
  node_id: string
  name: string
  label: string | null
  state: 'uploaded' | 'open'
  content_type: string
  size: number
  /** `sha256:<64 hex>`, computed by GitHub when the asset was uploaded. */
  digest: string | null
  download_count: number
  created_at: string
  updated_at: string
  uploader: SimpleUser | null
  [extra: string]: unknown
}

/** A release as GET /repos/{owner}/{repo}/releases/{release_id} returns it. */
export interface Release {
  url: string
  html_url: string
  assets_url: string
  upload_url: string
  tarball_url: string | null
  zipball_url: string | null
  id: number
  node_id: string
  tag_name: string
  target_commitish: string
  name: string | null
  body: string | null
  draft: boolean
  prerelease: boolean
  immutable?: boolean
  created_at: string
  published_at: string | null
  updated_at?: string | null
  author: SimpleUser
  assets: ReleaseAsset[]
  [extra: string]: unknown
}

/** A deployment as GET /repos/{owner}/{repo}/deployments/{deployment_id} returns it. */
export interface Deployment {
  url: string
  id: number
  node_id: string
  sha: string
  ref: string
  task: string
  payload: Record<string, unknown> | string
  original_environment: string
  environment: string
  description: string | null
  creator: SimpleUser | null
  created_at: string
  updated_at: string
  statuses_url: string
  repository_url: string
  transient_environment: boolean
  production_environment: boolean
  performed_via_github_app?: GithubApp | null
  [extra: string]: unknown
}

/** A deployment status as GET …/deployments/{deployment_id}/statuses lists it. */
export interface DeploymentStatus {
  url: string
  id: number
  node_id: string
  state: 'error' | 'failure' | 'inactive' | 'pending' | 'success' | 'queued' | 'in_progress'
  creator: SimpleUser | null
  description: string
  environment: string
  target_url: string
  created_at: string
  updated_at: string
  deployment_url: string
  repository_url: string
  environment_url: string
  log_url: string
  performed_via_github_app?: GithubApp | null
  [extra: string]: unknown
}

/** One entry of GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals. */
export interface EnvironmentApproval {
  environments: Array<{
    id: number
    node_id: string
    name: string
    url: string
    html_url: string
    created_at: string
    updated_at: string
  }>
  state: 'approved' | 'rejected' | 'pending'
  user: SimpleUser
  comment: string
}

/**
 * Everything the fake serves, for the one repository `repo` describes (requests for any other
 * owner/repo answer 404). Tests may edit it between requests: every answer is built from the
 * state as it is when the request arrives.
 */
export interface GithubState {
  /** GET /repos/{owner}/{repo}; its `owner.login` and `name` decide which repository exists. */
  repo: Repository
  /** GET /commits/{sha}, by full sha (a unique prefix of 7+ characters also finds it). */
  commits: Record<string, Commit>
  /** GET /commits/{sha}/pulls: the numbers of the pull requests (in `pulls`) a commit belongs to. */
  commitPulls: Record<string, number[]>
  /** GET /pulls/{number}, by number. */
  pulls: Record<number, PullRequest>
  /** GET /pulls/{number}/reviews, in the order GitHub lists them (oldest first). */
  reviews: Record<number, Review[]>
  /** GET /commits/{sha}/check-runs, by head sha. */
  checkRuns: Record<string, CheckRun[]>
  /** GET /rules/branches/{branch}: the active rules; a branch without an entry has none ([]). */
  branchRules: Record<string, BranchRule[]>
  /** GET /branches/{branch}/protection; a branch without an entry answers 404 "Branch not protected". */
  branchProtection: Record<string, BranchProtection>
  /** GET /releases/{id}, /releases/tags/{tag} (published only) and /releases/{id}/assets. */
  releases: Release[]
  /** GET /deployments/{id}. */
  deployments: Deployment[]
  /** GET /deployments/{id}/statuses, by deployment id, newest first (as GitHub lists them). */
  deploymentStatuses: Record<number, DeploymentStatus[]>
  /** GET /actions/runs/{run_id}/approvals, by run id; an unknown run answers 404. */
  runApprovals: Record<number, EnvironmentApproval[]>
  /** GET /actions/runs/{run_id}: the run's status; an unknown run answers 404. */
  workflowRuns: Record<
    number,
    { status: 'queued' | 'in_progress' | 'completed'; conclusion: string | null }
  >
  /** GET /vulnerability-alerts: true → 204, anything else → 404. */
  vulnerabilityAlerts: boolean | undefined
}
