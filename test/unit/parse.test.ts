import { describe, expect, it } from 'vitest'
import { isPlainObject, parseRecords, type RecordFormat } from '../../src/evidence/parse.js'
import { MAX_DEPTH } from '../../src/evidence/limits.js'

function parseError(text: string, format: RecordFormat, where = 'f.yaml'): string {
  try {
    parseRecords(text, format, where)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('parseRecords accepted the text')
}

const records = (text: string, format: RecordFormat, where = 'f') =>
  parseRecords(text, format, where).records

/** `levels` arrays nested inside each other: `[[…]]`. */
const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels)

describe('parseRecords (strict JSON)', () => {
  it('parses a JSON array of objects, with the line each starts on', () => {
    const text = '[\n  {"id":"a","n":1.5,"ok":false,"x":null},\n\n  {"id":"b","s":"\\u00e9\\n"}\n]'
    expect(parseRecords(text, 'json', 'f.json')).toEqual({
      records: [
        { id: 'a', n: 1.5, ok: false, x: null },
        { id: 'b', s: 'é\n' },
      ],
      lines: [2, 4],
    })
  })

  it('parses one object as one record', () => {
    expect(parseRecords('\n\n {"id":"a","k":[1,{"b":[]}]}\n', 'json', 'f.json')).toEqual({
      records: [{ id: 'a', k: [1, { b: [] }] }],
      lines: [3],
    })
  })

  it('parses an empty array as no records', () => {
    expect(records('[ ]', 'json')).toEqual([])
  })

  it.each([
    [
      'a bare word',
      '{"status": ok}',
      "f.json line 1, column 12: not valid JSON: expected a value, found 'o' (a bare word; quote text as a JSON string)",
    ],
    [
      'a trailing comma in an object',
      '{\n  "id": "a",\n}',
      "f.json line 3, column 1: not valid JSON: trailing comma before '}'; JSON allows none",
    ],
    [
      'a trailing comma in an array',
      '[{"id": "a"},\n {"id": "b"},\n]',
      "f.json line 3, column 1: not valid JSON: trailing comma before ']'; JSON allows none",
    ],
    [
      'single-quoted keys',
      "{'id': 'a'}",
      'f.json line 1, column 2: not valid JSON: expected a property name in double quotes, found "\'" (JSON strings take double quotes)',
    ],
    [
      'single-quoted values',
      '{"id": \'a\'}',
      'f.json line 1, column 8: not valid JSON: expected a value, found "\'" (JSON strings take double quotes)',
    ],
    [
      'a comment',
      '// evidence\n{"id": "a"}',
      "f.json line 1, column 1: not valid JSON: expected a value, found '/' (JSON has no comments)",
    ],
    [
      'YAML',
      'id: a\n',
      "f.json line 1, column 1: not valid JSON: expected a value, found 'i' (a bare word; quote text as a JSON string)",
    ],
    [
      'a raw tab in a string',
      '{"id": "a\tb"}',
      'f.json line 1, column 10: not valid JSON: control character U+0009 inside a string; JSON needs it escaped (such as \\n)',
    ],
    [
      'a raw newline in a string',
      '{"id": "a\nb"}',
      'f.json line 1, column 10: not valid JSON: control character U+000A inside a string; JSON needs it escaped (such as \\n)',
    ],
    [
      'an unknown escape',
      '{"id": "a\\xb"}',
      'f.json line 1, column 10: not valid JSON: invalid escape "\\\\x" in a string',
    ],
    [
      'a string never closed',
      '[{"id": "a}]',
      'f.json line 1, column 9: not valid JSON: string never closed (no closing double quote)',
    ],
    [
      'a leading zero',
      '{"n": 007}',
      'f.json line 1, column 7: not valid JSON: invalid number 007}',
    ],
    ['a bare minus', '{"n": -}', 'f.json line 1, column 7: not valid JSON: invalid number -}'],
    [
      'NaN',
      '{"n": NaN}',
      "f.json line 1, column 7: not valid JSON: expected a value, found 'N' (a bare word; quote text as a JSON string)",
    ],
    [
      'a missing colon',
      '{"id" "a"}',
      "f.json line 1, column 7: not valid JSON: expected ':' after a property name, found '\"'",
    ],
    [
      'a missing comma',
      '[{"id": "a"}\n {"id": "b"}]',
      "f.json line 2, column 2: not valid JSON: expected ',' or ']' after an array item, found '{'",
    ],
    [
      'a cut-short file',
      '[{"id": "a"},\n {"id": "b"',
      "f.json line 2, column 12: not valid JSON: expected ',' or '}' after a value, found the end",
    ],
    [
      'two values',
      '{"id": "a"}\n{"id": "b"}\n',
      "f.json line 2, column 1: not valid JSON: found '{' after the JSON value; a file holds one value (an object or an array of objects)",
    ],
    [
      'an empty file',
      '',
      'f.json line 1, column 1: not valid JSON: expected a JSON value, found nothing',
    ],
    [
      'a file of spaces',
      ' \n ',
      'f.json line 2, column 2: not valid JSON: expected a JSON value, found nothing',
    ],
    [
      'a control character outside strings',
      '{"id": "a"}\u0000',
      'f.json line 1, column 12: not valid JSON: found U+0000 after the JSON value; a file holds one value (an object or an array of objects)',
    ],
  ])('rejects %s, naming the line and column', (_label, text, expected) => {
    expect(parseError(text, 'json', 'f.json')).toBe(expected)
  })

  it('counts columns in characters, not UTF-16 units', () => {
    expect(parseError('{"e": "😀", x}', 'json', 'f.json')).toMatch(/^f\.json line 1, column 12: /)
  })

  it('rejects a repeated key, which JSON.parse would silently let win', () => {
    expect(parseError('[{"id": "a",\n  "id": "b"}]', 'json', 'evidence/x.json')).toBe(
      'evidence/x.json line 2, column 3: duplicate key "id" in one object; the earlier value would be lost',
    )
    // The same key written with an escape is the same key.
    expect(parseError('{"id": 1, "\\u0069d": 2}', 'json', 'f.json')).toMatch(/duplicate key "id"/)
    // Same names in different objects are fine.
    expect(records('[{"id":"a","k":{"id":1}},{"id":"b"}]', 'json')).toHaveLength(2)
  })

  it('rejects numbers JSON.parse would change', () => {
    expect(parseError('{"id": 12345678901234567890}', 'json', 'f.json')).toBe(
      'f.json line 1, column 8: integer 12345678901234567890 is beyond 2^53 and would lose digits; write it as a string',
    )
    expect(parseError('{"n": -1e400}', 'json', 'f.json')).toBe(
      'f.json line 1, column 7: number -1e400 is too large to hold',
    )
    expect(parseError('{"n": 1e-400}', 'json', 'f.json')).toBe(
      'f.json line 1, column 7: number 1e-400 is too small to hold; write it as a string',
    )
    expect(records('{"a": 9007199254740991, "b": -0.5e-3, "c": 1E+2}', 'json')).toEqual([
      { a: 9007199254740991, b: -0.0005, c: 100 },
    ])
    // Zero written any way is zero, not a value lost.
    expect(records('{"a": 0, "b": -0.0, "c": 0e-400, "d": 5e-324}', 'json')).toEqual([
      { a: 0, b: -0, c: 0, d: 5e-324 },
    ])
  })

  it.each([
    ['a number', '42', 'f.json line 1: found a number; expected an object or an array of objects'],
    ['a string', '"x"', 'f.json line 1: found a string; expected an object or an array of objects'],
    ['null', 'null', 'f.json line 1: found null; expected an object or an array of objects'],
  ])('rejects %s as the document', (_label, text, expected) => {
    expect(parseError(text, 'json', 'f.json')).toBe(expected)
  })

  it('rejects an array item that is not an object, naming its line', () => {
    expect(parseError('[\n{"id":"a"},\n3]', 'json', 'f.json')).toBe(
      'f.json line 3: item 2 is a number; expected an object',
    )
    expect(parseError('[[{"id":"a"}]]', 'json', 'f.json')).toBe(
      'f.json line 1: item 1 is an array; expected an object',
    )
  })

  it('parses 150,000 records in an array', () => {
    const many = Array.from({ length: 150_000 }, (_, i) => ({ id: `r${i}`, n: i }))
    const parsed = parseRecords(JSON.stringify(many), 'json', 'f.json')
    expect(parsed.records).toHaveLength(150_000)
    expect(parsed.records.at(-1)).toEqual({ id: 'r149999', n: 149_999 })
    expect(parsed.lines).toHaveLength(150_000)
  })
})

