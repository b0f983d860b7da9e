import { describe, expect, it } from 'vitest'
import type { DrataClient } from '../../src/drata/client.js'
import { countItems, ListingError, pages } from '../../src/drata/pages.js'

const OP = {
  what: 'list the active records',
  permission: 'custom-connections-get',
  area: 'records',
} as const

/** A client whose GET answers come from `answer(n)`, n counting from 0; records the queries. */
function client(answer: (n: number) => unknown) {
  const queries: Record<string, unknown>[] = []
  const fake = {
    async request(spec: { query: Record<string, unknown> }) {
      queries.push(spec.query)
      return answer(queries.length - 1)
    },
  }
  return { client: fake as unknown as DrataClient, queries }
}

async function readAll(c: DrataClient, exact = false, size = 2): Promise<string[]> {
  const out: string[] = []
  for await (const page of pages<string>(c, '/x', {}, OP, { exact, size })) out.push(...page)
  return out
}

describe('pages', () => {
  it('follows the cursor to the end and asks for the total only on the first page', async () => {
    const { client: c, queries } = client((n) =>
      n === 0
        ? { data: ['a', 'b'], pagination: { cursor: 'c1', totalCount: 3 } }
        : { data: ['c'], pagination: { cursor: null, totalCount: null } },
    )
    expect(await readAll(c, true)).toEqual(['a', 'b', 'c'])
    expect(queries.map((q) => [q.cursor, q.includeTotalCount])).toEqual([
      [undefined, 'true'],
      ['c1', undefined],
    ])
  })

  it('stops on a page without pagination instead of taking it as the last', async () => {
    const { client: c } = client(() => ({ data: ['a'] }))
    await expect(readAll(c)).rejects.toThrow(ListingError)
  })

  it('stops on an answer without a data list', async () => {
    const { client: c } = client(() => ({ pagination: { cursor: null } }))
    await expect(readAll(c)).rejects.toThrow(/no 'data' list/)
  })

  it('stops on a cursor seen twice', async () => {
    const { client: c, queries } = client(() => ({ data: ['a'], pagination: { cursor: 'same' } }))
    await expect(readAll(c)).rejects.toThrow(/same page cursor twice/)
    expect(queries).toHaveLength(2)
  })

  it('stops paging past the pages Drata’s total allows, even with fresh cursors', async () => {
    const { client: c, queries } = client((n) => ({
      data: ['a', 'b'],
      pagination: { cursor: `c${n + 1}`, totalCount: n === 0 ? 4 : null },
    }))
    await expect(readAll(c, true)).rejects.toThrow(/past the 4 items its total allows/)
    expect(queries).toHaveLength(2)
  })

  it('stops when the items read do not add up to the total', async () => {
    const { client: c } = client(() => ({
      data: ['a'],
      pagination: { cursor: null, totalCount: 2 },
    }))
    await expect(readAll(c, true)).rejects.toThrow(/Read 1 items .* total says 2/)
  })

  it('stops when a total was asked for and not given', async () => {
    const { client: c } = client(() => ({ data: [], pagination: { cursor: null } }))
    await expect(readAll(c, true)).rejects.toThrow(/no totalCount/)
  })
})

describe('countItems', () => {
  it('asks for one item with the total, and returns the total', async () => {
    const { client: c, queries } = client(() => ({
      data: ['a'],
      pagination: { cursor: 'next', totalCount: 1234 },
    }))
    await expect(countItems(c, '/x', { sessionId: 's-1' }, OP)).resolves.toBe(1234)
    expect(queries[0]).toMatchObject({ size: 1, includeTotalCount: 'true', sessionId: 's-1' })
  })

  it('refuses to guess when the total is missing', async () => {
    const { client: c } = client(() => ({ data: [], pagination: { cursor: null } }))
    await expect(countItems(c, '/x', {}, OP)).rejects.toThrow(/no totalCount/)
  })
})
