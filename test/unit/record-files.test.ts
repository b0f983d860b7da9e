import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { assembleRecords, RecordError } from '../../src/evidence/assemble.js'
import { recordFileSources } from '../../src/evidence/record-files.js'
import { FILE_LIMITS, type FileLimits } from '../../src/evidence/limits.js'
import type { RecordSet } from '../../src/evidence/record-set.js'
import { batchStream } from '../../src/push/batches.js'
import { recordsOf } from './record-set-kit.js'

let workspace: string
beforeEach(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'drata-files-'))
})
afterEach(() => {
  rmSync(workspace, { recursive: true, force: true })
})

function write(files: Record<string, string | Uint8Array>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true })
    writeFileSync(path.join(workspace, name), content)
  }
}

/** Each matched file's records as its source reads them the first time, with their lines. */
async function readRecordFiles(patterns: string[], idField = 'id') {
  const out = []
  for (const source of await recordFileSources(patterns, workspace, idField)) {
    const records = []
    const lines = []
    for await (const { record, line } of source.records) {
      records.push(record)
      lines.push(line)
    }
    out.push({ file: source.source, records, lines })
  }
  return out
}

/** The problems found in the files: their sizes first, else their records, one a line. */
async function readError(patterns: string[], limits: FileLimits = FILE_LIMITS): Promise<string> {
  try {
    await assembleRecords(await recordFileSources(patterns, workspace, 'id', limits))
  } catch (error) {
    return error instanceof RecordError ? error.problems.join('\n') : (error as Error).message
  }
  throw new Error('the files were accepted')
}

/**
 * A file's records as checked. With `statsAsChecked` the file's stats count as unchanged, so
 * only what is found while it is read again can tell a change.
 */
async function checked(name: string, statsAsChecked = false): Promise<RecordSet> {
  const sources = await recordFileSources([name], workspace, 'id')
  const trusted = sources.map((source) => ({
    ...source,
    file: source.file && { ...source.file, assertUnchanged: async () => {} },
  }))
  return assembleRecords(statsAsChecked ? trusted : sources)
}

/** Reads the records out as a push does: the texts given, and the error that stopped it. */
async function sendAll(set: RecordSet): Promise<{ sent: string[]; error?: string }> {
  const sent: string[] = []
  try {
    for await (const text of set.texts()) sent.push(text.toString())
  } catch (error) {
    return { sent, error: (error as Error).message }
  }
  return { sent }
}

