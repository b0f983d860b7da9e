import { parseAllDocuments } from 'yaml'

export type RecordFormat = 'yaml' | 'ndjson'
export type JsonRecord = Record<string, unknown>

/** Whether a parsed value is a plain JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Parses records written as JSON or YAML (YAML is a superset of JSON, so one parser serves
 * both) or as newline-delimited JSON. Each document may be one object or an array of objects.
 * Throws an error that says where (`where`, plus the line) and what was expected.
 */
export function parseRecords(text: string, format: RecordFormat, where: string): JsonRecord[] {
  return format === 'ndjson' ? parseNdjson(text, where) : parseYaml(text, where)
}

function parseYaml(text: string, where: string): JsonRecord[] {
  const records: JsonRecord[] = []
  // uniqueKeys keeps a duplicated key from silently overwriting evidence.
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true })
  if (!Array.isArray(docs)) return records // only comments or nothing at all
  for (const doc of docs) {
    const problem = doc.errors[0]
    if (problem) {
      // The parser's first line already says where ("… at line 3, column 1:").
      throw new Error(
        `${where}: not valid JSON or YAML: ${firstLine(problem.message).replace(/:$/, '')}`,
      )
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 })
    if (value === null || value === undefined) continue
    records.push(...asRecords(value, where))
  }
  return records
}

function parseNdjson(text: string, where: string): JsonRecord[] {
  const records: JsonRecord[] = []
  const lines = text.split(/\r?\n/)
  lines.forEach((line, index) => {
    if (line.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      throw new Error(`${where} line ${index + 1}: not valid JSON (${(error as Error).message})`, {
        cause: error,
      })
    }
    if (!isPlainObject(value)) {
      throw new Error(`${where} line ${index + 1}: expected one JSON object per line`)
    }
    records.push(value)
  })
  return records
}

function asRecords(value: unknown, where: string): JsonRecord[] {
  if (isPlainObject(value)) return [value]
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (!isPlainObject(item)) {
        throw new Error(`${where}: item ${index + 1} is ${describe(item)}; expected an object`)
      }
    })
    return value as JsonRecord[]
  }
  throw new Error(`${where}: found ${describe(value)}; expected an object or an array of objects`)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}
