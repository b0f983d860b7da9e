/** One record as parsed: a JSON object. */
export type JsonRecord = Record<string, unknown>

/** Records read from one text, each with the 1-based line it starts on. */
export interface ParsedRecords {
  records: JsonRecord[]
  /** Parallel to `records`. */
  lines: number[]
}

/** Whether a parsed value is a plain JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The records in one parsed document: an object, or an array of objects. A problem names the
 * line of the item (`itemLines`, parallel to an array) or of the document (`line`).
 */
export function documentRecords(
  value: unknown,
  where: string,
  line: number,
  itemLines: readonly number[],
): JsonRecord[] {
  if (isPlainObject(value)) return [value]
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (!isPlainObject(item))
        throw new Error(
          `${where} line ${itemLines[index] ?? line}: item ${index + 1} is ${describe(item)}; expected an object`,
        )
    })
    return value as JsonRecord[]
  }
  throw new Error(
    `${where} line ${line}: found ${describe(value)}; expected an object or an array of objects`,
  )
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}