describe('parseRecords: nesting limit', () => {
  it(`accepts a record nested ${MAX_DEPTH} levels deep`, () => {
    // The record is level 1; its field holds MAX_DEPTH - 1 more levels.
    const deepest = `{"id":"a","x":${nested(MAX_DEPTH - 1)}}`
    expect(records(deepest, 'json')).toHaveLength(1)
    expect(records(`[${deepest}]`, 'json')).toHaveLength(1)
    expect(records(`${deepest}\n`, 'ndjson')).toHaveLength(1)
    expect(records(`- ${deepest}\n`, 'yaml')).toHaveLength(1)
  })

  it('refuses one level more in JSON, naming the line and column', () => {
    const text = `[\n{"id":"a","x":${nested(MAX_DEPTH)}}]`
    expect(parseError(text, 'json', 'f.json')).toBe(
      `f.json line 2, column ${14 + MAX_DEPTH}: nested more than ${MAX_DEPTH} levels deep (the limit for a record)`,
    )
  })

  it('refuses 5,000 levels in NDJSON, naming the line and column, without a stack overflow', () => {
    const text = `{"id":"ok"}\n{"id":"a","x":${nested(5000)}}\n`
    expect(parseError(text, 'ndjson', 'f.ndjson')).toBe(
      `f.ndjson line 2, column ${14 + MAX_DEPTH}: nested more than ${MAX_DEPTH} levels deep (the limit for a record)`,
    )
  })

  it('refuses deep nesting in YAML before building it (the YAML builder recurses)', () => {
    expect(parseError(`id: a\nx: ${nested(5000)}\n`, 'yaml', 'f.yaml')).toBe(
      `f.yaml line 2, column ${3 + MAX_DEPTH}: nested more than ${MAX_DEPTH} levels deep (the limit for a record)`,
    )
    let block = 'id: a\n'
    for (let i = 0; i < 100; i++) block += `${' '.repeat(i)}k:\n`
    expect(parseError(block, 'yaml', 'f.yaml')).toMatch(
      new RegExp(`^f\\.yaml line ${MAX_DEPTH + 2}, column ${MAX_DEPTH + 1}: nested more than`),
    )
  })

  it('refuses nesting that YAML aliases build, checking the parsed value', () => {
    const half = nested(40)
    const text = `a: &a ${half}\nid: x\nb: ${'['.repeat(40)}*a${']'.repeat(40)}\n`
    expect(parseError(text, 'yaml', "'records'")).toBe(
      `'records' record 1 (line 1): nested more than ${MAX_DEPTH} levels deep (the limit for a record)`,
    )
  })
})

