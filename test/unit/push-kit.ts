// A sandbox with the real RecordsApi pointed at it, and the push's options and deps, for unit
// tests of the push modes over real HTTP with no real waits.
import { vi } from 'vitest'
import { buildApi } from '../../src/drata/factory.js'
import { recordSetOf } from '../../src/evidence/record-set.js'
import { pushAppend as appendSet } from '../../src/push/append.js'
import { pushReplace as replaceSet } from '../../src/push/replace.js'
import type { PushDeps, PushOptions } from '../../src/push/options.js'
import { type Sandbox, type SandboxOptions, startSandbox } from '../sandbox/server.ts'
import { memoryLogger } from './collectors-fake.js'

export const NOW = Date.parse('2030-06-15T12:00:00Z')

/** Options as the inputs' defaults give them. */
export function options(overrides: Partial<PushOptions> = {}): PushOptions {
  return {
    mode: 'append',
    sessionId: 'gh-9001-1-evidence-0badcafe',
    batchSize: 500,
    concurrency: 4,
    retentionDays: 0,
    allowShrink: false,
    dryRun: false,
    maxRetries: 2,
    sessionWaitMs: 60_000,
    staleSessionMs: 6 * 3_600_000,
    ...overrides,
  }
}

/** A record as a test writes it. */
export interface PlainRecord {
  id: string
  source: string
  data: Record<string, unknown>
}

/** `count` records with ids `<prefix>-<n>`. */
export function evidence(count: number, prefix = 'new', extra = {}): PlainRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `${prefix}-${i + 1}`
    return { id, source: 'inline', data: { id, name: id, ...extra } }
  })
}

/** Starts a sandbox and returns deps whose clock advances only when the push sleeps. */
export async function pushKit(sandboxOptions: SandboxOptions = {}) {
  let t = NOW
  const sandbox: Sandbox = await startSandbox({ now: () => new Date(t), ...sandboxOptions })
  const { logger, logs } = memoryLogger()
  const parts = buildApi({
    baseUrl: sandbox.url,
    apiKey: 'sandbox-key',
    region: 'us',
    maxRetries: 2,
    timeoutMs: 5_000,
    logger,
    ref: { connectionId: 1, resourceId: 1 },
    // No real waits: pacing and retries sleep on the fake clock.
    sleep: async (ms) => {
      t += ms
    },
  })
  const sleep = vi.fn(async (ms: number) => {
    t += ms
  })
  const memory = { opened: vi.fn(), closed: vi.fn() }
  const deps: PushDeps = {
    api: parts.api,
    cleanupApi: parts.cleanupApi,
    logger,
    sleep,
    cleanupSleep: sleep,
    now: () => t,
    memory,
    started: NOW,
  }
  return {
    sandbox,
    deps,
    logs,
    memory,
    sleep,
    advance: (ms: number) => {
      t += ms
    },
    /** API requests made since the last call, as `METHOD path`. */
    requests: (() => {
      let seen = 0
      return () => {
        const list = sandbox.requests.slice(seen).map((r) => `${r.method} ${r.path}`)
        seen = sandbox.requests.length
        return list
      }
    })(),
    close: async () => {
      await parts.close()
      await sandbox.close()
    },
  }
}

/** pushAppend on records a test writes as an array. */
export function pushAppend(options: PushOptions, deps: PushDeps, records: readonly PlainRecord[]) {
  return appendSet(options, deps, recordSetOf(records))
}

/** pushReplace on records a test writes as an array. */
export function pushReplace(options: PushOptions, deps: PushDeps, records: readonly PlainRecord[]) {
  return replaceSet(options, deps, recordSetOf(records))
}
