// Fails when the committed dist/ is not what `npm run build` makes from the current sources.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { build } from './build.mjs'

const fresh = mkdtempSync(path.join(tmpdir(), 'dist-check-'))
try {
  build(fresh)
  const files = (dir) => readdirSync(dir, { recursive: true }).map(String)
  const names = new Set([...files('dist'), ...files(fresh)])
  const stale = [...names].filter((name) => {
    try {
      return !readFileSync(path.join('dist', name)).equals(readFileSync(path.join(fresh, name)))
    } catch (error) {
      // A directory on both sides is compared through its files.
      return error.code !== 'EISDIR'
    }
  })
  if (stale.length > 0) {
    console.error(
      `dist/ is stale (${stale.join(', ')} differ from a fresh build). Run 'npm run build' and commit dist/.`,
    )
    process.exit(1)
  }
  console.log('dist/ matches a fresh build')
} finally {
  rmSync(fresh, { recursive: true, force: true })
}
