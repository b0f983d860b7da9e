// A Drata sandbox with the action's real API parts pointed at it, for unit tests of the
// Drata-facing modules over real HTTP.
import { type DrataApis, buildApi } from '../../src/drata/factory.js'
import { type Sandbox, startSandbox } from '../sandbox/server.ts'
import { memoryLogger } from './collectors-fake.js'

/** Starts a sandbox and builds the API parts (no retries, no resource) against it. */
export async function startSandboxApi(): Promise<{ sandbox: Sandbox; parts: DrataApis }> {
  const sandbox = await startSandbox()
  const parts = buildApi({
    baseUrl: sandbox.url,
    apiKey: 'sandbox-key',
    region: 'us',
    maxRetries: 0,
    timeoutMs: 5000,
    logger: memoryLogger().logger,
    ref: undefined,
  })
  return { sandbox, parts }
}
