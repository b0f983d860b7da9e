import type { GithubApi } from '../github/client.js'
import { githubStatus } from '../github/status.js'
import type { RunContext } from './context.js'
import { isPlainObject, type JsonRecord } from './parse.js'

/** Version of the record shape that built-in collectors write; bump when a field changes meaning. */
export const SCHEMA_VERSION = 1

/** What every collector receives. */
export interface CollectorInput {
  run: RunContext
  /** When this collection started; every record carries it as `collectedAt`. */
  now: Date
  /** GitHub REST client, or undefined when no `github-token` was given. */
  github: GithubApi | undefined
  /** Absolute workspace path and the `artifacts` globs, for the artifacts collector. */
  workspace: string
  artifacts: readonly string[]
}

/** A built-in collector: one record per subject, each with a stable `id`. */
export type Collector = (input: CollectorInput) => JsonRecord[] | Promise<JsonRecord[]>

/** A collector could not gather its evidence; `collector-errors: warn` turns it into a warning. */
export class CollectorError extends Error {
  override name = 'CollectorError'
}

/** Adds the fields every collector record carries, so a Drata custom test can rely on them. */
export function stamp(
  collector: string,
  input: CollectorInput,
  record: JsonRecord & { id: string },
): JsonRecord {
  return {
    ...record,
    collector,
    schemaVersion: SCHEMA_VERSION,
    collectedAt: input.now.toISOString(),
  }
}

/** `<owner>/<repo>`, or throws when the runner did not say which repository this is. */
export function repoSlug(run: RunContext): string {
  if (!run.owner || !run.repo)
    throw new CollectorError(
      "needs GITHUB_REPOSITORY, which is not set (use 'collect: none' outside GitHub Actions)",
    )
  return `${run.owner}/${run.repo}`
}

/** The GitHub client, or an error saying how to provide it. */
export function needGithub(input: CollectorInput): GithubApi {
  if (!input.github) {
    throw new CollectorError(
      "needs the GitHub API, but 'github-token' is empty (its default is ${{ github.token }})",
    )
  }
  return input.github
}

/** The GitHub client and the `{ owner, repo }` that REST calls about this run's repository take. */
export interface GithubRepo {
  github: GithubApi
  repo: { owner: string; repo: string }
}

/** What a collector that reads this run's repository through the GitHub API starts from. */
export interface GithubRun extends GithubRepo {
  run: RunContext
  /** The event payload's object under the key asked for; undefined when it has none there. */
  payload: JsonRecord | undefined
  /**
   * `<owner>/<repo>` (see repoSlug). It throws when GITHUB_REPOSITORY is not set, so a collector
   * asks for it once it has something to record.
   */
  slug: () => string
}

/**
 * The GitHub client (or an error saying how to provide it), the REST `{ owner, repo }` of this
 * run's repository, the run, and the event payload's object under `eventKey` (e.g. `deployment`).
 */
export function githubRun(input: CollectorInput, eventKey?: string): GithubRun {
  const { run } = input
  const payload = eventKey === undefined ? undefined : run.event[eventKey]
  return {
    github: needGithub(input),
    repo: { owner: run.owner, repo: run.repo },
    run,
    payload: isPlainObject(payload) ? payload : undefined,
    slug: () => repoSlug(run),
  }
}

/** The runner variables behind the run fields that collectors about the run itself need. */
const RUNNER_VARIABLES = { sha: 'GITHUB_SHA', runId: 'GITHUB_RUN_ID' } as const

/**
 * What a collector about the run itself starts from: the run, its `<owner>/<repo>`, the REST
 * `{ owner, repo }`, and the GitHub client when a token was given (such a collector works
 * without one). Throws when GITHUB_REPOSITORY, or the variable behind `needs`, is not set.
 */
export function runNeeding(
  input: CollectorInput,
  needs: keyof typeof RUNNER_VARIABLES,
): { run: RunContext; slug: string; repo: GithubRepo['repo']; github: GithubApi | undefined } {
  const { run } = input
  const slug = repoSlug(run)
  if (!run[needs]) throw new CollectorError(`needs ${RUNNER_VARIABLES[needs]}, which is not set`)
  return { run, slug, repo: { owner: run.owner, repo: run.repo }, github: input.github }
}

/**
 * Runs one GitHub API read. A 403 or 404 becomes an error that names the `permissions:` entry
 * the workflow must grant, since that is nearly always the cause with GITHUB_TOKEN.
 */
export async function readGithub<T>(
  what: string,
  permission: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw githubReadError(error, what, permission)
  }
}

/** The CollectorError for a failed GitHub read: rate limit, missing permission, or other. */
export function githubReadError(error: unknown, what: string, permission: string): CollectorError {
  const status = githubStatus(error)
  const detail = (error as Error).message.split('\n')[0] ?? ''
  if (status === 429 || (status === 403 && /rate limit/i.test(detail))) {
    return new CollectorError(
      `could not read ${what}: GitHub kept rate limiting the token (${detail}). Re-run later.`,
      { cause: error },
    )
  }
  if (status === 403 || status === 404) {
    return new CollectorError(
      `could not read ${what} (${status}: ${detail}). Grant the token 'permissions: ${permission}' in the workflow (or the job), or set 'collector-errors: warn'.`,
      { cause: error },
    )
  }
  return new CollectorError(`could not read ${what} (${status || 'no response'}: ${detail})`, {
    cause: error,
  })
}

/** Like readGithub, but a 404 means "there is none" and gives undefined. */
export function readGithubIfFound<T>(
  what: string,
  permission: string,
  call: () => Promise<T>,
): Promise<T | undefined> {
  return readGithub(what, permission, () => undefinedOn([404], call))
}

/** Like readGithub, but a 403 or 404 means "not visible to this token" and gives undefined. */
export function readGithubIfVisible<T>(call: () => Promise<T>): Promise<T | undefined> {
  return undefinedOn([403, 404], call)
}

/** Runs one GitHub API read, giving undefined when GitHub answers with one of `statuses`. */
async function undefinedOn<T>(
  statuses: readonly number[],
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call()
  } catch (error) {
    if (statuses.includes(githubStatus(error))) return undefined
    throw error
  }
}

/** A GitHub user's login, or null when GitHub gives no user (a deleted account, an app). */
export function login(user: { login: string } | null | undefined): string | null {
  return user?.login ?? null
}
