import { describe, expect, it } from 'vitest'
import { recordSetOf } from '../../src/evidence/record-set.js'
import { emptyOutcome, type PushOutcome } from '../../src/push/outcome.js'
import { redact } from '../../src/secrets.js'
import type { RunReport } from '../../src/report/report.js'
import { PREVIEW_COUNT } from '../../src/evidence/record-set.js'
import { buildSummary, MAX_FAILURE_ROWS } from '../../src/report/summary.js'

const KEY = 'drk_live_9f8e7d6c5b4a3210'
const clean = (s: string) => redact(s, [KEY])
const keep = (s: string) => s

function plain(n: number, source = 'inline') {
  return Array.from({ length: n }, (_, i) => ({ id: `r${i}`, source, data: { id: `r${i}` } }))
}

function report(outcome: Partial<PushOutcome> = {}, extra: Partial<RunReport> = {}): RunReport {
  return {
    outcome: { ...emptyOutcome('append', false), ...outcome },
    followUp: {},
    records: recordSetOf(plain(3)),
    collectors: [],
    requests: 7,
    retries: 2,
    durationMs: 12_345,
    ...extra,
  }
}

function headline(summary: string): string {
  return summary.split('\n')[0] ?? ''
}

describe('buildSummary headline', () => {
  it('reports a success with the count, mode and session', () => {
    const s = buildSummary(
      report({ sessionId: 'gh-1-1', sessionStatus: 'ACTIVE', pushed: 3 }),
      keep,
    )
    expect(headline(s)).toBe(
      '## ✅ Drata evidence pushed: 3 records (append, session gh-1-1 ACTIVE)',
    )
  })

  it('reports an append success without a session', () => {
    const s = buildSummary(report({ pushed: 5 }), keep)
    expect(headline(s)).toBe('## ✅ Drata evidence pushed: 5 records (append)')
  })

  it('warns, rather than cheers, when nothing was pushed', () => {
    const s = buildSummary(report({ pushed: 0 }, { records: recordSetOf([]) }), keep)
    expect(headline(s)).toBe(
      '## ⚠️ Nothing was pushed to Drata: this run gathered no records (append)',
    )
  })

  it('reports a failure with a cancelled session as leaving the data unchanged', () => {
    const s = buildSummary(
      report({
        mode: 'replace',
        sessionId: 'gh-1-1',
        sessionStatus: 'CANCELED',
        error: 'Drata rejected 1 record',
      }),
      keep,
    )
    expect(headline(s)).toBe(
      "## ❌ Drata evidence push failed (replace: session gh-1-1 cancelled, Drata's active data unchanged)",
    )
    expect(s).toContain('<p><code>Drata rejected 1 record</code></p>')
  })

  it('reports a failure that left the session open with its status', () => {
    const s = buildSummary(
      report({ sessionId: 'gh-1-1', sessionStatus: 'IN_PROGRESS', error: 'x' }),
      keep,
    )
    expect(headline(s)).toBe('## ❌ Drata evidence push failed (append: IN_PROGRESS)')
    expect(s).not.toContain('unchanged')
  })

  it('reports an append failure without a session', () => {
    const s = buildSummary(report({ error: 'x' }), keep)
    expect(headline(s)).toBe('## ❌ Drata evidence push failed (append)')
  })

  it('reports a dry run as sending nothing', () => {
    const s = buildSummary(report({ dryRun: true, sessionId: 'gh-1-1' }), keep)
    expect(headline(s)).toBe('## 🔍 Dry run: would push 3 records (append); nothing was sent')
  })

  it('reports a dry run that found a problem', () => {
    const s = buildSummary(
      report({ dryRun: true, error: 'A real run would fail: too many removed' }),
      keep,
    )
    expect(headline(s)).toBe('## 🔍 Dry run: a real run would fail')
    expect(s).toContain('<p><code>A real run would fail: too many removed</code></p>')
  })

  it('reports invalid inputs with the error and nothing else', () => {
    const s = buildSummary(
      report({ error: 'Invalid input:\n  - bad' }, { invalid: true, records: recordSetOf([]) }),
      keep,
    )
    expect(headline(s)).toBe('## ❌ Nothing was sent to Drata: fix the inputs or records below')
    expect(s).toContain('<p><code>Invalid input:\n  - bad</code></p>')
    expect(s).not.toContain('<table>')
  })
})

