import type { Batch } from '../drata/custom-data.js'
import type { RecordSet } from '../evidence/record-set.js'

/** Most bytes of records in one request: far below the 5 MB no request should approach. */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024

/** Most records in one request, and what `batch-size: auto` fills up to within the bytes. */
export const MAX_BATCH_RECORDS = 500

/** Batches made as they are sent, from records read as they stream. */
export interface BatchStream {
  /** How many batches and records there are: known before the first is made. */
  count: number
  records: number
  batches: AsyncIterable<Batch>
  /**
   * Says a batch's request is over (answered or failed for good): its body's memory is used
   * again for a later batch, so a push holds a few bodies, not one per request sent.
   */
  release(batch: Batch): void
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

const OPEN = Buffer.from('{"data":[')
const CLOSE = Buffer.from(']}')

/**
 * The set's records in batches of at most `maxCount` records and `maxBytes`, planned from their
 * sizes up front (so an oversize record throws here, before anything is sent) and filled only
 * as each batch is asked for. Each body is `{"data":[…]}` written straight from the records'
 * bytes into one buffer: no record is parsed or serialized again on its way out. Buffers of
 * released batches are filled again, so memory holds the batches in flight, not all sent.
 */
export function batchStream(set: RecordSet, maxCount: number, maxBytes?: number): BatchStream {
  const lengths = batchLengths(set.ids, set.sizes, maxCount, maxBytes)
  const bodyBytes: number[] = []
  let k = 0
  for (const length of lengths) {
    let bytes = OPEN.length + CLOSE.length + length - 1
    for (const end = k + length; k < end; k++) bytes += set.sizes[k] as number
    bodyBytes.push(bytes)
  }
  // A loop, not Math.max(...): one argument per batch would overflow the stack.
  const capacity = bodyBytes.reduce((most, bytes) => Math.max(most, bytes), 0)
  const free: Buffer[] = []
  const inUse = new Map<Batch, Buffer>()
  async function* batches(): AsyncGenerator<Batch> {
    const texts = set.texts()
    try {
      let first = 0
      for (const [index, length] of lengths.entries()) {
        const bytes = bodyBytes[index] as number
        const memory = free.pop() ?? Buffer.allocUnsafeSlow(capacity)
        const body = memory.subarray(0, bytes)
        let at = OPEN.copy(body, 0)
        for (let n = 0; n < length; n++) {
          if (n > 0) at = body.writeUInt8(0x2c /* , */, at)
          const next = await texts.next()
          if (next.done) throw new Error('the records ended before their batches did')
          const record = next.value
          const written =
            typeof record === 'string' ? body.write(record, at) : record.copy(body, at)
          // Sizes were measured when the records were checked: a difference is a bug, and a
          // record cut short must never go out.
          if (written !== set.sizes[first + n])
            throw new Error(`record '${set.ids[first + n]}' is not the size it was checked at`)
          at += written
        }
        at += CLOSE.copy(body, at)
        if (at !== bytes) throw new Error(`batch body is ${at} bytes, planned ${bytes}`)
        const batch = { ids: set.ids.slice(first, first + length), body }
        inUse.set(batch, memory)
        first += length
        yield batch
      }
      // Read on to the end: what a file is checked for once it is read whole (its SHA-256,
      // its record count) runs only then, and must before this stream says it is done.
      const after = await texts.next()
      if (!after.done) throw new Error('the records outlasted their batches')
    } finally {
      // Stopped early (an upload failed): close the file being read.
      await texts.return(undefined)
    }
  }
  return {
    count: lengths.length,
    records: set.count,
    batches: batches(),
    release(batch) {
      const memory = inUse.get(batch)
      if (!memory) return
      inUse.delete(batch)
      free.push(memory)
    },
  }
}