describe('parseRecords (YAML)', () => {
  it('parses one object as one record', () => {
    expect(parseRecords('id: a\nnested:\n  k: [1, 2]\n', 'yaml', 'f.yaml')).toEqual({
      records: [{ id: 'a', nested: { k: [1, 2] } }],
      lines: [1],
    })
  })

  it('parses every document of a multi-document YAML stream, in order, with lines', () => {
    const text = '---\nid: a\n---\n- id: b\n- id: c\n---\n{"id": "d"}\n'
    expect(parseRecords(text, 'yaml', 'f.yaml')).toEqual({
      records: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }],
      lines: [2, 4, 5, 7],
    })
  })

  it('skips empty documents and comment-only input', () => {
    expect(records('---\nid: a\n---\n---\n# nothing\n', 'yaml')).toEqual([{ id: 'a' }])
    expect(records('# only a comment\n', 'yaml')).toEqual([])
    expect(records('', 'yaml')).toEqual([])
  })

  it('reads YAML 1.2 words like yes and on as strings', () => {
    expect(records('id: a\nflag: yes\nswitch: on\n', 'yaml')).toEqual([
      { id: 'a', flag: 'yes', switch: 'on' },
    ])
  })

  it('rejects duplicate keys, with the place', () => {
    const message = parseError('id: a\nname: x\nname: y\n', 'yaml', 'evidence/dup.yaml')
    expect(message).toMatch(
      /^evidence\/dup\.yaml: not valid JSON or YAML: .*unique.* at line 3, column 1$/,
    )
  })

  it('names the line of a syntax error', () => {
    const message = parseError('- id: a\n- id: b\n  bad: [unclosed\n', 'yaml', 'f.yaml')
    expect(message).toMatch(/^f\.yaml: not valid JSON or YAML: .+ at line \d+, column \d+$/)
    expect(message).not.toContain('\n')
  })

  it.each([
    ['a number', '42', 'f.yaml line 1: found a number; expected an object or an array of objects'],
    [
      'a string',
      'hello',
      'f.yaml line 1: found a string; expected an object or an array of objects',
    ],
    [
      'a boolean',
      'true',
      'f.yaml line 1: found a boolean; expected an object or an array of objects',
    ],
  ])('rejects %s as a document', (_label, text, expected) => {
    expect(parseError(text, 'yaml')).toBe(expected)
  })

  it('rejects an array holding a scalar, null or an array, naming the item and its line', () => {
    expect(parseError('[{"id":"a"}, 3]', 'yaml')).toBe(
      'f.yaml line 1: item 2 is a number; expected an object',
    )
    expect(parseError('- id: a\n- null\n', 'yaml')).toBe(
      'f.yaml line 2: item 2 is null; expected an object',
    )
    expect(parseError('[[{"id":"a"}]]', 'yaml')).toBe(
      'f.yaml line 1: item 1 is an array; expected an object',
    )
  })

  it('rejects .inf and .nan, which JSON would turn into null', () => {
    expect(parseError('- id: a\n- id: b\n  x: .nan\n', 'yaml')).toBe(
      'f.yaml record 2 (line 2): holds the number NaN, which JSON cannot carry',
    )
    expect(parseError('id: a\nx: [-.inf]\n', 'yaml')).toBe(
      'f.yaml record 1 (line 1): holds the number -Infinity, which JSON cannot carry',
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
    expect(parseError(lines.join('\n'), 'yaml', 'bomb.yaml')).toMatch(/^bomb\.yaml line 1: /)
  })
})