describe('buildSummary tables', () => {
  it('shows the outcome figures', () => {
    const s = buildSummary(
      report({
        sessionId: 'gh-1-1',
        sessionStatus: 'ACTIVE',
        pushed: 3,
        removed: 2,
        batches: 4,
      }),
      keep,
    )
    expect(s).toContain(
      '<tr><td>append</td><td>gh-1-1</td><td>ACTIVE</td><td>3</td><td>2</td><td>0</td><td>4</td><td>2</td><td>12.3s</td></tr>',
    )
  })

  it('shows unknown counts of an offline dry run as unknown', () => {
    const s = buildSummary(report({ dryRun: true }), keep)
    expect(s.match(/unknown \(offline dry run\)/g)).toHaveLength(1)
    expect(s).toContain('<td>—</td>')
  })

  it('counts records per source', () => {
    const s = buildSummary(
      report({}, { records: recordSetOf([...plain(2, 'inline'), ...plain(3, 'evidence/a.json')]) }),
      keep,
    )
    expect(s).toContain('### Records per source')
    expect(s).toContain('<tr><td>inline</td><td>2</td></tr>')
    expect(s).toContain('<tr><td>evidence/a.json</td><td>3</td></tr>')
  })

  it('lists every failure when there are few', () => {
    const failures = [1, 2, 3].map((i) => ({ id: `f${i}`, status: 400, message: `bad ${i}` }))
    const s = buildSummary(report({ failures, failed: 3, error: 'x' }), keep)
    expect(s).toContain('### Rejected records (3)\n')
    expect(s).toContain('<tr><td>f2</td><td>400</td><td>bad 2</td></tr>')
  })

  it('caps the failures table at 50 rows and gives the total', () => {
    expect(MAX_FAILURE_ROWS).toBe(50)
    const failures = Array.from({ length: 120 }, (_, i) => ({
      id: `fail-${i}`,
      status: 422,
      message: 'no',
    }))
    const s = buildSummary(report({ failures, failed: 120, error: 'x' }), keep)
    expect(s).toContain('### Rejected records (120, first 50 shown)')
    expect(s.match(/<td>fail-\d+<\/td>/g)).toHaveLength(50)
    expect(s).toContain('<td>fail-49</td>')
    expect(s).not.toContain('<td>fail-50</td>')
  })

  it('has no failures section without failures', () => {
    expect(buildSummary(report(), keep)).not.toContain('Rejected records')
  })

  it('lists the stranded sessions cancelled, and why', () => {
    const s = buildSummary(
      report({ recovered: [{ sessionId: 'gh-7-1', reason: 'its GitHub run 7 has finished' }] }),
      keep,
    )
    expect(s).toContain('### Stranded sessions cancelled (1)')
    expect(s).toContain('<td>gh-7-1</td><td>its GitHub run 7 has finished</td>')
  })
})

