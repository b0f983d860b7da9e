import { describe, expect, it } from 'vitest'
import type { Logger } from '../../src/drata/client.js'
import type { ItemResult } from '../../src/drata/custom-data.js'
import { recordSetOf } from '../../src/evidence/record-set.js'
import { batchStream } from '../../src/push/batches.js'
import { type UploadResult, type UploadRun, uploadBatches } from '../../src/push/upload.js'

type Sendable = { id: string; data: Record<string, unknown> }

function sendables(n: number): Sendable[] {
  return Array.from({ length: n }, (_, i) => ({ id: `r${i}`, data: { id: `r${i}`, n: i } }))
}

function logger() {
  const logs: string[] = []
  const log: Logger = {
    info: (m) => logs.push(m),
    warning: (m) => logs.push(m),
    debug: () => {},
  }
  return { log, logs }
}

/** Batches `records` by `size` and uploads them one request at a time, as before concurrency. */
function upload(
  records: Sendable[],
  size: number,
  send: (data: Record<string, unknown>[], ids: string[]) => Promise<ItemResult[]>,
  log: Logger,
  label: string,
  result?: UploadResult,
  run: Partial<UploadRun> = {},
) {
  return uploadBatches(
    batchStream(recordSetOf(records), size),
    (b) => send((JSON.parse(b.body.toString()) as { data: Record<string, unknown>[] }).data, b.ids),
    { logger: log, label, concurrency: 1, now: () => 0, ...run },
    result,
  )
}

/** Lets other uploads run for `n` turns of the event loop: ordering without real waiting. */
async function ticks(n: number) {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r))
}

const ok = (ids: string[]): ItemResult[] => ids.map((id) => ({ statusCode: 201, data: { id } }))

