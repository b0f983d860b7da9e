// syncAsset through the real AssetsApi and DrataClient, against the local Drata sandbox: what a
// re-run of the same deployment does to the asset.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { syncAsset } from '../../src/asset/asset.js'
import type { AssetSettings } from '../../src/asset/settings.js'
import { type ApiParts, buildApi } from '../../src/drata/factory.js'
import { type Sandbox, startSandbox } from '../sandbox/server.ts'
import { memoryLogger } from './collectors-fake.js'

const SETTINGS: AssetSettings = {
  action: 'upsert',
  environment: 'production',
  name: 'shop (production)',
  description: 'Deployed from acme/shop@a1b2c3d by Evidence run 9004',
  notes: 'https://github.com/acme/shop/actions/runs/9004',
  assetType: 'VIRTUAL',
  classTypes: ['SOFTWARE', 'CONTAINER'],
  ownerId: 2,
  externalId: 'github:acme/shop:production',
  externalOwnerId: 'github:acme/shop',
}

let sandbox: Sandbox
let parts: ApiParts

beforeEach(async () => {
  sandbox = await startSandbox()
  parts = buildApi({
    baseUrl: sandbox.url,
    apiKey: 'sandbox-key',
    region: 'us',
    maxRetries: 0,
    timeoutMs: 5000,
    logger: memoryLogger().logger,
    ref: undefined,
  })
})

afterEach(async () => {
  await parts.close()
  await sandbox.close()
})

function sync(settings: Partial<AssetSettings> = {}) {
  return syncAsset(parts.assets, { ...SETTINGS, ...settings }, false, memoryLogger().logger)
}

function writes(): string[] {
  return sandbox.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)
}

describe('syncAsset against the Drata sandbox', () => {
  it('creates the asset once, then finds it again by externalId on a re-run', async () => {
    const first = await sync()
    expect(first).toMatchObject({ action: 'created', id: expect.any(Number) })
    const second = await sync({ name: 'shop (production, renamed)' })
    expect(second).toMatchObject({ action: 'updated', id: first.id })
    expect(writes()).toEqual(['POST /assets', `PUT /assets/${first.id}`])
    expect(sandbox.assets()).toHaveLength(1)
    expect(sandbox.assets()[0]).toMatchObject({
      name: 'shop (production, renamed)',
      externalId: SETTINGS.externalId,
    })
  })

  it('deletes the asset of the environment on remove', async () => {
    const created = await sync()
    expect(await sync({ action: 'remove' })).toMatchObject({ action: 'removed', id: created.id })
    expect(writes()).toEqual(['POST /assets', `DELETE /assets/${created.id}`])
  })

  // Drata's list carries `owner` only with expand[]=owner: without it the owner never matched
  // and every re-run sent a PUT.
  it('leaves the asset unchanged, with no PUT, when a re-run changes nothing', async () => {
    const first = await sync()
    expect(await sync()).toMatchObject({ action: 'unchanged', id: first.id })
    expect(writes()).toEqual(['POST /assets'])
  })
})