describe('parseRecords (NDJSON)', () => {
  it('parses one object per line, skipping blank lines and CRLF, with each line', () => {
    expect(parseRecords('{"id":"a"}\r\n\r\n  \n{"id":"b"}\n', 'ndjson', 'f.ndjson')).toEqual({
      records: [{ id: 'a' }, { id: 'b' }],
      lines: [1, 4],
    })
  })

  it('names the line and column of invalid JSON', () => {
    expect(parseError('{"id":"a"}\n\n{"id": b}\n', 'ndjson', 'out/f.ndjson')).toBe(
      "out/f.ndjson line 3, column 8: not valid JSON: expected a value, found 'b' (a bare word; quote text as a JSON string)",
    )
    expect(parseError('{"id":"a",}\n', 'ndjson', 'f.jsonl')).toBe(
      "f.jsonl line 1, column 11: not valid JSON: trailing comma before '}'; JSON allows none",
    )
    expect(parseError('{"id":"a"}\n{"id":"b","id":"c"}\n', 'ndjson', 'f.jsonl')).toBe(
      'f.jsonl line 2, column 11: duplicate key "id" in one object; the earlier value would be lost',
    )
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
    expect(parseError('id: a\n', 'ndjson', 'f.ndjson')).toMatch(
      /^f\.ndjson line 1, column 1: not valid JSON/,
    )
  })

  it('does not take a line holding only a non-JSON space as blank', () => {
    expect(parseError('{"id":"a"}\n\u00a0\n', 'ndjson', 'f.ndjson')).toMatch(
      /^f\.ndjson line 2, column 1: not valid JSON: expected a value/,
    )
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
