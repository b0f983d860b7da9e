import { type ActionIO, cleanIO, coreIO } from './action-io.js'
import { buildApi, CLEANUP_RETRY_WAIT_MS } from './drata/factory.js'
import { RecordsApi } from './drata/custom-data.js'
import { envInputReader, INPUT, stepSecrets } from './inputs/index.js'
import { redact, registerSecrets } from './secrets.js'
import { realSleep, type Sleep } from './runtime.js'
import { NO_MEMORY, SessionLifecycle } from './push/session-lifecycle.js'
import { openSession } from './state.js'

/** Seams a unit test replaces. */
export interface PostDeps {
  io: ActionIO
  sleep: Sleep
  now: () => number
}

/** How long the post step looks again for a session an upload still in flight may create. */
export const RECHECK_DELAYS_MS = [2_000, 4_000]

/**
 * The post step: cancels the session main recorded as open (crash, kill, cancelled job). It
 * never uploads or completes, and only warns: a failed cleanup must not fail the job.
 */
export async function run(
  env: NodeJS.ProcessEnv = process.env,
  deps: PostDeps = { io: coreIO, sleep: realSleep, now: Date.now },
): Promise<void> {
  const apiKey = envInputReader(env)(INPUT.apiKey)
  const secrets = stepSecrets(env)
  registerSecrets(secrets, (s) => deps.io.setSecret(s))
  const io = cleanIO(deps.io, (text) => redact(text, secrets))
  const saved = openSession(io)
  if (!saved) {
    io.info('No Drata session was left open by the main step')
    return
  }
  io.info(
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
    logger: io,
    ref: saved,
  })
  try {
    const life = new SessionLifecycle(new RecordsApi(parts.client, saved), saved.sessionId, {
      logger: io,
      sleep: deps.sleep,
      now: deps.now,
      memory: NO_MEMORY, // no later step reads state
      maxRetries: 3,
      waitMs: 0,
      staleMs: Number.POSITIVE_INFINITY,
      since: saved.started,
    })
    let status = await life.cancel()
    // An upload main sent before it died may still be creating the session: look again.
    for (const delay of RECHECK_DELAYS_MS) {
      if (status !== 'NOT_FOUND') break
      await deps.sleep(delay)
      status = await life.cancel()
    }
    if (status === 'CANCELED') {
      io.warning(
        `Session '${saved.sessionId}' was cancelled by the post step; the records of this run were not applied and Drata's active data is unchanged`,
      )
    } else if (status === 'NOT_FOUND') {
      io.info(`Session '${saved.sessionId}' was never created in Drata; nothing to cancel`)
    } else {
      io.info(
        `Session '${saved.sessionId}' had already been completed (status ${status}); nothing to cancel`,
      )
    }
  } catch (error) {
    io.warning(
      `Could not cancel the open Drata session '${saved.sessionId}': ${(error as Error).message}. Cancel it in Drata; otherwise the next run cancels it once it is older than 'stale-session-after' or its GitHub run has finished.`,
    )
  } finally {
    await parts.close()
  }
}
