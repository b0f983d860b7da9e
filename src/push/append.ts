import type { RecordsApi } from '../drata/custom-data.js'
import type { RecordSet } from '../evidence/record-set.js'
import { lifecycleDeps, type PushDeps, type PushOptions } from './options.js'
import { emptyOutcome, type PushOutcome } from './outcome.js'
import type { Orphan } from './orphans.js'
import { expiredOnPage, retentionCutoff } from './plan.js'
import { waitForFreeResource } from './session-lifecycle.js'
import { rejectedText } from './results.js'
import { batchStream } from './batches.js'
import { type UploadResult, uploadBatches } from './upload.js'

/**
 * `append`: upserts this run's records into the active data and never completes a session,
 * so it can delete nothing but what `retention-days` expires. Its cost depends only on this
 * run's records: one session check, one upload per batch (ceil(N / 500) with `batch-size: auto`
 * and records small enough) and one check after them; with retention, one delete per expired
 * record and a fresh listing before every RETENTION_CHUNK of them.
 */
export async function pushAppend(
  options: PushOptions,
  deps: PushDeps,
  records: RecordSet,
): Promise<PushOutcome> {
  const { api, logger } = deps
  const outcome = emptyOutcome('append', options.dryRun)
  if (!api) return outcome // offline dry run: nothing can be known about Drata
  const retention = options.retentionDays > 0
  if (records.count === 0 && !retention) {
    logger.info('No records to push')
    outcome.removed = 0
    return outcome
  }
  // Batches are planned from the checked sizes before anything is sent: a record too large
  // for any request is an error here, before the first write.
  let batches
  try {
    batches = batchStream(records, options.batchSize)
  } catch (error) {
    return { ...outcome, removed: 0, error: (error as Error).message }
  }
  // No session of ours: every IN_PROGRESS session is another run's snapshot being staged,
  // which would either swallow these upserts or delete them on completion. Wait for it.
  const result: UploadResult = { accepted: 0, failures: [], batches: 0 }
  let recovered: Orphan[] = []
  try {
    recovered = await waitForFreeResource(api, lifecycleDeps(options, deps), {
      readOnly: options.dryRun,
    })
    if (!options.dryRun) {
      // Filled batch by batch, so an error after retries still reports what went in before it.
      await uploadBatches(
        batches,
        (batch) => api.upsert(batch),
        { logger, label: 'Upsert', concurrency: options.concurrency, now: deps.now },
        result,
      )
      await warnIfSnapshotStarted(api, deps)
    }
  } catch (error) {
    return {
      ...outcome,
      ...counts(result),
      recovered,
      removed: 0,
      error: `${(error as Error).message}${result.accepted > 0 ? ` The ${result.accepted} records accepted before this error stay in Drata; re-running with the same ids updates them in place.` : ''}`,
    }
  }
  if (result.failures.length > 0) {
    return {
      ...outcome,
      ...counts(result),
      recovered,
      removed: 0,
      error: `${rejectedText(result.failures, records.count)} (listed by id in the summary and the 'result' output); the other ${result.accepted} were upserted. Fix the rejected records and re-run: records are matched by their stable ids, so a re-run updates the accepted ones in place and converges. Retention was not applied.`,
    }
  }
  const expiry = retention ? await expire(api, options, deps, records) : { removedIds: [] }
  return {
    ...outcome,
    ...counts(result),
    recovered,
    removed: expiry.removedIds.length,
    removedIds: expiry.removedIds,
    ...(expiry.error ? { error: expiry.error } : {}),
  }
}

function counts(result: UploadResult) {
  return {
    pushed: result.accepted,
    failed: result.failures.length,
    failures: result.failures,
    batches: result.batches,
  }
}

/**
 * A snapshot that started while the upserts were in flight may not hold them, and completing
 * it would delete them: say so, since this run cannot prevent it (one request).
 */
async function warnIfSnapshotStarted(api: RecordsApi, deps: PushDeps): Promise<void> {
  // Only a warning: the upserts are in whatever this check answers.
  const open = await api.sessionsInProgress().catch((error: unknown) => {
    deps.logger.warning(
      `Could not check for a snapshot started meanwhile: ${(error as Error).message}`,
    )
    return []
  })
  for (const session of open) {
    deps.logger.warning(
      `Session '${session.sessionId}' started on this resource while this run upserted; if it is a 'replace' snapshot that does not hold these records, completing it will delete them. Do not mix 'append' and 'replace' on one resource.`,
    )
  }
}

/** Expired records deleted per round; each round reads the list again first. */
export const RETENTION_CHUNK = 25

/**
 * Deletes records whose `collectedAt` is older than `retention-days`, reading oldest-updated
 * first and stopping at the cut-off. Drata has no conditional delete, so the list is read
 * again before every small round of deletes: a record another job upserted since (a newer
 * `updatedAt`) drops out of the expired set before it could be deleted, and the window for
 * that race is one round, not the whole run. A dry run lists them only. A failed delete is
 * reported; the rest of the run (already pushed) stands.
 */
async function expire(
  api: RecordsApi,
  options: PushOptions,
  deps: PushDeps,
  records: RecordSet,
): Promise<{ removedIds: string[]; error?: string }> {
  const cutoff = retentionCutoff(options.retentionDays, deps.now())
  const ownIds = new Set(records.ids)
  const removedIds: string[] = []
  const tried = new Set<string>()
  try {
    if (options.dryRun) {
      const expired = await listExpired(api, cutoff, ownIds, new Set(), Number.POSITIVE_INFINITY)
      deps.logger.info(`Retention: ${expired.length} records would be deleted`)
      return { removedIds: expired }
    }
    for (;;) {
      const round = await listExpired(api, cutoff, ownIds, tried, RETENTION_CHUNK)
      if (round.length === 0) break
      for (const id of round) {
        tried.add(id)
        // A 404 means someone else removed it first: not counted as this run's removal.
        if ((await api.deleteRecord(id)) === 'deleted') removedIds.push(id)
      }
    }
    deps.logger.info(
      `Retention: deleted ${removedIds.length} records collected before ${new Date(cutoff).toISOString()}`,
    )
    return { removedIds }
  } catch (error) {
    return {
      removedIds,
      error: `Retention stopped after deleting ${removedIds.length} expired records: ${(error as Error).message} This run's records were pushed; the next run deletes the rest.`,
    }
  }
}

/** Up to `limit` expired ids not tried yet, from a fresh listing that stops at the cut-off. */
async function listExpired(
  api: RecordsApi,
  cutoff: number,
  ownIds: ReadonlySet<string>,
  tried: ReadonlySet<string>,
  limit: number,
): Promise<string[]> {
  const expired: string[] = []
  for await (const page of api.records({ sort: 'updatedAt', sortDir: 'ASC' })) {
    const seen = expiredOnPage(page, cutoff, ownIds)
    for (const id of seen.expired) {
      if (!tried.has(id)) expired.push(id)
      if (expired.length >= limit) return expired
    }
    if (seen.done) break
  }
  return expired
}
