import { type ActionIO, cleanIO, coreIO } from './action-io.js'
import { needsLookup, resolveTarget, type Target, type TargetQuery } from './target.js'
import { buildApi } from './drata/factory.js'
import { gatherEvidence } from './evidence/index.js'
import { recordSetOf } from './evidence/record-set.js'
import { afterPush } from './follow-up.js'
import { finishedRunLookup } from './github/runs.js'
import { envInputReader, INPUT, InputError, readSettings, stepSecrets } from './inputs/index.js'
import { push, type PushDeps, type PushOptions } from './push/index.js'
import { emptyOutcome } from './push/outcome.js'
import { writeOutputs } from './report/outputs.js'
import { proxyPasswords, redact, registerSecrets } from './secrets.js'
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
  const secrets = stepSecrets(env)
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
    gatherEvidence(settings, new Date(started), logger),
  )
  io.info(`${records.count} records gathered`)
  const query = targetQuery(settings)
  const parts = settings.apiKey
    ? buildApi({
        ...settings,
        timeoutMs: settings.requestTimeoutMs,
        secrets: [settings.githubToken, ...proxyPasswords(env)],
        logger,
        ref: undefined, // known once names are resolved: see forResource below
        signal,
      })
    : undefined
  try {
    let target = fixedTarget(settings)
    if (needsLookup(query) && parts) {
      // Once, before any write: an unknown name must fail before anything is sent.
      try {
        target = await io.group('Find the Drata resource', () =>
          resolveTarget(parts.connections, query),
        )
      } catch (error) {
        if (error instanceof InputError) throw error
        // Drata could not be asked (network, permission…): a Drata failure, not an input one.
        const outcome = {
          ...emptyOutcome(settings.mode, settings.dryRun),
          removed: 0,
          error: (error as Error).message,
        }
        return {
          ...report(outcome, parts, records, collectors, deps.now() - started),
          target: namedTarget(settings),
        }
      }
      io.info(
        `Resolved to connection ${target.connectionId} ('${target.connectionName ?? ''}'), resource ${target.resourceId} ('${target.resourceName ?? ''}')`,
      )
    } else if (needsLookup(query)) {
      io.info(
        "Without 'api-key' the connection and resource names are not looked up (offline dry run)",
      )
    }
    const recordsApi = target && parts ? parts.forResource(target) : undefined
    if (records.count > 0 && !settings.dryRun && !recordsApi) {
      throw new Error(
        `Records to push need '${INPUT.apiKey}', the connection ('${INPUT.connectionId}' or '${INPUT.connection}') and the resource ('${INPUT.resourceId}' or '${INPUT.resource}')`,
      )
    }
    const pushDeps: PushDeps = {
      api: recordsApi?.api,
      cleanupApi: recordsApi?.cleanupApi,
      logger,
      sleep: (ms) => deps.sleep(ms, signal),
      cleanupSleep: (ms) => deps.sleep(ms),
      now: deps.now,
      memory: stateMemory(io, {
        connectionId: target?.connectionId ?? 0,
        resourceId: target?.resourceId ?? 0,
        baseUrl: settings.baseUrl,
        region: settings.region,
        started,
      }),
      runs: finishedRunLookup(settings, logger),
      started,
    }
    const outcome =
      recordsApi || settings.dryRun
        ? await io.group('Push to Drata', () => push(pushOptions(settings), pushDeps, records))
        : // Nothing to push and no resource named: a run for an asset, a review or events only.
          { ...emptyOutcome(settings.mode, false), removed: 0 }
    // The asset and the review describe a deployment whose evidence is in Drata: only after a
    // push that succeeded.
    const wanted = settings.asset || settings.vendorReview || settings.auditEvents
    const resolved: Settings = target
      ? { ...settings, connectionId: target.connectionId, resourceId: target.resourceId }
      : settings
    const followUp =
      wanted && !outcome.error
        ? await io.group('Asset, vendor review and audit events', () =>
            afterPush(resolved, parts, new Date(started), logger, (ms) => deps.sleep(ms, signal)),
          )
        : {}
    return {
      ...report(outcome, parts, records, collectors, deps.now() - started),
      followUp,
      target: target ?? namedTarget(settings),
    }
  } finally {
    await parts?.close()
  }
}

function report(
  outcome: RunReport['outcome'],
  parts: { client: { stats: { requests: number; retries: number } } } | undefined,
  records: RunReport['records'],
  collectors: RunReport['collectors'],
  durationMs: number,
): RunReport {
  const stats = parts?.client.stats ?? { requests: 0, retries: 0 }
  return {
    outcome,
    followUp: {},
    records,
    collectors,
    requests: stats.requests,
    retries: stats.retries,
    durationMs,
  }
}

/** What the inputs say about the target. */
function targetQuery(settings: Settings): TargetQuery {
  return {
    connectionId: settings.connectionId,
    connectionName: settings.connectionName,
    resourceId: settings.resourceId,
    resourceName: settings.resourceName,
  }
}

/** The target given by ids alone (no lookup needed). */
function fixedTarget(settings: Settings): Target | undefined {
  const { connectionId, resourceId } = settings
  if (needsLookup(targetQuery(settings)) || !connectionId || !resourceId) return undefined
  return { connectionId, resourceId, connectionName: null, resourceName: null }
}

/** The target as the inputs name it, for a report when it was not (or could not be) resolved. */
function namedTarget(settings: Settings): RunReport['target'] {
  const { connectionId, resourceId, connectionName, resourceName } = settings
  if (!connectionId && !resourceId && !connectionName && !resourceName) return undefined
  return {
    connectionId: connectionId ?? null,
    resourceId: resourceId ?? null,
    connectionName: connectionName ?? null,
    resourceName: resourceName ?? null,
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
    records: recordSetOf([]),
    collectors: [],
    requests: 0,
    retries: 0,
    durationMs: 0,
    invalid: true,
  }
}
