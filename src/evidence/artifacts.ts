import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { type Collector, repoSlug, stamp } from './collector.js'
import { matchWorkspaceFiles } from './workspace-glob.js'

/** One record per built file matched by the `artifacts` globs: path, size and SHA-256. */
export const collectArtifacts: Collector = async (input) => {
  if (input.artifacts.length === 0) return []
  const slug = repoSlug(input.run)
  const files = await matchWorkspaceFiles(input.artifacts, input.workspace, 'artifacts')
  const records = []
  for (const { relative, real } of files) {
    const hash = createHash('sha256')
    await pipeline(createReadStream(real), hash)
    records.push(
      stamp('artifacts', input, {
        id: `artifact:${slug}@${input.run.sha}:${relative}`,
        repository: slug,
        sha: input.run.sha,
        path: relative,
        size: (await stat(real)).size,
        sha256: hash.digest('hex'),
      }),
    )
  }
  return records
}