describe('recordFileSources', () => {
  it('reads each format with the line of every record, in sorted order', async () => {
    write({
      'e/b.ndjson': '{"id":"n1"}\n\n{"id":"n2"}\n',
      'e/a.json': '[\n{"id":"j1"}\n]',
      'e/c.yml': '- id: y1\n- id: y2\n',
    })
    expect(await readRecordFiles(['e/*'])).toEqual([
      { file: 'e/a.json', records: [{ id: 'j1' }], lines: [2] },
      { file: 'e/b.ndjson', records: [{ id: 'n1' }, { id: 'n2' }], lines: [1, 3] },
      { file: 'e/c.yml', records: [{ id: 'y1' }, { id: 'y2' }], lines: [1, 2] },
    ])
  })

  it('reads .json as JSON, not YAML', async () => {
    write({ 'a.json': '{"id": "a", "status": ok}' })
    expect(await readError(['a.json'])).toBe(
      "a.json line 1, column 23: not valid JSON: expected a value, found 'o' (a bare word; quote text as a JSON string)",
    )
  })

  it('accepts a UTF-8 byte order mark', async () => {
    write({
      'a.json': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"id":"a"}')]),
      'b.ndjson': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"id":"b"}\n')]),
    })
    const found = await readRecordFiles(['*.json', '*.ndjson'])
    expect(found.map((f) => f.records)).toEqual([[{ id: 'a' }], [{ id: 'b' }]])
  })

  it('refuses a byte order mark inside a file, as files joined with cat have', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf])
    write({
      'a.ndjson': Buffer.concat([
        bom,
        Buffer.from('{"id":"a"}\n'),
        bom,
        Buffer.from('{"id":"b"}\n'),
      ]),
    })
    expect(await readError(['a.ndjson'])).toMatch(/^a\.ndjson line 2, column 1: not valid JSON: /)
  })

  it('refuses a raw control character inside a string, naming its line and column', async () => {
    write({ 'c.ndjson': '{"id":"a"}\n{"id":"b","note":"x\ty"}\n' })
    expect(await readError(['c.ndjson'])).toBe(
      'c.ndjson line 2, column 20: not valid JSON: control character U+0009 inside a string; JSON needs it escaped (such as \\n)',
    )
  })

  it('refuses invalid UTF-8, naming the file and byte offset', async () => {
    write({ 'a.yaml': Buffer.concat([Buffer.from('id: a\nname: caf'), Buffer.from([0xe9, 0x0a])]) })
    expect(await readError(['a.yaml'])).toBe(
      'a.yaml: not valid UTF-8: invalid byte 0xE9 at byte offset 15 (line 2); save the file as UTF-8',
    )
  })

  it('refuses a file over its size limit by its size, naming the file and the limit', async () => {
    write({
      'big.json': `[${'{"id":"x"},'.repeat(20)}{"id":"y"}]`,
      'big.yaml': 'id: a\n'.repeat(20),
    })
    const limits = { json: 100, yaml: 50, total: 1000 }
    expect((await readError(['big.*'], limits)).split('\n')).toEqual([
      'big.json: 232 bytes; a JSON records file may be at most 100 bytes; split it into several files',
      'big.yaml: 120 bytes; a YAML records file may be at most 50 bytes; write it as .json or .ndjson, which may be larger, or split it',
    ])
  })

  it('refuses records files over the total limit, naming the file that passes it', async () => {
    write({ 'a.json': '{"id":"a"}', 'b.json': '{"id":"b"}', 'c.json': '{"id":"c"}' })
    expect(await readError(['*.json'], { json: 100, yaml: 100, total: 15 })).toBe(
      'b.json: brings the records files to 20 bytes, over the 15 bytes one run may read; push them in several steps',
    )
  })

  it('reports the problems of every file at once', async () => {
    write({
      'a.json': "{'id': 'a'}",
      'b.json': '{"id":"b"}',
      'c.jsonl': '{"id":"c"}\n{"id":"d",}\n',
      'd.json': Buffer.from([0x7b, 0xff, 0x7d]),
    })
    expect((await readError(['*.json', '*.jsonl'])).split('\n')).toEqual([
      'a.json line 1, column 2: not valid JSON: expected a property name in double quotes, found "\'" (JSON strings take double quotes)',
      "c.jsonl line 2, column 11: not valid JSON: trailing comma before '}'; JSON allows none",
      'd.json: not valid UTF-8: invalid byte 0xFF at byte offset 1 (line 1); save the file as UTF-8',
    ])
  })

  it('streams a JSON array across read chunks: strings with brackets, escapes and newlines', async () => {
    // Over 64 KiB, so records straddle the read stream's chunks.
    const records = Array.from({ length: 600 }, (_, i) => ({
      id: `r${i}`,
      note: `a "quoted" ] } [ { \\ ${'x'.repeat(i % 300)}`,
      nested: { list: [i, { deep: [] }], text: 'line\nbreak' },
    }))
    const text = `[\n${records.map((r) => JSON.stringify(r, null, 2)).join(',\n')}\n]\n`
    expect(text.length).toBeGreaterThan(128 * 1024)
    write({ 'big.json': text })
    const [found] = await readRecordFiles(['big.json'])
    expect(found?.records).toEqual(records)
    // Each record starts on its own line of the pretty-printed file.
    expect(found?.lines.slice(0, 3)).toEqual([2, 15, 28])
    const set = await assembleRecords(await recordFileSources(['big.json'], workspace, 'id'))
    expect((await recordsOf(set)).map((r) => r.data)).toEqual(records)
  })

  it('sends a file record as the file holds it, or rewritten when its id comes from id-field', async () => {
    write({ 'a.ndjson': '{ "id" : "a", "n": 1.50 }\r\n{"id": " b ", "key": 7}\n' })
    const set = await assembleRecords(await recordFileSources(['a.ndjson'], workspace, 'id'))
    expect((await recordsOf(set)).map((r) => r.json)).toEqual([
      '{ "id" : "a", "n": 1.50 }',
      '{"id":"b","key":7}',
    ])
    expect(set.sizes).toEqual([25, 18])
    write({ 'k.ndjson': '{"key": 7}\n' })
    const byKey = await assembleRecords(await recordFileSources(['k.ndjson'], workspace, 'key'))
    expect((await recordsOf(byKey)).map((r) => r.json)).toEqual(['{"key":7,"id":"7"}'])
  })

  it('previews each record on one line, however the file lays it out', async () => {
    write({ 'p.json': '[\n  {\n    "id": "a",\n    "n": [1, 2]\n  }\n]\n' })
    const set = await assembleRecords(await recordFileSources(['p.json'], workspace, 'id'))
    expect(set.preview).toEqual(['{"id":"a","n":[1,2]}'])
    // Sent as the file writes it, all the same.
    expect((await recordsOf(set)).map((r) => r.json)).toEqual([
      '{\n    "id": "a",\n    "n": [1, 2]\n  }',
    ])
  })

  it('refuses to send a file that changed after it was checked', async () => {
    const file = path.join(workspace, 'a.ndjson')
    write({ 'a.ndjson': '{"id":"a","v":1}\n{"id":"b","v":2}\n' })
    utimesSync(file, 1_700_000_000, 1_700_000_000) // a whole second: set back exactly below
    const set = await checked('a.ndjson')
    // Same size, other content, and the modification time set back: the change time tells.
    write({ 'a.ndjson': '{"id":"a","v":1}\n{"id":"b","v":3}\n' })
    utimesSync(file, 1_700_000_000, 1_700_000_000)
    const { sent, error } = await sendAll(set)
    expect(error).toMatch(/^a\.ndjson changed after this run checked it; nothing of it was sent/)
    expect(sent).toEqual([])
  })

  it("finds a change no record shows by the whole file's SHA-256, once it is read again", async () => {
    // The records keep their bytes (and checksums); only the blank line between them changes.
    write({ 'a.ndjson': '{"id":"a"}\n\n{"id":"b"}\n' })
    const set = await checked('a.ndjson', true)
    write({ 'a.ndjson': '{"id":"a"}\n \n{"id":"b"}\n' })
    const { sent, error } = await sendAll(set)
    expect(error).toContain(
      'a.ndjson changed while this run was pushing it (its SHA-256 is not the one checked)',
    )
    expect(sent).toEqual(['{"id":"a"}', '{"id":"b"}'])
  })

  it('runs the whole-file check when its records go out in batches, before the stream ends', async () => {
    write({ 'a.ndjson': '{"id":"a"}\n\n{"id":"b"}\n' })
    const set = await checked('a.ndjson', true)
    write({ 'a.ndjson': '{"id":"a"}\n \n{"id":"b"}\n' })
    const stream = batchStream(set, 500)
    const batches: string[] = []
    const all = async () => {
      for await (const batch of stream.batches) batches.push(batch.body.toString())
    }
    await expect(all()).rejects.toThrow('its SHA-256 is not the one checked')
    // The one batch was made; a replace would now cancel instead of completing.
    expect(batches).toEqual(['{"data":[{"id":"a"},{"id":"b"}]}'])
  })

  it('says a file changed when it no longer splits into records while it is sent', async () => {
    write({ 'a.json': '[{"id":"a"},{"id":"b"}]' })
    const set = await checked('a.json', true)
    write({ 'a.json': '[{"id":"a"},{"id":"b"' })
    expect((await sendAll(set)).error).toMatch(
      /^a\.json changed while this run was pushing it \(the file ends before its value does\)/,
    )
  })

  it('stops at the record that differs when a file changes while it is sent', async () => {
    write({ 'a.ndjson': '{"id":"a","v":1}\n{"id":"b","v":2}\n' })
    const set = await checked('a.ndjson', true)
    write({ 'a.ndjson': '{"id":"a","v":1}\n{"id":"b","v":3}\n' })
    expect(await sendAll(set)).toEqual({
      sent: ['{"id":"a","v":1}'],
      error: expect.stringContaining(
        'a.ndjson changed while this run was pushing it (line 2 is not what was checked)',
      ) as unknown,
    })
    write({ 'a.ndjson': '{"id":"a","v":1}\n' })
    expect((await sendAll(set)).error).toContain('it now holds 1 records, not 2')
  })

  it('has limits that keep a YAML file far smaller than a JSON one', () => {
    expect(FILE_LIMITS).toEqual({ json: 64 * 2 ** 20, yaml: 4 * 2 ** 20, total: 512 * 2 ** 20 })
  })
})
