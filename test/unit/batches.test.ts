import { describe, expect, it } from 'vitest'
import {
  type Batch,
  bulkBody,
  MAX_REQUEST_BYTES,
  OversizeRecordError,
  toBatches,
} from '../../src/push/batches.js'

interface Rec {
  id: string
  data: Record<string, unknown>
}

function recs(n: number, pad = 0): Rec[] {
  // Fixed-width ids so that every record has the same size.
  return Array.from({ length: n }, (_, i) => {
    const id = `r${String(i).padStart(2, '0')}`
    return { id, data: { id, pad: 'x'.repeat(pad) } }
  })
}

/** Bytes toBatches counts for a record: its JSON plus one for the separating comma. */
function size(r: Rec): number {
  return Buffer.byteLength(JSON.stringify(r.data)) + 1
}

const ids = (batches: Batch[]) => batches.map((b) => b.ids)
const lengths = (batches: Batch[]) => batches.map((b) => b.ids.length)

describe('toBatches', () => {
  it('returns no batch for no records', () => {
    expect(toBatches([], 10)).toEqual([])
  })

  it('splits by count, keeping order', () => {
    const records = recs(7)
    const batches = toBatches(records, 3)
    expect(ids(batches)).toEqual([['r00', 'r01', 'r02'], ['r03', 'r04', 'r05'], ['r06']])
    expect(batches.flatMap((b) => b.json.map((j) => JSON.parse(j) as unknown))).toEqual(
      records.map((r) => r.data),
    )
  })

  it('keeps everything in one batch when under both limits', () => {
    expect(toBatches(recs(100), 100)).toHaveLength(1)
  })

  it('splits by bytes before the count is reached', () => {
    const records = recs(10, 100)
    const one = size(records[0] as Rec)
    // Room for exactly three records per batch.
    const batches = toBatches(records, 100, one * 3)
    expect(lengths(batches)).toEqual([3, 3, 3, 1])
    expect(batches.flatMap((b) => b.ids)).toEqual(records.map((r) => r.id))
  })

  it('allows a batch of exactly maxBytes', () => {
    const records = recs(4, 10)
    const one = size(records[0] as Rec)
    expect(toBatches(records, 100, one * 2).map((b) => b.ids.length)).toEqual([2, 2])
    expect(toBatches(records, 100, one * 2 - 1).map((b) => b.ids.length)).toEqual([1, 1, 1, 1])
  })

  it('counts bytes, not characters', () => {
    const wide: Rec[] = ['a', 'b'].map((id) => ({ id, data: { id, v: '€'.repeat(10) } }))
    const chars = JSON.stringify(wide[0]?.data).length + 1
    // By characters both would fit; by UTF-8 bytes (3 per €) they do not.
    expect(toBatches(wide, 10, chars * 2).map((b) => b.ids.length)).toEqual([1, 1])
  })

  it('refuses a record larger than a request may carry, naming it, wherever it is', () => {
    const big: Rec = { id: 'big', data: { id: 'big', pad: 'y'.repeat(5000) } }
    for (const records of [
      [big, ...recs(2)],
      [...recs(2), big],
    ]) {
      expect(() => toBatches(records, 100, 1000)).toThrow(OversizeRecordError)
      expect(() => toBatches(records, 100, 1000)).toThrow(/'big' is 5021 bytes.*nothing was sent/)
    }
  })

  it('counts a record of exactly maxBytes (with its comma) as fitting', () => {
    const [one] = recs(1, 10) as [Rec]
    expect(lengths(toBatches([one], 1, size(one)))).toEqual([1])
    expect(() => toBatches([one], 1, size(one) - 1)).toThrow(OversizeRecordError)
  })

  it('reuses the JSON text a record already carries instead of serializing it again', () => {
    const record = { id: 'a', data: { id: 'a' }, json: '{"id":"a","kept":true}' }
    expect(toBatches([record], 10)[0]?.json).toEqual(['{"id":"a","kept":true}'])
    expect(bulkBody(['{"id":"a"}', '{"id":"b"}'])).toBe('{"data":[{"id":"a"},{"id":"b"}]}')
  })

  it('applies both limits together', () => {
    const records = recs(12, 50)
    const one = size(records[0] as Rec)
    const batches = toBatches(records, 4, one * 5)
    expect(batches.map((b) => b.ids.length)).toEqual([4, 4, 4])
    const byBytes = toBatches(records, 4, one * 3)
    expect(byBytes.map((b) => b.ids.length)).toEqual([3, 3, 3, 3])
  })

  it('defaults the byte limit to 2 MiB', () => {
    expect(MAX_REQUEST_BYTES).toBe(2 * 1024 * 1024)
    // Three records of ~0.9 MiB: two would exceed 2 MiB only with the third.
    const records = recs(3, 900 * 1024)
    expect(lengths(toBatches(records, 500))).toEqual([2, 1])
  })
})
