// Which collectors run for which event (chooseCollectors, AUTO_BY_EVENT), and gatherEvidence
// running them against the local GitHub REST fake with 'collector-errors' fail and warn.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CollectorError } from '../../src/evidence/collector.js'
import { AUTO_BY_EVENT, chooseCollectors, gatherEvidence } from '../../src/evidence/index.js'
import { SHA } from '../github-fake/server.ts'
import { recordsOf } from './record-set-kit.js'
import {
  memoryLogger,
  NOW,
  rejection,
  REPO_PATH,
  runEnv,
  settingsFrom,
  useGithubFake,
} from './collectors-fake.js'

const fake = useGithubFake()

const auto = (event: string) => `auto for a ${event} event`
const LISTED = "listed in 'collect'"

describe('chooseCollectors', () => {
  it.each([
    ['push', ['commit', 'workflow-run', 'pull-request']],
    ['pull_request', ['workflow-run', 'pull-request']],
    ['pull_request_target', ['workflow-run', 'pull-request']],
    ['release', ['release', 'workflow-run']],
    ['deployment', ['deployment', 'workflow-run']],
    ['deployment_status', ['deployment', 'workflow-run']],
    ['schedule', ['repository', 'workflow-run']],
    ['workflow_dispatch', ['repository', 'workflow-run']],
  ])('runs by default (auto) for a %s event: %j', (event, names) => {
    expect(chooseCollectors(settingsFrom({}), event)).toEqual(
      names.map((name) => ({ name, reason: auto(event) })),
    )
  })

  it('covers exactly those events in AUTO_BY_EVENT', () => {
    expect(Object.keys(AUTO_BY_EVENT).sort()).toEqual([
      'deployment',
      'deployment_status',
      'pull_request',
      'pull_request_target',
      'push',
      'release',
      'schedule',
      'workflow_dispatch',
    ])
  })

  it('runs commit and workflow-run for any other event, or outside Actions', () => {
    expect(chooseCollectors(settingsFrom({ collect: 'auto' }), 'issue_comment')).toEqual([
      { name: 'commit', reason: 'auto (default for a issue_comment run)' },
      { name: 'workflow-run', reason: 'auto (default for a issue_comment run)' },
    ])
    expect(chooseCollectors(settingsFrom({}), '')).toEqual([
      { name: 'commit', reason: 'auto (default for a local run)' },
      { name: 'workflow-run', reason: 'auto (default for a local run)' },
    ])
  })

  it("adds collectors listed in 'collect' after auto's, keeping auto's reason for both", () => {
    const settings = settingsFrom({ collect: 'auto, repository, commit' })
    expect(chooseCollectors(settings, 'push')).toEqual([
      { name: 'commit', reason: auto('push') },
      { name: 'workflow-run', reason: auto('push') },
      { name: 'pull-request', reason: auto('push') },
      { name: 'repository', reason: LISTED },
    ])
  })

  it("runs only the listed collectors without 'auto'", () => {
    const settings = settingsFrom({ collect: 'release\ndeployment' })
    expect(chooseCollectors(settings, 'push')).toEqual([
      { name: 'release', reason: LISTED },
      { name: 'deployment', reason: LISTED },
    ])
  })

  it("runs nothing with 'collect: none'", () => {
    expect(chooseCollectors(settingsFrom({ collect: 'none' }), 'push')).toEqual([])
  })

  it("adds artifacts when 'artifacts' is set, even with 'collect: none'", () => {
    expect(chooseCollectors(settingsFrom({ artifacts: 'dist/*.tgz' }), 'schedule')).toEqual([
      { name: 'repository', reason: auto('schedule') },
      { name: 'workflow-run', reason: auto('schedule') },
      { name: 'artifacts', reason: "'artifacts' is set" },
    ])
    expect(
      chooseCollectors(settingsFrom({ collect: 'none', artifacts: 'dist/*.tgz' }), 'push'),
    ).toEqual([{ name: 'artifacts', reason: "'artifacts' is set" }])
  })

  it("gives artifacts the reason 'listed' when 'collect' names it", () => {
    const settings = settingsFrom({ collect: 'artifacts', artifacts: 'dist/*.tgz' })
    expect(chooseCollectors(settings, 'push')).toEqual([{ name: 'artifacts', reason: LISTED }])
  })
})

