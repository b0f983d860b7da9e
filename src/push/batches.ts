import type { EvidenceRecord } from '../evidence/assemble.js'

/** Most bytes of records in one request: far below the 5 MB no request should approach. */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024

/** Most records in one request, and what `batch-size: auto` fills up to within the bytes. */
export const MAX_BATCH_RECORDS = 500

/** A record with its JSON text, when the evidence assembly already made it. */
export type Batchable = Pick<EvidenceRecord, 'id' | 'data'> & { json?: string }

/** A batch as it is sent: ids for the item checks, JSON texts to splice into the body. */
export interface Batch {
  ids: string[]
  /** Each record's JSON, serialized once: the request body joins these texts as they are. */
  json: string[]
}

/** A record that cannot fit in any request: found before anything is sent. */
export class OversizeRecordError extends Error {
  constructor(
    readonly id: string,
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(
      `Record '${id}' is ${bytes} bytes of JSON, more than the ${maxBytes} bytes one request may carry; nothing was sent. Make it smaller or split it into several records.`,
    )
  }
}

/**
 * Splits records into batches of at most `maxCount` records and `maxBytes` of JSON each (each
 * record's text plus one separating comma), serializing every record once. Throws for a
 * record that alone exceeds `maxBytes`, before the caller sends anything.
 */
export function toBatches(
  records: readonly Batchable[],
  maxCount: number,
  maxBytes = MAX_REQUEST_BYTES,
): Batch[] {
  const batches: Batch[] = []
  let current: Batch = { ids: [], json: [] }
  let bytes = 0
  for (const record of records) {
    const json = record.json ?? JSON.stringify(record.data)
    const size = Buffer.byteLength(json) + 1
    if (size > maxBytes) throw new OversizeRecordError(record.id, size - 1, maxBytes)
    if (current.ids.length > 0 && (current.ids.length >= maxCount || bytes + size > maxBytes)) {
      batches.push(current)
      current = { ids: [], json: [] }
      bytes = 0
    }
    current.ids.push(record.id)
    current.json.push(json)
    bytes += size
  }
  if (current.ids.length > 0) batches.push(current)
  return batches
}

/** The bulk request body `{"data":[…]}` from texts serialized once, without parsing them again. */
export function bulkBody(json: readonly string[]): string {
  return `{"data":[${json.join(',')}]}`
}
