import { expect } from 'vitest'
import type { RecordSource } from '../../src/evidence/assemble.js'
import type { JsonRecord } from '../../src/evidence/parse.js'
import type { RecordSet } from '../../src/evidence/record-set.js'

/** Records of one source as a test writes them: plain objects, lines when from a file. */
export interface PlainSource {
  source: string
  records: JsonRecord[]
  idField: string
  lines?: number[]
}

/** The sources assembleRecords takes, from plain records held in memory. */
export function sourcesOf(list: readonly PlainSource[]): RecordSource[] {
  return list.map(({ source, records, idField, lines }) => ({
    source,
    idField,
    records: records.map((record, index) => ({ record, line: lines?.[index] })),
  }))
}

/** Every record of a set as sent: id, source, the JSON text and the value it carries. */
export async function recordsOf(
  set: RecordSet,
): Promise<Array<{ id: string; source: string; data: JsonRecord; json: string }>> {
  const sources = set.sources.flatMap(({ source, count }) =>
    Array.from({ length: count }, () => source),
  )
  const out = []
  let k = 0
  for await (const record of set.texts()) {
    // A file's bytes are valid only until the next record: made a text at once.
    const json = record.toString()
    out.push({
      id: set.ids[k] as string,
      source: sources[k] as string,
      data: JSON.parse(json) as JsonRecord,
      json,
    })
    k++
  }
  expect(k).toBe(set.count)
  return out
}
