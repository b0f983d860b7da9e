import type { RunLookup } from '../push/orphans.js'
import type { Logger } from '../runtime.js'
import type { Settings } from '../settings.js'
import type { GithubApi } from './client.js'
import { loadGithubClient } from './load.js'
import { githubStatus } from './status.js'

/**
 * Asks GitHub whether a workflow run of this repository has finished (needs `actions: read`).
 * Undefined without a token or repository; the lookup answers undefined when GitHub cannot say
 * (a run of another repository, a missing permission), so such a session is left alone.
 */
export function finishedRunLookup(
  settings: Pick<Settings, 'githubToken' | 'githubApiUrl' | 'run'>,
  logger: Logger,
): RunLookup | undefined {
  const { owner, repo } = settings.run
  if (!settings.githubToken || !owner || !repo) return undefined
  let github: GithubApi | undefined
  return async (runId) => {
    github ??= await loadGithubClient(settings.githubToken, settings.githubApiUrl, logger)
    try {
      const { data } = await github.rest.actions.getWorkflowRun({
        owner,
        repo,
        run_id: Number(runId),
      })
      return data.status === 'completed'
    } catch (error) {
      logger.debug(
        `Could not tell whether GitHub run ${runId} has finished (${githubStatus(error) || (error as Error).message}); leaving its session alone`,
      )
      return undefined
    }
  }
}
