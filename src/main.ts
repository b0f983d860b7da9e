import * as core from '@actions/core'
import type { Logger } from './drata/client.js'
import { buildApi } from './drata/factory.js'
import { afterPush } from './follow-up.js'
import { realSleep } from './drata/pacer.js'
import { gatherEvidence } from './evidence/index.js'
import { envInputReader, INPUT, readSettings } from './inputs.js'
import { push } from './push/index.js'
import { emptyOutcome } from './push/outcome.js'
import { writeOutputs } from './report/outputs.js'
import { proxyPasswords, redact, registerSecrets } from './report/redact.js'
import type { RunReport } from './report/report.js'
import { buildSummary } from './report/summary.js'
import type { Settings } from './settings.js'
import { stateMemory } from './state.js'

/** collect → push → report, for settings already validated. Drata failures land in the report. */
export async function run(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  logger: Logger = core,
): Promise<RunReport> {
  const started = Date.now()
  const { records, collectors } = await core.group('Collect evidence', () =>
    gatherEvidence(settings, env, new Date(started), logger),
  )
  core.info(`${records.length} records gathered`)
  const sleep = (ms: number) => realSleep(ms, signal)
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
    const memory = stateMemory({
      connectionId: connectionId ?? 0,
      resourceId: resourceId ?? 0,
      baseUrl: settings.baseUrl,
      region: settings.region,
    })
    const outcome = await core.group('Push to Drata', () =>
      push(
        {
          settings,
          api: parts?.api,
          cleanupApi: parts?.cleanupApi,
          stats: parts?.client.stats ?? { requests: 0, retries: 0 },
          logger,
          session: {
            logger,
            sleep,
            now: Date.now,
            memory,
            maxRetries: settings.maxRetries,
            waitMs: settings.sessionWaitMs,
          },
        },
        records,
      ),
    )
    // The asset and the review describe a deployment whose evidence is in Drata: only after a
    // push that succeeded.
    const wanted = settings.asset || settings.vendorReview || settings.auditEvents
    const followUp =
      wanted && !outcome.error
        ? await core.group('Asset, vendor review and audit events', () =>
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
      durationMs: Date.now() - started,
    }
  } finally {
    await parts?.close()
  }
}

/** The main step: read inputs, run, report; the one place that fails the step. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const read = envInputReader(env)
  const secrets = [read(INPUT.apiKey), read(INPUT.githubToken), ...proxyPasswords(env)].filter(
    Boolean,
  )
  // Every encoded form too (base64, hex, URL, JSON…): a server may echo a key in any of them.
  registerSecrets(secrets, core.setSecret)

  const clean = (text: string) => redact(text, secrets)

  const controller = new AbortController()
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(1)
    core.warning(`Received ${name}: stopping and cancelling the open session`)
    controller.abort(new Error(`The job was cancelled (${name}) before the push finished.`))
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)

  let settings: Settings | undefined
  let report: RunReport | undefined
  // Bad inputs or records always fail the step; 'fail-on-error' only softens Drata failures.
  let fatal = true
  try {
    settings = readSettings(read, env)
    for (const warning of settings.warnings) core.warning(warning)
    // Messages built from Drata's or GitHub's answers pass through this before the log.
    const logger: Logger = {
      info: (m) => core.info(clean(m)),
      warning: (m) => core.warning(clean(m)),
      debug: (m) => core.debug(clean(m)),
    }
    report = await run(settings, env, controller.signal, logger)
    fatal = false
  } catch (error) {
    const outcome = emptyOutcome(settings?.mode ?? 'append', settings?.dryRun ?? false)
    outcome.error = (error as Error).message
    report = {
      outcome,
      followUp: {},
      records: [],
      collectors: [],
      requests: 0,
      retries: 0,
      durationMs: 0,
      invalid: true,
    }
  } finally {
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
  }

  writeOutputs(report, core.setOutput, clean)
  if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(buildSummary(report, clean)).write()
  const error = report.outcome.error ?? report.followUp.error
  if (!error) return
  if (!fatal && settings && !settings.failOnError) {
    core.warning(`${clean(error)} ('fail-on-error' is false, so the step passes)`)
  } else {
    core.setFailed(clean(error))
  }
}
