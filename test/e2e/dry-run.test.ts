import { describe, expect, it } from 'vitest'
import { useSandbox } from '../sandbox/hooks.ts'
import { makeRecords, runAction, runAgainst, writes } from './harness.ts'

const sandbox = useSandbox()

describe('dry run', () => {
  it('with a key makes the real run’s reads, and sends no write', async () => {
    sandbox().seed(1, 1, makeRecords(3, 'old'))
    const before = JSON.stringify(sandbox().state())
    const result = await runAgainst(sandbox(), {
      'dry-run': 'true',
      records: JSON.stringify([{ id: 'old-0001' }, ...makeRecords(14, 'new')]),
    })
    expect(result.code).toBe(0)
    expect(sandbox().requests.length).toBeGreaterThan(0)
    expect(writes(sandbox().requests)).toBe(0)
    expect(JSON.stringify(sandbox().state())).toBe(before)
    expect(result.outputs).toMatchObject({
      'dry-run': 'true',
      'session-status': 'none',
      'records-pushed': '0',
      'records-removed': '0',
    })
    // append reads nothing of the active data: only whether a snapshot is being staged.
    expect(sandbox().requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /custom-connections/1/resources/1/sessions',
    ])
    expect(result.summary).toContain('🔍 Dry run: would push 15 records (append); nothing was sent')
    expect(result.summary).toContain('Preview: first 10 of 15 records')
    expect(result.summary).toContain('… and 5 more')
    expect(result.savedState.session).toBeUndefined()
  })

  it('without a key plans offline and makes no request at all', async () => {
    const result = await runAction({
      inputs: {
        'dry-run': 'true',
        records: '{"id":"a","note":"<b>escaped</b>"}',
        'api-url': sandbox().url,
        collect: 'none',
      },
    })
    expect(result.code).toBe(0)
    expect(sandbox().requests).toHaveLength(0)
    expect(result.outputs['records-removed']).toBe('')
    expect(result.summary).toContain('unknown (offline dry run)')
    expect(result.summary).toContain('&lt;b&gt;escaped&lt;/b&gt;')
  })

  it('predicts the shrink guard of a replace and fails like the real run would', async () => {
    sandbox().seed(1, 1, makeRecords(4))
    const result = await runAgainst(sandbox(), {
      'dry-run': 'true',
      mode: 'replace',
      records: '{"id":"rec-0001"}',
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      'A real run would fail: Replacing would remove 3 of the 4 active records',
    )
    expect(writes(sandbox().requests)).toBe(0)
    expect(result.outputs['records-removed']).toBe('3')
  })

  it('fails like the real run would for an empty replace and a reused session id, writing nothing', async () => {
    const empty = await runAgainst(sandbox(), {
      'dry-run': 'true',
      mode: 'replace',
      'allow-shrink': 'true',
    })
    expect(empty.code).toBe(1)
    expect(empty.stdout).toContain("A real run would fail: Mode 'replace' got no records")

    const real = await runAgainst(sandbox(), {
      mode: 'replace',
      records: '{"id":"a"}',
      'session-id': 'used-once',
    })
    expect(real.code).toBe(0)
    const writesBefore = writes(sandbox().requests)
    const reused = await runAgainst(sandbox(), {
      'dry-run': 'true',
      mode: 'replace',
      records: '{"id":"a"}',
      'session-id': 'used-once',
    })
    expect(reused.code).toBe(1)
    expect(reused.stdout).toContain(
      "A real run would fail: Session 'used-once' was used before on this resource",
    )
    expect(writes(sandbox().requests)).toBe(writesBefore)
  })

  it('lists the records a replace would remove', async () => {
    sandbox().seed(1, 1, makeRecords(3))
    const result = await runAgainst(sandbox(), {
      'dry-run': 'true',
      mode: 'replace',
      records: '[{"id":"rec-0001"},{"id":"rec-0002"},{"id":"new"}]',
    })
    expect(result.code).toBe(0)
    expect(result.summary).toContain('Records a real run would remove (1)')
    expect(result.summary).toContain('<code>rec-0003</code>')
  })
})
