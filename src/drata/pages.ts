import type { DrataClient } from './client.js'
import type { Operation } from './errors.js'

/** A page of a Drata list endpoint (…ResponsePublicV2Dto with PaginationTotalCount). */
export interface Page<T> {
  data: T[]
  pagination: { cursor: string | null; totalCount?: number | null }
}

/** Largest page Drata serves (the `size` maximum in the spec). */
export const PAGE_SIZE = 500

/** Follows a list endpoint's cursor, yielding each page's items. */
export async function* pages<T>(
  client: DrataClient,
  path: string,
  query: Record<string, string | readonly string[] | undefined>,
  op: Operation,
  size = PAGE_SIZE,
): AsyncGenerator<T[]> {
  let cursor: string | undefined
  do {
    const page = await client.request<Page<T>>({
      method: 'GET',
      path,
      query: { ...query, size, cursor },
      op,
      retry: 'idempotent',
    })
    yield page.data
    cursor = page.pagination?.cursor ?? undefined
  } while (cursor)
}
