import {
  type Collector,
  githubRun,
  login,
  readGithub,
  readGithubIfFound,
  stamp,
} from './collector.js'

/**
 * The release this run belongs to: from a release event's payload, or found by tag when the
 * run is on a tag ref. Assets are listed with their sizes and digests.
 */
export const collectRelease: Collector = async (input) => {
  const { github, repo, run, payload: fromEvent, slug } = githubRun(input, 'release')
  const tag =
    typeof fromEvent?.tag_name === 'string'
      ? fromEvent.tag_name
      : run.ref.startsWith('refs/tags/')
        ? run.ref.slice('refs/tags/'.length)
        : undefined
  if (!tag) return [] // not a release run: nothing to record
  const found =
    typeof fromEvent?.id === 'number'
      ? await readGithub(`release ${tag}`, 'contents: read', () =>
          github.rest.repos.getRelease({ ...repo, release_id: fromEvent.id as number }),
        )
      : await readGithubIfFound(`release ${tag}`, 'contents: read', () =>
          github.rest.repos.getReleaseByTag({ ...repo, tag }),
        )
  const release = found?.data // by tag, GitHub answers 404 when the tag has no release
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
      id: `release:${slug()}@${release.tag_name}`,
      repository: slug(),
      tag: release.tag_name,
      name: release.name ?? null,
      url: release.html_url,
      author: login(release.author),
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
