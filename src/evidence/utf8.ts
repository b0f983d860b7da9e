/** Strict UTF-8 for a whole file: invalid bytes throw, and a leading byte order mark is dropped. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Strict UTF-8 for a part of a file (one record): invalid bytes throw, and a byte order mark is
 * kept as a character, so one in the middle of a file (files joined with `cat`) is refused as
 * JSON instead of silently dropped; the file's own leading mark is skipped before this.
 */
export const STRICT_UTF8_PART = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * Decodes a file as strict UTF-8, dropping a leading byte order mark. Invalid bytes are an error
 * naming the byte offset (from 0) and line of the first one, never a silent U+FFFD.
 */
export function decodeUtf8(bytes: Uint8Array, where: string): string {
  try {
    return STRICT_UTF8.decode(bytes)
  } catch (error) {
    const offset = firstInvalidUtf8(bytes)
    const hex = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0')
    throw new Error(
      `${where}: not valid UTF-8: invalid byte 0x${hex} at byte offset ${offset} (line ${lineAt(bytes, offset)}); save the file as UTF-8`,
      { cause: error },
    )
  }
}

/** Offset of the first byte that starts an invalid or cut-short UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i] as number
    if (b < 0x80) {
      i++
      continue
    }
    // The second byte's range is narrower for some leads (no overlongs, surrogates or > U+10FFFF).
    let need: number
    let low = 0x80
    let high = 0xbf
    if (b >= 0xc2 && b <= 0xdf) need = 1
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      if (b === 0xe0) low = 0xa0
      if (b === 0xed) high = 0x9f
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      if (b === 0xf0) low = 0x90
      if (b === 0xf4) high = 0x8f
    } else return i
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]
      if (c === undefined || c < low || c > high) return i
      low = 0x80
      high = 0xbf
    }
    i += need + 1
  }
  return -1
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++
  return line
}
