import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { INPUT, readSettings } from '../../src/inputs/index.js'
import { OUTPUT } from '../../src/report/outputs.js'
import { COLLECTOR_ERRORS, COLLECTORS, MODES, REGIONS } from '../../src/settings.js'
import { ASSET_ACTION_VALUES, MODE_VALUES, SESSION_STATUS_VALUES } from '../../src/value-docs.js'

const root = new URL('../../', import.meta.url)
const action = parse(readFileSync(new URL('action.yml', root), 'utf8')) as {
  inputs: Record<string, { default?: string; description: string }>
  outputs: Record<string, { description: string }>
  runs: Record<string, string>
}
const readme = readFileSync(new URL('README.md', root), 'utf8')

/** Rows of the first Markdown table after a heading, as [first cell, second cell]. */
function tableAfter(heading: string): Array<[string, string]> {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? ''
  return section
    .split('\n')
    .filter((line) => /^\|\s*`[^`]+`\s*\|/.test(line))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).map((c) => c.trim())
      return [cells[1]?.replace(/`/g, '') ?? '', cells[2]?.replace(/`/g, '') ?? '']
    })
}

/** The README table row of `name` under a heading, backticks and escapes removed. */
function rowOf(heading: string, name: string): { text: string; ticked: string[] } {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? ''
  const line = section.split('\n').find((l) => l.startsWith(`| \`${name}\``)) ?? ''
  const meaning = line
    .split(/(?<!\\)\|/)
    .slice(2)
    .join('|')
  return {
    text: plain(meaning),
    ticked: [...meaning.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ''),
  }
}

function plain(text: string): string {
  return text.replace(/`/g, '').replace(/\\\|/g, '|').replace(/\s+/g, ' ')
}

describe('action.yml, the README and the code agree', () => {
  it('runs on node24 with a post step that always runs', () => {
    expect(action.runs).toMatchObject({
      using: 'node24',
      main: 'dist/main/index.js',
      post: 'dist/post/index.js',
      'post-if': 'always()',
    })
  })

  it('declare the same inputs', () => {
    const names = Object.values(INPUT).sort()
    expect(Object.keys(action.inputs).sort()).toEqual(names)
    expect(
      tableAfter('Inputs')
        .map(([n]) => n)
        .sort(),
    ).toEqual(names)
    for (const [name, spec] of Object.entries(action.inputs))
      expect(spec.description, name).not.toBe('')
  })

  it('declare the same outputs', () => {
    const names = Object.values(OUTPUT).sort()
    expect(Object.keys(action.outputs).sort()).toEqual(names)
    expect(
      tableAfter('Outputs')
        .map(([n]) => n)
        .sort(),
    ).toEqual(names)
  })

  it('give the same defaults in action.yml and the README', () => {
    const documented = new Map(tableAfter('Inputs'))
    for (const [name, spec] of Object.entries(action.inputs)) {
      if (name === 'session-id') continue // computed from the run: the README names the formula
      expect(documented.get(name), name).toBe(spec.default ?? '')
    }
    expect(documented.get('session-id')).toBe(
      'gh-<GITHUB_RUN_ID>-<GITHUB_RUN_ATTEMPT>-<GITHUB_JOB>-<random>',
    )
  })

  it('apply the defaults action.yml declares when an input is left empty', () => {
    const env = { GITHUB_RUN_ID: '1', GITHUB_WORKSPACE: '/tmp' }
    const required: Record<string, string> = {
      'api-key': 'k',
      'connection-id': '1',
      'resource-id': '2',
    }
    // The runner expands ${{ github.token }}; left unexpanded it stands for "some token".
    const fromDefaults = readSettings(
      (name) =>
        name === 'github-token' ? '' : (required[name] ?? action.inputs[name]?.default ?? ''),
      env,
    )
    const fromEmpty = readSettings((name) => required[name] ?? '', env)
    // The default session id has a random part per job execution; both are of that form.
    expect(fromDefaults.sessionId).toMatch(/^gh-1-1-[0-9a-f]{8}$/)
    expect(fromEmpty.sessionId).toMatch(/^gh-1-1-[0-9a-f]{8}$/)
    expect({ ...fromDefaults, sessionId: '' }).toEqual({ ...fromEmpty, sessionId: '' })
  })

  describe('on what each enumerated value means', () => {
    const described = [
      { kind: 'inputs', heading: 'Inputs', name: 'mode', values: MODE_VALUES, code: MODES },
      {
        kind: 'outputs',
        heading: 'Outputs',
        name: 'session-status',
        values: SESSION_STATUS_VALUES,
      },
      { kind: 'outputs', heading: 'Outputs', name: 'asset-action', values: ASSET_ACTION_VALUES },
    ] as const
    it.each(described)('$name: every value, with its meaning from src/value-docs.ts', (d) => {
      if ('code' in d) expect(Object.keys(d.values)).toEqual([...d.code])
      const yml = plain(action[d.kind][d.name]?.description ?? '')
      const row = rowOf(d.heading, d.name)
      for (const [value, meaning] of Object.entries(d.values)) {
        expect(yml, `action.yml ${d.name}`).toContain(`${value} (${meaning})`)
        expect(row.text, `README ${d.name}`).toContain(`${value} (${meaning})`)
      }
    })

    const listed = [
      { name: 'region', values: Object.keys(REGIONS) },
      { name: 'collect', values: [...COLLECTORS, 'auto', 'none'] },
      { name: 'collector-errors', values: [...COLLECTOR_ERRORS] },
    ]
    it.each(listed)('$name: the values the code takes, and no other', ({ name, values }) => {
      const yml = action.inputs[name]?.description ?? ''
      for (const value of values) {
        expect(yml, `action.yml ${name}`).toMatch(new RegExp(`(^|[^\\w-])${value}([^\\w-]|$)`))
      }
      const row = rowOf('Inputs', name)
      const words = row.ticked.filter((t) => /^[a-z][a-z-]*$/.test(t))
      expect([...new Set(words)].sort(), `README ${name}`).toEqual([...values].sort())
    })
  })
})

describe('the README’s troubleshooting table', () => {
  // Every message it quotes must be one the code can print, so the table cannot drift.
  const source = readdirSync(new URL('src/', root), { recursive: true })
    .filter((f) => String(f).endsWith('.ts'))
    .map((f) => readFileSync(new URL(`src/${String(f)}`, root), 'utf8'))
    .join('\n')
  const rows = (readme.split('\n## Troubleshooting\n')[1] ?? '')
    .split('\n## ')[0]!
    .split('\n')
    .filter((line) => line.startsWith('| `'))

  it('has rows', () => {
    expect(rows.length).toBeGreaterThan(15)
  })

  it.each(rows.map((row) => [row.split(' | ')[0]!.slice(2)]))(
    'quotes real messages: %s',
    (cell) => {
      const quoted = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '')
      // The pieces between placeholders (…, N, M, s for seconds, names the code fills in) must
      // each appear in the source; a bare status such as (413) is not a message.
      if (quoted.every((q) => /^\(\d{3}\)$/.test(q))) return
      const pieces = quoted
        .flatMap((q) => q.split(/…s?|\bN\b|\bM\b|'[^']*'|[():]/))
        .map((p) => p.trim())
        .filter((p) => p.length >= 6)
      expect(pieces.length).toBeGreaterThan(0)
      for (const piece of pieces) expect(source, piece).toContain(piece)
    },
  )
})
