import { followUpSummary } from './follow-up-summary.js'
import { escapeHtml, table } from './html.js'
import type { RunReport } from './report.js'

/** Rows of the failures table at most; the total is always given. */
export const MAX_FAILURE_ROWS = 50
/** Characters of each record shown in a dry run's preview at most. */
const PREVIEW_CHARS = 600

/** Builds the job summary as Markdown/HTML; `clean` removes secrets from any text. */
export function buildSummary(report: RunReport, clean: (s: string) => string): string {
  const o = report.outcome
  const parts: string[] = [`## ${headline(report)}`]
  // Not <pre>: GitHub's Markdown CSS does not wrap it, so a long line ran off the summary.
  // Its inline code keeps line breaks and indentation and wraps; a blank line would end the block.
  if (o.error)
    parts.push(`<p><code>${escapeHtml(clean(o.error)).replace(/\n\s*\n/g, '\n')}</code></p>`)
  if (report.invalid) return `${parts.join('\n\n')}\n`
  const num = (n: number | null) => (n === null ? 'unknown (offline dry run)' : String(n))
  parts.push(
    table(
      [
        'Mode',
        'Session',
        'Status',
        'Pushed',
        'Removed',
        'Failed',
        'Batches',
        'Retries',
        'Duration',
      ],
      [
        [
          o.mode,
          o.sessionId ?? '—',
          o.sessionStatus,
          String(o.pushed),
          num(o.removed),
          String(o.failed),
          String(o.batches),
          String(report.retries),
          `${(report.durationMs / 1000).toFixed(1)}s`,
        ],
      ],
    ),
  )
  if (report.target) parts.push(targetLine(report.target, clean))
  const perSource = new Map<string, number>()
  for (const { source, count } of report.records.sources)
    perSource.set(source, (perSource.get(source) ?? 0) + count)
  if (perSource.size > 0) {
    parts.push(
      '### Records per source',
      table(
        ['Source', 'Records'],
        [...perSource].map(([s, n]) => [s, String(n)]),
      ),
    )
  }
  if (report.collectors.length > 0) {
    parts.push(
      '### Collectors',
      table(
        ['Collector', 'Why it ran', 'Records', 'Note'],
        report.collectors.map((c) => [c.name, c.reason, String(c.records), clean(c.warning ?? '')]),
      ),
    )
  }
  if (o.failures.length > 0) {
    const shown = o.failures.slice(0, MAX_FAILURE_ROWS)
    parts.push(
      `### Rejected records (${o.failures.length}${o.failures.length > shown.length ? `, first ${shown.length} shown` : ''})`,
      table(
        ['Record id', 'Status', 'Message'],
        shown.map((f) => [f.id, String(f.status), clean(f.message)]),
      ),
    )
  }
  if (o.recovered.length > 0) {
    parts.push(
      `### ${o.dryRun ? 'Stranded sessions a real run would cancel' : 'Stranded sessions cancelled'} (${o.recovered.length})`,
      table(
        ['Session', 'Why'],
        o.recovered.map((r) => [r.sessionId, r.reason]),
      ),
    )
  }
  if (o.removedIds.length > 0) {
    const shown = o.removedIds.slice(0, MAX_FAILURE_ROWS)
    const more = o.removedIds.length > shown.length ? `, first ${shown.length} shown` : ''
    parts.push(
      `### ${o.dryRun ? 'Records a real run would remove' : 'Records removed'} (${o.removedIds.length}${more})`,
      // Ids come from Drata's data: escaped, on one line, inside an HTML block so that
      // Markdown (backticks, *, links) in them is not rendered.
      `<p>${shown.map((id) => `<code>${escapeHtml(clean(id)).replace(/\s+/g, ' ')}</code>`).join(', ')}</p>`,
    )
  }
  parts.push(...followUpSummary(report, clean))
  if (o.dryRun) parts.push(preview(report, clean))
  return `${parts.join('\n\n')}\n`
}

/**
 * Where the records went. Not a link: Drata's API definitions give no web app URL for a Custom
 * Connection resource (nor its workspace), so none is guessed.
 */
function targetLine(target: NonNullable<RunReport['target']>, clean: (s: string) => string) {
  const part = (kind: string, id: number | null, name: string | null) => {
    const named = name === null ? '' : `<strong>${escapeHtml(clean(name))}</strong> `
    return `${kind} ${named}(id ${id === null ? 'not looked up' : id})`
  }
  return `<p>Drata ${part('resource', target.resourceId, target.resourceName)} of ${part('connection', target.connectionId, target.connectionName)}</p>`
}

function headline(report: RunReport): string {
  const o = report.outcome
  if (report.invalid) return '❌ Nothing was sent to Drata: fix the inputs or records below'
  if (o.dryRun) {
    return o.error
      ? `🔍 Dry run: a real run would fail`
      : `🔍 Dry run: would push ${report.records.count} records (${o.mode}); nothing was sent`
  }
  if (o.error) {
    const where =
      o.sessionStatus === 'CANCELED'
        ? `session ${o.sessionId} cancelled, Drata's active data unchanged`
        : o.sessionStatus
    return `❌ Drata evidence push failed (${o.mode}${o.sessionId ? `: ${where}` : ''})`
  }
  if (o.pushed === 0 && o.removedIds.length === 0) {
    return `⚠️ Nothing was pushed to Drata: this run gathered no records (${o.mode})`
  }
  return `✅ Drata evidence pushed: ${o.pushed} records (${o.mode}${o.sessionId ? `, session ${o.sessionId} ${o.sessionStatus}` : ''})`
}

function preview(report: RunReport, clean: (s: string) => string): string {
  // The record set keeps the first PREVIEW_COUNT records' JSON, on one line each.
  const shown = report.records.preview
  const lines = shown.map((text) => {
    // Clean before cutting: a secret cut in two would no longer match.
    const json = clean(text)
    return escapeHtml(json.length > PREVIEW_CHARS ? `${json.slice(0, PREVIEW_CHARS)}…` : json)
  })
  const more =
    report.records.count > shown.length ? `\n… and ${report.records.count - shown.length} more` : ''
  return `<details><summary>Preview: first ${shown.length} of ${report.records.count} records</summary>\n\n<pre>${lines.join('\n')}${more}</pre>\n\n</details>`
}
