// The release and deployment collectors against the local GitHub REST fake.
import { describe, expect, it } from 'vitest'
import { CollectorError } from '../../src/evidence/collector.js'
import { collectDeployment } from '../../src/evidence/deployment.js'
import { collectRelease } from '../../src/evidence/release.js'
import { defaultState, IDS, makeUser, SHA } from '../github-fake/server.ts'
import {
  COLLECTED_AT,
  collectorInput,
  only,
  paths,
  rejection,
  REPO_PATH,
  useGithubFake,
} from './collectors-fake.js'

const fake = useGithubFake()

const ASSETS = [
  {
    name: 'shop-1.4.0-linux-x64.tar.gz',
    size: 18234567,
    contentType: 'application/gzip',
    digest: 'sha256:f489036ef7d5c91e4c8589528aa25a1e93b5c25358d2f9cbb32022ec7a0ed2c1',
    url: 'https://github.com/acme/shop/releases/download/v1.4.0/shop-1.4.0-linux-x64.tar.gz',
  },
  {
    name: 'shop-1.4.0.spdx.json',
    size: 48213,
    contentType: 'application/json',
    digest: 'sha256:7a13ec1e13ddfbc1a4774da187a3233baad8829598613ca621e91cdd7d1a321d',
    url: 'https://github.com/acme/shop/releases/download/v1.4.0/shop-1.4.0.spdx.json',
  },
]

describe('release collector', () => {
  it('records the release of a release event with its assets and their digests', async () => {
    const record = only(await collectRelease(collectorInput(fake(), 'release')))
    expect(record).toEqual({
      id: 'release:acme/shop@v1.4.0',
      repository: 'acme/shop',
      tag: 'v1.4.0',
      name: 'v1.4.0',
      url: 'https://github.com/acme/shop/releases/tag/v1.4.0',
      author: 'hubot',
      draft: false,
      prerelease: false,
      createdAt: '2026-11-03T09:30:02Z',
      publishedAt: '2026-11-03T10:05:44Z',
      targetCommitish: SHA.main,
      sha: SHA.main,
      assets: ASSETS,
      collector: 'release',
      schemaVersion: 1,
      collectedAt: COLLECTED_AT,
    })
    // The payload names the release by id.
    expect(paths(fake())).toEqual([
      `${REPO_PATH}/releases/${IDS.release}`,
      `${REPO_PATH}/releases/${IDS.release}/assets`,
    ])
  })

  it('records a missing digest (assets uploaded before GitHub computed them) as null', async () => {
    const release = fake().state.releases[0]
    if (!release) throw new Error('no release')
    for (const asset of release.assets) asset.digest = null
    const record = only(await collectRelease(collectorInput(fake(), 'release')))
    expect(record.assets).toEqual(ASSETS.map((a) => ({ ...a, digest: null })))
  })

  it('records nothing, and asks nothing, for a push to a branch', async () => {
    expect(await collectRelease(collectorInput(fake(), 'push'))).toEqual([])
    expect(fake().requests).toEqual([])
  })

  it('finds the release by tag for a run on a tag ref without a release event', async () => {
    const input = collectorInput(fake(), 'push', { env: { GITHUB_REF: 'refs/tags/v1.4.0' } })
    const record = only(await collectRelease(input))
    expect(record).toMatchObject({ id: 'release:acme/shop@v1.4.0', tag: 'v1.4.0', assets: ASSETS })
    expect(paths(fake())).toEqual([
      `${REPO_PATH}/releases/tags/v1.4.0`,
      `${REPO_PATH}/releases/${IDS.release}/assets`,
    ])
  })

  it('records nothing for a tag pushed without a release (GitHub answers 404)', async () => {
    const input = collectorInput(fake(), 'push', { env: { GITHUB_REF: 'refs/tags/v9.9.9' } })
    expect(await collectRelease(input)).toEqual([])
    expect(paths(fake())).toEqual([`${REPO_PATH}/releases/tags/v9.9.9`])
  })

  it('names contents: read when the release of a tag cannot be read', async () => {
    fake().fail({ path: `${REPO_PATH}/releases/tags/v1.4.0`, status: 403 })
    const input = collectorInput(fake(), 'push', { env: { GITHUB_REF: 'refs/tags/v1.4.0' } })
    const error = await rejection(() => collectRelease(input))
    expect(error).toBeInstanceOf(CollectorError)
    expect(error.message).toContain('could not read release v1.4.0 (403:')
    expect(error.message).toContain("'permissions: contents: read'")
  })

  it('names contents: read when the release cannot be read', async () => {
    fake().fail({ path: `${REPO_PATH}/releases/${IDS.release}`, status: 403 })
    const error = await rejection(() => collectRelease(collectorInput(fake(), 'release')))
    expect(error).toBeInstanceOf(CollectorError)
    expect(error.message).toContain('could not read release v1.4.0 (403:')
    expect(error.message).toContain("'permissions: contents: read'")
  })
})

