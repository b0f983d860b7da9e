// The repository, artifacts and workflow-run collectors, and the fields every collector
// record carries, against the local GitHub REST fake.
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { collectArtifacts } from '../../src/evidence/artifacts.js'
import { CollectorError, SCHEMA_VERSION, stamp } from '../../src/evidence/collector.js'
import { COLLECTOR_REGISTRY } from '../../src/evidence/index.js'
import { collectRepository } from '../../src/evidence/repository.js'
import { collectWorkflowRun } from '../../src/evidence/workflow-run.js'
import type { CollectorName } from '../../src/settings.js'
import { EXAMPLE_EVENTS } from '../github-fake/examples.ts'
import { SHA } from '../github-fake/server.ts'
import {
  COLLECTED_AT,
  collectorInput,
  NOW,
  only,
  paths,
  rejection,
  REPO_PATH,
  useGithubExtras,
  useGithubFake,
} from './collectors-fake.js'

const fake = useGithubFake()
// The fake does not serve run attempts (it answers them 404); this stub does when told to.
const extras = useGithubExtras(fake)
const PROTECTION_PATH = `${REPO_PATH}/branches/main/protection`

/** What the fake's rules and classic protection of main turn on together. */
const FULL_PROTECTION = {
  requiredReviews: true,
  requiredApprovingReviewCount: 1,
  dismissStaleReviews: true,
  requireCodeOwnerReview: false,
  requiredChecks: ['build', 'test'],
  requiredChecksComplete: true,
  signedCommitsRequired: true,
  forcePushBlocked: true,
  deletionBlocked: true,
  adminsEnforced: true,
}
/** What the record says when neither a rule nor classic protection can be seen: unknown. */
const UNKNOWN_PROTECTION = {
  requiredReviews: null,
  requiredApprovingReviewCount: null,
  dismissStaleReviews: null,
  requireCodeOwnerReview: null,
  requiredChecks: [],
  requiredChecksComplete: false,
  signedCommitsRequired: null,
  forcePushBlocked: null,
  deletionBlocked: null,
  adminsEnforced: null,
}
/** What the record says when nothing protects the branch: off (admin enforcement unknown). */
const NO_PROTECTION = {
  requiredReviews: false,
  requiredApprovingReviewCount: 0,
  dismissStaleReviews: false,
  requireCodeOwnerReview: false,
  requiredChecks: [],
  requiredChecksComplete: true,
  signedCommitsRequired: false,
  forcePushBlocked: false,
  deletionBlocked: false,
  adminsEnforced: null,
}