describe('buildSummary removed records', () => {
  /** The paragraph under the removed-records heading (the list of ids). */
  function removedList(summary: string): string {
    const section = summary.split(
      /### Records (?:removed|a real run would remove) \([^)]*\)\n\n/,
    )[1]
    expect(section, 'no removed-records section').toBeDefined()
    // The list is the last part here, so the summary's final newline ends it.
    // The list is an HTML paragraph, so Markdown inside it is not rendered.
    const list = ((section ?? '').split('\n\n')[0] ?? '').replace(/\n$/, '')
    expect(list).toMatch(/^<p>.*<\/p>$/)
    return list.replace(/^<p>|<\/p>$/g, '')
  }

  it('lists the ids of the records removed, each in a code element', () => {
    const s = buildSummary(
      report({ mode: 'replace', removed: 3, removedIds: ['old-1', 'old-2', 'old-3'] }),
      keep,
    )
    expect(s).toContain(
      '### Records removed (3)\n\n<p><code>old-1</code>, <code>old-2</code>, <code>old-3</code></p>\n',
    )
    expect(s).not.toContain('a real run would remove')
  })

  it('says what a real run would remove in a dry run', () => {
    const s = buildSummary(report({ dryRun: true, removedIds: ['gone'] }), keep)
    expect(s).toContain('### Records a real run would remove (1)\n\n<p><code>gone</code></p>\n')
    expect(s).not.toContain('### Records removed')
  })

  it('caps the list at 50 ids and gives the total', () => {
    const removedIds = Array.from({ length: 75 }, (_, i) => `gone-${i}`)
    const s = buildSummary(report({ removed: 75, removedIds }), keep)
    expect(s).toContain('### Records removed (75, first 50 shown)')
    expect(s.match(/<code>gone-\d+<\/code>/g)).toHaveLength(50)
    expect(s).toContain('<code>gone-49</code>')
    expect(s).not.toContain('<code>gone-50</code>')
  })

  it('shows exactly 50 ids without "first … shown"', () => {
    const removedIds = Array.from({ length: 50 }, (_, i) => `gone-${i}`)
    const s = buildSummary(report({ removedIds }), keep)
    expect(s).toContain('### Records removed (50)\n')
    expect(s.match(/<code>gone-\d+<\/code>/g)).toHaveLength(50)
  })

  it('has no removed section when nothing was removed', () => {
    expect(buildSummary(report({ removed: 0 }), keep)).not.toMatch(/Records (removed|a real run)/)
  })

  it('removes secrets from the ids', () => {
    const s = buildSummary(report({ removedIds: [`leak-${KEY}`, 'plain'] }), clean)
    expect(s).not.toContain(KEY)
    expect(removedList(s)).toBe('<code>leak-***</code>, <code>plain</code>')
  })

  it('removes a secret from an id before escaping could alter it', () => {
    const secret = 'ab<&>cd'
    const s = buildSummary(report({ removedIds: [`x${secret}y`] }), (t) => redact(t, [secret]))
    expect(removedList(s)).toBe('<code>x***y</code>')
  })

  it('escapes HTML in the ids', () => {
    const s = buildSummary(report({ removedIds: ['<img src=x onerror=alert(1)>', 'a&b'] }), keep)
    expect(removedList(s)).toBe(
      '<code>&lt;img src=x onerror=alert(1)&gt;</code>, <code>a&amp;b</code>',
    )
    expect(s).not.toContain('<img')
  })

  it('keeps an id with line breaks and tabs on one line, whitespace folded to one space', () => {
    const s = buildSummary(
      report({ removedIds: ['x\n\n<img src=x onerror=alert(1)>', 'a \t\r\n b', 'next'] }),
      keep,
    )
    // A blank line would end the paragraph and let the rest render as Markdown/HTML.
    expect(removedList(s)).toBe(
      '<code>x &lt;img src=x onerror=alert(1)&gt;</code>, <code>a b</code>, <code>next</code>',
    )
  })

  it('keeps a backtick in one id from opening a code span across the next', () => {
    const s = buildSummary(report({ removedIds: ['a`b', 'c`d'] }), keep)
    expect(removedList(s)).toContain('<code>a')
    expect(removedList(s)).not.toContain('`')
  })
})

