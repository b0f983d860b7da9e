import type { RecordsApi } from '../drata/custom-data.js'
import type { EvidenceRecord } from '../evidence/assemble.js'
import { lifecycleDeps, type PushDeps, type PushOptions } from './options.js'
import { emptyOutcome, type PushOutcome } from './outcome.js'
import type { Orphan } from './orphans.js'
import { expiredOnPage, retentionCutoff } from './plan.js'
import { waitForFreeResource } from './session-lifecycle.js'
import { rejectedText } from './results.js'
import { toBatches } from './batches.js'
import { type UploadResult, uploadBatches } from './upload.js'

/**
 * `append`: upserts this run's records into the active data and never completes a session,
 * so it can delete nothing but what `retention-days` expires. Its cost depends only on this
 * run's records: one session check, one upload per batch (ceil(N / 500) with `batch-size: auto`
 * and records small enough),  one check after them, plus one
 * listing page and one delete per expired record when retention is on.
 */
export async function pushAppend(
  options: PushOptions,
  deps: PushDeps,
  records: readonly EvidenceRecord[],
): Promise<PushOutcome> {
  const { api, logger } = deps
  const outcome = emptyOutcome('append', options.dryRun)
  if (!api) return outcome // offline dry run: nothing can be known about Drata
  const retention = options.retentionDays > 0
  if (records.length === 0 && !retention) {
    logger.info('No records to push')
    outcome.removed = 0
    return outcome
  }
  // Batched (and each record serialized) before anything is sent: a record too large for any
  // request is an error here, before the first write.
  let batches
  try {
    batches = toBatches(records, options.batchSize)
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
      error: `${(error as Error).message}${result.accepted > 0 ? ` The ${result.accepted} records accepted before this error stay in Drata; re-running with the same ids updates them in place.` : ''}`,
    }
  }
  if (result.failures.length > 0) {
    return {
      ...outcome,
      ...counts(result),
      recovered,
      removed: 0,
      error: `${rejectedText(result.failures, records.length)} (listed by id in the summary and the 'result' output); the other ${result.accepted} were upserted. Fix the rejected records and re-run: records are matched by their stable ids, so a re-run updates the accepted ones in place and converges. Retention was not applied.`,
    }
  }
  const expiry = retention ? await expire(api, options, deps, records) : { removedIds: [] }
  return {
    ...outcome,
    ...counts(result),
    recovered,
    pushed: options.dryRun ? 0 : result.accepted,
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

/**
 * Deletes records whose `collectedAt` is older than `retention-days`, reading oldest-updated
 * first and stopping at the cut-off. A dry run lists them only. A failed delete is reported;
 * the rest of the run (already pushed) stands.
 */
async function expire(
  api: RecordsApi,
  options: PushOptions,
  deps: PushDeps,
  records: readonly EvidenceRecord[],
): Promise<{ removedIds: string[]; error?: string }> {
  const cutoff = retentionCutoff(options.retentionDays, deps.now())
  const ownIds = new Set(records.map((r) => r.id))
  const removedIds: string[] = []
  try {
    const expired: string[] = []
    for await (const page of api.records({ sort: 'updatedAt', sortDir: 'ASC' })) {
      const seen = expiredOnPage(page, cutoff, ownIds)
      expired.push(...seen.expired)
      if (seen.done) break
    }
    deps.logger.info(
      `Retention: ${expired.length} records collected before ${new Date(cutoff).toISOString()}${options.dryRun ? ' would be deleted' : ' to delete'}`,
    )
    if (options.dryRun) return { removedIds: expired }
    for (const id of expired) {
      await api.deleteRecord(id)
      removedIds.push(id)
    }
    return { removedIds }
  } catch (error) {
    return {
      removedIds,
      error: `Retention stopped after deleting ${removedIds.length} expired records: ${(error as Error).message} This run's records were pushed; the next run deletes the rest.`,
    }
  }
}
