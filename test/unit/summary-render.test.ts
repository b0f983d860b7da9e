// The job summary as GitHub shows it (GFM, GitHub's Markdown CSS, a 1000 px column) must stay
// within the column: tables fit without scrolling and long error text wraps. Needs headless
// Chromium (Debian: apt-get install chromium); skipped with a message when it is absent.
// SUMMARY_SCREENSHOTS=<dir> also writes one PNG per sample (scripts/summary-screenshot.mjs).
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  findChromium,
  measure,
  PAGE_WIDTH,
  sampleSummaries,
  screenshot,
  summaryPage,
} from '../summary-render/page.ts'

const chromium = findChromium()
const summaries = sampleSummaries()

if (!chromium) {
  console.warn(
    'summary-render: skipped, no Chromium found (apt-get install chromium, or set CHROMIUM=/path/to/chromium)',
  )
}

describe.skipIf(!chromium)('job summary rendered in Chromium', () => {
  it.each(Object.keys(summaries))(`%s stays within ${PAGE_WIDTH} px`, (name) => {
    const html = summaryPage(summaries[name] as string)
    const { pageWidth, pageHeight, overflowing } = measure(chromium as string, html)
    const shots = process.env.SUMMARY_SCREENSHOTS
    if (shots) {
      mkdirSync(shots, { recursive: true })
      const file = path.join(shots, `summary-${name}.png`)
      screenshot(chromium as string, html, file, Math.min(pageHeight, 8000))
      console.log(`summary-render: wrote ${file}`)
    }
    expect(pageWidth).toBeLessThanOrEqual(PAGE_WIDTH)
    // The dry run's record preview is code and may scroll; nothing else may.
    const preview = (e: { tag: string; text: string }) => e.tag === 'pre' && e.text.startsWith('{')
    expect(overflowing.filter((e) => !preview(e))).toEqual([])
  })
})
