// syncAsset against a hand-written fake of Drata's assets endpoints.
import { describe, expect, it } from 'vitest'
import { syncAsset } from '../../src/asset/asset.js'
import type { AssetSettings } from '../../src/inputs/asset.js'
import type { AssetCreate, AssetModify, AssetsApi, DrataAsset } from '../../src/drata/assets.js'
import { ApiError } from '../../src/drata/errors.js'
import { memoryLogger } from './collectors-fake.js'
import { ASSET_SETTINGS } from './follow-up-fixtures.js'

const SETTINGS: AssetSettings = { ...ASSET_SETTINGS, ownerId: 5 }

type Call =
  | { op: 'find'; externalId: string; externalOwnerId: string }
  | { op: 'create'; body: AssetCreate }
  | { op: 'update'; id: number; body: AssetModify }
  | { op: 'remove'; id: number }

/**
 * Drata's assets as a list in memory, found the way AssetsApi finds them (externalId and
 * externalOwnerId, any type, not removed); `failCreate` makes the next creates throw.
 */
class FakeAssets {
  readonly calls: Call[] = []
  /** When each call came (Date.now()), by the index of the call. */
  readonly times: number[] = []
  readonly assets: DrataAsset[] = []
  /** Errors the next creates throw, in order; `applied` ones are created all the same. */
  failCreate: Array<{ error: Error; applied: boolean }> = []
  private nextId = 100

  async findByExternalId(externalId: string, externalOwnerId: string): Promise<DrataAsset[]> {
    this.record({ op: 'find', externalId, externalOwnerId })
    return this.assets.filter(
      (a) => a.externalId === externalId && a.externalOwnerId === externalOwnerId && !a.removedAt,
    )
  }

  async create(body: AssetCreate): Promise<DrataAsset> {
    this.record({ op: 'create', body })
    const failure = this.failCreate.shift()
    if (failure && !failure.applied) throw failure.error
    const asset = this.add({
      name: body.name,
      description: body.description,
      notes: body.notes,
      assetType: body.assetType,
      assetClassTypes: body.assetClassTypes.map((assetClassType) => ({ assetClassType })),
      owner: { id: body.ownerId },
      externalId: body.externalId,
      externalOwnerId: body.externalOwnerId,
    })
    if (failure) throw failure.error
    return asset
  }

  async update(id: number, body: AssetModify): Promise<DrataAsset> {
    this.record({ op: 'update', id, body })
    const asset = this.assets.find((a) => a.id === id)
    if (!asset) throw new ApiError('not found', 404, false)
    return asset
  }

  async remove(id: number): Promise<void> {
    this.record({ op: 'remove', id })
  }

  /** Adds an asset as Drata would hold it; the fields default to SETTINGS. */
  add(fields: Partial<DrataAsset> = {}): DrataAsset {
    const asset: DrataAsset = {
      id: this.nextId++,
      name: SETTINGS.name,
      description: SETTINGS.description,
      notes: SETTINGS.notes,
      assetType: SETTINGS.assetType,
      assetClassTypes: SETTINGS.classTypes.map((assetClassType) => ({ assetClassType })),
      owner: { id: 5 },
      externalId: SETTINGS.externalId,
      externalOwnerId: SETTINGS.externalOwnerId,
      createdAt: `2030-01-01T00:00:${String(this.assets.length).padStart(2, '0')}.000Z`,
      ...fields,
    }
    this.assets.push(asset)
    return asset
  }

  private record(call: Call): void {
    this.calls.push(call)
    this.times.push(Date.now())
  }

  /** The writes sent, without the look-ups. */
  writes(): Call[] {
    return this.calls.filter((c) => c.op !== 'find')
  }

  get api(): AssetsApi {
    return this as unknown as AssetsApi
  }
}

async function sync(
  fake: FakeAssets,
  settings: Partial<AssetSettings> = {},
  dryRun = false,
): Promise<{ outcome: Awaited<ReturnType<typeof syncAsset>>; logs: string[]; slept: number[] }> {
  const { logger, logs } = memoryLogger()
  const slept: number[] = []
  // No real waits: the injected sleep records what the step would wait.
  const sleep = async (ms: number) => void slept.push(ms)
  const outcome = await syncAsset(fake.api, { ...SETTINGS, ...settings }, dryRun, logger, sleep)
  return { outcome, logs, slept }
}

