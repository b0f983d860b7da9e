import { escapeHtml, table } from './html.js'
import type { RunReport } from './report.js'

/** Summary sections for the asset, the vendor review and the audit events, when they ran. */
export function followUpSummary(report: RunReport, clean: (s: string) => string): string[] {
  const { asset, review, events, error } = report.followUp
  const dry = report.outcome.dryRun
  const parts: string[] = []
  if (error) {
    // Drata's own message may be in it: escaped, on one line, as an HTML block.
    parts.push(
      `<p><strong>After the push:</strong> ${escapeHtml(clean(error)).replace(/\s+/g, ' ')}</p>`,
    )
  }
  if (asset) {
    const action = !dry
      ? asset.action
      : asset.action === 'none'
        ? 'not checked (offline dry run) or nothing to remove'
        : `would be ${asset.action}`
    parts.push(
      '### Drata asset',
      table(
        ['Name', 'Asset id', 'External id', 'Action'],
        [[asset.name, asset.id === null ? '—' : String(asset.id), asset.externalId, action]],
      ),
    )
  }
  if (review) {
    const action = dry
      ? review.action === 'reused'
        ? 'would be reused'
        : 'would be created'
      : review.action
    parts.push(
      '### Vendor security review',
      table(
        ['Vendor', 'Review id', 'Title', 'File', 'Action'],
        [
          [
            String(review.vendorId),
            review.id === null ? '—' : String(review.id),
            review.title,
            review.withFile ? 'attached' : '—',
            action,
          ],
        ],
      ),
    )
    // The only Drata page this action can link: Drata's answer names it (_links.self.href).
    if (review.link) {
      parts.push(
        `<p><a href="${escapeHtml(review.link).replace(/"/g, '&quot;')}">Open the review in Drata</a></p>`,
      )
    }
  }
  if (events) {
    parts.push(
      `### Drata audit events (${events.length})`,
      events.length === 0
        ? 'Drata listed no Public API events for this run yet.'
        : table(
            ['Type', 'Category', 'Description', 'Time', 'Id'],
            events.map((e) => [e.type, e.category, clean(e.description), e.createdAt, e.id]),
          ),
    )
  }
  return parts
}
