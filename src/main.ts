import { type ActionIO, cleanIO, coreIO } from './action-io.js'
import { buildApi } from './drata/factory.js'
import { gatherEvidence } from './evidence/index.js'
import { afterPush } from './follow-up.js'
import { finishedRunLookup } from './github/runs.js'
import { envInputReader, INPUT, readSettings } from './inputs.js'
import { push, type PushDeps, type PushOptions } from './push/index.js'
import { emptyOutcome } from './push/outcome.js'
import { writeOutputs } from './report/outputs.js'
import { proxyPasswords, redact, registerSecrets } from './report/redact.js'
import type { RunReport } from './report/report.js'
import { buildSummary } from './report/summary.js'
import { type Logger, realSleep, type Sleep } from './runtime.js'
import type { Settings } from './settings.js'
import { stateMemory } from './state.js'

/** Seams a unit test replaces; the runner uses the real ones. */
export interface MainDeps {
  io: ActionIO
  sleep: Sleep
  now: () => number
}

const REAL: MainDeps = { io: coreIO, sleep: realSleep, now: Date.now }

/**
 * The main step: read inputs, collect, push, follow up, report. The one place that fails the
 * step; every message it writes passes through the secret redaction first.
 */
export async function run(
  env: NodeJS.ProcessEnv = process.env,
  deps: MainDeps = REAL,
): Promise<void> {
  const read = envInputReader(env)
  const secrets = [read(INPUT.apiKey), read(INPUT.githubToken), ...proxyPasswords(env)].filter(
    Boolean,
  )
  // Every encoded form too (base64, hex, URL, JSON…): a server may echo a key in any of them.
  registerSecrets(secrets, (s) => deps.io.setSecret(s))
  const clean = (text: string) => redact(text, secrets)
  const io = cleanIO(deps.io, clean)

  const controller = new AbortController()
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(1)
    io.warning(`Received ${name}: stopping and cancelling the open session`)
    controller.abort(new Error(`The job was cancelled (${name}) before the push finished.`))
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)

  let settings: Settings | undefined
  let report: RunReport
  // Bad inputs or records always fail the step; 'fail-on-error' only softens Drata failures.
  let fatal = true
  try {
    settings = readSettings(read, env)
    for (const warning of settings.warnings) io.warning(warning)
    report = await execute(settings, env, controller.signal, { ...deps, io })
    fatal = false
  } catch (error) {
    report = invalidReport(settings, (error as Error).message)
  } finally {
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
  }

  writeOutputs(report, (name, value) => io.setOutput(name, value), clean)
  await io.writeSummary(buildSummary(report, clean))
  const error = report.outcome.error ?? report.followUp.error
  if (!error) return
  if (!fatal && settings && !settings.failOnError) {
    io.warning(`${error} ('fail-on-error' is false, so the step passes)`)
  } else {
    io.setFailed(error)
  }
}

/** collect → push → follow up, for settings already validated. Drata failures land in the report. */
export async function execute(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  deps: MainDeps,
): Promise<RunReport> {
  const { io } = deps
  const logger: Logger = io
  const started = deps.now()
  const { records, collectors } = await io.group('Collect evidence', () =>
    gatherEvidence(settings, env, new Date(started), logger),
  )
  io.info(`${records.length} records gathered`)
  const { connectionId, resourceId } = settings
  const parts = settings.apiKey
    ? buildApi({
        ...settings,
        timeoutMs: settings.requestTimeoutMs,
        secrets: [settings.githubToken, ...proxyPasswords(env)],
        logger,
        ref: connectionId && resourceId ? { connectionId, resourceId } : undefined,
        signal,
      })
    : undefined
  try {
    if (records.length > 0 && !settings.dryRun && !parts?.api) {
      throw new Error("Records to push need 'api-key', 'connection-id' and 'resource-id'")
    }
    const pushDeps: PushDeps = {
      api: parts?.api,
      cleanupApi: parts?.cleanupApi,
      logger,
      sleep: (ms) => deps.sleep(ms, signal),
      cleanupSleep: (ms) => deps.sleep(ms),
      now: deps.now,
      memory: stateMemory(io, {
        connectionId: connectionId ?? 0,
        resourceId: resourceId ?? 0,
        baseUrl: settings.baseUrl,
        region: settings.region,
        started,
      }),
      runs: finishedRunLookup(settings, env, logger),
      started,
    }
    const outcome =
      parts?.api || settings.dryRun
        ? await io.group('Push to Drata', () => push(pushOptions(settings), pushDeps, records))
        : // Nothing to push and no resource named: a run for an asset, a review or events only.
          { ...emptyOutcome(settings.mode, false), removed: 0 }
    // The asset and the review describe a deployment whose evidence is in Drata: only after a
    // push that succeeded.
    const wanted = settings.asset || settings.vendorReview || settings.auditEvents
    const followUp =
      wanted && !outcome.error
        ? await io.group('Asset, vendor review and audit events', () =>
            afterPush(settings, parts, new Date(started), logger),
          )
        : {}
    const stats = parts?.client.stats ?? { requests: 0, retries: 0 }
    return {
      outcome,
      followUp,
      records,
      collectors,
      requests: stats.requests,
      retries: stats.retries,
      durationMs: deps.now() - started,
    }
  } finally {
    await parts?.close()
  }
}

/** The push's slice of the settings. */
export function pushOptions(settings: Settings): PushOptions {
  return {
    mode: settings.mode,
    sessionId: settings.sessionId,
    batchSize: settings.batchSize,
    concurrency: settings.concurrency,
    retentionDays: settings.retentionDays,
    allowShrink: settings.allowShrink,
    dryRun: settings.dryRun,
    maxRetries: settings.maxRetries,
    sessionWaitMs: settings.sessionWaitMs,
    staleSessionMs: settings.staleSessionMs,
  }
}

function invalidReport(settings: Settings | undefined, message: string): RunReport {
  const outcome = emptyOutcome(settings?.mode ?? 'append', settings?.dryRun ?? false)
  return {
    outcome: { ...outcome, error: message },
    followUp: {},
    records: [],
    collectors: [],
    requests: 0,
    retries: 0,
    durationMs: 0,
    invalid: true,
  }
}