describe('syncAsset upsert', () => {
  it('creates the asset when none has the externalId', async () => {
    const fake = new FakeAssets()
    fake.add({ externalId: 'github:acme/shop:staging' })
    const { outcome } = await sync(fake)
    expect(outcome).toEqual({
      action: 'created',
      id: 101,
      name: 'shop (production)',
      externalId: 'github:acme/shop:production',
    })
    expect(fake.calls[0]).toEqual({
      op: 'find',
      externalId: 'github:acme/shop:production',
      externalOwnerId: 'github:acme/shop',
    })
    expect(fake.writes()).toEqual([
      {
        op: 'create',
        body: {
          name: SETTINGS.name,
          description: SETTINGS.description,
          notes: SETTINGS.notes,
          assetType: 'VIRTUAL',
          assetClassTypes: ['SOFTWARE', 'CONTAINER'],
          ownerId: 5,
          externalId: 'github:acme/shop:production',
          externalOwnerId: 'github:acme/shop',
        },
      },
    ])
  })

  it('leaves an asset whose fields all match unchanged, class types in any order', async () => {
    const fake = new FakeAssets()
    const existing = fake.add({
      assetClassTypes: [{ assetClassType: 'CONTAINER' }, { assetClassType: 'SOFTWARE' }],
    })
    const { outcome } = await sync(fake)
    expect(outcome).toMatchObject({ action: 'unchanged', id: existing.id })
    expect(fake.writes()).toEqual([])
  })

  it('treats a null description or notes as equal to an empty one', async () => {
    const fake = new FakeAssets()
    const existing = fake.add({ description: null, notes: null })
    const { outcome } = await sync(fake, { description: '', notes: '' })
    expect(outcome).toMatchObject({ action: 'unchanged', id: existing.id })
    expect(fake.writes()).toEqual([])
  })

  it.each<[string, Partial<DrataAsset>]>([
    ['name', { name: 'shop (old name)' }],
    ['description', { description: 'older description' }],
    ['notes', { notes: 'https://github.com/acme/shop/actions/runs/1' }],
    ['class types', { assetClassTypes: [{ assetClassType: 'SOFTWARE' }] }],
    ['class types (missing)', { assetClassTypes: undefined }],
    ['owner', { owner: { id: 6 } }],
    ['owner (none)', { owner: null }],
  ])('updates the asset when its %s differs, without externalId in the PUT', async (_, fields) => {
    const fake = new FakeAssets()
    const existing = fake.add(fields)
    const { outcome } = await sync(fake)
    expect(outcome).toEqual({
      action: 'updated',
      id: existing.id,
      name: 'shop (production)',
      externalId: SETTINGS.externalId,
    })
    expect(fake.writes()).toEqual([
      {
        op: 'update',
        id: existing.id,
        body: {
          name: SETTINGS.name,
          description: SETTINGS.description,
          notes: SETTINGS.notes,
          assetType: 'VIRTUAL',
          assetClassTypes: ['SOFTWARE', 'CONTAINER'],
          ownerId: 5,
        },
      },
    ])
    const [update] = fake.writes()
    expect(update?.op === 'update' && update.body).not.toHaveProperty('externalId')
    expect(update?.op === 'update' && update.body).not.toHaveProperty('externalOwnerId')
  })

  it('uses the oldest of several assets with the externalId, with a warning', async () => {
    const fake = new FakeAssets()
    const oldest = fake.add({ name: 'first' })
    const newer = fake.add()
    const { outcome, logs } = await sync(fake)
    expect(outcome).toMatchObject({ action: 'updated', id: oldest.id })
    expect(fake.writes()).toEqual([expect.objectContaining({ op: 'update', id: oldest.id })])
    expect(logs).toContainEqual(
      `warning: 2 Drata assets have externalId 'github:acme/shop:production' (ids ${oldest.id}, ${newer.id}); using the oldest, ${oldest.id}`,
    )
  })

  it('looks the asset up by externalId and externalOwnerId, not by asset type', async () => {
    const fake = new FakeAssets()
    const existing = fake.add({ externalOwnerId: 'acme' })
    const { outcome } = await sync(fake, { externalOwnerId: 'acme' })
    expect(outcome).toMatchObject({ action: 'unchanged', id: existing.id })
    expect(fake.calls).toEqual([
      { op: 'find', externalId: SETTINGS.externalId, externalOwnerId: 'acme' },
    ])
  })

  it('updates the asset found of the other type when asset-type changed', async () => {
    const fake = new FakeAssets()
    const existing = fake.add({ assetType: 'PHYSICAL' })
    const { outcome } = await sync(fake)
    expect(outcome).toMatchObject({ action: 'updated', id: existing.id })
    expect(fake.writes()).toEqual([
      { op: 'update', id: existing.id, body: expect.objectContaining({ assetType: 'VIRTUAL' }) },
    ])
  })

  it('warns about nothing when one asset has the externalId', async () => {
    const fake = new FakeAssets()
    fake.add()
    const { logs } = await sync(fake)
    expect(logs.filter((l) => l.startsWith('warning:'))).toEqual([])
  })

  it('throws when an asset must be written without an owner id', async () => {
    const fake = new FakeAssets()
    await expect(sync(fake, { ownerId: undefined })).rejects.toThrow("'asset-owner-id' is required")
    expect(fake.writes()).toEqual([])
  })
})