describe('repository collector', () => {
  it('combines rulesets and classic protection, with the security features', async () => {
    const record = only(await collectRepository(collectorInput(fake(), 'schedule')))
    expect(record).toEqual({
      id: 'repo:acme/shop',
      repository: 'acme/shop',
      visibility: 'private',
      archived: false,
      defaultBranch: 'main',
      protection: FULL_PROTECTION,
      rulesets: [
        { type: 'deletion', source: 'acme/shop', sourceType: 'Repository' },
        { type: 'non_fast_forward', source: 'acme/shop', sourceType: 'Repository' },
        { type: 'pull_request', source: 'acme/shop', sourceType: 'Repository' },
        { type: 'required_status_checks', source: 'acme/shop', sourceType: 'Repository' },
        { type: 'required_signatures', source: 'acme', sourceType: 'Organization' },
      ],
      classicProtection: 'enabled',
      securityFeatures: {
        secretScanning: 'enabled',
        secretScanningPushProtection: 'enabled',
        dependabotSecurityUpdates: 'enabled',
        dependabotAlerts: true,
      },
      collector: 'repository',
      schemaVersion: 1,
      collectedAt: COLLECTED_AT,
    })
    expect(paths(fake())).toEqual([
      REPO_PATH,
      `${REPO_PATH}/rules/branches/main`,
      PROTECTION_PATH,
      `${REPO_PATH}/vulnerability-alerts`,
    ])
  })

  it('takes protections from classic protection alone when there are no rules', async () => {
    fake().state.branchRules = {}
    const protection = fake().state.branchProtection.main
    if (!protection?.required_pull_request_reviews) throw new Error('no classic protection')
    protection.required_pull_request_reviews.required_approving_review_count = 2
    protection.required_pull_request_reviews.require_code_owner_reviews = true
    const record = only(await collectRepository(collectorInput(fake(), 'schedule')))
    expect(record.rulesets).toEqual([])
    expect(record.protection).toEqual({
      ...FULL_PROTECTION,
      requiredApprovingReviewCount: 2,
      requireCodeOwnerReview: true,
    })
  })

  it("keeps the rules' protections and reports the rest as unknown when classic is 403", async () => {
    fake().fail({ path: PROTECTION_PATH, status: 403 })
    const record = only(await collectRepository(collectorInput(fake(), 'schedule')))
    expect(record.classicProtection).toBe('not visible')
    expect(record.protection).toEqual({
      ...FULL_PROTECTION,
      // No rule requires it, but classic protection might: unknown, not off.
      requireCodeOwnerReview: null,
      // Classic protection may require more checks than the rules name.
      requiredChecksComplete: false,
      adminsEnforced: null,
    })
  })

  it.each([403, 404] as const)(
    'reports every protection no rule turns on as unknown (null) when classic answers %i',
    async (status) => {
      fake().state.branchRules = {}
      fake().fail({ path: PROTECTION_PATH, status })
      const record = only(await collectRepository(collectorInput(fake(), 'schedule')))
      expect(record.classicProtection).toBe('not visible')
      expect(record.protection).toEqual(UNKNOWN_PROTECTION)
    },
  )

  it('keeps each protection a rule turns on true when classic is not visible', async () => {
    fake().fail({ path: PROTECTION_PATH, status: 403 })
    const rules = fake().state.branchRules.main ?? []
    // Only the signature and deletion rules are left.
    fake().state.branchRules.main = rules.filter(
      (r) => r.type === 'required_signatures' || r.type === 'deletion',
    )
    const record = only(await collectRepository(collectorInput(fake(), 'schedule')))
    expect(record.protection).toEqual({
      ...UNKNOWN_PROTECTION,
      signedCommitsRequired: true,
      deletionBlocked: true,
    })
  })

  it('takes a plain 404 on classic protection as not visible', async () => {
    fake().fail({ path: PROTECTION_PATH, status: 404 })
    const record = only(await collectRepository(collectorInput(fake(), 'schedule')))
    expect(record.classicProtection).toBe('not visible')
    expect(record.protection).toMatchObject({
      requireCodeOwnerReview: null,
      requiredChecksComplete: false,
    })
  })

  it("takes 404 'Branch not protected' as no classic protection: what no rule turns on is off", async () => {
    delete fake().state.branchProtection.main
    const record = only(await collectRepository(collectorInput(fake(), 'schedule')))
    expect(record.classicProtection).toBe('none')
    expect(record.protection).toEqual({ ...FULL_PROTECTION, adminsEnforced: null })
  })

  it('takes the strictest of several pull_request rules', async () => {
    fake().state.branchProtection = {}
    const rules = fake().state.branchRules.main ?? []
    const repoRule = rules.find((r) => r.type === 'pull_request')
    if (repoRule?.type !== 'pull_request') throw new Error('no pull_request rule')
    repoRule.parameters.dismiss_stale_reviews_on_push = false
    fake().state.branchRules.main = [
      ...rules,
      {
        ...repoRule,
        ruleset_source_type: 'Organization',
        ruleset_source: 'acme',
        ruleset_id: 98765,
        parameters: {
          ...repoRule.parameters,
          required_approving_review_count: 2,
          dismiss_stale_reviews_on_push: true,
        },
      },
    ]
    const record = only(await collectRepository(collectorInput(fake(), 'schedule')))
    expect(record.protection).toMatchObject({
      requiredApprovingReviewCount: 2,
      dismissStaleReviews: true,
    })
  })

  it('reports no protection at all as off, not unknown, and zero approvals required', async () => {
    fake().state.branchRules = {}
    fake().state.branchProtection = {}
    const record = only(await collectRepository(collectorInput(fake(), 'schedule')))
    expect(record.classicProtection).toBe('none')
    expect(record.protection).toEqual(NO_PROTECTION)
  })

  it('reports classic protection that turns nothing on as off, with zero approvals', async () => {
    fake().state.branchRules = {}
    const protection = fake().state.branchProtection.main
    if (!protection) throw new Error('no classic protection')
    delete protection.required_pull_request_reviews
    delete protection.required_status_checks
    protection.required_signatures = {
      url: `${PROTECTION_PATH}/required_signatures`,
      enabled: false,
    }
    protection.allow_force_pushes = { enabled: true }
    protection.allow_deletions = { enabled: true }
    const record = only(await collectRepository(collectorInput(fake(), 'schedule')))
    expect(record.classicProtection).toBe('enabled')
    expect(record.protection).toEqual({ ...NO_PROTECTION, adminsEnforced: true })
  })

  it('records security features the token cannot see as null', async () => {
    delete fake().state.repo.security_and_analysis
    fake().state.vulnerabilityAlerts = false // GitHub: 404
    const record = only(await collectRepository(collectorInput(fake(), 'schedule')))
    expect(record.securityFeatures).toEqual({
      secretScanning: null,
      secretScanningPushProtection: null,
      dependabotSecurityUpdates: null,
      dependabotAlerts: null,
    })
  })

  it('names contents: read when the repository cannot be read', async () => {
    fake().fail({ path: REPO_PATH, status: 403 })
    const error = await rejection(() => collectRepository(collectorInput(fake(), 'schedule')))
    expect(error).toBeInstanceOf(CollectorError)
    expect(error.message).toContain('could not read repository acme/shop (403:')
    expect(error.message).toContain("'permissions: contents: read'")
  })

  it('fails on a server error reading classic protection', async () => {
    fake().fail({ path: PROTECTION_PATH, status: 500 })
    await expect(collectRepository(collectorInput(fake(), 'schedule'))).rejects.toThrow(
      'Server Error',
    )
    expect(fake().requests.filter((r) => r.path === PROTECTION_PATH)).toHaveLength(1)
  })
})

