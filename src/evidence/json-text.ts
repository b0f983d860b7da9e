import { BACKSLASH, isJsonSpace, QUOTE } from './json-chars.js'

/** Thrown when a JSON text is not strict RFC 8259 JSON or breaks a limit; `offset` is where. */
export class JsonTextError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    /** False for valid JSON that we refuse (a repeated key, a lossy number, too deep). */
    readonly syntax = true,
  ) {
    super(message)
    this.name = 'JsonTextError'
  }
}

/** What a JSON text holds at its top level. */
export interface JsonShape {
  /** Whether the top-level value is an array (then its items are records). */
  topIsArray: boolean
  /** Offset of each top-level array item, in order (empty when the top is not an array). */
  itemStarts: number[]
}

// The single-character escapes RFC 8259 allows after a backslash: " \ / b f n r t
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74])

/**
 * Checks that `text` is exactly one strict JSON value (RFC 8259): no comments, no single
 * quotes, no trailing commas, no bare words, no raw control characters in strings. It also
 * rejects what JSON.parse would silently reinterpret: a repeated key (the last one would win),
 * an integer beyond 2^53 (its digits would change) and a number too large for a double. Nesting
 * deeper than `maxDepth` (plus one for a top-level array of records) is refused. The scan keeps
 * its own stack instead of recursing, so no input can overflow the call stack. JSON.parse then
 * builds the value.
 */
export function checkJsonText(text: string, maxDepth: number): JsonShape {
  return new Scanner(text, maxDepth, true).scan()
}

/**
 * checkJsonText without looking for raw control characters inside strings, for a text that
 * JSON.parse reads next: it refuses those, and the caller then runs checkJsonText for the
 * message. Strings are skipped from quote to quote, which is what makes this one faster.
 */
export function checkJsonTextBeforeParse(text: string, maxDepth: number): JsonShape {
  return new Scanner(text, maxDepth, false).scan()
}

class Scanner {
  private i = 0
  private readonly end: number
  // One entry per open container: the keys seen so far for an object, null for an array.
  private readonly stack: Array<Set<string> | null> = []
  private readonly shape: JsonShape = { topIsArray: false, itemStarts: [] }