describe('gatherEvidence', () => {
  const PULLS_OF_MAIN = `${REPO_PATH}/commits/${SHA.main}/pulls`

  function run(inputs: Record<string, string>, env: Record<string, string> = {}) {
    const environment = runEnv(fake(), 'push', { GITHUB_WORKSPACE: process.cwd(), ...env })
    const settings = settingsFrom({ 'github-token': 'ghs_test', ...inputs }, environment)
    const { logger, logs } = memoryLogger()
    return { promise: gatherEvidence(settings, NOW, logger), logs }
  }

  it('runs the chosen collectors and gathers their records with their sources', async () => {
    const { promise, logs } = run({})
    const evidence = await promise
    expect(evidence.collectors).toEqual([
      { name: 'commit', reason: auto('push'), records: 1 },
      { name: 'workflow-run', reason: auto('push'), records: 1 },
      { name: 'pull-request', reason: auto('push'), records: 1 },
    ])
    expect((await recordsOf(evidence.records)).map((r) => [r.source, r.id])).toEqual([
      ['collector:commit', `commit:acme/shop@${SHA.main}`],
      ['collector:workflow-run', 'run:acme/shop/9001/1'],
      ['collector:pull-request', 'pr:acme/shop#17'],
    ])
    expect((await recordsOf(evidence.records))[0]?.data).toMatchObject({
      verified: true,
      collector: 'commit',
    })
    expect(logs).toContain("Collector 'commit' (auto for a push event): 1 records")
  })

  it("with 'collector-errors: warn', records a failing collector's warning and goes on", async () => {
    fake().fail({ path: PULLS_OF_MAIN, status: 403 })
    const { promise, logs } = run({
      'collector-errors': 'warn',
      collect: 'auto, repository',
    })
    const evidence = await promise
    expect(evidence.collectors).toEqual([
      { name: 'commit', reason: auto('push'), records: 1 },
      { name: 'workflow-run', reason: auto('push'), records: 1 },
      {
        name: 'pull-request',
        reason: auto('push'),
        records: 0,
        warning: expect.stringMatching(
          /^Collector 'pull-request' could not read the pull requests of commit \w+ \(403: .*'permissions: pull-requests: read'/,
        ),
      },
      { name: 'repository', reason: LISTED, records: 1 },
    ])
    expect((await recordsOf(evidence.records)).map((r) => r.source)).toEqual([
      'collector:commit',
      'collector:workflow-run',
      'collector:repository',
    ])
    expect(logs).toContainEqual(
      expect.stringMatching(
        /^warning: Collector 'pull-request' .*; going on without it \('collector-errors: warn'\)$/,
      ),
    )
  })

  it("with 'collector-errors: fail', throws naming the collector", async () => {
    fake().fail({ path: PULLS_OF_MAIN, status: 403 })
    const error = await rejection(() => run({ 'collector-errors': 'fail' }).promise)
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toMatch(
      /^Collector 'pull-request' could not read the pull requests of commit/,
    )
    expect(error.cause).toBeInstanceOf(CollectorError)
  })

  it("fails by default ('collector-errors' is fail)", async () => {
    fake().fail({ path: PULLS_OF_MAIN, status: 403 })
    await expect(run({}).promise).rejects.toThrow(/^Collector 'pull-request' /)
  })

  it('runs without a token the collectors that need none; the others warn', async () => {
    const { promise } = run({ 'github-token': '', 'collector-errors': 'warn' })
    const evidence = await promise
    expect(evidence.collectors.map((c) => [c.name, c.records, c.warning ?? ''])).toEqual([
      ['commit', 1, ''],
      ['workflow-run', 1, ''],
      [
        'pull-request',
        0,
        expect.stringContaining(
          "Collector 'pull-request' needs the GitHub API, but 'github-token'",
        ),
      ],
    ])
    expect((await recordsOf(evidence.records))[0]?.data).toMatchObject({ verified: null })
    expect(fake().requests).toEqual([])
  })

  it('puts inline records and artifacts together with the collected ones', async () => {
    const ws = await mkdtemp(path.join(tmpdir(), 'gather-'))
    try {
      await writeFile(path.join(ws, 'app.tgz'), 'app')
      const { promise } = run(
        { collect: 'none', records: '{"id": "manual-1", "control": "DCF-1"}', artifacts: '*.tgz' },
        { GITHUB_WORKSPACE: ws },
      )
      const evidence = await promise
      expect((await recordsOf(evidence.records)).map((r) => [r.source, r.id])).toEqual([
        ['inline', 'manual-1'],
        ['collector:artifacts', `artifact:acme/shop@${SHA.main}:app.tgz`],
      ])
      expect(evidence.collectors).toEqual([
        { name: 'artifacts', reason: "'artifacts' is set", records: 1 },
      ])
    } finally {
      await rm(ws, { recursive: true, force: true })
    }
  })

  it('runs nothing and asks GitHub nothing with collect: none', async () => {
    const evidence = await run({ collect: 'none' }).promise
    expect(evidence.records.count).toBe(0)
    expect(evidence.collectors).toEqual([])
    expect(fake().requests).toEqual([])
  })
})
