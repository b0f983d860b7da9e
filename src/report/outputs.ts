import type { RunReport } from './report.js'

/** Output names, in one place; action.yml documents the same. */
export const OUTPUT = {
  sessionId: 'session-id',
  sessionStatus: 'session-status',
  mode: 'mode',
  recordsPushed: 'records-pushed',
  recordsFailed: 'records-failed',
  rejectedIds: 'rejected-ids',
  recordsRemoved: 'records-removed',
  dryRun: 'dry-run',
  assetId: 'asset-id',
  assetAction: 'asset-action',
  vendorReviewId: 'vendor-review-id',
  eventIds: 'event-ids',
  result: 'result',
} as const

/** The `result` output: every other output in one JSON object, plus the error if any. */
export function resultObject(report: RunReport): Record<string, unknown> {
  const o = report.outcome
  return {
    sessionId: o.sessionId,
    sessionStatus: o.sessionStatus,
    mode: o.mode,
    recordsPushed: o.pushed,
    recordsFailed: o.failed,
    rejectedIds: o.failures.map((f) => f.id),
    recordsRemoved: o.removed,
    dryRun: o.dryRun,
    batches: o.batches,
    requests: report.requests,
    retries: report.retries,
    durationMs: report.durationMs,
    failures: o.failures,
    removedIds: o.removedIds,
    recoveredSessions: o.recovered,
    asset: report.followUp.asset ?? null,
    vendorReview: report.followUp.review ?? null,
    eventIds: report.followUp.events?.map((e) => e.id) ?? [],
    connectionId: report.target?.connectionId ?? null,
    resourceId: report.target?.resourceId ?? null,
    connectionName: report.target?.connectionName ?? null,
    resourceName: report.target?.resourceName ?? null,
    error: o.error ?? report.followUp.error ?? null,
  }
}

/** Writes every output; called once, at the end of the run. */
export function writeOutputs(
  report: RunReport,
  setOutput: (name: string, value: string) => void,
  clean: (s: string) => string,
): void {
  const o = report.outcome
  const unknown = (n: number | null) => (n === null ? '' : String(n))
  setOutput(OUTPUT.sessionId, o.sessionId ?? '')
  setOutput(OUTPUT.sessionStatus, o.sessionStatus)
  setOutput(OUTPUT.mode, o.mode)
  setOutput(OUTPUT.recordsPushed, String(o.pushed))
  setOutput(OUTPUT.recordsFailed, String(o.failed))
  setOutput(OUTPUT.rejectedIds, o.failures.map((f) => f.id).join(','))
  setOutput(OUTPUT.recordsRemoved, unknown(o.removed))
  setOutput(OUTPUT.dryRun, String(o.dryRun))
  const { asset, review, events } = report.followUp
  setOutput(OUTPUT.assetId, asset?.id == null ? '' : String(asset.id))
  setOutput(OUTPUT.assetAction, asset?.action ?? 'none')
  setOutput(OUTPUT.vendorReviewId, review?.id == null ? '' : String(review.id))
  setOutput(OUTPUT.eventIds, (events ?? []).map((e) => e.id).join(','))
  // Clean the text before JSON encoding too: escaping could hide a secret from the match.
  const result = resultObject(report)
  if (typeof result.error === 'string') result.error = clean(result.error)
  setOutput(OUTPUT.result, clean(JSON.stringify(result)))
}
