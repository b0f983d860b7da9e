/** The ASCII codes JSON's structure is made of: the same as a UTF-16 unit and a UTF-8 byte. */
export const TAB = 0x09
export const LF = 0x0a
export const CR = 0x0d
export const SPACE = 0x20
export const QUOTE = 0x22
export const COMMA = 0x2c
export const OPEN_ARRAY = 0x5b
export const BACKSLASH = 0x5c
export const CLOSE_ARRAY = 0x5d
export const OPEN_OBJECT = 0x7b
export const CLOSE_OBJECT = 0x7d

/** Whether `c` is JSON whitespace. */
export function isJsonSpace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB
}
