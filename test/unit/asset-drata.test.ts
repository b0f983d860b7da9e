// syncAsset through the real AssetsApi and DrataClient, against the local Drata sandbox: what a
// re-run of the same deployment does to the asset.
import { describe, expect, it } from 'vitest'
import { syncAsset } from '../../src/asset/asset.js'
import type { AssetSettings } from '../../src/inputs/asset.js'
import { memoryLogger } from './collectors-fake.js'
import { ASSET_SETTINGS } from './follow-up-fixtures.js'
import { useSandboxApi } from './sandbox-api.js'

const drata = useSandboxApi()

function sync(settings: Partial<AssetSettings> = {}) {
  return syncAsset(
    drata.parts.assets,
    { ...ASSET_SETTINGS, ...settings },
    false,
    memoryLogger().logger,
  )
}

function writes(): string[] {
  return drata.sandbox.requests
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path}`)
}

describe('syncAsset against the Drata sandbox', () => {
  it('creates the asset once, then finds it again by externalId on a re-run', async () => {
    const first = await sync()
    expect(first).toMatchObject({ action: 'created', id: expect.any(Number) })
    const second = await sync({ name: 'shop (production, renamed)' })
    expect(second).toMatchObject({ action: 'updated', id: first.id })
    expect(writes()).toEqual(['POST /assets', `PUT /assets/${first.id}`])
    expect(drata.sandbox.assets()).toHaveLength(1)
    expect(drata.sandbox.assets()[0]).toMatchObject({
      name: 'shop (production, renamed)',
      externalId: ASSET_SETTINGS.externalId,
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

  it('finds the asset created as PHYSICAL after asset-type changed to VIRTUAL, and updates it', async () => {
    const first = await sync({ assetType: 'PHYSICAL' })
    expect(await sync()).toMatchObject({ action: 'updated', id: first.id })
    expect(writes()).toEqual(['POST /assets', `PUT /assets/${first.id}`])
    expect(drata.sandbox.assets()).toEqual([expect.objectContaining({ assetType: 'VIRTUAL' })])
  })

  it('creates a new asset rather than reuse one marked removed', async () => {
    const removed = drata.sandbox.seedAsset({
      ...seedOf(ASSET_SETTINGS),
      removedAt: '2030-01-01T00:00:00.000Z',
    })
    const created = await sync()
    expect(created).toMatchObject({ action: 'created' })
    expect(created.id).not.toBe(removed.id)
    expect(writes()).toEqual(['POST /assets'])
  })

  it("does not touch another repository's asset with the same externalId", async () => {
    const other = drata.sandbox.seedAsset({
      ...seedOf(ASSET_SETTINGS),
      externalOwnerId: 'github:acme/other',
    })
    expect(await sync({ action: 'remove' })).toMatchObject({ action: 'none', id: null })
    const created = await sync()
    expect(created.id).not.toBe(other.id)
    expect(writes()).toEqual(['POST /assets'])
  })
})

/** A sandbox seed with the fields of these settings. */
function seedOf(settings: AssetSettings) {
  return {
    name: settings.name,
    ownerId: settings.ownerId ?? 2,
    description: settings.description,
    notes: settings.notes,
    assetType: settings.assetType,
    assetClassTypes: settings.classTypes,
    externalId: settings.externalId,
    externalOwnerId: settings.externalOwnerId,
  }
}

describe('AssetsApi.findByExternalId against the Drata sandbox', () => {
  it('finds the assets of either type with both keys, oldest first, skipping removed ones', async () => {
    const at = (second: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, second))
    const base = seedOf(ASSET_SETTINGS)
    const physical = drata.sandbox.seedAsset({ ...base, assetType: 'PHYSICAL', createdAt: at(2) })
    const virtual = drata.sandbox.seedAsset({ ...base, createdAt: at(1) })
    drata.sandbox.seedAsset({ ...base, removedAt: '2030-01-03T00:00:00.000Z', createdAt: at(0) })
    drata.sandbox.seedAsset({ ...base, externalOwnerId: 'github:acme/other', createdAt: at(3) })
    drata.sandbox.seedAsset({ ...base, externalId: 'github:acme/shop:staging', createdAt: at(4) })
    drata.sandbox.seedAsset({ ...base, externalOwnerId: null, createdAt: at(5) })
    const found = await drata.parts.assets.findByExternalId(
      ASSET_SETTINGS.externalId,
      ASSET_SETTINGS.externalOwnerId,
    )
    expect(found.map((a) => a.id)).toEqual([virtual.id, physical.id])
    expect(found.map((a) => a.assetType)).toEqual(['VIRTUAL', 'PHYSICAL'])
    // Expanded for the comparison before an update.
    expect(found[0]).toMatchObject({ owner: { id: 2 }, assetClassTypes: expect.any(Array) })
  })

  it('lists every asset, without an assetType filter', async () => {
    await drata.parts.assets.findByExternalId(
      ASSET_SETTINGS.externalId,
      ASSET_SETTINGS.externalOwnerId,
    )
    const lists = drata.sandbox.requests.filter((r) => r.method === 'GET' && r.path === '/assets')
    expect(lists).toHaveLength(1)
    expect(lists[0]?.query).not.toHaveProperty('assetType')
    expect(lists[0]?.query).toMatchObject({ sort: 'createdAt', sortDir: 'ASC' })
  })

  it('finds nothing when the only match is marked removed', async () => {
    drata.sandbox.seedAsset({ ...seedOf(ASSET_SETTINGS), removedAt: '2030-01-03T00:00:00.000Z' })
    expect(
      await drata.parts.assets.findByExternalId(
        ASSET_SETTINGS.externalId,
        ASSET_SETTINGS.externalOwnerId,
      ),
    ).toEqual([])
  })
})
