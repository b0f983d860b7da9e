// Drata sandboxes for unit tests: started on demand and closed after each test, or started
// with the action's real API parts pointed at them, for the Drata-facing modules.
import { afterEach, beforeEach } from 'vitest'
import { type DrataApis, buildApi } from '../../src/drata/factory.js'
import { type Sandbox, type SandboxOptions, startSandbox } from '../sandbox/server.ts'
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

/**
 * Returns a `start(options)` that starts a sandbox for the current test; every sandbox it
 * started is closed after the test.
 */
export function useSandboxes(): (options?: SandboxOptions) => Promise<Sandbox> {
  const running: Sandbox[] = []
  afterEach(async () => {
    await Promise.all(running.splice(0).map((sb) => sb.close()))
  })
  return async (options) => {
    const sb = await startSandbox(options)
    running.push(sb)
    return sb
  }
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
