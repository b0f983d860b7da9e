// Shared set-up for the collector tests: the GitHub REST fake, a CollectorInput aimed at it,
// and Settings read the way the action reads them. Not a test file itself.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import type { Logger } from '../../src/drata/client.js'
import type { CollectorInput } from '../../src/evidence/collector.js'
import { readRunContext } from '../../src/evidence/context.js'
import type { JsonRecord } from '../../src/evidence/parse.js'
import { githubClient } from '../../src/github/client.js'
import { readSettings } from '../../src/inputs/index.js'
import type { Settings } from '../../src/settings.js'
import { type EventName, eventEnv } from '../github-fake/events.ts'
import type { GithubFake } from '../github-fake/server.ts'

export { useGithubFake } from '../github-fake/hooks.ts'

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
    /** Where the client sends its requests instead of the fake (useGithubExtras' url). */
    apiUrl?: string
  } = {},
): CollectorInput {
  const logger = options.logger ?? memoryLogger().logger
  const apiUrl = options.apiUrl ?? fake.url
  return {
    run: readRunContext(runEnv(fake, event, options.env)),
    now: NOW,
    github: options.github === 'none' ? undefined : githubClient('ghs_test', apiUrl, logger),
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

/** A JSON answer of {@link GithubExtras}. */
export interface ExtraReply {
  status: number
  body?: unknown
}

/**
 * A small HTTP stub in front of the GitHub fake, for endpoints the fake does not serve (it
 * answers them 404). Requests to a path in `routes` get that answer, logged in the fake's
 * request log like its own; every other request is passed on to the fake unchanged.
 */
export interface GithubExtras {
  /** Base URL to give the client instead of the fake's. */
  url: string
  /** Answers by exact request path (no query); emptied before each test. */
  routes: Map<string, ExtraReply>
}

/** Starts the stub for the file, in front of `fake` (the getter useGithubFake returns). */
export function useGithubExtras(fake: () => GithubFake): () => GithubExtras {
  let extras: GithubExtras | undefined
  const server = createServer((req, res) => {
    void answer(req, res)
  })
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stub.invalid')
    const reply = extras?.routes.get(url.pathname)
    if (reply) {
      fake().requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status: reply.status,
      })
      const body = reply.status === 204 ? '' : JSON.stringify(reply.body ?? null)
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' })
      res.end(body)
      return
    }
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'connection'].includes(name)) {
        headers[name] = value
      }
    }
    const passed = await fetch(`${fake().url}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
    })
    const bytes = Buffer.from(await passed.arrayBuffer())
    const out: Record<string, string> = {}
    passed.headers.forEach((value, name) => {
      if (!['connection', 'keep-alive', 'transfer-encoding', 'content-encoding'].includes(name)) {
        out[name] = value
      }
    })
    const empty = passed.status === 204 || passed.status === 304
    res.writeHead(passed.status, empty ? out : { ...out, 'content-length': String(bytes.length) })
    res.end(bytes)
  }
  beforeAll(async () => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    const { port } = server.address() as AddressInfo
    extras = { url: `http://127.0.0.1:${port}`, routes: new Map() }
  })
  afterAll(async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeAllConnections()
    await closed
  })
  beforeEach(() => {
    extras?.routes.clear()
  })
  return () => {
    if (!extras) throw new Error('the GitHub stub is not running')
    return extras
  }
}
