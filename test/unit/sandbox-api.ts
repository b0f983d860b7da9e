// A Drata sandbox with the action's real API parts pointed at it, for unit tests of the
// Drata-facing modules over real HTTP.
import { afterEach, beforeEach } from 'vitest'
import { type DrataApis, buildApi } from '../../src/drata/factory.js'
import { type Sandbox, type SandboxOptions, startSandbox } from '../sandbox/server.ts'
import { memoryLogger } from './collectors-fake.js'

/** Starts a sandbox and builds the API parts (no retries, no resource) against it. */
export async function startSandboxApi(
  options: SandboxOptions = {},
): Promise<{ sandbox: Sandbox; parts: DrataApis }> {
  const sandbox = await startSandbox(options)
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

/**
 * Starts a sandbox and its API parts before each test and closes both after it. The returned
 * object reads the current test's `sandbox` and `parts` (they exist only once beforeEach ran).
 */
export function useSandboxApi(): { readonly sandbox: Sandbox; readonly parts: DrataApis } {
  let current: { sandbox: Sandbox; parts: DrataApis } | undefined
  beforeEach(async () => {
    current = await startSandboxApi()
  })
  afterEach(async () => {
    await current?.parts.close()
    await current?.sandbox.close()
    current = undefined
  })
  const running = () => {
    if (!current) throw new Error('the sandbox is not running')
    return current
  }
  return {
    get sandbox() {
      return running().sandbox
    },
    get parts() {
      return running().parts
    },
  }
}
