import { describe, expect, it } from 'vitest'
import { MAX_REQUEST_BYTES, toBatches } from '../../src/push/batches.js'

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

describe('toBatches', () => {
  it('returns no batch for no records', () => {
    expect(toBatches([], 10)).toEqual([])
  })

  it('splits by count, keeping order', () => {
    const records = recs(7)
    const batches = toBatches(records, 3)
    expect(batches.map((b) => b.map((r) => r.id))).toEqual([
      ['r00', 'r01', 'r02'],
      ['r03', 'r04', 'r05'],
      ['r06'],
    ])
    expect(batches.flat()).toEqual(records)
  })

  it('keeps everything in one batch when under both limits', () => {
    expect(toBatches(recs(100), 100)).toHaveLength(1)
  })

  it('splits by bytes before the count is reached', () => {
    const records = recs(10, 100)
    const one = size(records[0] as Rec)
    // Room for exactly three records per batch.
    const batches = toBatches(records, 100, one * 3)
    expect(batches.map((b) => b.length)).toEqual([3, 3, 3, 1])
    expect(batches.flat().map((r) => r.id)).toEqual(records.map((r) => r.id))
  })

  it('allows a batch of exactly maxBytes', () => {
    const records = recs(4, 10)
    const one = size(records[0] as Rec)
    expect(toBatches(records, 100, one * 2).map((b) => b.length)).toEqual([2, 2])
    expect(toBatches(records, 100, one * 2 - 1).map((b) => b.length)).toEqual([1, 1, 1, 1])
  })

  it('counts bytes, not characters', () => {
    const wide: Rec[] = ['a', 'b'].map((id) => ({ id, data: { id, v: '€'.repeat(10) } }))
    const chars = JSON.stringify(wide[0]?.data).length + 1
    // By characters both would fit; by UTF-8 bytes (3 per €) they do not.
    expect(toBatches(wide, 10, chars * 2).map((b) => b.length)).toEqual([1, 1])
  })

  it('gives a single oversize record its own batch, between the others', () => {
    const small = recs(2, 10)
    const big: Rec = { id: 'big', data: { id: 'big', pad: 'y'.repeat(5000) } }
    const records = [small[0] as Rec, big, small[1] as Rec]
    const batches = toBatches(records, 100, 1000)
    expect(batches.map((b) => b.map((r) => r.id))).toEqual([['r00'], ['big'], ['r01']])
  })

  it('gives an oversize first record its own batch', () => {
    const big: Rec = { id: 'big', data: { id: 'big', pad: 'y'.repeat(5000) } }
    const batches = toBatches([big, ...recs(2)], 100, 1000)
    expect(batches.map((b) => b.map((r) => r.id))).toEqual([['big'], ['r00', 'r01']])
  })

  it('applies both limits together', () => {
    const records = recs(12, 50)
    const one = size(records[0] as Rec)
    const batches = toBatches(records, 4, one * 5)
    expect(batches.map((b) => b.length)).toEqual([4, 4, 4])
    const byBytes = toBatches(records, 4, one * 3)
    expect(byBytes.map((b) => b.length)).toEqual([3, 3, 3, 3])
  })

  it('defaults the byte limit to 2 MiB', () => {
    expect(MAX_REQUEST_BYTES).toBe(2 * 1024 * 1024)
    // Three records of ~0.9 MiB: two would exceed 2 MiB only with the third.
    const records = recs(3, 900 * 1024)
    expect(toBatches(records, 500).map((b) => b.length)).toEqual([2, 1])
  })
})