describe('deployment collector', () => {
  const STATUS = {
    creator: 'github-actions[bot]',
    description: null,
    logUrl: `https://github.com/acme/shop/actions/runs/${IDS.deployRun}/job/31009101`,
  }

  /** The fake's approval of the deploying run, with another comment. */
  function approval(comment: string) {
    const [first] = defaultState().runApprovals[IDS.deployRun] ?? []
    if (!first) throw new Error('the fake has no approvals for the deploying run')
    return { ...first, comment }
  }

  it('records the deployment of a deployment_status event, its statuses oldest first', async () => {
    const record = only(await collectDeployment(collectorInput(fake(), 'deployment_status')))
    expect(record).toEqual({
      id: `deployment:acme/shop/${IDS.deployment}`,
      repository: 'acme/shop',
      deploymentId: IDS.deployment,
      environment: 'production',
      url: 'https://shop.acme.example',
      creator: 'github-actions[bot]',
      sha: SHA.main,
      ref: 'main',
      task: 'deploy',
      production: true,
      createdAt: '2026-11-03T10:12:00Z',
      state: 'success',
      statuses: [
        { ...STATUS, state: 'queued', createdAt: '2026-11-03T10:12:01Z', environmentUrl: null },
        {
          ...STATUS,
          state: 'in_progress',
          createdAt: '2026-11-03T10:12:09Z',
          environmentUrl: null,
        },
        {
          ...STATUS,
          state: 'success',
          createdAt: '2026-11-03T10:16:45Z',
          environmentUrl: 'https://shop.acme.example',
        },
      ],
      // The statuses' log URLs name the run that deployed (9001), not this run (9005): its
      // environment approvals are the deployment's.
      deployRunId: IDS.deployRun,
      approvals: [
        { environments: ['production'], state: 'approved', user: 'hubot', comment: 'Ship 1.4.0' },
      ],
      collector: 'deployment',
      schemaVersion: 1,
      collectedAt: COLLECTED_AT,
    })
    expect(IDS.deployRun).not.toBe(9005)
    expect(paths(fake())).toEqual([
      `${REPO_PATH}/deployments/${IDS.deployment}`,
      `${REPO_PATH}/deployments/${IDS.deployment}/statuses`,
      `${REPO_PATH}/actions/runs/${IDS.deployRun}/approvals`,
    ])
  })

  it('reads the approvals of the run that deployed, not those of this run', async () => {
    // This run has approvals of its own: they are not the deployment's.
    fake().state.runApprovals[9005] = [approval('approval of run 9005')]
    const record = only(await collectDeployment(collectorInput(fake(), 'deployment_status')))
    expect(record.deployRunId).toBe(IDS.deployRun)
    expect(record.approvals).toEqual([
      { environments: ['production'], state: 'approved', user: 'hubot', comment: 'Ship 1.4.0' },
    ])
  })

  it('takes the deploying run from target_url when a status has no log_url', async () => {
    const statuses = fake().state.deploymentStatuses[IDS.deployment] ?? []
    for (const s of statuses) s.log_url = ''
    fake().state.runApprovals[9005] = []
    const record = only(await collectDeployment(collectorInput(fake(), 'deployment_status')))
    expect(record.deployRunId).toBe(IDS.deployRun)
    expect(paths(fake())).toContain(`${REPO_PATH}/actions/runs/${IDS.deployRun}/approvals`)
    expect(record.approvals).toHaveLength(1)
  })

  it('records the deploying run and approvals as unknown (null) when no status names a run', async () => {
    const statuses = fake().state.deploymentStatuses[IDS.deployment] ?? []
    for (const s of statuses) {
      s.log_url = ''
      s.target_url = 'https://ci.example/builds/31009101'
    }
    // This run's approvals are not the deployment's: they are not even asked for.
    fake().state.runApprovals[9005] = [approval('approval of run 9005')]
    const record = only(await collectDeployment(collectorInput(fake(), 'deployment_status')))
    expect(record.deployRunId).toBeNull()
    expect(record.approvals).toBeNull()
    expect(paths(fake())).toEqual([
      `${REPO_PATH}/deployments/${IDS.deployment}`,
      `${REPO_PATH}/deployments/${IDS.deployment}/statuses`,
    ])
  })

  it('records the deploying run and approvals as unknown before the first status', async () => {
    fake().state.deploymentStatuses = {}
    // The deployment event's own run, 9004, has approvals: they are not the deployment's.
    fake().state.runApprovals[9004] = [approval('approval of run 9004')]
    const record = only(await collectDeployment(collectorInput(fake(), 'deployment')))
    expect(record).toMatchObject({ deployRunId: null, approvals: null })
    expect(paths(fake()).some((p) => p.endsWith('/approvals'))).toBe(false)
  })

  it("keeps only the approvals of the deployment's environment", async () => {
    const [production] = defaultState().runApprovals[IDS.deployRun] ?? []
    const productionEnv = production?.environments[0]
    if (!production || !productionEnv) throw new Error('the fake has no production approval')
    const staging = { ...productionEnv, id: productionEnv.id + 1, name: 'staging' }
    // The deploying run also waited for staging, approved by mona; and one review covered both.
    fake().state.runApprovals[IDS.deployRun] = [
      { ...production, environments: [staging], user: makeUser('mona', IDS.mona), comment: '' },
      production,
      { ...production, environments: [staging, productionEnv], comment: 'Both' },
    ]
    const record = only(await collectDeployment(collectorInput(fake(), 'deployment_status')))
    expect(record.approvals).toEqual([
      { environments: ['production'], state: 'approved', user: 'hubot', comment: 'Ship 1.4.0' },
      {
        environments: ['staging', 'production'],
        state: 'approved',
        user: 'hubot',
        comment: 'Both',
      },
    ])
  })

  it('records an empty list when the deploying run had approvals of other environments only', async () => {
    const [production] = defaultState().runApprovals[IDS.deployRun] ?? []
    const productionEnv = production?.environments[0]
    if (!production || !productionEnv) throw new Error('the fake has no production approval')
    fake().state.runApprovals[IDS.deployRun] = [
      { ...production, environments: [{ ...productionEnv, name: 'staging' }] },
    ]
    const record = only(await collectDeployment(collectorInput(fake(), 'deployment_status')))
    expect(record.deployRunId).toBe(IDS.deployRun)
    expect(record.approvals).toEqual([])
  })

  it('records approvals as null, not as none, when they answer 403', async () => {
    fake().fail({ path: `${REPO_PATH}/actions/runs/${IDS.deployRun}/approvals`, status: 403 })
    const record = only(await collectDeployment(collectorInput(fake(), 'deployment_status')))
    expect(record.approvals).toBeNull()
    // The run is still named: the approvals could not be read, the deploying run is known.
    expect(record.deployRunId).toBe(IDS.deployRun)
  })

  it('records no approvals as an empty list when the deploying run had none', async () => {
    fake().state.runApprovals[IDS.deployRun] = []
    const record = only(await collectDeployment(collectorInput(fake(), 'deployment_status')))
    expect(record.approvals).toEqual([])
  })

  it('records the deployment of a deployment event too', async () => {
    const record = only(await collectDeployment(collectorInput(fake(), 'deployment')))
    expect(record).toMatchObject({ deploymentId: IDS.deployment, state: 'success' })
  })

  it('has no state or URL before the first status', async () => {
    fake().state.deploymentStatuses = {}
    const record = only(await collectDeployment(collectorInput(fake(), 'deployment')))
    expect(record).toMatchObject({ state: null, url: null, statuses: [] })
  })

  it.each(['push', 'schedule', 'release'] as const)(
    'records nothing for a %s event',
    async (event) => {
      expect(await collectDeployment(collectorInput(fake(), event))).toEqual([])
      expect(fake().requests).toEqual([])
    },
  )

  it('names deployments: read when the deployment cannot be read', async () => {
    fake().fail({ path: `${REPO_PATH}/deployments/${IDS.deployment}/statuses`, status: 404 })
    const error = await rejection(() =>
      collectDeployment(collectorInput(fake(), 'deployment_status')),
    )
    expect(error).toBeInstanceOf(CollectorError)
    expect(error.message).toContain(
      `could not read the statuses of deployment ${IDS.deployment} (404:`,
    )
    expect(error.message).toContain("'permissions: deployments: read'")
  })
})