describe('uploadBatches', () => {
  it('sends every record in batches and counts what Drata accepted', async () => {
    const sent: string[][] = []
    const { log, logs } = logger()
    const result = await upload(
      sendables(5),
      2,
      async (data, ids) => {
        expect(data.map((d) => d.id)).toEqual(ids)
        sent.push(ids)
        return ok(ids)
      },
      log,
      'Upload',
    )
    expect(sent).toEqual([['r0', 'r1'], ['r2', 'r3'], ['r4']])
    expect(result).toEqual({ accepted: 5, failures: [], batches: 3 })
    expect(logs).toEqual([
      'Upload: batch 1/3, 2 records, 0 rejected',
      'Upload: batch 2/3, 2 records, 0 rejected',
      'Upload: batch 3/3, 1 records, 0 rejected',
    ])
  })

  it('keeps a body untouched until its request is over, with others in flight', async () => {
    const { log } = logger()
    const stream = batchStream(recordSetOf(sendables(12)), 2)
    const bodies: string[] = []
    await uploadBatches(
      stream,
      async (batch) => {
        const before = batch.body.toString()
        // Other uploads run meanwhile; a retry would send this same body again.
        await ticks(5)
        expect(batch.body.toString()).toBe(before)
        bodies.push(before)
        return ok(batch.ids)
      },
      { logger: log, label: 'Upload', concurrency: 3, now: () => 0 },
    )
    const data = bodies.flatMap((b) => (JSON.parse(b) as { data: Array<{ id: string }> }).data)
    expect(data.map((d) => d.id).sort()).toEqual(
      sendables(12)
        .map((r) => r.id)
        .sort(),
    )
  })

  it('starts no batch made after another upload failed', async () => {
    const { log } = logger()
    let open!: () => void
    const gate = new Promise<void>((resolve) => (open = resolve))
    const body = Buffer.from('{"data":[]}')
    async function* batches() {
      yield { ids: ['r0'], body }
      await gate // the second batch is still being made when the first upload fails
      yield { ids: ['r1'], body }
    }
    const sent: string[] = []
    const upload = uploadBatches(
      { count: 2, records: 2, batches: batches(), release: () => {} },
      async (batch) => {
        sent.push(...batch.ids)
        await ticks(2)
        open()
        throw new Error('Drata is down')
      },
      { logger: log, label: 'Upload', concurrency: 2, now: () => 0 },
    )
    await expect(upload).rejects.toThrow('Drata is down')
    expect(sent).toEqual(['r0'])
  })

  it('goes on after rejected items and reports every one', async () => {
    const { log } = logger()
    const result = await upload(
      sendables(4),
      2,
      async (_data, ids) =>
        ids.map((id) =>
          id === 'r1' || id === 'r2'
            ? { statusCode: 400, error: { message: `bad ${id}` } }
            : { statusCode: 200, data: { id } },
        ),
      log,
      'Upload',
    )
    expect(result.batches).toBe(2)
    expect(result.accepted).toBe(2)
    expect(result.failures.map((f) => [f.id, f.status])).toEqual([
      ['r1', 400],
      ['r2', 400],
    ])
  })

  it('leaves what went in before a throw in the given result', async () => {
    const result: UploadResult = { accepted: 0, failures: [], batches: 0 }
    const boom = new Error('Drata failed (503)')
    let calls = 0
    const { log } = logger()
    const pending = upload(
      sendables(5),
      2,
      async (_data, ids) => {
        calls++
        if (calls === 2) throw boom
        return ids.map((id, i) =>
          i === 0
            ? { statusCode: 201, data: { id } }
            : { statusCode: 422, error: { message: 'no' } },
        )
      },
      log,
      'Upload',
      result,
    )
    await expect(pending).rejects.toBe(boom)
    expect(calls).toBe(2)
    // Only the first batch counted: one accepted, one rejected.
    expect(result).toEqual({
      accepted: 1,
      failures: [{ id: 'r1', status: 422, message: expect.stringContaining('no') }],
      batches: 1,
    })
  })

  it('adds to the figures already in the given result', async () => {
    const result: UploadResult = {
      accepted: 3,
      failures: [{ id: 'x', status: 400, message: 'earlier' }],
      batches: 1,
    }
    const { log } = logger()
    const returned = await upload(
      sendables(2),
      10,
      async (_d, ids) => ok(ids),
      log,
      'Carry',
      result,
    )
    expect(returned).toBe(result)
    expect(result).toEqual({
      accepted: 5,
      failures: [{ id: 'x', status: 400, message: 'earlier' }],
      batches: 2,
    })
  })

  it('sends nothing for no records', async () => {
    const { log } = logger()
    const result = await upload([], 10, async () => expect.fail('sent'), log, 'Upload')
    expect(result).toEqual({ accepted: 0, failures: [], batches: 0 })
  })

  it('keeps at most `concurrency` requests in flight and lists failures in batch order', async () => {
    let inFlight = 0
    let most = 0
    const sent: string[] = []
    const { log } = logger()
    // Later batches answer first: the failures must still come out in the records' order.
    const result = await upload(
      sendables(12),
      2,
      async (_d, ids) => {
        inFlight++
        most = Math.max(most, inFlight)
        sent.push(ids[0] as string)
        await ticks(12 - Number((ids[0] as string).slice(1)))
        inFlight--
        return ids.map((id) => ({ statusCode: 400, error: { message: `bad ${id}` } }))
      },
      log,
      'Upload',
      undefined,
      { concurrency: 3 },
    )
    expect(most).toBe(3)
    expect(sent).toHaveLength(6)
    expect(result.batches).toBe(6)
    expect(result.failures.map((f) => f.id)).toEqual(sendables(12).map((r) => r.id))
  })

  it('sends the first batch alone when asked, then the rest concurrently', async () => {
    const events: string[] = []
    const { log } = logger()
    await upload(
      sendables(8),
      2,
      async (_d, ids) => {
        events.push(`start ${ids[0]}`)
        await ticks(1)
        events.push(`end ${ids[0]}`)
        return ok(ids)
      },
      log,
      'Upload',
      undefined,
      { concurrency: 4, firstAlone: true },
    )
    expect(events.slice(0, 3)).toEqual(['start r0', 'end r0', 'start r2'])
    expect(events.slice(2, 5)).toEqual(['start r2', 'start r4', 'start r6'])
  })

  it('after an error starts no batch but counts the ones in flight, then throws', async () => {
    const result: UploadResult = { accepted: 0, failures: [], batches: 0 }
    const boom = new Error('Drata failed (503)')
    const started: string[] = []
    const { log } = logger()
    const pending = upload(
      sendables(20),
      2,
      async (_d, ids) => {
        started.push(ids[0] as string)
        if (ids[0] === 'r2') throw boom
        await ticks(5)
        return ok(ids)
      },
      log,
      'Upload',
      result,
      { concurrency: 3 },
    )
    await expect(pending).rejects.toBe(boom)
    // r0 and r4 were in flight with r2: both are counted; nothing started after the error.
    expect(started).toEqual(['r0', 'r2', 'r4', 'r6'].slice(0, started.length))
    expect(result.batches).toBe(started.length - 1)
    expect(result.accepted).toBe((started.length - 1) * 2)
    expect(started.length).toBeLessThanOrEqual(4)
  })

  it('logs done/total, rate and ETA every few seconds of a long upload, on the given clock', async () => {
    let t = 0
    const { log, logs } = logger()
    await upload(
      sendables(10),
      1,
      async (_d, ids) => {
        t += 3_000
        return ok(ids)
      },
      log,
      'Upload',
      undefined,
      { now: () => t },
    )
    const progress = logs.filter((l) => l.includes('records/s'))
    // 3 s per batch: lines at 12 s (after 10 s) and then 5 s apart: 18 s, 24 s, 30 s.
    expect(progress).toEqual([
      'Upload: 4/10 records (40%), 0 records/s, about 18s left',
      'Upload: 6/10 records (60%), 0 records/s, about 12s left',
      'Upload: 8/10 records (80%), 0 records/s, about 6s left',
      'Upload: 10/10 records (100%), 0 records/s, about 0s left',
    ])
  })
})
