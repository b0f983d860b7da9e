/** An HTML table (GitHub renders it in the job summary); cells are escaped. */
export function table(head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')
  const trs = rows
    // A blank line would end the HTML block in GitHub's Markdown: keep each cell on one line.
    .map(
      (r) =>
        `<tr>${r.map((c) => `<td>${escapeHtml(c).replace(/\s*\n\s*/g, ' ')}</td>`).join('')}</tr>`,
    )
    .join('\n')
  return `<table>\n<tr>${th}</tr>\n${trs}\n</table>`
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  // Backticks too: in a Markdown paragraph they would open code spans across elements.
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`/g, '&#96;')
}
