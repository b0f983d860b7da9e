import type { RecordSet } from '../evidence/record-set.js'

/** Most bytes of records in one request: far below the 5 MB no request should approach. */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024

/** Most records in one request, and what `batch-size: auto` fills up to within the bytes. */
export const MAX_BATCH_RECORDS = 500

/** A batch as it is sent: ids for the item checks, JSON texts to splice into the body. */
export interface Batch {
  ids: string[]
  /** Each record's JSON, serialized once: the request body joins these texts as they are. */
  json: string[]
}

/** Batches made as they are sent, from records read as they stream. */
export interface BatchStream {
  /** How many batches and records there are: known before the first is made. */
  count: number
  records: number
  batches: AsyncIterable<Batch>
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
 * How many records go in each batch: at most `maxCount` records and `maxBytes` of JSON each
 * (each record's text plus one separating comma). Throws for a record that alone exceeds
 * `maxBytes`, before the caller sends anything.
 */
export function batchLengths(
  ids: readonly string[],
  sizes: readonly number[],
  maxCount: number,
  maxBytes = MAX_REQUEST_BYTES,
): number[] {
  const lengths: number[] = []
  let count = 0
  let bytes = 0
  sizes.forEach((recordBytes, index) => {
    const size = recordBytes + 1
    if (size > maxBytes) throw new OversizeRecordError(ids[index] as string, recordBytes, maxBytes)
    if (count > 0 && (count >= maxCount || bytes + size > maxBytes)) {
      lengths.push(count)
      count = 0
      bytes = 0
    }
    count++
    bytes += size
  })
  if (count > 0) lengths.push(count)
  return lengths
}

/**
 * The set's records in batches of at most `maxCount` records and `maxBytes`, planned from their
 * sizes up front (so an oversize record throws here, before anything is sent) and filled from
 * the records' texts only as each batch is asked for.
 */
export function batchStream(set: RecordSet, maxCount: number, maxBytes?: number): BatchStream {
  const lengths = batchLengths(set.ids, set.sizes, maxCount, maxBytes)
  async function* batches(): AsyncGenerator<Batch> {
    const texts = set.texts()
    try {
      let k = 0
      for (const length of lengths) {
        const batch: Batch = { ids: set.ids.slice(k, k + length), json: [] }
        for (let n = 0; n < length; n++) {
          const next = await texts.next()
          if (next.done) throw new Error('the records ended before their batches did')
          batch.json.push(next.value)
        }
        k += length
        yield batch
      }
    } finally {
      // Stopped early (an upload failed): close the file being read.
      await texts.return(undefined)
    }
  }
  return { count: lengths.length, records: set.count, batches: batches() }
}

/** The bulk request body `{"data":[…]}` from texts serialized once, without parsing them again. */
export function bulkBody(json: readonly string[]): string {
  return `{"data":[${json.join(',')}]}`
}
