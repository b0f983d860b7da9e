import * as core from '@actions/core'
import type { Logger } from './runtime.js'
import type { StateStore } from './state.js'

/**
 * Everything a step says to the runner, in one interface: logs, secrets, outputs, the job
 * summary, step state and the failure. `main` and `post` take it as a parameter, so their unit
 * tests see exactly what reached the runner.
 */
export interface ActionIO extends Logger, StateStore {
  setSecret(secret: string): void
  setOutput(name: string, value: string): void
  /** Appends to the job summary; a no-op outside a runner (no GITHUB_STEP_SUMMARY). */
  writeSummary(markdown: string): Promise<void>
  setFailed(message: string): void
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

/** The runner's I/O, through `@actions/core`. */
export const coreIO: ActionIO = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  debug: (m) => core.debug(m),
  setSecret: (s) => core.setSecret(s),
  setOutput: (n, v) => core.setOutput(n, v),
  saveState: (n, v) => core.saveState(n, v),
  getState: (n) => core.getState(n),
  setFailed: (m) => core.setFailed(m),
  group: (name, fn) => core.group(name, fn),
  writeSummary: async (markdown) => {
    if (!process.env.GITHUB_STEP_SUMMARY) return
    await core.summary.addRaw(markdown).write()
  },
}

/** The same I/O with every message passed through `clean` first (secrets redacted). */
export function cleanIO(io: ActionIO, clean: (text: string) => string): ActionIO {
  return {
    ...io,
    info: (m) => io.info(clean(m)),
    warning: (m) => io.warning(clean(m)),
    debug: (m) => io.debug(clean(m)),
    setOutput: (n, v) => io.setOutput(n, clean(v)),
    saveState: (n, v) => io.saveState(n, clean(v)),
    setFailed: (m) => io.setFailed(clean(m)),
    writeSummary: (markdown) => io.writeSummary(clean(markdown)),
  }
}
