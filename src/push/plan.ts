import type { DrataRecord } from '../drata/custom-data.js'

/**
 * The pure decisions of a push, shared by the real run and the dry run: what a snapshot
 * removes, when it removes too much, and which records retention expires. No I/O here.
 */

const DAY_MS = 86_400_000

/** What completing a `replace` session will do to the resource's active data. */
export interface ReplacePlan {
  /** Active records before this run, as Drata's verified listing counted them. */
  activeCount: number
  /** Ids of active records that completing the session will delete. */
  removedIds: string[]
}

/**
 * Plans `replace`: every active record this run does not send is removed. Holds a set of the
 * active ids, not of the run's: a push of 100,000 records into few keeps little in memory.
 */
export function planReplace(activeIds: readonly string[], newIds: Iterable<string>): ReplacePlan {
  const removed = new Set(activeIds)
  for (const id of newIds) removed.delete(id)
  return { activeCount: activeIds.length, removedIds: [...removed] }
}

/** The shrink guard: a message when completing would remove over half, or all, of the records. */
export function shrinkProblem(plan: ReplacePlan, allowShrink: boolean): string | undefined {
  const removed = plan.removedIds.length
  // "All" is covered too: removing all of a non-empty set is more than half of it.
  if (allowShrink || removed * 2 <= plan.activeCount) return undefined
  return `Replacing would remove ${removed} of the ${plan.activeCount} active records in Drata (more than half, or all). If that is intended, set 'allow-shrink: true'; otherwise check that this run collected all the records it should.`
}

/** Records whose `collectedAt` is before this time expire under `retention-days`. */
export function retentionCutoff(retentionDays: number, now: number): number {
  return now - retentionDays * DAY_MS
}

/** When a record was collected, from its own `collectedAt` field; undefined when it has none. */
export function collectedAt(record: DrataRecord): number | undefined {
  const value = record.attributes.collectedAt
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN
  return Number.isNaN(time) ? undefined : time
}

/**
 * Reads one page of records listed by `updatedAt` ascending. Expired are the records updated
 * before the cut-off whose `collectedAt` is older than it too; records without `collectedAt`,
 * and this run's own, are never expired. At the first record updated at or after the cut-off
 * `done` says the listing may stop, so the cost grows with what expires, not with the
 * history. (A record re-sent after the cut-off with an old `collectedAt` is therefore kept
 * until its `updatedAt` ages past the cut-off as well: retention errs on keeping evidence.)
 */
export function expiredOnPage(
  page: readonly DrataRecord[],
  cutoff: number,
  ownIds: ReadonlySet<string>,
): { expired: string[]; done: boolean } {
  const expired: string[] = []
  for (const record of page) {
    // A listed item without a string id cannot be deleted by id: skipped, never guessed.
    if (typeof record.id !== 'string' || record.id === '') continue
    const updated = Date.parse(record.updatedAt)
    if (!(updated < cutoff)) return { expired, done: true }
    const collected = collectedAt(record)
    if (collected !== undefined && collected < cutoff && !ownIds.has(record.id)) {
      expired.push(record.id)
    }
  }
  return { expired, done: false }
}
