import { githubStatus } from '../github/status.js'
import {
  type Collector,
  githubReadError,
  githubRepo,
  readGithub,
  repoSlug,
  stamp,
} from './collector.js'
import { isPlainObject } from './parse.js'

/**
 * The release this run belongs to: from a release event's payload, or found by tag when the
 * run is on a tag ref. Assets are listed with their sizes and digests.
 */
export const collectRelease: Collector = async (input) => {
  const { github, repo } = githubRepo(input)
  const { run } = input
  const fromEvent = isPlainObject(run.event.release) ? run.event.release : undefined
  const tag =
    typeof fromEvent?.tag_name === 'string'
      ? fromEvent.tag_name
      : run.ref.startsWith('refs/tags/')
        ? run.ref.slice('refs/tags/'.length)
        : undefined
  if (!tag) return [] // not a release run: nothing to record
  const release =
    typeof fromEvent?.id === 'number'
      ? (
          await readGithub(`release ${tag}`, 'contents: read', () =>
            github.rest.repos.getRelease({ ...repo, release_id: fromEvent.id as number }),
          )
        ).data
      : await releaseOfTag(input, tag)
  if (!release) return [] // a tag pushed without a release: nothing to record
  const assets = await readGithub(`the assets of release ${tag}`, 'contents: read', () =>
    github.paginate(github.rest.repos.listReleaseAssets, {
      ...repo,
      release_id: release.id,
      per_page: 100,
    }),
  )
  return [
    stamp('release', input, {
      id: `release:${repoSlug(run)}@${release.tag_name}`,
      repository: repoSlug(run),
      tag: release.tag_name,
      name: release.name ?? null,
      url: release.html_url,
      author: release.author?.login ?? null,
      draft: release.draft,
      prerelease: release.prerelease,
      createdAt: release.created_at,
      publishedAt: release.published_at ?? null,
      targetCommitish: release.target_commitish,
      sha: run.sha,
      assets: assets.map((a) => ({
        name: a.name,
        size: a.size,
        contentType: a.content_type,
        // GitHub computes a sha256 digest for assets uploaded since mid-2025; older ones have none.
        digest: (a as { digest?: string | null }).digest ?? null,
        url: a.browser_download_url,
      })),
    }),
  ]
}

/** The release of a tag, or undefined when the tag has none (GitHub answers 404). */
async function releaseOfTag(input: Parameters<Collector>[0], tag: string) {
  const { github, repo } = githubRepo(input)
  try {
    const { data } = await github.rest.repos.getReleaseByTag({
      ...repo,
      tag,
    })
    return data
  } catch (error) {
    if (githubStatus(error) === 404) return undefined
    throw githubReadError(error, `release ${tag}`, 'contents: read')
  }
}
