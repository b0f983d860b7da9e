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

/** The records in one parsed document: an object, or an array of objects. */
export function asRecords(value: unknown, where: string): JsonRecord[] {
  if (isPlainObject(value)) return [value]
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (!isPlainObject(item)) throw new Error(`${where}: ${itemProblem(item, index)}`)
    })
    return value as JsonRecord[]
  }
  throw new Error(`${where}: found ${describe(value)}; expected an object or an array of objects`)
}

/** Why an array item is not a record. */
export function itemProblem(item: unknown, index: number): string {
  return `item ${index + 1} is ${describe(item)}; expected an object`
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}
