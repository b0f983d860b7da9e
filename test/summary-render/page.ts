// Renders job summaries (buildSummary) the way GitHub shows them: GitHub-flavoured Markdown
// to HTML, styled with GitHub's Markdown CSS, in a column 1000 px wide; then measures the page
// in headless Chromium. Used by test/unit/summary-render.test.ts and
// scripts/summary-screenshot.ts. Chromium is optional: findChromium() says when it is absent.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { marked } from 'marked'
import { recordSetOf } from '../../src/evidence/record-set.js'
import { emptyOutcome } from '../../src/push/outcome.js'
import type { RunReport } from '../../src/report/report.js'
import { buildSummary } from '../../src/report/summary.js'

/** Width of the column the summary is shown in, in CSS pixels. */
export const PAGE_WIDTH = 1000

const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

/** The Chromium binary (CHROMIUM, or a usual path), or undefined when none is installed. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM, ...CHROMIUM_PATHS].filter((p): p is string =>
    Boolean(p),
  )
  return candidates.find((p) => existsSync(p))
}

const LONG_ID = `commit:acme/${'very-long-repository-name-'.repeat(3)}shop@a1b2c3d4e5f60718293a4b5c6d7e8f9012345678`
const LONG_MESSAGE =
  'Schema validation failed for data: [{"/protection/requiredApprovingReviewCount":"must be integer"},{"/securityFeatures/secretScanning":"must be string"}] https://public-api.drata.com/public/v2/custom-connections/12/resources/34/records?sessionId=gh-9001-1'

function records(n: number) {
  return recordSetOf(
    Array.from({ length: n }, (_, i) => ({
      id: i === 0 ? LONG_ID : `control-${i}`,
      source: i % 2 ? 'collector:commit' : 'records-file: evidence/controls.json',
      data: { id: i === 0 ? LONG_ID : `control-${i}`, note: 'x'.repeat(300), url: LONG_MESSAGE },
    })),
  )
}

/** Summaries with the longest content each section can hold: failures, ids, errors, preview. */
export function sampleSummaries(): Record<string, string> {
  const base = (mode: 'append' | 'replace', dryRun: boolean): RunReport => ({
    outcome: emptyOutcome(mode, dryRun),
    followUp: {},
    records: records(12),
    collectors: [
      { name: 'commit', reason: 'auto: push', records: 1 },
      {
        name: 'pull-request',
        reason: 'auto: push',
        records: 0,
        warning:
          "could not read the pull requests of commit a1b2c3d4e5f60718293a4b5c6d7e8f9012345678 (403: Resource not accessible by integration). Grant the token 'permissions: pull-requests: read' in the workflow (or the job), or set 'collector-errors: warn'.",
      },
    ],
    requests: 9,
    retries: 1,
    durationMs: 4_321,
  })
  const failed = base('replace', false)
  failed.outcome = {
    ...failed.outcome,
    sessionId: 'gh-9001-1',
    sessionStatus: 'CANCELED',
    failed: 60,
    batches: 2,
    failures: Array.from({ length: 60 }, (_, i) => ({
      id: i === 0 ? LONG_ID : `control-${i}`,
      status: 400,
      message: LONG_MESSAGE,
    })),
    error: `Drata rejected 60 of 12 records in session gh-9001-1, so it was cancelled and Drata's active data is unchanged. The first: ${LONG_ID}: ${LONG_MESSAGE}\n\nFix the records (see the table below) and run again.`,
  }
  failed.followUp = {
    error: `Asset: Drata answered 404 for POST https://public-api.drata.com/public/v2/assets: ${LONG_MESSAGE}`,
  }
  const removed = base('replace', false)
  removed.outcome = {
    ...removed.outcome,
    sessionId: 'gh-9001-1',
    sessionStatus: 'ACTIVE',
    pushed: 12,
    removed: 80,
    batches: 1,
    removedIds: Array.from({ length: 80 }, (_, i) => (i % 10 ? `old-control-${i}` : LONG_ID)),
  }
  const dryRun = base('append', true)
  dryRun.outcome = { ...dryRun.outcome, removed: 0 }
  const invalid = base('append', false)
  invalid.invalid = true
  invalid.outcome = {
    ...invalid.outcome,
    error: `Invalid input:\n  - records-file: ${'evidence/'.repeat(20)}*.json matched no file inside GITHUB_WORKSPACE\n  - connection-id: '12x' is not a positive integer`,
  }
  const keep = (s: string) => s
  return Object.fromEntries(
    Object.entries({ failed, removed, dryRun, invalid }).map(([name, report]) => [
      name,
      buildSummary(report, keep),
    ]),
  )
}

/** A complete HTML page showing `markdown` as GitHub's job summary does. */
export function summaryPage(markdown: string): string {
  const css = readFileSync(
    createRequire(import.meta.url).resolve('github-markdown-css/github-markdown-light.css'),
    'utf8',
  )
  const body = marked.parse(markdown, { gfm: true, async: false })
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Job summary</title>
<style>
${css}
html, body { margin: 0; }
.markdown-body { box-sizing: border-box; width: ${PAGE_WIDTH}px; padding: 16px; }
</style></head>
<body><article class="markdown-body">
${body}
</article>
<script>
  // Elements whose content is wider than the element: tables and code that need scrolling.
  const overflowing = [...document.querySelectorAll('.markdown-body table, .markdown-body pre, .markdown-body p')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1)
    .map((e) => ({ tag: e.tagName.toLowerCase(), scrollWidth: e.scrollWidth, clientWidth: e.clientWidth, text: e.textContent.slice(0, 80) }))
  const out = document.createElement('script')
  out.type = 'application/json'
  out.id = 'measurement'
  out.textContent = JSON.stringify({
    pageWidth: document.documentElement.scrollWidth,
    pageHeight: document.documentElement.scrollHeight,
    overflowing,
  })
  document.body.append(out)
</script>
</body></html>
`
}

/** What Chromium measured: the page's scroll width and the elements wider than their box. */
export interface Measurement {
  pageWidth: number
  pageHeight: number
  overflowing: Array<{ tag: string; scrollWidth: number; clientWidth: number; text: string }>
}

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars']

/** Loads the page in Chromium at PAGE_WIDTH and reads back what its script measured. */
export function measure(chromium: string, html: string): Measurement {
  const dir = mkdtempSync(path.join(tmpdir(), 'summary-render-'))
  try {
    const file = path.join(dir, 'summary.html')
    writeFileSync(file, html)
    const dom = execFileSync(
      chromium,
      [
        ...FLAGS,
        `--user-data-dir=${path.join(dir, 'profile')}`,
        `--window-size=${PAGE_WIDTH},800`,
        '--dump-dom',
        `file://${file}`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 },
    )
    const json = /<script type="application\/json" id="measurement">(.*?)<\/script>/s.exec(dom)
    if (!json?.[1]) throw new Error('Chromium returned a page without the measurement')
    return JSON.parse(json[1]) as Measurement
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Writes a PNG of `html` to `out`, PAGE_WIDTH wide and `height` tall (the page's height). */
export function screenshot(chromium: string, html: string, out: string, height: number): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'summary-render-'))
  try {
    const file = path.join(dir, 'summary.html')
    writeFileSync(file, html)
    const run = spawnSync(
      chromium,
      [
        ...FLAGS,
        `--user-data-dir=${path.join(dir, 'profile')}`,
        `--window-size=${PAGE_WIDTH},${height}`,
        `--screenshot=${path.resolve(out)}`,
        `file://${file}`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    )
    if (run.status !== 0) throw new Error(`Chromium failed (${run.status}): ${run.stderr}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
