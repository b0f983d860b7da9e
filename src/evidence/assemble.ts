import { codePointLength } from './json-text.js'
import { MAX_ID_LENGTH } from './limits.js'
import type { JsonRecord } from './parse.js'
import {
  type RecordSet,
  RecordSetBuilder,
  type RereadableFile,
  type SentRecord,
} from './record-set.js'

/** One record as its source gives it. */
export interface SourceRecord {
  record: JsonRecord
  /** The 1-based line it starts on in its file, when known. */
  line?: number
  /** Its bytes in a JSON or NDJSON file, which is read again to send it. */
  bytes?: Buffer
}

/** Records from one place: `inline`, a workspace-relative file path, or `collector:<name>`. */
export interface RecordSource {
  source: string
  records: Iterable<SourceRecord> | AsyncIterable<SourceRecord>
  /** Field holding each record's id: the `id-field` input for user records, `id` for collectors. */
  idField: string
  /** A JSON or NDJSON file whose records are not kept but read again when they are sent. */
  file?: RereadableFile
}

/** Largest single record accepted: keeps every request far below the 5 MB we stay under. */
export const MAX_RECORD_BYTES = 1024 * 1024

const MAX_LISTED = 100

/**
 * Checks every record's id and size and rejects duplicate ids across sources, reporting every
 * problem at once (a source that cannot be read is one more problem). Drata matches records by
 * their `id` field, so when the id lives in another field it is copied into `id` as a string.
 * Keeps ids and sizes, and the texts of records not in files.
 */
export async function assembleRecords(sources: readonly RecordSource[]): Promise<RecordSet> {
  const problems: string[] = []
  const set = new RecordSetBuilder()
  for (const { source, records, idField, file } of sources) {
    set.begin(source, file)
    let index = 0
    try {
      for await (const { record, line, bytes } of records) {
        index++
        const where = `${source} record ${index}${line === undefined ? '' : ` (line ${line})`}`
        const checked = recordId(record, idField, where)
        if ('problem' in checked) {
          problems.push(checked.problem)
          continue
        }
        const { id } = checked
        const sent = sentForm(record, idField, id, bytes)
        if (sent.size > MAX_RECORD_BYTES) {
          problems.push(
            `${where} (id ${id}): ${sent.size} bytes; a record may be at most ${MAX_RECORD_BYTES} bytes`,
          )
          continue
        }
        // The file's bytes may span lines (a pretty-printed array): the preview is one line.
        set.add(id, sent, set.previewing ? (sent.json ?? JSON.stringify(record)) : undefined)
      }
    } catch (error) {
      problems.push((error as Error).message)
    }
  }
  const checked = set.build()
  const duplicates = duplicatesIn(checked)
  // A file of 100,000 bad records must not become a 100,000-line error.
  if (problems.length > MAX_LISTED) {
    const more = problems.length - MAX_LISTED
    problems.length = MAX_LISTED
    problems.push(`… and ${more} more records with problems`)
  }
  for (const [id, where] of [...duplicates].slice(0, 50))
    problems.push(`duplicate id '${id}' in ${where.join(', ')}`)
  if (duplicates.size > 50) problems.push(`… and ${duplicates.size - 50} more duplicate ids`)
  if (problems.length > 0) throw new RecordError(problems)
  return checked
}

/**
 * Each id given more than once, with the sources it came from, in the order the repeats were
 * met. Found by sorting a copy of the ids: no map of every id is held.
 */
function duplicatesIn(set: RecordSet): Map<string, string[]> {
  const sorted = set.ids.slice().sort()
  const repeated = new Set<string>()
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) repeated.add(sorted[i] as string)
  }
  const found = new Map<string, string[]>()
  if (repeated.size === 0) return found
  const first = new Map<string, string>()
  let k = 0
  for (const { source, count } of set.sources) {
    for (const end = k + count; k < end; k++) {
      const id = set.ids[k] as string
      if (!repeated.has(id)) continue
      const seen = first.get(id)
      if (seen === undefined) first.set(id, source)
      else found.set(id, [...(found.get(id) ?? [seen]), source])
    }
  }
  return found
}

/** The record's id, or the problem with it. */
function recordId(
  record: JsonRecord,
  idField: string,
  where: string,
): { id: string } | { problem: string } {
  const raw = record[idField]
  const bad = typeof raw === 'string' ? idTextProblem(raw) : undefined
  if (bad) return { problem: `${where}: '${idField}' ${bad}` }
  const id =
    typeof raw === 'number' && Number.isFinite(raw)
      ? String(raw)
      : typeof raw === 'string'
        ? raw.trim()
        : ''
  if (id === '')
    return {
      problem: `${where}: '${idField}' must be a non-empty string or a number (set 'id-field' if the id lives elsewhere)`,
    }
  if (idField !== 'id' && record.id !== undefined && idText(record.id).trim() !== id)
    return {
      problem: `${where}: has id '${idText(record.id)}' and ${idField} '${id}'; Drata matches records by 'id', so they must agree`,
    }
  return { id }
}

/**
 * How the record goes out. A file record whose own `id` is its id goes as the file holds it
 * (strict JSON, checked), so it is neither serialized nor copied; any other record is
 * serialized once, with its id written into `id`. `size` is the bytes sent either way.
 */
function sentForm(record: JsonRecord, idField: string, id: string, bytes?: Buffer): SentRecord {
  if (bytes && idField === 'id' && record.id === id) return { size: bytes.length, bytes }
  const json = JSON.stringify({ ...record, id })
  return { size: Buffer.byteLength(json), json, fromFile: bytes }
}

// C0 controls, DEL, C1 controls and the Unicode line and paragraph separators: invisible or
// line-breaking characters that make one id look like another, or like two, in Drata and logs.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u
// Half of a UTF-16 surrogate pair with no other half: not a character; JSON carries it only as
// an escape that other systems read differently.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Why a string id cannot be used, or undefined. Checked before trimming: nothing is hidden. */
function idTextProblem(id: string): string | undefined {
  const control = CONTROL.exec(id)
  if (control)
    return `has control character ${codePoint(control[0])} at character ${codePointLength(id, 0, control.index) + 1} (${preview(id)}); an id must be printable text on one line`
  if (LONE_SURROGATE.test(id))
    return `has an unpaired UTF-16 surrogate (${preview(id)}); an id must be valid Unicode text`
  // Cheap test first: the code-point count is at most the UTF-16 length.
  const length = id.length > MAX_ID_LENGTH ? codePointLength(id) : 0
  if (length > MAX_ID_LENGTH)
    return `is ${length} characters (${preview(id)}); an id may be at most ${MAX_ID_LENGTH} characters (this action's limit)`
  return undefined
}

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
}

/** The start of an id as a JSON string, so control characters show as escapes. */
function preview(id: string): string {
  const start = JSON.stringify(id.slice(0, 40)).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  )
  return id.length > 40 ? `${start.slice(0, -1)}…"` : start
}

/** Thrown when records are unusable; nothing has been sent when it is thrown. */
export class RecordError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid records:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'RecordError'
  }
}

/** An id value as text: strings and numbers as they are, anything else as JSON. */
export function idText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number'
    ? String(value)
    : JSON.stringify(value)
}
