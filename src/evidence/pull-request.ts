import {
  type Collector,
  type GithubRepo,
  githubRun,
  type GithubRun,
  login,
  readGithub,
  readGithubIfVisible,
  stamp,
} from './collector.js'
import type { JsonRecord } from './parse.js'

/**
 * Pull requests behind this run: on a push, the PRs that brought the commit; on a
 * pull_request event, the PR itself. Each record says who reviewed and approved it (and whether
 * someone other than the author approved) and how the base branch's required checks ended.
 */
export const collectPullRequests: Collector = async (input) => {
  const start = githubRun(input, 'pull_request')
  const { github, repo, slug } = start
  const numbers = await prNumbers(start)
  const records: JsonRecord[] = []
  for (const number of numbers) {
    const { data: pr } = await readGithub(`pull request #${number}`, 'pull-requests: read', () =>
      github.rest.pulls.get({ ...repo, pull_number: number }),
    )
    const reviews = await readGithub(
      `the reviews of pull request #${number}`,
      'pull-requests: read',
      () =>
        github.paginate(github.rest.pulls.listReviews, {
          ...repo,
          pull_number: number,
          per_page: 100,
        }),
    )
    const required = await requiredChecks(start, pr.base.ref, pr.head.sha)
    const author = login(pr.user)
    const decisions = latestDecisions(reviews)
    const approvers = [...decisions]
      .filter(([, d]) => d.state === 'APPROVED')
      .map(([login]) => login)
    const changesRequested = [...decisions.values()].some((d) => d.state === 'CHANGES_REQUESTED')
    // An approval of an earlier commit does not cover what was pushed after it.
    const approvedOnHead = [...decisions].some(
      ([login, d]) => d.state === 'APPROVED' && d.commitId === pr.head.sha && login !== author,
    )
    records.push(
      stamp('pull-request', input, {
        id: `pr:${slug()}#${number}`,
        repository: slug(),
        number,
        title: pr.title,
        url: pr.html_url,
        state: pr.state,
        draft: pr.draft ?? false,
        author,
        createdAt: pr.created_at,
        merged: pr.merged,
        mergedAt: pr.merged_at,
        mergedBy: login(pr.merged_by),
        mergeCommitSha: pr.merge_commit_sha,
        base: { ref: pr.base.ref, sha: pr.base.sha },
        head: { ref: pr.head.ref, sha: pr.head.sha },
        reviews: reviews.map((r) => ({
          reviewer: login(r.user),
          state: r.state,
          submittedAt: r.submitted_at ?? null,
          commitId: r.commit_id,
        })),
        approvers,
        approved: approvers.length > 0 && !changesRequested,
        approvedByNonAuthor: !changesRequested && approvers.some((login) => login !== author),
        approvedByNonAuthorOnHead: !changesRequested && approvedOnHead,
        requiredChecks: required,
        requiredChecksPassed:
          required.length === 0 || required.some((c) => c.status === 'unknown')
            ? null
            : required.every((c) => c.conclusion === 'success'),
      }),
    )
  }
  return records
}

/** The pull request a pull_request event is about, or else the merged PRs that brought the commit. */
async function prNumbers({ github, repo, run, payload: pr }: GithubRun): Promise<number[]> {
  if (typeof pr?.number === 'number') return [pr.number]
  const prs = await readGithub(
    `the pull requests of commit ${run.sha}`,
    'pull-requests: read',
    () =>
      github.paginate(github.rest.repos.listPullRequestsAssociatedWithCommit, {
        ...repo,
        commit_sha: run.sha,
        per_page: 100,
      }),
  )
  // On a push, only PRs merged into the pushed branch brought the commit (a fast-forward of
  // the same commit to another branch did not); open PRs merely contain it.
  const branch = run.ref.startsWith('refs/heads/') ? run.ref.slice('refs/heads/'.length) : undefined
  const intoBranch = prs.filter((p) => p.merged_at && (!branch || p.base.ref === branch))
  const asThisCommit = intoBranch.filter((p) => p.merge_commit_sha === run.sha)
  return (asThisCommit.length > 0 ? asThisCommit : intoBranch).map((p) => p.number)
}

/** Each reviewer's latest decisive review (comments neither approve nor block). */
function latestDecisions(
  reviews: ReadonlyArray<{
    user?: { login: string } | null
    state: string
    commit_id?: string | null
  }>,
): Map<string, { state: string; commitId: string | null }> {
  const decisions = new Map<string, { state: string; commitId: string | null }>()
  for (const review of reviews) {
    const login = review.user?.login
    if (!login || review.state === 'COMMENTED' || review.state === 'PENDING') continue
    // The API lists reviews oldest first, so the last one seen decides.
    decisions.set(login, { state: review.state, commitId: review.commit_id ?? null })
  }
  return decisions
}

/** The base branch's required status checks (from its rulesets) and how each ended on the head. */
async function requiredChecks({ github, repo }: GithubRepo, branch: string, headSha: string) {
  const rules = await readGithub(`the rules of branch ${branch}`, 'contents: read', () =>
    github.paginate(github.rest.repos.getBranchRules, { ...repo, branch, per_page: 100 }),
  )
  const names = rules.flatMap((rule) =>
    rule.type === 'required_status_checks' && rule.parameters
      ? rule.parameters.required_status_checks.map((c) => c.context)
      : [],
  )
  if (names.length === 0) return []
  const runs = await readGithub(`the check runs of ${headSha}`, 'checks: read', () =>
    github.paginate(github.rest.checks.listForRef, { ...repo, ref: headSha, per_page: 100 }),
  )
  // Some CI systems report through commit statuses instead of check runs.
  const combined = await readGithubIfVisible(() =>
    github.rest.repos.getCombinedStatusForRef({ ...repo, ref: headSha, per_page: 100 }),
  )
  return [...new Set(names)].map((name) => {
    // Newest run of that name decides (re-runs replace earlier results).
    const run = runs
      .filter((r) => r.name === name)
      .sort((a, b) => String(b.started_at).localeCompare(String(a.started_at)))[0]
    if (run) return { name, status: run.status, conclusion: run.conclusion ?? null }
    const status = combined?.data.statuses.find((s) => s.context === name)
    if (status) {
      const done = status.state !== 'pending'
      return {
        name,
        status: done ? 'completed' : 'pending',
        conclusion: done ? status.state : null,
      }
    }
    // Not found: missing if statuses were readable, otherwise unknown.
    return { name, status: combined ? 'missing' : 'unknown', conclusion: null }
  })
}
