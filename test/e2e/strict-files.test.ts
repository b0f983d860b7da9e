import { mkdirSync, truncateSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { useSandbox } from '../sandbox/hooks.ts'
import {
  type ActionResult,
  makeDirs,
  makeRecords,
  removeDirs,
  runAction,
  sandboxInputs,
  writes,
} from './harness.ts'

// A sandbox per test: a run that wrongly pushes must not leak records into the next test.
const sandbox = useSandbox()
// The workspaces go after each test rather than after the file.
afterEach(removeDirs)

function runWithFiles(
  files: Record<string, string | Uint8Array>,
  extra: Record<string, string> = {},
): Promise<ActionResult> {
  return runAction({
    dirs: makeDirs(),
    inputs: sandboxInputs(sandbox().url, { 'records-file': 'evidence/*', ...extra }),
    files: Object.fromEntries(Object.entries(files).map(([k, v]) => [`evidence/${k}`, v])),
  })
}

function errorLine(result: ActionResult): string {
  return result.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''
}

/** Failed with `expected` in the error, before any request to Drata. */
function expectRefused(result: ActionResult, ...expected: string[]): void {
  expect(result.code).toBe(1)
  const error = errorLine(result)
  for (const text of expected) expect(error).toContain(text)
  expect(sandbox().requests).toHaveLength(0)
  expect(writes(sandbox().requests)).toBe(0)
  expect(sandbox().activeRecords(1, 1)).toEqual([])
  expect(result.summary).toContain('Nothing was sent to Drata')
}

const BOM = Uint8Array.from([0xef, 0xbb, 0xbf])
const bytes = (...parts: Array<string | Uint8Array>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)))

describe('records files are read strictly; a bad file fails the step and nothing is written', () => {
  it('a bare word in .json is not taken as a string', async () => {
    const result = await runWithFiles({ 'status.json': '{"id": "a", "status": ok}' })
    expectRefused(
      result,
      "evidence/status.json line 1, column 23: not valid JSON: expected a value, found 'o'",
    )
  })

  it('a trailing comma', async () => {
    const result = await runWithFiles({ 'list.json': '[\n  {"id": "a"},\n  {"id": "b"},\n]\n' })
    expectRefused(
      result,
      "evidence/list.json line 4, column 1: not valid JSON: trailing comma before ']'",
    )
  })

  it('single quotes', async () => {
    const result = await runWithFiles({ 'quotes.json': "[{'id': 'a'}]" })
    expectRefused(
      result,
      'evidence/quotes.json line 1, column 3: not valid JSON: expected a property name in double quotes',
    )
  })

  it('invalid UTF-8, with the byte offset', async () => {
    const result = await runWithFiles({
      'latin1.ndjson': bytes('{"id": "a"}\n{"id": "caf', Uint8Array.from([0xe9]), '"}\n'),
    })
    expectRefused(
      result,
      'evidence/latin1.ndjson: not valid UTF-8: invalid byte 0xE9 at byte offset 23 (line 2)',
    )
  })

  it('an id with a control character', async () => {
    const result = await runWithFiles({ 'ids.json': '[{"id": "a"}, {"id": "b\\nc"}]' })
    expectRefused(
      result,
      "evidence/ids.json record 2 (line 1): 'id' has control character U+000A at character 2",
    )
  })

  it('an over-long id', async () => {
    const result = await runWithFiles({
      'ids.ndjson': `{"id": "ok"}\n{"id": "${'x'.repeat(100_000)}"}\n`,
    })
    expectRefused(
      result,
      "evidence/ids.ndjson record 2 (line 2): 'id' is 100000 characters",
      'an id may be at most 255 characters',
    )
  })

  it('5,000 levels of nesting in NDJSON', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000)
    const result = await runWithFiles({ 'deep.ndjson': `{"id": "a"}\n{"id": "b", "x": ${deep}}\n` })
    expectRefused(result, 'evidence/deep.ndjson line 2, column 81: nested more than 64 levels deep')
    expect(result.stdout + result.stderr).not.toContain('Maximum call stack')
  })

  it('a file over the size limit, refused by its size before it is read', async () => {
    const run = makeDirs()
    mkdirSync(path.join(run.workspace, 'evidence'))
    // A sparse file: 65 MiB long without taking the disk space or the time to write it.
    const big = path.join(run.workspace, 'evidence', 'huge.json')
    writeFileSync(big, '')
    truncateSync(big, 65 * 1024 * 1024)
    const result = await runAction({
      dirs: run,
      inputs: sandboxInputs(sandbox().url, { 'records-file': 'evidence/*' }),
      files: { 'evidence/small.json': '{"id": "s"}' },
    })
    expectRefused(
      result,
      'evidence/huge.json: 65 MiB; a JSON records file may be at most 64 MiB; split it into several files',
    )
  })

  it('reports every bad file at once', async () => {
    const result = await runWithFiles({
      'a.json': '{"id": "a", "status": ok}',
      'b.json': '{"id": "b"}',
      'c.yaml': bytes('id: c\nname: ', Uint8Array.from([0xff]), '\n'),
    })
    expectRefused(
      result,
      'evidence/a.json line 1, column 23: not valid JSON',
      'evidence/c.yaml: not valid UTF-8: invalid byte 0xFF at byte offset 12 (line 2)',
    )
  })
})

describe('records files that are valid', () => {
  it('a UTF-8 byte order mark is accepted', async () => {
    const result = await runWithFiles({
      'bom.json': bytes(BOM, '[{"id": "bom-1", "name": "café"}]'),
      'bom.ndjson': bytes(BOM, '{"id": "bom-2"}\n'),
    })
    expect(result.code).toBe(0)
    expect(errorLine(result)).toBe('')
    const active = sandbox().activeRecords(1, 1)
    expect(active.map((r) => r.id)).toEqual(['bom-1', 'bom-2'])
    expect(active[0]?.attributes).toMatchObject({ id: 'bom-1', name: 'café' })
  })

  it('an array of 150,000 records parses and plans in a dry run', async () => {
    const result = await runWithFiles(
      { 'many.json': JSON.stringify(makeRecords(150_000, 'big')) },
      { 'dry-run': 'true' },
    )
    expect(errorLine(result)).toBe('')
    expect(result.code).toBe(0)
    expect(result.summary).toContain('would push 150000 records')
    expect(writes(sandbox().requests)).toBe(0)
  }, 60_000)
})
