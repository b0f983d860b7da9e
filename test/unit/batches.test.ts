import { describe, expect, it } from 'vitest'
import { RecordSetBuilder, recordSetOf } from '../../src/evidence/record-set.js'
import type { Batch } from '../../src/drata/custom-data.js'
import { batchStream, MAX_REQUEST_BYTES, OversizeRecordError } from '../../src/push/batches.js'

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

const stream = (records: Rec[], maxCount: number, maxBytes?: number) =>
  batchStream(recordSetOf(records), maxCount, maxBytes)

/** Every batch of the stream, checking that it made as many as it said. */
async function toBatches(records: Rec[], maxCount: number, maxBytes?: number): Promise<Batch[]> {
  const made = stream(records, maxCount, maxBytes)
  const out: Batch[] = []
  for await (const batch of made.batches) out.push(batch)
  expect(out).toHaveLength(made.count)
  expect(made.records).toBe(records.length)
  return out
}

/** Bytes batchStream counts for a record: its JSON plus one for the separating comma. */
function size(r: Rec): number {
  return Buffer.byteLength(JSON.stringify(r.data)) + 1
}

const ids = (batches: Batch[]) => batches.map((b) => b.ids)
const lengths = (batches: Batch[]) => batches.map((b) => b.ids.length)

describe('batchStream', () => {
  it('returns no batch for no records', async () => {
    expect(await toBatches([], 10)).toEqual([])
  })

  it('splits by count, keeping order', async () => {
    const records = recs(7)
    const batches = await toBatches(records, 3)
    expect(ids(batches)).toEqual([['r00', 'r01', 'r02'], ['r03', 'r04', 'r05'], ['r06']])
    expect(
      batches.flatMap((b) => (JSON.parse(b.body.toString()) as { data: unknown[] }).data),
    ).toEqual(records.map((r) => r.data))
  })

  it('keeps everything in one batch when under both limits', async () => {
    expect(await toBatches(recs(100), 100)).toHaveLength(1)
  })

  it('splits by bytes before the count is reached', async () => {
    const records = recs(10, 100)
    const one = size(records[0] as Rec)
    // Room for exactly three records per batch.
    const batches = await toBatches(records, 100, one * 3)
    expect(lengths(batches)).toEqual([3, 3, 3, 1])
    expect(batches.flatMap((b) => b.ids)).toEqual(records.map((r) => r.id))
  })

  it('allows a batch of exactly maxBytes', async () => {
    const records = recs(4, 10)
    const one = size(records[0] as Rec)
    expect((await toBatches(records, 100, one * 2)).map((b) => b.ids.length)).toEqual([2, 2])
    expect((await toBatches(records, 100, one * 2 - 1)).map((b) => b.ids.length)).toEqual([
      1, 1, 1, 1,
    ])
  })

  it('counts bytes, not characters', async () => {
    const wide: Rec[] = ['a', 'b'].map((id) => ({ id, data: { id, v: '€'.repeat(10) } }))
    const chars = JSON.stringify(wide[0]?.data).length + 1
    // By characters both would fit; by UTF-8 bytes (3 per €) they do not.
    expect((await toBatches(wide, 10, chars * 2)).map((b) => b.ids.length)).toEqual([1, 1])
  })

  it('refuses a record larger than a request may carry, naming it, wherever it is', async () => {
    const big: Rec = { id: 'big', data: { id: 'big', pad: 'y'.repeat(5000) } }
    for (const records of [
      [big, ...recs(2)],
      [...recs(2), big],
    ]) {
      expect(() => stream(records, 100, 1000)).toThrow(OversizeRecordError)
      expect(() => stream(records, 100, 1000)).toThrow(/'big' is 5021 bytes.*nothing was sent/)
    }
  })

  it('counts a record of exactly maxBytes (with its comma) as fitting', async () => {
    const [one] = recs(1, 10) as [Rec]
    expect(lengths(await toBatches([one], 1, size(one)))).toEqual([1])
    expect(() => stream([one], 1, size(one) - 1)).toThrow(OversizeRecordError)
  })

  it('sends the JSON text the set holds instead of serializing it again', async () => {
    const set = new RecordSetBuilder()
    set.begin('inline')
    set.add('a', { size: 22, json: '{"id":"a","kept":true}' })
    const made: Batch[] = []
    for await (const batch of batchStream(set.build(), 10).batches) made.push(batch)
    expect(made.map((b) => b.body.toString())).toEqual(['{"data":[{"id":"a","kept":true}]}'])
  })

  it('fills a released batch body again, never one still in flight', async () => {
    const made = stream(recs(8, 10), 2)
    const batches = made.batches[Symbol.asyncIterator]()
    const first = (await batches.next()).value as Batch
    const text = first.body.toString()
    const second = (await batches.next()).value as Batch
    expect(second.body.buffer).not.toBe(first.body.buffer)
    expect(first.body.toString()).toBe(text)
    made.release(first)
    const third = (await batches.next()).value as Batch
    expect(third.body.buffer).toBe(first.body.buffer)
    expect(JSON.parse(third.body.toString())).toEqual({
      data: recs(8, 10)
        .slice(4, 6)
        .map((r) => r.data),
    })
    expect(second.body.toString()).not.toBe(third.body.toString())
    // Nothing was released since: a fresh body, not the third's.
    const fourth = (await batches.next()).value as Batch
    expect(fourth.body.buffer).not.toBe(third.body.buffer)
  })

  it('plans any number of batches (one record each, 200,000 of them)', () => {
    const many = stream(recs(200_000), 1)
    expect(many.count).toBe(200_000)
  })

  it('never sends a record that is not the size it was checked at', async () => {
    const set = new RecordSetBuilder()
    set.begin('inline')
    set.add('a', { size: 10, json: '{"id":"a"}' })
    set.add('b', { size: 12, json: '{"id":"b"}' }) // two bytes short of what was planned
    const made = batchStream(set.build(), 10)
    const all = async () => {
      for await (const batch of made.batches) made.release(batch)
    }
    await expect(all()).rejects.toThrow("record 'b' is not the size it was checked at")
  })

  it('applies both limits together', async () => {
    const records = recs(12, 50)
    const one = size(records[0] as Rec)
    const batches = await toBatches(records, 4, one * 5)
    expect(batches.map((b) => b.ids.length)).toEqual([4, 4, 4])
    const byBytes = await toBatches(records, 4, one * 3)
    expect(byBytes.map((b) => b.ids.length)).toEqual([3, 3, 3, 3])
  })

  it('defaults the byte limit to 2 MiB', async () => {
    expect(MAX_REQUEST_BYTES).toBe(2 * 1024 * 1024)
    // Three records of ~0.9 MiB: two would exceed 2 MiB only with the third.
    const records = recs(3, 900 * 1024)
    expect(lengths(await toBatches(records, 500))).toEqual([2, 1])
  })
})
