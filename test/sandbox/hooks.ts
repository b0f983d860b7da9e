// Vitest hooks that start sandboxes for a test file and close them after each test, so no test
// sees another's records and none is left running. Only tests import this file.
import { afterEach, beforeEach } from 'vitest'
import { type Sandbox, type SandboxOptions, startSandbox } from './server.ts'

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
 * Starts a fresh sandbox before each test and closes it after. Returns a getter, since the
 * sandbox exists only once beforeEach has run.
 */
export function useSandbox(): () => Sandbox {
  const start = useSandboxes()
  let current: Sandbox | undefined
  beforeEach(async () => {
    current = await start()
  })
  afterEach(() => {
    current = undefined
  })
  return () => {
    if (!current) throw new Error('the sandbox is not running')
    return current
  }
}
