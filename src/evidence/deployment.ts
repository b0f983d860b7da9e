import {
  type Collector,
  githubRun,
  login,
  readGithub,
  readGithubIfVisible,
  stamp,
} from './collector.js'

/**
 * The deployment this run belongs to (deployment and deployment_status events): environment,
 * URL, creator, commit, its status history, and the approvals of protected environments when
 * the token can see them.
 */
export const collectDeployment: Collector = async (input) => {
  const { github, repo, payload: deployment, slug } = githubRun(input, 'deployment')
  if (typeof deployment?.id !== 'number') return [] // not a deployment run: nothing to record
  const id = deployment.id
  const { data } = await readGithub(`deployment ${id}`, 'deployments: read', () =>
    github.rest.repos.getDeployment({ ...repo, deployment_id: id }),
  )
  const statuses = await readGithub(`the statuses of deployment ${id}`, 'deployments: read', () =>
    github.paginate(github.rest.repos.listDeploymentStatuses, {
      ...repo,
      deployment_id: id,
      per_page: 100,
    }),
  )
  // Environment approvals belong to the workflow run that deployed, which the statuses' log
  // URLs name; this run (a deployment event) is usually another one, so without such a link
  // they are unknown (null). They need 'actions: read' and are extra evidence, so a token
  // without it records null too. Only approvals of this deployment's environment count.
  const deployRun = deployingRun(statuses)
  const approvals = deployRun
    ? await readGithubIfVisible(() =>
        github.rest.actions.getReviewsForRun({ ...repo, run_id: Number(deployRun) }),
      )
    : undefined
  const forEnvironment = approvals?.data.filter((a) =>
    a.environments.some((e) => e.name === data.environment),
  )
  const history = [...statuses].reverse() // the API lists newest first
  const latest = statuses[0]
  return [
    stamp('deployment', input, {
      id: `deployment:${slug()}/${id}`,
      repository: slug(),
      deploymentId: id,
      environment: data.environment,
      url: latest?.environment_url || null,
      creator: login(data.creator),
      sha: data.sha,
      ref: data.ref,
      task: data.task,
      production: data.production_environment ?? null,
      createdAt: data.created_at,
      state: latest?.state ?? null,
      statuses: history.map((s) => ({
        state: s.state,
        createdAt: s.created_at,
        creator: login(s.creator),
        description: s.description || null,
        environmentUrl: s.environment_url || null,
        logUrl: s.log_url || null,
      })),
      deployRunId: deployRun ? Number(deployRun) : null,
      approvals:
        forEnvironment?.map((a) => ({
          environments: a.environments.map((e) => e.name ?? null),
          state: a.state,
          user: a.user.login,
          comment: a.comment || null,
        })) ?? null,
    }),
  ]
}

/** The workflow run id in a deployment status's log or target URL (…/actions/runs/<id>/…). */
function deployingRun(
  statuses: ReadonlyArray<{ log_url?: string; target_url?: string }>,
): string | undefined {
  for (const status of statuses) {
    const match = /\/actions\/runs\/(\d+)/.exec(status.log_url || status.target_url || '')
    if (match) return match[1]
  }
  return undefined
}
