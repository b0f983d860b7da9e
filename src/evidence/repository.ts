import { githubStatus } from '../github/status.js'
import { type Collector, githubRun, readGithub, readGithubIfVisible, stamp } from './collector.js'

type Rule = { type: string; parameters?: Record<string, unknown> }

/**
 * The repository's protections at this moment: default branch, its rulesets and classic branch
 * protection combined, visibility, and security features when the token can read them. Fields
 * the token cannot see are null, never false: unknown is not the same as off.
 */
export const collectRepository: Collector = async (input) => {
  const { github, repo, slug } = githubRun(input)
  const { data } = await readGithub(`repository ${slug()}`, 'contents: read', () =>
    github.rest.repos.get(repo),
  )
  const branch = data.default_branch
  const rules = (await readGithub(`the rules of branch ${branch}`, 'contents: read', () =>
    github.paginate(github.rest.repos.getBranchRules, { ...repo, branch, per_page: 100 }),
  )) as Rule[]
  const classic = await classicProtection(input, branch)
  const rule = (type: string) => rules.find((r) => r.type === type)
  // Rules of one type from several rulesets all apply: the strictest of each setting wins.
  const reviewRules = rules.filter((r) => r.type === 'pull_request').map((r) => r.parameters ?? {})
  const anyReview = (key: string) => reviewRules.some((p) => Boolean(p[key]))
  const reviews = classic.data?.required_pull_request_reviews
  const checks = rules.flatMap((r) =>
    r.type === 'required_status_checks'
      ? (
          (r.parameters?.required_status_checks as Array<{ context: string }> | undefined) ?? []
        ).map((c) => c.context)
      : [],
  )
  // Rulesets are always readable; classic protection often is not. A setting neither turns on
  // is false only when classic protection was seen (present or absent), else unknown (null).
  const seen = classic.state !== 'not visible'
  const on = (value: boolean): boolean | null => (value ? true : seen ? false : null)
  const security = data.security_and_analysis
  const alerts = await readGithubIfVisible(() => github.rest.repos.checkVulnerabilityAlerts(repo))
  return [
    stamp('repository', input, {
      id: `repo:${slug()}`,
      repository: slug(),
      visibility: data.visibility ?? (data.private ? 'private' : 'public'),
      archived: data.archived,
      defaultBranch: branch,
      protection: {
        requiredReviews: on(Boolean(rule('pull_request') || reviews)),
        requiredApprovingReviewCount:
          maxOf(
            ...reviewRules.map((p) => p.required_approving_review_count),
            reviews?.required_approving_review_count,
          ) ?? (seen ? 0 : null),
        dismissStaleReviews: on(
          anyReview('dismiss_stale_reviews_on_push') || Boolean(reviews?.dismiss_stale_reviews),
        ),
        requireCodeOwnerReview: on(
          anyReview('require_code_owner_review') || Boolean(reviews?.require_code_owner_reviews),
        ),
        requiredChecks: [
          ...new Set([...checks, ...(classic.data?.required_status_checks?.contexts ?? [])]),
        ],
        // False when classic protection was not visible: the list may miss its checks.
        requiredChecksComplete: seen,
        signedCommitsRequired: on(
          Boolean(rule('required_signatures') || classic.data?.required_signatures?.enabled),
        ),
        forcePushBlocked: on(
          Boolean(
            rule('non_fast_forward') || (classic.data && !classic.data.allow_force_pushes?.enabled),
          ),
        ),
        deletionBlocked: on(
          Boolean(rule('deletion') || (classic.data && !classic.data.allow_deletions?.enabled)),
        ),
        // Rulesets' bypass lists are not readable here; classic protection says it outright.
        adminsEnforced: classic.data?.enforce_admins?.enabled ?? null,
      },
      rulesets: rules.map((r) => ({
        type: r.type,
        source: (r as { ruleset_source?: string }).ruleset_source ?? null,
        sourceType: (r as { ruleset_source_type?: string }).ruleset_source_type ?? null,
      })),
      classicProtection: classic.state,
      securityFeatures: {
        // Only admins see these; null means "not visible to this token".
        secretScanning: security?.secret_scanning?.status ?? null,
        secretScanningPushProtection: security?.secret_scanning_push_protection?.status ?? null,
        dependabotSecurityUpdates: security?.dependabot_security_updates?.status ?? null,
        dependabotAlerts: alerts ? true : null,
      },
    }),
  ]
}

/** Classic branch protection, which GITHUB_TOKEN usually cannot read (it needs admin rights). */
async function classicProtection(input: Parameters<Collector>[0], branch: string) {
  const { github, repo } = githubRun(input)
  try {
    const { data } = await github.rest.repos.getBranchProtection({
      ...repo,
      branch,
    })
    return { state: 'enabled' as const, data }
  } catch (error) {
    const status = githubStatus(error)
    if (status === 404 && /Branch not protected/i.test((error as Error).message))
      return { state: 'none' as const, data: undefined }
    if (status === 403 || status === 404) return { state: 'not visible' as const, data: undefined }
    throw error
  }
}

function maxOf(...values: unknown[]): number | null {
  const numbers = values.filter((v): v is number => typeof v === 'number')
  return numbers.length > 0 ? Math.max(...numbers) : null
}
