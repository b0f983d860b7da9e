import type { DrataClient } from './client.js'
import type { Operation } from './errors.js'

/** A page of a Drata list endpoint (…ResponsePublicV2Dto with PaginationTotalCount). */
export interface Page<T> {
  data: T[]
  pagination: { cursor: string | null; totalCount?: number | null }
}

/** Largest page Drata serves (the `size` maximum in the spec). */
export const PAGE_SIZE = 500

/** Raised when a list answer cannot be trusted: the run must stop, never guess. */
export class ListingError extends Error {
  override name = 'ListingError'
}

export interface PageOptions {
  /** Items per page; Drata's maximum by default. */
  size?: number
  /**
   * Ask for `includeTotalCount` on the first page and fail unless the items read add up to it.
   * Only for lists that must be read exactly (the active records a snapshot replaces).
   */
  exact?: boolean
}

/**
 * Follows a list endpoint's cursor, yielding each page's items. A page without a well-formed
 * `pagination`, a cursor seen twice, or more pages than Drata's own total allows stops the
 * listing with a ListingError: a missing page must never pass for the last one.
 */
export async function* pages<T>(
  client: DrataClient,
  path: string,
  query: Record<string, string | readonly string[] | undefined>,
  op: Operation,
  options: PageOptions = {},
): AsyncGenerator<T[]> {
  const size = options.size ?? PAGE_SIZE
  const seen = new Set<string>()
  let cursor: string | undefined
  let total: number | undefined
  let read = 0
  let pageCount = 0
  do {
    const first = cursor === undefined
    const answer = await client.request<unknown>({
      method: 'GET',
      path,
      query: {
        ...query,
        size,
        cursor,
        includeTotalCount: options.exact && first ? 'true' : undefined,
      },
      op,
      retry: 'idempotent',
    })
    const page = checkPage<T>(answer, op)
    if (first && options.exact) {
      const count = page.pagination.totalCount
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
        throw new ListingError(
          `Drata's answer to ${op.what} has no totalCount although it was asked for; the listing cannot be verified, so the run stops.`,
        )
      }
      total = count
    }
    pageCount++
    read += page.data.length
    yield page.data
    const next = page.pagination.cursor
    cursor = next === null || next === '' ? undefined : next
    if (cursor === undefined) break
    if (seen.has(cursor)) {
      throw new ListingError(
        `Drata answered the same page cursor twice to ${op.what}; stopping instead of looping.`,
      )
    }
    seen.add(cursor)
    if (total !== undefined && pageCount >= Math.max(1, Math.ceil(total / size))) {
      throw new ListingError(
        `Drata kept paging ${op.what} past the ${total} items its total allows (${pageCount} pages of ${size}); stopping.`,
      )
    }
  } while (cursor)
  if (total !== undefined && read !== total) {
    throw new ListingError(
      `Read ${read} items to ${op.what}, but Drata's total says ${total}; the data changed while it was read or a page went missing. Nothing was completed; re-run.`,
    )
  }
}

/** Drata's total for a list (one request of one item): how many items match `query`. */
export async function countItems(
  client: DrataClient,
  path: string,
  query: Record<string, string | undefined>,
  op: Operation,
): Promise<number> {
  const answer = await client.request<unknown>({
    method: 'GET',
    path,
    query: { ...query, size: 1, includeTotalCount: 'true' },
    op,
    retry: 'idempotent',
  })
  const count = checkPage(answer, op).pagination.totalCount
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw new ListingError(
      `Drata's answer to ${op.what} has no totalCount although it was asked for; the count cannot be verified.`,
    )
  }
  return count
}

function checkPage<T>(answer: unknown, op: Operation): Page<T> {
  const page = answer as Partial<Page<T>> | null
  if (!page || typeof page !== 'object' || !Array.isArray(page.data)) {
    throw new ListingError(`Drata's answer to ${op.what} has no 'data' list; stopping.`)
  }
  const p = page.pagination as Partial<Page<T>['pagination']> | undefined
  if (
    !p ||
    typeof p !== 'object' ||
    !('cursor' in p) ||
    (p.cursor !== null && typeof p.cursor !== 'string')
  ) {
    throw new ListingError(
      `Drata's answer to ${op.what} has no well-formed 'pagination' (cursor); it cannot be told from the last page, so the run stops.`,
    )
  }
  return page as Page<T>
}
