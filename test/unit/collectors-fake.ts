// Shared set-up for the collector tests: the GitHub REST fake, a CollectorInput aimed at it,
// and Settings read the way the action reads them. Not a test file itself.
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import type { Logger } from '../../src/drata/client.js'
import type { CollectorInput } from '../../src/evidence/collector.js'
import { readRunContext } from '../../src/evidence/context.js'
import type { JsonRecord } from '../../src/evidence/parse.js'
import { githubClient } from '../../src/github/client.js'
import { readSettings } from '../../src/inputs.js'
import type { Settings } from '../../src/settings.js'
import { type EventName, eventEnv } from '../github-fake/events.ts'
import { defaultState, type GithubFake, startGithubFake } from '../github-fake/server.ts'

/** When every test's collection "started". */
export const NOW = new Date('2030-01-02T03:04:05.000Z')
export const COLLECTED_AT = '2030-01-02T03:04:05.000Z'
export const REPO_PATH = '/repos/acme/shop'

/** A logger that keeps every line. */
export function memoryLogger(): { logger: Logger; logs: string[] } {
  const logs: string[] = []
  return {
    logs,
    logger: {
      info: (m) => logs.push(m),
      warning: (m) => logs.push(`warning: ${m}`),
      debug: () => {},
    },
  }
}

/**
 * Starts one fake for the file and resets its state and request log before each test.
 * Returns a getter, since the fake exists only once beforeAll has run.
 */
export function useGithubFake(): () => GithubFake {
  let fake: GithubFake | undefined
  beforeAll(async () => {
    fake = await startGithubFake()
  })
  afterAll(async () => {
    await fake?.close()
  })
  beforeEach(() => {
    if (!fake) return
    fake.state = defaultState()
    fake.requests.length = 0
  })
  return () => {
    if (!fake) throw new Error('the GitHub fake is not running')
    return fake
  }
}

/** The environment of a run triggered by `event`, aimed at the fake, with `env` on top. */
export function runEnv(
  fake: GithubFake,
  event: EventName,
  env: Record<string, string> = {},
): Record<string, string> {
  return { ...eventEnv(event, fake.url), ...env }
}

/** What a collector receives for a run triggered by `event`. */
export function collectorInput(
  fake: GithubFake,
  event: EventName,
  options: {
    env?: Record<string, string>
    github?: 'none'
    workspace?: string
    artifacts?: string[]
    logger?: Logger
  } = {},
): CollectorInput {
  const logger = options.logger ?? memoryLogger().logger
  return {
    run: readRunContext(runEnv(fake, event, options.env)),
    now: NOW,
    github: options.github === 'none' ? undefined : githubClient('ghs_test', fake.url, logger),
    workspace: options.workspace ?? process.cwd(),
    artifacts: options.artifacts ?? [],
  }
}

/** The only record of a collector's answer (fails the test when there is not exactly one). */
export function only(records: JsonRecord[]): JsonRecord {
  expect(records).toHaveLength(1)
  return records[0] as JsonRecord
}

/** The error `run` throws or rejects with (fails the test when it succeeds). */
export async function rejection(run: () => unknown): Promise<Error> {
  try {
    await run()
  } catch (error) {
    expect(error).toBeInstanceOf(Error)
    return error as Error
  }
  throw new Error('expected a failure, but it succeeded')
}

/** Paths of the requests the fake received, in order. */
export function paths(fake: GithubFake): string[] {
  return fake.requests.map((r) => r.path)
}

const REQUIRED_INPUTS: Record<string, string> = {
  'api-key': 'k-123456',
  'connection-id': '7',
  'resource-id': '9',
}

/** Settings as the action reads them from these inputs (and the run's environment). */
export function settingsFrom(
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv = { GITHUB_RUN_ID: '4242', GITHUB_WORKSPACE: process.cwd() },
): Settings {
  const all: Record<string, string> = { ...REQUIRED_INPUTS, ...inputs }
  return readSettings((name) => all[name] ?? '', env)
}
