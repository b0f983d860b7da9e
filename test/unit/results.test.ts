import { describe, expect, it } from 'vitest'
import type { ItemResult } from '../../src/drata/custom-data.js'
import { checkItems } from '../../src/push/results.js'

const ok = (id: string, statusCode = 201): ItemResult => ({ id: 'uuid', statusCode, data: { id } })

describe('checkItems', () => {
  it('accepts 200 and 201 items that echo the right ids', () => {
    expect(checkItems(['a', 'b'], [ok('a', 200), ok('b', 201)])).toEqual([])
  })

  it('accepts items without echoed data', () => {
    expect(checkItems(['a'], [{ statusCode: 201 }])).toEqual([])
  })

  it('compares an echoed numeric id as a string', () => {
    expect(checkItems(['42'], [{ statusCode: 200, data: { id: 42 } }])).toEqual([])
  })

  it('reports a per-item 400 with the {error:{message}} shape', () => {
    const items: ItemResult[] = [
      ok('a'),
      { statusCode: 400, error: { message: 'attribute x is required', code: 400 } },
    ]
    expect(checkItems(['a', 'b'], items)).toEqual([
      { id: 'b', status: 400, message: 'attribute x is required' },
    ])
  })

  it('reports a per-item 400 with the nested {error:{error:{message}}} shape', () => {
    const items: ItemResult[] = [
      { statusCode: 400, error: { error: { message: 'bad date', code: 400 } } },
      ok('b'),
    ]
    expect(checkItems(['a', 'b'], items)).toEqual([{ id: 'a', status: 400, message: 'bad date' }])
  })

  it('reports an item without status or message as status 0', () => {
    expect(checkItems(['a'], [{}])).toEqual([{ id: 'a', status: 0, message: 'status missing' }])
  })

  it('reports every rejected item, not just the first', () => {
    const items: ItemResult[] = [
      { statusCode: 422, error: { message: 'one' } },
      ok('b'),
      { statusCode: 500, error: { message: 'three' } },
    ]
    expect(checkItems(['a', 'b', 'c'], items).map((f) => [f.id, f.status, f.message])).toEqual([
      ['a', 422, 'one'],
      ['c', 500, 'three'],
    ])
  })

  it.each([
    ['fewer', [ok('a')]],
    ['more', [ok('a'), ok('b'), ok('c')]],
    ['no', []],
  ])('fails every id when Drata answers %s results than records', (_label, items) => {
    const failures = checkItems(['a', 'b'], items as ItemResult[])
    expect(failures.map((f) => f.id)).toEqual(['a', 'b'])
    for (const f of failures) {
      expect(f.status).toBe(0)
      expect(f.message).toContain(
        `Drata answered ${(items as ItemResult[]).length} results for 2 records`,
      )
    }
  })

  it('fails a successful item whose echoed data.id names another record', () => {
    const failures = checkItems(['a', 'b'], [ok('b'), ok('a')])
    expect(failures).toEqual([
      { id: 'a', status: 201, message: "Drata answered for record 'b' in its place" },
      { id: 'b', status: 201, message: "Drata answered for record 'a' in its place" },
    ])
  })

  it('ignores the top-level item id (an internal UUID)', () => {
    expect(
      checkItems(
        ['a'],
        [{ id: 'f47ac10b-58cc-4372-a567-0e02b2c3d479', statusCode: 201, data: { id: 'a' } }],
      ),
    ).toEqual([])
  })
})
