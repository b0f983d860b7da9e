// An ActionIO that records everything a step says to the runner, for unit tests of main/post.
import type { ActionIO } from '../../src/action-io.js'

export interface Recorded {
  io: ActionIO
  /** Every call as `kind: text`, in order. */
  calls: string[]
  outputs: Record<string, string>
  state: Record<string, string>
  failed: string[]
  summary: string[]
}

export function recordingIO(initialState: Record<string, string> = {}): Recorded {
  const calls: string[] = []
  const outputs: Record<string, string> = {}
  const state: Record<string, string> = { ...initialState }
  const failed: string[] = []
  const summary: string[] = []
  const io: ActionIO = {
    info: (m) => void calls.push(`info: ${m}`),
    warning: (m) => void calls.push(`warning: ${m}`),
    debug: (m) => void calls.push(`debug: ${m}`),
    setSecret: (s) => void calls.push(`secret: ${s.length} chars`),
    setOutput: (n, v) => {
      calls.push(`output: ${n}=${v}`)
      outputs[n] = v
    },
    saveState: (n, v) => {
      calls.push(`state: ${n}=${v}`)
      state[n] = v
    },
    getState: (n) => state[n] ?? '',
    setFailed: (m) => {
      calls.push(`failed: ${m}`)
      failed.push(m)
    },
    group: async (name, fn) => {
      calls.push(`group: ${name}`)
      return fn()
    },
    writeSummary: async (markdown) => {
      calls.push(`summary: ${markdown}`)
      summary.push(markdown)
    },
  }
  return { io, calls, outputs, state, failed, summary }
}