describe('artifacts collector', () => {
  let workspace: string | undefined
  afterEach(async () => {
    if (workspace) await rm(workspace, { recursive: true, force: true })
    workspace = undefined
  })

  async function makeWorkspace(files: Record<string, string | Buffer>): Promise<string> {
    workspace = await mkdtemp(path.join(tmpdir(), 'artifacts-'))
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(workspace, name)), { recursive: true })
      await writeFile(path.join(workspace, name), content)
    }
    return workspace
  }

  const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex')

  it('records the size and SHA-256 of each matched file', async () => {
    const big = Buffer.alloc(300_000, 7)
    const files = {
      'dist/shop.tgz': big,
      'dist/sbom/shop.spdx.json': '{"spdxVersion":"SPDX-2.3"}\n',
      'dist/notes.txt': 'not an artifact',
      'src/index.ts': 'export {}\n',
    }
    const ws = await makeWorkspace(files)
    const input = collectorInput(fake(), 'push', {
      workspace: ws,
      artifacts: ['dist/**/*.tgz', 'dist/sbom/*.json'],
    })
    const records = await collectArtifacts(input)
    expect(records).toEqual([
      {
        id: `artifact:acme/shop@${SHA.main}:dist/sbom/shop.spdx.json`,
        repository: 'acme/shop',
        sha: SHA.main,
        path: 'dist/sbom/shop.spdx.json',
        size: Buffer.byteLength(files['dist/sbom/shop.spdx.json']),
        sha256: sha256(files['dist/sbom/shop.spdx.json']),
        collector: 'artifacts',
        schemaVersion: 1,
        collectedAt: COLLECTED_AT,
      },
      {
        id: `artifact:acme/shop@${SHA.main}:dist/shop.tgz`,
        repository: 'acme/shop',
        sha: SHA.main,
        path: 'dist/shop.tgz',
        size: 300_000,
        sha256: sha256(big),
        collector: 'artifacts',
        schemaVersion: 1,
        collectedAt: COLLECTED_AT,
      },
    ])
    // Hashing the files needs no GitHub API.
    expect(fake().requests).toEqual([])
  })

  it('leaves out files excluded with !pattern', async () => {
    const ws = await makeWorkspace({ 'dist/a.tgz': 'a', 'dist/b.tgz': 'b' })
    const input = collectorInput(fake(), 'push', {
      workspace: ws,
      artifacts: ['dist/*.tgz', '!dist/b.tgz'],
    })
    expect((await collectArtifacts(input)).map((r) => r.path)).toEqual(['dist/a.tgz'])
  })

  it("fails, naming 'artifacts' and the pattern, when a pattern matches nothing", async () => {
    const ws = await makeWorkspace({ 'dist/a.tgz': 'a' })
    const input = collectorInput(fake(), 'push', {
      workspace: ws,
      artifacts: ['dist/*.tgz', 'build/*.zip'],
    })
    await expect(collectArtifacts(input)).rejects.toThrow(
      `'artifacts' pattern 'build/*.zip' matched no file in ${ws}`,
    )
  })

  it('records nothing without patterns', async () => {
    expect(await collectArtifacts(collectorInput(fake(), 'push'))).toEqual([])
  })
})

