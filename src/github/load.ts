import type { Logger } from '../runtime.js'
import type { GithubApi } from './client.js'

/**
 * Builds the GitHub client on first need. Octokit and its plugins are most of the bundle's
 * code, so they are imported only when a collector or a session recovery asks GitHub: a push of
 * record files never parses them, and the action starts faster (the bundle's chunk file).
 */
export async function loadGithubClient(
  token: string,
  apiUrl: string,
  logger: Logger,
): Promise<GithubApi> {
  const { githubClient } = await import('./client.js')
  return githubClient(token, apiUrl, logger)
}
