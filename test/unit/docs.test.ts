import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { INPUT, readSettings } from '../../src/inputs.js'
import { OUTPUT } from '../../src/report/outputs.js'

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
})
