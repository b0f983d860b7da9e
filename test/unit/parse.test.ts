import { describe, expect, it } from 'vitest'
import { isPlainObject, parseRecords } from '../../src/evidence/parse.js'

function parseError(text: string, format: 'yaml' | 'ndjson', where = 'f.yaml'): string {
  try {
    parseRecords(text, format, where)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('parseRecords accepted the text')
}

describe('parseRecords (JSON and YAML)', () => {
  it('parses a JSON array of objects', () => {
    expect(parseRecords('[{"id":"a","n":1.5,"ok":false,"x":null}]', 'yaml', 'f.json')).toEqual([
      { id: 'a', n: 1.5, ok: false, x: null },
    ])
  })

  it('parses one object as one record', () => {
    expect(parseRecords('id: a\nnested:\n  k: [1, 2]\n', 'yaml', 'f.yaml')).toEqual([
      { id: 'a', nested: { k: [1, 2] } },
    ])
  })

  it('parses every document of a multi-document YAML stream, in order', () => {
    const text = '---\nid: a\n---\n- id: b\n- id: c\n---\n{"id": "d"}\n'
    expect(parseRecords(text, 'yaml', 'f.yaml').map((r) => r.id)).toEqual(['a', 'b', 'c', 'd'])
  })

  it('skips empty documents and comment-only input', () => {
    expect(parseRecords('---\nid: a\n---\n---\n# nothing\n', 'yaml', 'f.yaml')).toEqual([
      { id: 'a' },
    ])
    expect(parseRecords('# only a comment\n', 'yaml', 'f.yaml')).toEqual([])
    expect(parseRecords('', 'yaml', 'f.yaml')).toEqual([])
  })

  it('reads YAML 1.2 words like yes and on as strings', () => {
    expect(parseRecords('id: a\nflag: yes\nswitch: on\n', 'yaml', 'f.yaml')).toEqual([
      { id: 'a', flag: 'yes', switch: 'on' },
    ])
  })

  it('rejects duplicate keys, with the place', () => {
    const message = parseError('id: a\nname: x\nname: y\n', 'yaml', 'evidence/dup.yaml')
    expect(message).toMatch(
      /^evidence\/dup\.yaml: not valid JSON or YAML: .*unique.* at line 3, column 1$/,
    )
  })

  it('rejects duplicate keys in JSON too', () => {
    expect(parseError('{"id": "a", "id": "b"}', 'yaml', 'f.json')).toMatch(
      /^f\.json: not valid JSON or YAML: .*unique.* at line 1, column \d+$/,
    )
  })

  it('names the line of a syntax error', () => {
    const message = parseError('- id: a\n- id: b\n  bad: [unclosed\n', 'yaml', 'f.yaml')
    expect(message).toMatch(/^f\.yaml: not valid JSON or YAML: .+ at line \d+, column \d+$/)
    expect(message).not.toContain('\n')
  })

  it.each([
    ['a number', '42', 'f.yaml: found a number; expected an object or an array of objects'],
    ['a string', 'hello', 'f.yaml: found a string; expected an object or an array of objects'],
    ['a boolean', 'true', 'f.yaml: found a boolean; expected an object or an array of objects'],
  ])('rejects %s as a document', (_label, text, expected) => {
    expect(parseError(text, 'yaml')).toBe(expected)
  })

  it('rejects an array holding a scalar, null or an array, naming the item', () => {
    expect(parseError('[{"id":"a"}, 3]', 'yaml')).toBe(
      'f.yaml: item 2 is a number; expected an object',
    )
    expect(parseError('[null]', 'yaml')).toBe('f.yaml: item 1 is null; expected an object')
    expect(parseError('[[{"id":"a"}]]', 'yaml')).toBe(
      'f.yaml: item 1 is an array; expected an object',
    )
  })

  it('refuses an alias bomb', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i <= 12; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      )
    expect(() => parseRecords(lines.join('\n'), 'yaml', 'bomb.yaml')).toThrow()
  })
})

describe('parseRecords (NDJSON)', () => {
  it('parses one object per line, skipping blank lines and CRLF', () => {
    expect(parseRecords('{"id":"a"}\r\n\r\n  \n{"id":"b"}\n', 'ndjson', 'f.ndjson')).toEqual([
      { id: 'a' },
      { id: 'b' },
    ])
  })

  it('names the line of invalid JSON', () => {
    const message = parseError('{"id":"a"}\n\n{"id": b}\n', 'ndjson', 'out/f.ndjson')
    expect(message).toMatch(/^out\/f\.ndjson line 3: not valid JSON \(/)
  })

  it.each([
    ['an array', '[{"id":"a"}]'],
    ['a number', '5'],
    ['null', 'null'],
    ['a string', '"x"'],
  ])('rejects %s on a line, naming the line', (_label, line) => {
    expect(parseError(`{"id":"a"}\n${line}\n`, 'ndjson', 'f.jsonl')).toBe(
      'f.jsonl line 2: expected one JSON object per line',
    )
  })

  it('does not accept YAML in NDJSON', () => {
    expect(parseError('id: a\n', 'ndjson', 'f.ndjson')).toMatch(/^f\.ndjson line 1: not valid JSON/)
  })
})

describe('isPlainObject', () => {
  it('is true only for non-null, non-array objects', () => {
    expect(isPlainObject({})).toBe(true)
    expect(isPlainObject([])).toBe(false)
    expect(isPlainObject(null)).toBe(false)
    expect(isPlainObject('x')).toBe(false)
  })
})
