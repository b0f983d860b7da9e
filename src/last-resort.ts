import * as core from '@actions/core'
import { stepSecrets } from './inputs/index.js'
import { redact } from './secrets.js'

/**
 * The steps report their own failures; this catches only what they could not (such as an
 * unwritable summary file), so the step still fails with a message rather than a stack trace.
 */
export function lastResort(error: unknown): void {
  const secrets = stepSecrets(process.env)
  core.setFailed(`Unexpected error: ${redact((error as Error).message, secrets)}`)
}
