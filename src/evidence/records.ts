import type { JsonRecord } from './parse.js'

/** A record ready to send, with its id and where it came from. */
export interface EvidenceRecord {
  id: string
  /** `inline`, a workspace-relative file path, or `collector:<name>`. */
  source: string
  data: JsonRecord
}

/** Records with their sources, before ids are checked. */
export interface SourcedRecords {
  source: string
  records: JsonRecord[]
  /** Field holding each record's id: the `id-field` input for user records, `id` for collectors. */
  idField: string
}

/** Largest single record accepted: keeps every request far below the 5 MB we stay under. */
export const MAX_RECORD_BYTES = 1024 * 1024

/**
 * Checks every record's id and size and rejects duplicate ids across sources, reporting every
 * problem at once. Drata matches records by their `id` field, so when the id lives in another
 * field it is copied into `id` as a string.
 */
export function assembleRecords(sources: readonly SourcedRecords[]): EvidenceRecord[] {
  const problems: string[] = []
  const out: EvidenceRecord[] = []
  const seen = new Map<string, string[]>()
  for (const { source, records, idField } of sources) {
    records.forEach((record, index) => {
      const where = `${source} record ${index + 1}`
      const raw = record[idField]
      const id =
        typeof raw === 'number' && Number.isFinite(raw)
          ? String(raw)
          : typeof raw === 'string'
            ? raw.trim()
            : ''
      if (id === '') {
        problems.push(
          `${where}: '${idField}' must be a non-empty string or a number (set 'id-field' if the id lives elsewhere)`,
        )
        return
      }
      if (idField !== 'id' && record.id !== undefined && idText(record.id).trim() !== id) {
        problems.push(
          `${where}: has id '${idText(record.id)}' and ${idField} '${id}'; Drata matches records by 'id', so they must agree`,
        )
        return
      }
      const data = { ...record, id }
      const bytes = Buffer.byteLength(JSON.stringify(data))
      if (bytes > MAX_RECORD_BYTES) {
        problems.push(
          `${where} (id ${id}): ${bytes} bytes; a record may be at most ${MAX_RECORD_BYTES} bytes`,
        )
        return
      }
      seen.set(id, [...(seen.get(id) ?? []), source])
      out.push({ id, source, data })
    })
  }
  const duplicates = [...seen].filter(([, where]) => where.length > 1)
  for (const [id, where] of duplicates.slice(0, 50))
    problems.push(`duplicate id '${id}' in ${where.join(', ')}`)
  if (duplicates.length > 50) problems.push(`… and ${duplicates.length - 50} more duplicate ids`)
  if (problems.length > 0) throw new RecordError(problems)
  return out
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
