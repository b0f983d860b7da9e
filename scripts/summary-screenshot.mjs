// Screenshots of sample job summaries as GitHub would show them (GFM, GitHub's Markdown CSS,
// a 1000 px column), one PNG per sample, taken with headless Chromium:
//   node scripts/summary-screenshot.mjs [output dir]   (default .ci/cache/summary-screenshots)
// Runs test/unit/summary-render.test.ts, which also checks nothing is wider than the column.
// Needs Chromium (Debian: apt-get install chromium; or set CHROMIUM=/path/to/chromium).
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = path.resolve(process.argv[2] ?? path.join(root, '.ci', 'cache', 'summary-screenshots'))
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs')
const run = spawnSync(
  process.execPath,
  [vitest, 'run', 'test/unit/summary-render.test.ts', '--silent=false'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, SUMMARY_SCREENSHOTS: out } },
)
process.exit(run.status ?? 1)
