// The README's example record for each collector, computed by running the real collector
// against the GitHub fake's default state. scripts/readme-examples.ts prints them for the
// README; test/unit/collector-docs.test.ts checks the README still shows exactly these.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { readRunContext } from '../../src/evidence/context.js'
import { COLLECTOR_REGISTRY } from '../../src/evidence/index.js'
import { githubClient } from '../../src/github/client.js'
import type { CollectorName } from '../../src/settings.js'
import { type EventName, eventEnv } from './events.ts'

/** The event each collector's example is taken from. */
export const EXAMPLE_EVENTS: Record<CollectorName, EventName> = {
  commit: 'push',
  'workflow-run': 'push',
  'pull-request': 'push',
  release: 'release',
  deployment: 'deployment_status',
  repository: 'schedule',
  artifacts: 'push',
}

/** Fixed collection time, so the examples do not change from run to run. */
export const EXAMPLE_NOW = new Date('2026-11-20T10:00:00.000Z')

const quiet = { info() {}, warning() {}, debug() {} }

/** Each collector's first record for its example event. */
export async function collectorExamples(apiUrl: string): Promise<Record<CollectorName, unknown>> {
  const workspace = mkdtempSync(path.join(tmpdir(), 'examples-'))
  mkdirSync(path.join(workspace, 'dist'))
  writeFileSync(path.join(workspace, 'dist', 'shop-1.4.0.tgz'), 'example build output\n')
  const github = githubClient('ghs_example', apiUrl, quiet)
  const examples = {} as Record<CollectorName, unknown>
  try {
    for (const [name, event] of Object.entries(EXAMPLE_EVENTS) as Array<
      [CollectorName, EventName]
    >) {
      const run = readRunContext(eventEnv(event, apiUrl))
      const records = await COLLECTOR_REGISTRY[name]({
        run,
        now: EXAMPLE_NOW,
        github,
        workspace,
        artifacts: ['dist/*.tgz'],
      })
      examples[name] = records[0]
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true })
  }
  return examples
}
