import { getOctokit } from '@actions/github'
import { throttling } from '@octokit/plugin-throttling'
import type { Logger } from '../runtime.js'

// Loaded with a dynamic import only (see load.ts): anything imported statically here ends up
// in the action's start-up code.

/** The Octokit instance collectors use: REST methods, pagination, rate-limit handling. */
export type GithubApi = ReturnType<typeof getOctokit>

/** Retries after GitHub's primary and secondary rate limits before giving up. */
const RATE_LIMIT_RETRIES = 3

/**
 * Builds the GitHub client: `apiUrl` honours GITHUB_API_URL (GitHub Enterprise Server), and the
 * throttling plugin waits out primary and secondary rate limits (it reads Retry-After and the
 * reset time) instead of failing the collector.
 */
export function githubClient(token: string, apiUrl: string, logger: Logger): GithubApi {
  const retry =
    (kind: string) =>
    (
      retryAfter: number,
      options: { method: string; url: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      if (retryCount >= RATE_LIMIT_RETRIES) return false
      logger.info(
        `GitHub ${kind} rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s`,
      )
      return true
    }
  return getOctokit(
    token,
    {
      baseUrl: apiUrl,
      throttle: { onRateLimit: retry('primary'), onSecondaryRateLimit: retry('secondary') },
    },
    throttling,
  )
}

// Where tests and older callers look for it; modules of the bundle's first chunk import it from
// status.ts, so that importing it does not load Octokit.
export { githubStatus } from './status.js'