describe('buildSummary escaping and secrets', () => {
  it("escapes HTML in the follow-up step's error", () => {
    const s = buildSummary(
      report({}, { followUp: { error: 'Drata answered 400: <img src=x onerror=alert(1)>' } }),
      keep,
    )
    expect(s).toContain('Drata answered 400:')
    expect(s).not.toContain('<img')
  })

  it('escapes HTML in the error, failure ids and messages, and sources', () => {
    const s = buildSummary(
      report(
        {
          error: 'bad <script>alert(1)</script> & more',
          failures: [{ id: '<b>id</b>', status: 400, message: '<img src=x onerror=alert(1)>' }],
          failed: 1,
        },
        { records: recordSetOf(plain(1, '<i>src</i>')) },
      ),
      keep,
    )
    expect(s).toContain('bad &lt;script&gt;alert(1)&lt;/script&gt; &amp; more')
    expect(s).toContain('<td>&lt;b&gt;id&lt;/b&gt;</td>')
    expect(s).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(s).toContain('<td>&lt;i&gt;src&lt;/i&gt;</td>')
    expect(s).not.toMatch(/<script|<img|<b>|<i>/)
  })

  it('removes secrets from the error, failure messages and the preview', () => {
    const s = buildSummary(
      report(
        {
          dryRun: true,
          error: `Drata said: bad key ${KEY}`,
          failures: [{ id: 'r0', status: 400, message: `echo Bearer ${KEY}` }],
          failed: 1,
        },
        { records: recordSetOf([{ id: 'r0', source: 'inline', data: { id: 'r0', token: KEY } }]) },
      ),
      clean,
    )
    expect(s).not.toContain(KEY)
    expect(s).toContain('Drata said: bad key ***')
    expect(s).toContain('echo Bearer ***')
    expect(s).toContain('&quot;token&quot;:&quot;***&quot;'.replace(/&quot;/g, '"'))
  })

  it('keeps an error with blank lines in one HTML block, so none of it becomes Markdown', () => {
    const s = buildSummary(report({ error: 'first\n\n  *second*\n \nthird' }), keep)
    expect(s).toContain('<p><code>first\n  *second*\nthird</code></p>')
  })

  it('removes a secret that HTML escaping would otherwise alter', () => {
    const secret = 'ab<&>cd'
    const s = buildSummary(report({ error: `x ${secret} y` }), (t) => redact(t, [secret]))
    expect(s).toContain('<p><code>x *** y</code></p>')
  })

  it('does not show part of a secret cut by the preview', () => {
    // Characters before the blob's content: {"id":"r0","blob":"
    const prefix = JSON.stringify({ id: 'r0', blob: '' }).length - 2
    const blob = 'x'.repeat(600 - (KEY.length - 1) - prefix) + KEY
    const data = { id: 'r0', blob }
    expect(JSON.stringify(data).indexOf(KEY)).toBe(600 - (KEY.length - 1))
    const s = buildSummary(
      report({ dryRun: true }, { records: recordSetOf([{ id: 'r0', source: 'inline', data }]) }),
      clean,
    )
    expect(s).not.toContain(KEY.slice(0, -1))
  })
})

describe('buildSummary preview', () => {
  it('previews the first records of a dry run and counts the rest', () => {
    expect(PREVIEW_COUNT).toBe(10)
    const s = buildSummary(report({ dryRun: true }, { records: recordSetOf(plain(12)) }), keep)
    expect(s).toContain('Preview: first 10 of 12 records')
    expect(s).toContain('{"id":"r9"}')
    expect(s).not.toContain('{"id":"r10"}')
    expect(s).toContain('… and 2 more')
  })

  it('shortens long records to 600 characters', () => {
    const data = { id: 'big', blob: 'y'.repeat(2000) }
    const s = buildSummary(
      report({ dryRun: true }, { records: recordSetOf([{ id: 'big', source: 'inline', data }]) }),
      keep,
    )
    const line = s.split('\n').find((l) => l.includes('"id":"big"')) ?? ''
    expect(line).toContain(`${JSON.stringify(data).slice(0, 600)}…`)
    expect(line).not.toContain('y'.repeat(1000))
  })

  it('has no preview outside a dry run', () => {
    expect(buildSummary(report(), keep)).not.toContain('Preview')
  })
})

describe('buildSummary links', () => {
  it('links the vendor review to the page Drata named, and the resource to nothing (no URL can be built)', () => {
    const review = {
      action: 'created' as const,
      id: 9,
      vendorId: 12,
      title: 'T',
      withFile: false,
      link: 'https://app.drata.com/risk/vendors/profile/12/overview',
    }
    const target = {
      connectionId: 3,
      resourceId: 31,
      connectionName: 'GitHub',
      resourceName: 'B<i>',
    }
    const s = buildSummary({ ...report(), followUp: { review }, target }, keep)
    expect(s).toContain(
      '<p><a href="https://app.drata.com/risk/vendors/profile/12/overview">Open the review in Drata</a></p>',
    )
    expect(s).toContain(
      '<p>Drata resource <strong>B&lt;i&gt;</strong> (id 31) of connection <strong>GitHub</strong> (id 3)</p>',
    )
    expect(s.match(/<a /g)).toHaveLength(1)
  })
})
