import { describe, expect, it } from 'vitest'
import { decodeUtf8, firstInvalidUtf8 } from '../../src/evidence/utf8.js'

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))))

function decodeError(data: Uint8Array): string {
  try {
    decodeUtf8(data, 'evidence/x.json')
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('decodeUtf8 accepted the bytes')
}

describe('decodeUtf8', () => {
  it('decodes UTF-8, including characters outside the BMP', () => {
    expect(decodeUtf8(bytes('{"id":"é😀"}'), 'f')).toBe('{"id":"é😀"}')
  })

  it('drops a leading byte order mark', () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], '{}'), 'f')).toBe('{}')
  })

  it('names the file, byte offset and line of the first invalid byte', () => {
    // Latin-1 é (0xE9) where UTF-8 needs two bytes.
    expect(decodeError(bytes('[{"id":"a"},\n{"id":"caf', [0xe9], '"}]'))).toBe(
      'evidence/x.json: not valid UTF-8: invalid byte 0xE9 at byte offset 23 (line 2); save the file as UTF-8',
    )
  })

  it.each([
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['a cut-short sequence at the end', [0x61, 0x62, 0xe2, 0x82], 2],
    ['an overlong encoding', [0xc0, 0xaf], 0],
    ['an encoded surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a 0xFF byte', [0x7b, 0xff, 0x7d], 1],
  ])('finds %s', (_label, data, offset) => {
    expect(firstInvalidUtf8(Uint8Array.from(data))).toBe(offset)
    expect(decodeError(Uint8Array.from(data))).toContain(`at byte offset ${offset} (line 1)`)
  })

  it('finds nothing in valid UTF-8', () => {
    expect(firstInvalidUtf8(bytes('aé€😀\u{10ffff}'))).toBe(-1)
  })
})
