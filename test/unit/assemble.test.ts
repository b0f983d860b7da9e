import { describe, expect, it } from 'vitest'
import { assembleRecords, MAX_RECORD_BYTES, RecordError } from '../../src/evidence/assemble.js'
import { MAX_ID_LENGTH } from '../../src/evidence/limits.js'
import { type PlainSource, recordsOf, sourcesOf } from './record-set-kit.js'

async function problemsOf(sources: PlainSource[]): Promise<string[]> {
  try {
    await assembleRecords(sourcesOf(sources))
  } catch (error) {
    expect(error).toBeInstanceOf(RecordError)
    return (error as RecordError).problems
  }
  throw new Error('assembleRecords accepted the records')
}

describe('assembleRecords', () => {
  it('keeps records in order with their ids and sources', async () => {
    const out = await assembled([
      { source: 'inline', records: [{ id: 'a', x: 1 }], idField: 'id' },
      { source: 'evidence/b.json', records: [{ id: 'b' }, { id: 'c' }], idField: 'id' },
    ])
    expect(out).toEqual([
      { id: 'a', source: 'inline', data: { id: 'a', x: 1 }, json: '{"id":"a","x":1}' },
      { id: 'b', source: 'evidence/b.json', data: { id: 'b' }, json: '{"id":"b"}' },
      { id: 'c', source: 'evidence/b.json', data: { id: 'c' }, json: '{"id":"c"}' },
    ])
  })

  it('copies the id field into id as a string', async () => {
    const [r] = await assembled([
      { source: 'inline', records: [{ key: 'k-1', v: true }], idField: 'key' },
    ])
    expect(r?.id).toBe('k-1')
    expect(r?.data).toEqual({ key: 'k-1', v: true, id: 'k-1' })
  })

  it('turns numeric ids into strings', async () => {
    const out = await assembled([
      { source: 'inline', records: [{ id: 42 }], idField: 'id' },
      { source: 'f.ndjson', records: [{ n: 7 }], idField: 'n' },
    ])
    expect(out.map((r) => r.id)).toEqual(['42', '7'])
    expect(out[0]?.data.id).toBe('42')
    expect(out[1]?.data).toEqual({ n: 7, id: '7' })
  })

  it('trims string ids', async () => {
    const [r] = await assembled([{ source: 'inline', records: [{ id: '  a  ' }], idField: 'id' }])
    expect(r?.id).toBe('a')
    expect(r?.data.id).toBe('a')
  })

  it('accepts an id that agrees with the id field', async () => {
    const [r] = await assembled([
      { source: 'inline', records: [{ id: 5, key: '5' }], idField: 'key' },
    ])
    expect(r?.id).toBe('5')
  })

  it.each([
    ['missing', {}],
    ['empty', { id: '' }],
    ['blank', { id: '   ' }],
    ['null', { id: null }],
    ['boolean', { id: true }],
    ['object', { id: { a: 1 } }],
    ['NaN', { id: Number.NaN }],
    ['Infinity', { id: Number.POSITIVE_INFINITY }],
  ])('rejects a %s id, naming the source and record number', async (_label, record) => {
    const found = await problemsOf([
      { source: 'evidence/x.json', records: [{ id: 'ok' }, record], idField: 'id' },
    ])
    expect(found).toEqual([
      expect.stringContaining(
        "evidence/x.json record 2: 'id' must be a non-empty string or a number",
      ),
    ])
  })

  it('names the id field in a missing-id problem', async () => {
    const found = await problemsOf([{ source: 'inline', records: [{ id: 'a' }], idField: 'key' }])
    expect(found).toEqual([expect.stringContaining("'key' must be a non-empty string")])
  })

  it('rejects a record whose id and id field disagree', async () => {
    const found = await problemsOf([
      { source: 'inline', records: [{ id: 'x', key: 'y' }], idField: 'key' },
    ])
    expect(found).toEqual([
      "inline record 1: has id 'x' and key 'y'; Drata matches records by 'id', so they must agree",
    ])
  })

  it('lists duplicate ids across sources with every source', async () => {
    const found = await problemsOf([
      { source: 'inline', records: [{ id: 'dup' }, { id: 'u1' }], idField: 'id' },
      { source: 'a.json', records: [{ id: 'dup' }], idField: 'id' },
      { source: 'collector:commit', records: [{ id: 'dup' }, { id: 'u2' }], idField: 'id' },
    ])
    expect(found).toEqual(["duplicate id 'dup' in inline, a.json, collector:commit"])
  })

  it('treats ids that become equal as strings as duplicates', async () => {
    const found = await problemsOf([
      { source: 'inline', records: [{ id: 1 }], idField: 'id' },
      { source: 'b.yaml', records: [{ id: '1' }], idField: 'id' },
    ])
    expect(found).toEqual(["duplicate id '1' in inline, b.yaml"])
  })

  it('lists duplicates within one source', async () => {
    expect(
      await problemsOf([{ source: 'inline', records: [{ id: 'a' }, { id: 'a' }], idField: 'id' }]),
    ).toEqual(["duplicate id 'a' in inline, inline"])
  })

  it('lists at most 50 duplicate ids and counts the rest', async () => {
    const records = Array.from({ length: 60 }, (_, i) => ({ id: `d${i}` }))
    const found = await problemsOf([
      { source: 'one', records, idField: 'id' },
      { source: 'two', records, idField: 'id' },
    ])
    expect(found).toHaveLength(51)
    expect(found.at(-1)).toBe('… and 10 more duplicate ids')
  })

  it('rejects an oversize record, with its id and size', async () => {
    const big = { id: 'big', blob: 'x'.repeat(MAX_RECORD_BYTES) }
    const found = await problemsOf([
      { source: 'inline', records: [{ id: 'small' }, big], idField: 'id' },
    ])
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(
      /^inline record 2 \(id big\): \d+ bytes; a record may be at most 1048576 bytes$/,
    )
  })

  it('accepts a record just under the size limit', async () => {
    const overhead = JSON.stringify({ id: 'r', blob: '' }).length
    const out = await assembled([
      {
        source: 'inline',
        records: [{ id: 'r', blob: 'x'.repeat(MAX_RECORD_BYTES - overhead) }],
        idField: 'id',
      },
    ])
    expect(out).toHaveLength(1)
  })

  it('reports every problem at once in the error message', async () => {
    let error: unknown
    try {
      await assembled([
        { source: 'inline', records: [{}, { id: 'a' }, { id: 'a' }], idField: 'id' },
        { source: 'f.json', records: [{ id: 'x', key: 'y' }], idField: 'key' },
      ])
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(RecordError)
    const { problems, message } = error as RecordError
    expect(problems).toHaveLength(3)
    expect(message.startsWith('Invalid records:\n')).toBe(true)
    for (const p of problems) expect(message).toContain(`  - ${p}`)
  })

  it.each([
    ['a newline', 'a\nb', 'U+000A at character 2 ("a\\nb")'],
    [
      'a trailing newline, even though ids are trimmed',
      'abc\n',
      'U+000A at character 4 ("abc\\n")',
    ],
    ['a NUL', '\u0000x', 'U+0000 at character 1 ("\\u0000x")'],
    ['a DEL', 'a\u007f', 'U+007F at character 2 ("a\\u007f")'],
    ['a C1 control', 'a\u0085', 'U+0085 at character 2 ("a\\u0085")'],
    ['a line separator', '😀\u2028', 'U+2028 at character 2 ("😀\\u2028")'],
    ['a paragraph separator', 'a\u2029', 'U+2029 at character 2 ("a\\u2029")'],
  ])('rejects an id with %s, naming the source, record and line', async (_label, id, detail) => {
    const found = await problemsOf([
      { source: 'e/x.ndjson', records: [{ id: 'ok' }, { id }], idField: 'id', lines: [1, 3] },
    ])
    expect(found).toEqual([
      `e/x.ndjson record 2 (line 3): 'id' has control character ${detail}; an id must be printable text on one line`,
    ])
  })

  it('checks the id field it was told to use', async () => {
    expect(
      await problemsOf([{ source: 'inline', records: [{ key: 'k\t' }], idField: 'key' }]),
    ).toEqual([
      `inline record 1: 'key' has control character U+0009 at character 2 ("k\\t"); an id must be printable text on one line`,
    ])
  })

  it('rejects an id with an unpaired surrogate', async () => {
    expect(
      await problemsOf([{ source: 'f.json', records: [{ id: 'a\ud800' }], idField: 'id' }]),
    ).toEqual([
      `f.json record 1: 'id' has an unpaired UTF-16 surrogate ("a\\ud800"); an id must be valid Unicode text`,
    ])
  })

  it(`accepts an id of ${MAX_ID_LENGTH} characters, counting characters outside the BMP as one`, async () => {
    const out = await assembled([
      {
        source: 'inline',
        records: [{ id: 'x'.repeat(MAX_ID_LENGTH) }, { id: '😀'.repeat(MAX_ID_LENGTH) }],
        idField: 'id',
      },
    ])
    expect(out).toHaveLength(2)
  })

  it('rejects a longer id, with its length and the limit', async () => {
    const found = await problemsOf([
      { source: 'f.json', records: [{ id: 'y'.repeat(100_000) }], idField: 'id', lines: [7] },
    ])
    expect(found).toEqual([
      `f.json record 1 (line 7): 'id' is 100000 characters ("${'y'.repeat(40)}…"); an id may be at most ${MAX_ID_LENGTH} characters (this action's limit)`,
    ])
    expect(
      await problemsOf([
        { source: 'i', records: [{ id: 'z'.repeat(MAX_ID_LENGTH + 1) }], idField: 'id' },
      ]),
    ).toEqual([expect.stringContaining(`'id' is ${MAX_ID_LENGTH + 1} characters`)])
  })

  it('lists at most 100 record problems and counts the rest', async () => {
    const records = Array.from({ length: 150_000 }, () => ({ id: 'bad\n' }))
    const found = await problemsOf([{ source: 'f.json', records, idField: 'id' }])
    expect(found).toHaveLength(101)
    expect(found.at(-1)).toBe('… and 149900 more records with problems')
  })

  it('returns nothing for no sources', async () => {
    expect(await assembled([])).toEqual([])
  })
})

/** The records assembleRecords keeps, each as it is sent. */
async function assembled(sources: PlainSource[]) {
  return recordsOf(await assembleRecords(sourcesOf(sources)))
}