describe('workflow-run collector', () => {
  it('records the run from the environment', async () => {
    const record = only(
      await collectWorkflowRun(collectorInput(fake(), 'push', { github: 'none' })),
    )
    expect(record).toEqual({
      id: 'run:acme/shop/9001/1',
      repository: 'acme/shop',
      workflow: 'Evidence',
      job: 'evidence',
      event: 'push',
      actor: 'hubot',
      triggeringActor: 'hubot',
      ref: 'refs/heads/main',
      sha: SHA.main,
      runId: '9001',
      runAttempt: 1,
      runNumber: 214,
      runUrl: 'https://github.com/acme/shop/actions/runs/9001/attempts/1',
      runnerOs: null,
      runnerArch: null,
      // Without a client, when the run started is unknown.
      startedAt: null,
      observedAt: COLLECTED_AT,
      collector: 'workflow-run',
      schemaVersion: 1,
      collectedAt: COLLECTED_AT,
    })
    expect(fake().requests).toEqual([])
  })

  /** The attempt of run 9001 as GitHub describes it (the fields the collector reads). */
  function serveAttempt(attempt: number, startedAt: string): string {
    const path = `${REPO_PATH}/actions/runs/9001/attempts/${attempt}`
    extras().routes.set(path, {
      status: 200,
      body: {
        id: 9001,
        name: 'Evidence',
        run_attempt: attempt,
        run_number: 214,
        event: 'push',
        status: 'in_progress',
        conclusion: null,
        head_sha: SHA.main,
        created_at: '2026-11-03T09:30:10Z',
        run_started_at: startedAt,
      },
    })
    return path
  }

  it('records when this attempt started, from the API', async () => {
    const path = serveAttempt(1, '2026-11-03T09:30:12Z')
    const input = collectorInput(fake(), 'push', { apiUrl: extras().url })
    const record = only(await collectWorkflowRun(input))
    expect(record).toMatchObject({
      id: 'run:acme/shop/9001/1',
      startedAt: '2026-11-03T09:30:12Z',
      observedAt: COLLECTED_AT,
    })
    expect(paths(fake())).toEqual([path])
  })

  it('asks for the attempt this step runs in', async () => {
    serveAttempt(1, '2026-11-03T09:30:12Z')
    const path = serveAttempt(2, '2026-11-03T11:02:40Z')
    const input = collectorInput(fake(), 'push', {
      apiUrl: extras().url,
      env: { GITHUB_RUN_ATTEMPT: '2' },
    })
    const record = only(await collectWorkflowRun(input))
    expect(record).toMatchObject({ runAttempt: 2, startedAt: '2026-11-03T11:02:40Z' })
    expect(paths(fake())).toEqual([path])
  })

  it('records the start as unknown (null) when the API answers 404', async () => {
    // The fake does not serve run attempts.
    const record = only(await collectWorkflowRun(collectorInput(fake(), 'push')))
    expect(record.startedAt).toBeNull()
    expect(record.runId).toBe('9001')
    expect(fake().requests).toEqual([
      expect.objectContaining({ path: `${REPO_PATH}/actions/runs/9001/attempts/1`, status: 404 }),
    ])
  })

  it.each([403, 500] as const)(
    'never fails on the API: a %i leaves the start unknown',
    async (status) => {
      fake().fail({ path: `${REPO_PATH}/actions/runs/9001/attempts/1`, status })
      const record = only(await collectWorkflowRun(collectorInput(fake(), 'push')))
      expect(record).toMatchObject({ id: 'run:acme/shop/9001/1', startedAt: null })
      expect(fake().requests.map((r) => r.status)).toEqual([status])
    },
  )

  it('fails without GITHUB_RUN_ID, and without GITHUB_REPOSITORY', async () => {
    const noRun = collectorInput(fake(), 'push', { env: { GITHUB_RUN_ID: '' } })
    await expect(collectWorkflowRun(noRun)).rejects.toThrow('needs GITHUB_RUN_ID')
    const noRepo = collectorInput(fake(), 'push', { env: { GITHUB_REPOSITORY: '' } })
    const error = await rejection(() => collectWorkflowRun(noRepo))
    expect(error).toBeInstanceOf(CollectorError)
    expect(error.message).toContain("use 'collect: none' outside GitHub Actions")
    expect(fake().requests).toEqual([])
  })
})

describe('every collector record', () => {
  it('carries collector, schemaVersion 1 and collectedAt = now', async () => {
    expect(SCHEMA_VERSION).toBe(1)
    const ws = await mkdtemp(path.join(tmpdir(), 'stamp-'))
    try {
      await writeFile(path.join(ws, 'out.bin'), 'x')
      // Each collector in an event where it has something to record.
      for (const [name, event] of Object.entries(EXAMPLE_EVENTS)) {
        const input = collectorInput(fake(), event, { workspace: ws, artifacts: ['out.bin'] })
        const collector = COLLECTOR_REGISTRY[name as CollectorName]
        const records = await collector(input)
        expect(records.length, name).toBeGreaterThan(0)
        for (const record of records) {
          expect(record, name).toMatchObject({
            collector: name,
            schemaVersion: 1,
            collectedAt: NOW.toISOString(),
          })
        }
      }
    } finally {
      await rm(ws, { recursive: true, force: true })
    }
  })

  it('cannot have its stamp overwritten by the record', () => {
    const input = collectorInput(fake(), 'push', { github: 'none' })
    const stamped = stamp('commit', input, {
      id: 'x',
      collector: 'other',
      schemaVersion: 9,
      collectedAt: 'yesterday',
    })
    expect(stamped).toEqual({
      id: 'x',
      collector: 'commit',
      schemaVersion: 1,
      collectedAt: COLLECTED_AT,
    })
  })
})
