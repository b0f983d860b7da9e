import { type Collector, repoSlug, stamp } from './collector.js'
import { isPlainObject, type JsonRecord } from './parse.js'

/** The commit this run built: from the push payload when present, else from the environment. */
export const collectCommit: Collector = (input) => {
  const { run } = input
  const slug = repoSlug(run)
  if (!run.sha) throw new Error('GITHUB_SHA is not set; the commit collector needs it')
  const head = findHeadCommit(run.event, run.sha)
  const message = typeof head?.message === 'string' ? head.message : undefined
  return [
    stamp('commit', input, {
      id: `commit:${slug}@${run.sha}`,
      repository: slug,
      sha: run.sha,
      ref: run.ref,
      url: `${run.serverUrl}/${slug}/commit/${run.sha}`,
      messageTitle: message?.split('\n')[0] ?? null,
      author: person(head?.author),
      committer: person(head?.committer),
      timestamp: typeof head?.timestamp === 'string' ? head.timestamp : null,
      // Signature verification needs the GitHub API; the collectors issue adds it.
      verified: null,
    }),
  ]
}

function findHeadCommit(event: JsonRecord, sha: string): JsonRecord | undefined {
  if (isPlainObject(event.head_commit) && event.head_commit.id === sha) return event.head_commit
  if (Array.isArray(event.commits)) {
    return event.commits.find((c): c is JsonRecord => isPlainObject(c) && c.id === sha)
  }
  return undefined
}

function person(value: unknown): JsonRecord | null {
  if (!isPlainObject(value)) return null
  return {
    name: typeof value.name === 'string' ? value.name : null,
    email: typeof value.email === 'string' ? value.email : null,
    username: typeof value.username === 'string' ? value.username : null,
  }
}
