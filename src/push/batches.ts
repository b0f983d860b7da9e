import type { EvidenceRecord } from '../evidence/assemble.js'

/** Most bytes of records in one request: far below the 5 MB no request should approach. */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024

/** Splits records into batches of at most `maxCount` records and `maxBytes` of JSON each. */
export function toBatches<T extends Pick<EvidenceRecord, 'data'>>(
  records: readonly T[],
  maxCount: number,
  maxBytes = MAX_REQUEST_BYTES,
): T[][] {
  const batches: T[][] = []
  let current: T[] = []
  let bytes = 0
  for (const record of records) {
    const size = Buffer.byteLength(JSON.stringify(record.data)) + 1
    if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(record)
    bytes += size
  }
  if (current.length > 0) batches.push(current)
  return batches
}
