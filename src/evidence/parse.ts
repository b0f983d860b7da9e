import { checkJsonText, type JsonShape, JsonTextError, lineColumn, linesOf } from './json-text.js'
import { MAX_DEPTH } from './limits.js'
import { documentRecords, isPlainObject, type JsonRecord, type ParsedRecords } from './shape.js'
import { parseYamlRecords } from './yaml-records.js'

export { isPlainObject, type JsonRecord, type ParsedRecords } from './shape.js'

/** json: strict RFC 8259; yaml: YAML 1.2 (files and the `records` input); ndjson: a JSON object a line. */
export type RecordFormat = 'json' | 'yaml' | 'ndjson'

/**
 * Parses records written as strict JSON, YAML or newline-delimited JSON. A JSON or YAML
 * document may be one object or an array of objects. Throws an error that says where (`where`,
 * plus the line and, for syntax, the column) and what was expected.
 */
export function parseRecords(text: string, format: RecordFormat, where: string): ParsedRecords {
  const parsed =
    format === 'ndjson'
      ? parseNdjson(text, where)
      : format === 'json'
        ? parseJson(text, where)
        : parseYamlRecords(text, where, MAX_DEPTH)
  // Whatever the parser, a record must survive JSON.stringify and structuredClone unchanged.
  parsed.records.forEach((record, index) => {
    const problem = valueProblem(record, MAX_DEPTH)
    if (problem) {
      const line = `line ${parsed.lines[index]}`
      const place = format === 'ndjson' ? line : `record ${index + 1} (${line})`
      throw new Error(`${where} ${place}: ${problem}`)
    }
  })
  return parsed
}

function parseJson(text: string, where: string): ParsedRecords {
  let shape: JsonShape
  try {
    shape = checkJsonText(text, MAX_DEPTH)
  } catch (error) {
    throw jsonError(error, text, where)
  }
  const value: unknown = JSON.parse(text)
  const [line = 1] = linesOf(text, [text.search(/\S/)])
  const lines = shape.topIsArray ? linesOf(text, shape.itemStarts) : [line]
  return { records: documentRecords(value, where, line, lines), lines }
}

function parseNdjson(text: string, where: string): ParsedRecords {
  const records: JsonRecord[] = []
  const lines: number[] = []
  text.split(/\r?\n/).forEach((line, index) => {
    if (/^[ \t\r]*$/.test(line)) return
    try {
      checkJsonText(line, MAX_DEPTH)
    } catch (error) {
      throw jsonError(error, line, `${where} line ${index + 1}`, false)
    }
    const value: unknown = JSON.parse(line)
    if (!isPlainObject(value)) {
      throw new Error(`${where} line ${index + 1}: expected one JSON object per line`)
    }
    records.push(value)
    lines.push(index + 1)
  })
  return { records, lines }
}

/** A scanner error as `<where> line L, column C: …`; `withLine` false when `where` has it. */
function jsonError(error: unknown, text: string, where: string, withLine = true): Error {
  if (!(error instanceof JsonTextError)) return error as Error
  const { line, column } = lineColumn(text, error.offset)
  const place = withLine ? `${where} line ${line}, column ${column}` : `${where}, column ${column}`
  const kind = error.syntax ? 'not valid JSON: ' : ''
  return new Error(`${place}: ${kind}${error.message}`, { cause: error })
}

/**
 * What keeps a parsed value from going to Drata unchanged: nesting deeper than `maxDepth` (the
 * value itself is level 1) or a number JSON cannot carry (YAML's .inf and .nan). Walks with its
 * own stack, so any depth is safe.
 */
export function valueProblem(value: unknown, maxDepth: number): string | undefined {
  const values: unknown[] = [value]
  const depths: number[] = [1]
  while (values.length > 0) {
    const current = values.pop()
    const depth = depths.pop() as number
    if (typeof current === 'number' && !Number.isFinite(current))
      return `holds the number ${current}, which JSON cannot carry`
    if (typeof current !== 'object' || current === null) continue
    if (depth > maxDepth) return `nested more than ${maxDepth} levels deep (the limit for a record)`
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'number' || (typeof child === 'object' && child !== null)) {
        values.push(child)
        depths.push(depth + 1)
      }
    }
  }
  return undefined
}
