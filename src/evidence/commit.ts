import { type Collector, type GithubRepo, readGithub, runNeeding, stamp } from './collector.js'
import { isPlainObject, type JsonRecord } from './parse.js'

/**
 * The commit this run built: sha, ref, message title, author and committer, and whether its
 * signature verified. The push payload gives most of it; the API adds verification and fills
 * in for events without a payload commit.
 */
export const collectCommit: Collector = async (input) => {
  const { run, slug, repo, github } = runNeeding(input, 'sha')
  const head = findHeadCommit(run.event, run.sha)
  // The API is optional here: when it cannot be read, the payload still says what was built
  // and verification stays unknown, with the reason.
  let apiError: string | null = null
  const api = github
    ? await fromApi({ github, repo }, run.sha).catch((error: unknown) => {
        apiError = (error as Error).message
        return undefined
      })
    : undefined
  const message = api?.message ?? (typeof head?.message === 'string' ? head.message : undefined)
  return [
    stamp('commit', input, {
      id: `commit:${slug}@${run.sha}`,
      repository: slug,
      sha: run.sha,
      ref: run.ref,
      url: `${run.serverUrl}/${slug}/commit/${run.sha}`,
      messageTitle: message?.split('\n')[0] ?? null,
      author: api?.author ?? person(head?.author, head?.timestamp),
      committer: api?.committer ?? person(head?.committer, head?.timestamp),
      timestamp:
        api?.committer?.date ?? (typeof head?.timestamp === 'string' ? head.timestamp : null),
      // null when the API was not asked (no github-token): unknown, not unverified.
      verified: api?.verified ?? null,
      verificationReason: api?.reason ?? apiError,
    }),
  ]
}

async function fromApi({ github, repo }: GithubRepo, sha: string) {
  const { data } = await readGithub(`commit ${sha}`, 'contents: read', () =>
    github.rest.repos.getCommit({ ...repo, ref: sha }),
  )
  const who = (
    p: { name?: string; email?: string; date?: string } | null | undefined,
    login?: string,
  ) =>
    p
      ? { name: p.name ?? null, email: p.email ?? null, login: login ?? null, date: p.date ?? null }
      : null
  return {
    message: data.commit.message,
    author: who(data.commit.author, data.author?.login),
    committer: who(data.commit.committer, data.committer?.login),
    verified: data.commit.verification?.verified ?? null,
    reason: data.commit.verification?.reason ?? null,
  }
}

function findHeadCommit(event: JsonRecord, sha: string): JsonRecord | undefined {
  if (isPlainObject(event.head_commit) && event.head_commit.id === sha) return event.head_commit
  if (Array.isArray(event.commits)) {
    return event.commits.find((c): c is JsonRecord => isPlainObject(c) && c.id === sha)
  }
  return undefined
}

function person(value: unknown, date: unknown): JsonRecord | null {
  if (!isPlainObject(value)) return null
  return {
    name: typeof value.name === 'string' ? value.name : null,
    email: typeof value.email === 'string' ? value.email : null,
    login: typeof value.username === 'string' ? value.username : null,
    date: typeof date === 'string' ? date : null,
  }
}
