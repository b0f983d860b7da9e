import { describe, expect, it } from 'vitest'
import { rawItems, ShapeError } from '../../src/evidence/json-stream.js'

/** The text as a stream of chunks of `size` bytes, all in one buffer, as the file reader does. */
async function* chunks(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text)
  const reused = Buffer.alloc(size)
  for (let i = 0; i < bytes.length; i += size) {
    yield reused.subarray(0, bytes.copy(reused, 0, i, i + size))
    reused.fill(0x23) // what was read before is gone
  }
}

async function split(text: string | Buffer, format: 'json' | 'ndjson', size: number) {
  const out: Array<[string, number]> = []
  // Copied at once: an item's bytes may be a view of a chunk.
  for await (const { bytes, line } of rawItems(chunks(text, size), format)) {
    out.push([bytes.toString(), line])
  }
  return out
}

/** Splits with every chunk size from 1 byte to the whole text: they must all agree. */
async function splitAll(text: string | Buffer, format: 'json' | 'ndjson') {
  const whole = await split(text, format, Buffer.byteLength(text))
  for (let size = 1; size < Buffer.byteLength(text); size++) {
    expect(await split(text, format, size), `chunks of ${size}`).toEqual(whole)
  }
  return whole
}

describe('rawItems (json)', () => {
  it('gives each record of an array as the file writes it, with its line', async () => {
    const text = '[\n  {"a": "x]}\\"{["},\n  {"b": [1, {"c": "\\\\"}]}\n,{}\n]\n'
    expect(await splitAll(text, 'json')).toEqual([
      ['{"a": "x]}\\"{["}', 2],
      ['{"b": [1, {"c": "\\\\"}]}', 3],
      ['{}', 4],
    ])
  })

  it('gives a file of one object as one record, and nothing for an empty array', async () => {
    expect(await splitAll(' {"id": "a"} \n', 'json')).toEqual([['{"id": "a"}', 1]])
    expect(await splitAll('[ ]', 'json')).toEqual([])
  })

  it('skips a byte order mark', async () => {
    const text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[{"id":"é"}]')])
    expect(await split(text, 'json', 64)).toEqual([['{"id":"é"}', 1]])
  })

  it.each([
    ['an empty file', ''],
    ['a scalar', '42'],
    ['an array item that is not an object', '[{"a":1}, 2]'],
    ['a trailing comma', '[{"a":1},]'],
    ['a missing comma', '[{"a":1} {"b":2}]'],
    ['anything after the value', '{"a":1} {"b":2}'],
    ['an unclosed array', '[{"a":1}'],
    ['an unclosed record', '[{"a":"}'],
  ])('stops at %s', async (_label, text) => {
    await expect(split(text, 'json', 3)).rejects.toBeInstanceOf(ShapeError)
  })
})

describe('rawItems (ndjson)', () => {
  it('gives each non-blank line without its line break, with its number', async () => {
    const text = '{"a":1}\r\n\n  \t\r\n{"b":"x\\"y"}\n{"c":3}'
    expect(await splitAll(text, 'ndjson')).toEqual([
      ['{"a":1}', 1],
      ['{"b":"x\\"y"}', 4],
      ['{"c":3}', 5],
    ])
  })
})
