// Builds the two committed bundles: dist/main (runs.main) and dist/post (runs.post), each one
// file with its licenses. `node scripts/build.mjs <dir>` builds into another directory (the
// stale-dist check compares such a fresh build with dist/).
import { execFileSync } from 'node:child_process'
import path from 'node:path'

/** Entry file and output folder of each step. */
export const ENTRIES = [
  ['src/index.ts', 'main'],
  ['src/post-index.ts', 'post'],
]

export function build(outDir) {
  for (const [entry, name] of ENTRIES) {
    execFileSync(
      process.execPath,
      [
        'node_modules/@vercel/ncc/dist/ncc/cli.js',
        'build',
        entry,
        '-o',
        path.join(outDir, name),
        '--license',
        'licenses.txt',
        '--quiet',
      ],
      { stdio: 'inherit' },
    )
  }
}

if (import.meta.url === `file://${process.argv[1]}`) build(process.argv[2] ?? 'dist')
