/**
 * Splits a JSON or NDJSON records file into its records' bytes as the file streams in, so a
 * large file is never held whole. This only finds where each record starts and ends; the
 * record's own text is checked by the strict scanner (json-text.ts) afterwards. Anything that is
 * not the shape of a records file stops the split with a ShapeError: the caller then lets the
 * whole-file parser name the exact place and problem.
 */

import {
  BACKSLASH,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COMMA,
  CR,
  isJsonSpace,
  LF,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE,
  SPACE,
  TAB,
} from './json-chars.js'

/** One record of a file: its bytes exactly as the file holds them. */
export interface RawItem {
  bytes: Buffer
  /** The 1-based line the record starts on. */
  line: number
}

/** The file is not one object, an array of objects, or one object a line. */
export class ShapeError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
    this.name = 'ShapeError'
  }
}

/** The index of the next `byte` from `from`, or the chunk's length when there is none. */
function nextIndex(chunk: Buffer, byte: number, from: number): number {
  const at = chunk.indexOf(byte, from)
  return at === -1 ? chunk.length : at
}

/**
 * The records of a file in `format`, from its chunks. A leading byte order mark is skipped.
 * A chunk may be reused for the next one once the next is asked for, and so may a record's
 * bytes: use them before asking for the next record.
 */
export function rawItems(
  chunks: AsyncIterable<Buffer>,
  format: 'json' | 'ndjson',
): AsyncGenerator<RawItem> {
  return format === 'ndjson' ? ndjsonItems(withoutBom(chunks)) : jsonItems(withoutBom(chunks))
}

async function* withoutBom(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let first = true
  for await (const chunk of chunks) {
    if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      yield chunk.subarray(3)
    } else yield chunk
    first = false
  }
}

/** Each non-blank line is a record; a line's closing \r is not part of it. */
async function* ndjsonItems(chunks: AsyncIterable<Buffer>): AsyncGenerator<RawItem> {
  let carry: Buffer[] = []
  let line = 1
  const item = (bytes: Buffer): RawItem | undefined => {
    const end = bytes.at(-1) === CR ? bytes.length - 1 : bytes.length
    for (let i = 0; i < end; i++) {
      const c = bytes[i] as number
      if (c !== SPACE && c !== TAB && c !== CR) return { bytes: bytes.subarray(0, end), line }
    }
    return undefined // a blank line
  }
  for await (const chunk of chunks) {
    let start = 0
    for (let nl = chunk.indexOf(LF); nl !== -1; nl = chunk.indexOf(LF, start)) {
      const piece = chunk.subarray(start, nl)
      const found = item(carry.length > 0 ? Buffer.concat([...carry, piece]) : piece)
      carry = []
      if (found) yield found
      line++
      start = nl + 1
    }
    // Copied: the chunk's memory may hold the next chunk.
    if (start < chunk.length) carry.push(Buffer.from(chunk.subarray(start)))
  }
  const last = carry.length > 0 ? item(Buffer.concat(carry)) : undefined
  if (last) yield last
}

type Place = 'top' | 'first' | 'after-item' | 'after-comma' | 'done'

/**
 * One object, or an array of objects. Tracks strings (and their escapes) so that brackets and
 * newlines inside them are not taken for structure.
 */
async function* jsonItems(chunks: AsyncIterable<Buffer>): AsyncGenerator<RawItem> {
  let place: Place = 'top'
  let line = 1
  let depth = 0 // > 0 while inside a record
  let inString = false
  let escaped = false
  let pieces: Buffer[] = []
  let startLine = 0
  let single = false // the file is one object, not an array
  for await (const chunk of chunks) {
    let itemStart = depth > 0 ? 0 : -1
    // Where the next quote and backslash are: a string's content is skipped in one step.
    let quote = -1
    let backslash = -1
    for (let i = 0; i < chunk.length; i++) {
      if (depth > 0 && inString) {
        if (escaped) {
          escaped = false
          continue
        }
        if (quote < i) quote = nextIndex(chunk, QUOTE, i)
        if (backslash < i) backslash = nextIndex(chunk, BACKSLASH, i)
        // A raw line break inside a string is not JSON: the record's own check refuses it,
        // so line counting may skip string content.
        i = Math.min(quote, backslash)
        if (i === chunk.length) break
        if (i === quote) inString = false
        else escaped = true
        continue
      }
      const c = chunk[i] as number
      if (c === LF) line++
      if (depth > 0) {
        if (c === QUOTE) inString = true
        else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++
        else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
          if (--depth === 0) {
            const last = chunk.subarray(itemStart, i + 1)
            const bytes = pieces.length > 0 ? Buffer.concat([...pieces, last]) : last
            pieces = []
            itemStart = -1
            place = single ? 'done' : 'after-item'
            yield { bytes, line: startLine }
          }
        }
        continue
      }
      if (isJsonSpace(c)) continue
      if (c === OPEN_OBJECT && (place === 'top' || place === 'first' || place === 'after-comma')) {
        single = place === 'top'
        depth = 1
        itemStart = i
        startLine = line
      } else if (c === OPEN_ARRAY && place === 'top') place = 'first'
      else if (c === CLOSE_ARRAY && (place === 'first' || place === 'after-item')) place = 'done'
      else if (c === COMMA && place === 'after-item') place = 'after-comma'
      else throw new ShapeError(`unexpected byte 0x${c.toString(16)} (${place})`, line)
    }
    // Copied: the chunk's memory may hold the next chunk.
    if (depth > 0) pieces.push(Buffer.from(chunk.subarray(itemStart)))
  }
  if (place !== 'done') throw new ShapeError('the file ends before its value does', line)
}