describe('syncAsset dry run', () => {
  it('reports a create without sending it', async () => {
    const fake = new FakeAssets()
    const { outcome } = await sync(fake, {}, true)
    expect(outcome).toMatchObject({ action: 'created', id: null })
    expect(fake.writes()).toEqual([])
  })

  it('reports an update without sending it', async () => {
    const fake = new FakeAssets()
    const existing = fake.add({ name: 'shop (old name)' })
    const { outcome } = await sync(fake, {}, true)
    expect(outcome).toMatchObject({ action: 'updated', id: existing.id })
    expect(fake.writes()).toEqual([])
  })

  it('reports a removal without sending it', async () => {
    const fake = new FakeAssets()
    const existing = fake.add()
    const { outcome } = await sync(fake, { action: 'remove' }, true)
    expect(outcome).toMatchObject({ action: 'removed', id: existing.id })
    expect(fake.writes()).toEqual([])
  })
})

describe('syncAsset remove', () => {
  it('deletes the asset with the externalId', async () => {
    const fake = new FakeAssets()
    const existing = fake.add({ name: 'shop (production, as named in Drata)' })
    const { outcome } = await sync(fake, { action: 'remove' })
    expect(outcome).toEqual({
      action: 'removed',
      id: existing.id,
      name: 'shop (production, as named in Drata)',
      externalId: SETTINGS.externalId,
    })
    expect(fake.writes()).toEqual([{ op: 'remove', id: existing.id }])
  })

  it('needs no owner id to delete', async () => {
    const fake = new FakeAssets()
    const existing = fake.add()
    const { outcome } = await sync(fake, { action: 'remove', ownerId: undefined })
    expect(outcome).toMatchObject({ action: 'removed', id: existing.id })
  })

  it('warns and writes nothing when no asset has the externalId', async () => {
    const fake = new FakeAssets()
    const { outcome, logs } = await sync(fake, { action: 'remove' })
    expect(outcome).toMatchObject({ action: 'none', id: null })
    expect(fake.writes()).toEqual([])
    expect(logs).toContainEqual(
      "warning: No Drata asset has externalId 'github:acme/shop:production'; nothing to remove",
    )
  })
})

describe('syncAsset create failures', () => {
  it('finds an asset whose create answer was lost (status 0) instead of creating a second', async () => {
    const fake = new FakeAssets()
    fake.failCreate = [{ error: new ApiError('socket hang up', 0, true), applied: true }]
    const { outcome, logs } = await sync(fake)
    expect(outcome).toMatchObject({ action: 'created', id: 100 })
    expect(fake.writes().filter((c) => c.op === 'create')).toHaveLength(1)
    expect(fake.assets).toHaveLength(1)
    expect(logs).toContain("The create of asset 'shop (production)' had been applied (id 100)")
  })

  it('waits a second after an ambiguous failure before looking the asset up', async () => {
    const fake = new FakeAssets()
    fake.failCreate = [{ error: new ApiError('socket hang up', 0, true), applied: true }]
    const { slept } = await sync(fake)
    expect(fake.calls.map((c) => c.op)).toEqual(['find', 'create', 'find'])
    expect(slept).toEqual([1000])
  })

  it('creates again after a 5xx when the asset was not created', async () => {
    const fake = new FakeAssets()
    fake.failCreate = [{ error: new ApiError('bad gateway', 502, true), applied: false }]
    const { outcome, logs, slept } = await sync(fake)
    expect(outcome).toMatchObject({ action: 'created', id: 100 })
    expect(fake.writes().filter((c) => c.op === 'create')).toHaveLength(2)
    expect(fake.assets).toHaveLength(1)
    expect(logs).toContainEqual(
      expect.stringMatching(
        /^Creating asset 'shop \(production\)' failed before it was applied; trying again/,
      ),
    )
    // The look-up between the two creates came after a second's wait.
    expect(fake.calls.map((c) => c.op)).toEqual(['find', 'create', 'find', 'create'])
    expect(slept[0]).toBe(1000)
  })

  it('gives up after three ambiguous failures', async () => {
    const fake = new FakeAssets()
    const lost = () => ({ error: new ApiError('timeout', 0, true), applied: false })
    fake.failCreate = [lost(), lost(), lost(), lost()]
    await expect(sync(fake)).rejects.toThrow('timeout')
    expect(fake.writes().filter((c) => c.op === 'create')).toHaveLength(3)
  })

  it('throws a 400 at once, without looking the asset up again', async () => {
    const fake = new FakeAssets()
    const invalid = new ApiError('Drata rejected the request to create asset (400)', 400, false)
    fake.failCreate = [{ error: invalid, applied: false }]
    await expect(sync(fake)).rejects.toBe(invalid)
    expect(fake.writes().filter((c) => c.op === 'create')).toHaveLength(1)
    expect(fake.calls.filter((c) => c.op === 'find')).toHaveLength(1)
  })
})