  // Where the next backslash is, for the quote-to-quote skip (found once, not per string).
  private backslash = -1

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
    /** Whether strings are read character by character for control characters. */
    private readonly controls: boolean,
  ) {
    this.end = text.length
  }

  scan(): JsonShape {
    this.skipSpace()
    if (this.i >= this.end) throw this.fail('expected a JSON value, found nothing')
    do {
      while (this.value()) {
        // value() opened a container whose first value comes next
      }
    } while (!this.afterValue())
    this.skipSpace()
    if (this.i < this.end)
      throw this.fail(
        `found ${this.found()} after the JSON value; a file holds one value (an object or an array of objects)`,
      )
    return this.shape
  }

  /**
   * Reads the value at i. A scalar is read whole (returns false); a container is opened and,
   * unless it is empty, true says its first value comes next (inside an object, after its key).
   */
  private value(): boolean {
    const { text, stack } = this
    if (stack.length === 1 && stack[0] === null) this.shape.itemStarts.push(this.i)
    const c = text.charCodeAt(this.i)
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length === 0) this.shape.topIsArray = c === 0x5b
      const limit = this.maxDepth + (this.shape.topIsArray ? 1 : 0)
      if (stack.length + 1 > limit)
        throw this.refuse(`nested more than ${this.maxDepth} levels deep (the limit for a record)`)
      this.i++
      this.skipSpace()
      const next = text.charCodeAt(this.i)
      if (c === 0x7b) {
        stack.push(new Set())
        if (next === 0x7d /* } */) return false
        this.key()
        return true
      }
      stack.push(null)
      return next !== 0x5d /* ] */
    }
    if (c === QUOTE) this.i = this.string(this.i)
    else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) this.number()
    else if (!this.literal('true') && !this.literal('false') && !this.literal('null')) {
      throw this.fail(`expected a value, found ${this.found()}${this.hint()}`)
    }
    return false
  }

  /**
   * After a value: closes finished containers and moves past a comma (and, inside an object,
   * the next key). Returns true when the top-level value is complete.
   */
  private afterValue(): boolean {
    const { text, stack } = this
    for (;;) {
      this.skipSpace()
      const top = stack.at(-1)
      if (top === undefined) return true
      const close = top === null ? 0x5d : 0x7d
      const c = text.charCodeAt(this.i)
      if (c === close) {
        stack.pop()
        this.i++
        continue
      }
      if (c === 0x2c /* , */) {
        this.i++
        this.skipSpace()
        if (text.charCodeAt(this.i) === close)
          throw this.fail(`trailing comma before ${this.found()}; JSON allows none`)
        if (top !== null) this.key()
        return false
      }
      const expected = top === null ? "',' or ']' after an array item" : "',' or '}' after a value"
      throw this.fail(`expected ${expected}, found ${this.found()}${this.hint()}`)
    }
  }

  /** Reads `"name":` inside an object, rejecting a key the object already has. */
  private key(): void {
    const { text } = this
    if (text.charCodeAt(this.i) !== QUOTE)
      throw this.fail(
        `expected a property name in double quotes, found ${this.found()}${this.hint()}`,
      )
    const start = this.i
    this.i = this.string(start)
    const raw = text.slice(start + 1, this.i - 1)
    const name = raw.includes('\\') ? (JSON.parse(text.slice(start, this.i)) as string) : raw
    const keys = this.stack.at(-1) as Set<string>
    if (keys.has(name))
      throw new JsonTextError(
        `duplicate key ${JSON.stringify(name)} in one object; the earlier value would be lost`,
        start,
        false,
      )
    keys.add(name)
    this.skipSpace()
    if (text.charCodeAt(this.i) !== 0x3a /* : */)
      throw this.fail(`expected ':' after a property name, found ${this.found()}`)
    this.i++
    this.skipSpace()
  }

  /** Returns the offset just past the string that starts (with its quote) at `start`. */
  private string(start: number): number {
    const { text, end } = this
    let j = start + 1
    for (;;) {
      // Ordinary characters in one step; what stops it is examined below.
      j = this.controls ? this.ordinary(j) : this.toQuoteOrBackslash(j)
      if (j >= end) throw new JsonTextError('string never closed (no closing double quote)', start)
      const c = text.charCodeAt(j)
      if (c === QUOTE) return j + 1
      if (c === BACKSLASH) {
        const e = text.charCodeAt(j + 1)
        if (SIMPLE_ESCAPES.has(e)) j += 2
        else if (e === 0x75 /* u */ && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) j += 6
        else
          throw new JsonTextError(
            `invalid escape ${JSON.stringify(text.slice(j, j + 2))} in a string`,
            j,
          )
      } else if (c < 0x20) {
        throw new JsonTextError(
          `control character ${codePoint(c)} inside a string; JSON needs it escaped (such as \\n)`,
          j,
        )
      } else j++
    }
  }

  /** The offset of the first character at or after j that is not ordinary string content. */
  private ordinary(j: number): number {
    ORDINARY.lastIndex = j
    ORDINARY.test(this.text)
    return ORDINARY.lastIndex
  }

  /** The offset of the next quote or backslash at or after j (or the end). */
  private toQuoteOrBackslash(j: number): number {
    const { text, end } = this
    if (this.backslash < j) {
      const at = text.indexOf('\\', j)
      this.backslash = at === -1 ? end : at
    }
    const quote = text.indexOf('"', j)
    return Math.min(quote === -1 ? end : quote, this.backslash)
  }

  private number(): void {
    NUMBER.lastIndex = this.i
    const literal = NUMBER.exec(this.text)?.[0] ?? ''
    const next = this.text.charCodeAt(this.i + literal.length)
    if (literal === '' || isWordChar(next) || next === 0x2e /* . */)
      throw this.fail(`invalid number ${short(this.text.slice(this.i, this.i + 12))}`)
    const value = Number(literal)
    if (!Number.isFinite(value)) throw this.refuse(`number ${short(literal)} is too large to hold`)
    // 1e-400 reads as 0: a value lost, as surely as one too large.
    if (value === 0 && /[1-9]/.test(literal.replace(/[eE].*/, '')))
      throw this.refuse(`number ${short(literal)} is too small to hold; write it as a string`)
    if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(value))
      throw this.refuse(
        `integer ${short(literal)} is beyond 2^53 and would lose digits; write it as a string`,
      )
    this.i += literal.length
  }

  private literal(word: string): boolean {
    const { text, i } = this
    if (!text.startsWith(word, i) || isWordChar(text.charCodeAt(i + word.length))) return false
    this.i += word.length
    return true
  }

  private skipSpace(): void {
    const { text, end } = this
    let i = this.i
    for (; i < end; i++) {
      const c = text.charCodeAt(i)
      if (!isJsonSpace(c)) break
    }
    this.i = i
  }

  /** The character at i, quoted, or "the end". */
  private found(): string {
    if (this.i >= this.end) return 'the end'
    const c = this.text.codePointAt(this.i) ?? 0
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return codePoint(c)
    return c === 0x27 ? `"'"` : `'${String.fromCodePoint(c)}'`
  }

  /** A hint for the usual habits that are not JSON. */
  private hint(): string {
    const c = this.text[this.i]
    if (c === "'") return ' (JSON strings take double quotes)'
    if (c === '/' || c === '#') return ' (JSON has no comments)'
    if (c !== undefined && /[A-Za-z_]/.test(c)) return ' (a bare word; quote text as a JSON string)'
    return ''
  }

  private fail(message: string): JsonTextError {
    return new JsonTextError(message, this.i)
  }

  private refuse(message: string): JsonTextError {
    return new JsonTextError(message, this.i, false)
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
// Characters a string holds as they are: not its closing quote, an escape or a control character.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ORDINARY = /[^"\\\u0000-\u001f]*/y

function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

function codePoint(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`
}

function short(literal: string): string {
  return literal.length > 30 ? `${literal.slice(0, 27)}...` : literal
}

/** 1-based line and column (in characters) of an offset; lines end at \n. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  // Count code points, so a character outside the BMP is one column.
  return { line, column: codePointLength(text, lineStart, offset) + 1 }
}

/**
 * Unicode code points in text[start, end): UTF-16 units less the second half of each surrogate
 * pair. Counts without copying, so a 64 MiB line costs no memory.
 */
export function codePointLength(text: string, start = 0, end = text.length): number {
  let count = end - start
  for (let i = start + 1; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0xdc00 && c <= 0xdfff) {
      const before = text.charCodeAt(i - 1)
      if (before >= 0xd800 && before <= 0xdbff) count--
    }
  }
  return count
}

/** The 1-based line of each offset; offsets must be ascending. One pass over the text. */
export function linesOf(text: string, offsets: readonly number[]): number[] {
  const lines = new Array<number>(offsets.length)
  let line = 1
  let next = text.indexOf('\n')
  for (let k = 0; k < offsets.length; k++) {
    const offset = offsets[k] as number
    while (next !== -1 && next < offset) {
      line++
      next = text.indexOf('\n', next + 1)
    }
    lines[k] = line
  }
  return lines
}
