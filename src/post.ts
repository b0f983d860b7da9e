import * as core from '@actions/core'
import { buildApi, CLEANUP_RETRY_WAIT_MS } from './drata/factory.js'
import { realSleep } from './drata/pacer.js'
import { RecordsApi } from './drata/records.js'
import { envInputReader, INPUT } from './inputs.js'
import { SessionLifecycle } from './push/session.js'
import { proxyPasswords, redact, registerSecrets } from './report/redact.js'
import { openSession } from './state.js'

/** The post step: cancels a session main left open (crash, kill, cancelled job). Only warns. */
export async function post(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const read = envInputReader(env)
  const apiKey = read(INPUT.apiKey)
  const secrets = [apiKey, read(INPUT.githubToken), ...proxyPasswords(env)].filter(Boolean)
  registerSecrets(secrets, core.setSecret)
  try {
    const saved = openSession()
    if (!saved) {
      core.info('No Drata session was left open')
      return
    }
    core.info(
      `Session '${saved.sessionId}' was left open by the main step; cancelling it so Drata's active data stays unchanged`,
    )
    const parts = buildApi({
      baseUrl: saved.baseUrl,
      apiKey,
      region: saved.region,
      maxRetries: 3,
      timeoutMs: 30_000,
      retryWaitMs: CLEANUP_RETRY_WAIT_MS,
      secrets,
      logger: core,
      ref: saved,
    })
    try {
      // No later step reads state, so there is nothing to remember.
      const memory = { opened() {}, closed() {} }
      const status = await new SessionLifecycle(
        new RecordsApi(parts.client, saved),
        saved.sessionId,
        {
          logger: core,
          sleep: realSleep,
          now: Date.now,
          memory,
          maxRetries: 3,
          waitMs: 0,
        },
      ).cancel()
      if (status === 'CANCELED') {
        core.warning(
          `Session '${saved.sessionId}' was cancelled by the post step; the records of this run were not applied and Drata's active data is unchanged`,
        )
      } else if (status === 'NOT_FOUND') {
        core.info(`Session '${saved.sessionId}' was never created in Drata; nothing to cancel`)
      } else {
        core.info(
          `Session '${saved.sessionId}' had already been completed (status ${status}); nothing to cancel`,
        )
      }
    } finally {
      await parts.close()
    }
  } catch (error) {
    core.warning(
      `Could not cancel the open Drata session: ${redact((error as Error).message, secrets)}. Cancel it in Drata or let the next run wait for it.`,
    )
  }
}
