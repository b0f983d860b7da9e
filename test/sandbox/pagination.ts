import { badRequest } from './errors.ts'

/** Parsed cursor-pagination query parameters shared by the list endpoints. */
export interface PageQuery {
  size: number
  cursor: CursorKey | null
  sort: 'createdAt' | 'updatedAt'
  sortDir: 'ASC' | 'DESC'
  includeTotalCount: boolean
}

/** The position a cursor points after: the last item's sort value and tie-breaker. */
export interface CursorKey {
  value: string
  tie: string | number
}

/** `pagination` of a list response (PaginationTotalCountResponsePublicV2Dto). */
export interface Pagination {
  cursor: string | null
  totalCount: number | null
}

/** Query parameters every list endpoint accepts. */
export const PAGE_PARAMS = ['cursor', 'size', 'sort', 'sortDir', 'includeTotalCount']

/** Rejects query parameters an endpoint does not declare, or that are repeated. */
export function checkQueryNames(query: URLSearchParams, allowed: string[]): void {
  for (const name of new Set(query.keys())) {
    // Unknown parameters → 400 is an assumption (NestJS forbidNonWhitelisted); strict on purpose.
    if (!allowed.includes(name)) throw badRequest(`property ${name} should not exist`)
    // Array parameters (`expand[]`, `status[]`, …) repeat by design; scalars must not.
    if (!name.endsWith('[]') && query.getAll(name).length > 1) {
      throw badRequest(`${name} must not be repeated`)
    }
  }
}

/**
 * Parses and validates cursor, size, sort, sortDir and includeTotalCount. `sorts` are the sort
 * fields the endpoint accepts (SortTypeLimitedEnum by default; Events only allow createdAt).
 */
export function parsePageQuery(
  query: URLSearchParams,
  sorts: ReadonlyArray<PageQuery['sort']> = ['createdAt', 'updatedAt'],
): PageQuery {
  const size = parseSize(query.get('size'))
  const sort = oneOf(query.get('sort'), 'sort', sorts) ?? 'createdAt'
  const sortDir = oneOf(query.get('sortDir'), 'sortDir', ['ASC', 'DESC'] as const) ?? 'ASC'
  const total = oneOf(query.get('includeTotalCount'), 'includeTotalCount', ['true', 'false'])
  const rawCursor = query.get('cursor')
  const cursor = rawCursor === null ? null : decodeCursor(rawCursor, sort, sortDir)
  return { size, cursor, sort, sortDir, includeTotalCount: total === 'true' }
}

/** Returns one page of `items`, ordered by the sort field then `tie`, and its pagination. */
export function paginate<T>(
  items: T[],
  q: PageQuery,
  keyOf: (item: T) => CursorKey,
): { data: T[]; pagination: Pagination } {
  const ordered = sortEntries(
    items.map((item) => ({ item, key: keyOf(item) })),
    q.sortDir,
  )
  return paginateSorted(ordered, q)
}

/** Sorts items with their keys into list order (in place). */
export function sortEntries<E extends { key: CursorKey }>(
  entries: E[],
  sortDir: 'ASC' | 'DESC',
): E[] {
  const dir = sortDir === 'ASC' ? 1 : -1
  return entries.sort((a, b) => dir * compareKeys(a.key, b.key))
}

/**
 * One page of entries already in list order: the cursor is found by binary search, so a page
 * costs O(log n + size) however many records there are.
 */
export function paginateSorted<T>(
  ordered: readonly { item: T; key: CursorKey }[],
  q: PageQuery,
): { data: T[]; pagination: Pagination } {
  const dir = q.sortDir === 'ASC' ? 1 : -1
  // Keyset (not offset) cursor: records deleted between pages cannot make the client skip any.
  const after = q.cursor
  let start = 0
  if (after) {
    let high = ordered.length
    while (start < high) {
      const mid = (start + high) >>> 1
      if (dir * compareKeys((ordered[mid] as { key: CursorKey }).key, after) > 0) high = mid
      else start = mid + 1
    }
  }
  const page = ordered.slice(start, start + q.size)
  const last = page.at(-1)
  const more = ordered.length - start > page.length && last !== undefined
  return {
    data: page.map((e) => e.item),
    pagination: {
      cursor: more ? encodeCursor(last.key, q) : null,
      totalCount: q.includeTotalCount && q.cursor === null ? ordered.length : null,
    },
  }
}

function compareKeys(a: CursorKey, b: CursorKey): number {
  if (a.value !== b.value) return a.value < b.value ? -1 : 1
  if (a.tie === b.tie) return 0
  return a.tie < b.tie ? -1 : 1
}

function parseSize(raw: string | null): number {
  if (raw === null) return 50
  const size = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
  if (!(size >= 1 && size <= 500)) throw badRequest('size must be an integer between 1 and 500')
  return size
}

/** The value of a single-valued enum parameter, null when absent; 400 for any other value. */
export function oneOf<T extends string>(
  raw: string | null,
  name: string,
  values: readonly T[],
): T | null {
  if (raw === null) return null
  if (!values.includes(raw as T)) {
    throw badRequest(`${name} must be one of the following values: ${values.join(', ')}`)
  }
  return raw as T
}

// The cursor also pins sort and direction, so reusing it with a different ordering is a 400
// rather than a silently wrong page (assumption: Drata's cursor is opaque and undocumented).
function encodeCursor(key: CursorKey, q: PageQuery): string {
  return Buffer.from(JSON.stringify([key.value, key.tie, q.sort, q.sortDir])).toString('base64url')
}

function decodeCursor(raw: string, sort: string, sortDir: string): CursorKey {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
  } catch {
    throw badRequest('cursor is invalid')
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw badRequest('cursor is invalid')
  const [value, tie, cursorSort, cursorDir] = parsed as unknown[]
  const tieOk = typeof tie === 'string' || typeof tie === 'number'
  if (typeof value !== 'string' || !tieOk) throw badRequest('cursor is invalid')
  if (cursorSort !== sort || cursorDir !== sortDir) {
    throw badRequest('cursor does not match sort and sortDir')
  }
  return { value, tie }
}
