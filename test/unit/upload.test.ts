import { describe, expect, it } from 'vitest'
import type { Logger } from '../../src/drata/client.js'
import type { ItemResult } from '../../src/drata/custom-data.js'
import { type Sendable, type UploadResult, uploadBatches } from '../../src/push/upload.js'

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

const ok = (ids: string[]): ItemResult[] => ids.map((id) => ({ statusCode: 201, data: { id } }))

describe('uploadBatches', () => {
  it('sends every record in batches and counts what Drata accepted', async () => {
    const sent: string[][] = []
    const { log, logs } = logger()
    const result = await uploadBatches(
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

  it('goes on after rejected items and reports every one', async () => {
    const { log } = logger()
    const result = await uploadBatches(
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
    const upload = uploadBatches(
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
    await expect(upload).rejects.toBe(boom)
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
    const returned = await uploadBatches(
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
    const result = await uploadBatches([], 10, async () => expect.fail('sent'), log, 'Upload')
    expect(result).toEqual({ accepted: 0, failures: [], batches: 0 })
  })
})
