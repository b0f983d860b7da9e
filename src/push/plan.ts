import type { DrataRecord, RecordsApi } from '../drata/records.js'
import type { Sendable } from './upload.js'

const DAY_MS = 86_400_000

/** What completing a session will do to the resource's active data. */
export interface ActivePlan {
  /** Active records before this run. */
  activeCount: number
  /** Active records kept by copying them into the session (append only). */
  carried: Sendable[]
  /** Ids of active records that completing the session will delete. */
  removedIds: string[]
  /** updatedAt of every active record read, to spot later changes by others. */
  seenUpdatedAt: Map<string, string>
}

/** Reads every active record of the resource (cursor pagination at the largest page size). */
export async function readActive(api: RecordsApi): Promise<DrataRecord[]> {
  const all: DrataRecord[] = []
  for await (const page of api.records()) all.push(...page)
  return all
}

/**
 * When a record was last collected, from its own `collectedAt` field. Drata's updatedAt cannot
 * serve: carrying a record forward uploads it again and so resets it on every run.
 */
export function collectedAt(record: DrataRecord): number | undefined {
  const value = record.attributes.collectedAt
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN
  return Number.isNaN(time) ? undefined : time
}

/**
 * Plans `append`: carry forward what this run does not replace, minus records whose
 * `collectedAt` is older than the retention period (records without one are kept).
 */
export function planAppend(
  active: readonly DrataRecord[],
  newIds: ReadonlySet<string>,
  retentionDays: number,
  now: number,
): ActivePlan {
  const cutoff = retentionDays > 0 ? now - retentionDays * DAY_MS : Number.NEGATIVE_INFINITY
  const plan: ActivePlan = {
    activeCount: active.length,
    carried: [],
    removedIds: [],
    seenUpdatedAt: seen(active),
  }
  for (const record of active) {
    if (newIds.has(record.id)) continue // the new version wins
    if ((collectedAt(record) ?? Number.POSITIVE_INFINITY) < cutoff) {
      plan.removedIds.push(record.id)
      continue
    }
    plan.carried.push(toSendable(record))
  }
  return plan
}

/** Plans `replace`: every active record this run does not send is removed. */
export function planReplace(
  active: readonly DrataRecord[],
  newIds: ReadonlySet<string>,
): ActivePlan {
  const removedIds = active.filter((r) => !newIds.has(r.id)).map((r) => r.id)
  return { activeCount: active.length, carried: [], removedIds, seenUpdatedAt: seen(active) }
}

function seen(active: readonly DrataRecord[]): Map<string, string> {
  return new Map(active.map((r) => [r.id, r.updatedAt]))
}

/** The shrink guard: a message when completing would remove over half, or all, of the records. */
export function shrinkProblem(plan: ActivePlan, allowShrink: boolean): string | undefined {
  const removed = plan.removedIds.length
  // "All" is covered too: removing all of a non-empty set is more than half of it.
  if (allowShrink || removed * 2 <= plan.activeCount) return undefined
  return `Replacing would remove ${removed} of the ${plan.activeCount} active records in Drata (more than half, or all). If that is intended, set 'allow-shrink: true'; otherwise check that this run collected all the records it should.`
}

/** A listed record as something to upload again, with `id` guaranteed in its data. */
export function toSendable(record: DrataRecord): Sendable {
  return { id: record.id, data: { ...record.attributes, id: record.id } }
}

/**
 * Finds records that others upserted or changed after the carry-forward read began, so that
 * completing the session does not delete or roll them back. Reads newest first and stops at
 * records older than `since` (with a margin for clock skew between runner and Drata).
 */
export async function changedSince(
  api: RecordsApi,
  since: number,
  newIds: ReadonlySet<string>,
  plan: ActivePlan,
): Promise<Sendable[]> {
  const SKEW_MS = 5 * 60_000
  const changed: Sendable[] = []
  for await (const page of api.records({ sort: 'updatedAt', sortDir: 'DESC' })) {
    for (const record of page) {
      if (Date.parse(record.updatedAt) < since - SKEW_MS) continue
      if (newIds.has(record.id)) continue
      if (plan.seenUpdatedAt.get(record.id) === record.updatedAt) continue
      changed.push(toSendable(record))
    }
    const oldest = page.at(-1)
    if (!oldest || Date.parse(oldest.updatedAt) < since - SKEW_MS) break
  }
  return changed
}
