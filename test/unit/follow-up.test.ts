// afterPush through the real Drata APIs against the local Drata sandbox: the asset and the
// vendor review are separate steps, so one failing does not skip or hide the other.
import { describe, expect, it } from 'vitest'
import type { AssetSettings } from '../../src/inputs/asset.js'
import { afterPush } from '../../src/follow-up.js'
import type { Settings } from '../../src/settings.js'
import type { VendorReviewSettings } from '../../src/inputs/vendor-review.js'
import { useSandboxApi } from './sandbox-api.js'
import { memoryLogger, settingsFrom } from './collectors-fake.js'
import { ASSET_SETTINGS, REVIEW_SETTINGS } from './follow-up-fixtures.js'

const STARTED = new Date('2030-01-02T03:04:05.000Z')

const ASSET: AssetSettings = { ...ASSET_SETTINGS, classTypes: ['SOFTWARE'] }

const drata = useSandboxApi()

function settings(asset: Partial<AssetSettings>, review: Partial<VendorReviewSettings>): Settings {
  return {
    ...settingsFrom({}),
    asset: { ...ASSET, ...asset },
    vendorReview: { ...REVIEW_SETTINGS, ...review },
    auditEvents: false,
    dryRun: false,
  }
}

describe('afterPush', () => {
  it('does both steps and reports no error when both succeed', async () => {
    const result = await afterPush(settings({}, {}), drata.parts, STARTED, memoryLogger().logger)
    expect(result.error).toBeUndefined()
    expect(result.asset).toMatchObject({ action: 'created', id: expect.any(Number) })
    expect(result.review).toMatchObject({ action: 'created', id: expect.any(Number) })
  })

  it('still opens the vendor review when the asset step fails, and says which step failed', async () => {
    // No such Drata user: the asset cannot be created.
    const result = await afterPush(
      settings({ ownerId: 999 }, {}),
      drata.parts,
      STARTED,
      memoryLogger().logger,
    )
    expect(result.asset).toBeUndefined()
    expect(result.review).toMatchObject({ action: 'created', id: expect.any(Number) })
    expect(drata.sandbox.vendorReviews(11)).toHaveLength(1)
    expect(result.error).toMatch(/^Asset: /)
    expect(result.error).not.toContain('Vendor security review:')
    expect(drata.sandbox.assets()).toEqual([])
  })

  it('keeps the asset outcome when the vendor review fails', async () => {
    const result = await afterPush(
      settings({}, { vendorId: 99 }),
      drata.parts,
      STARTED,
      memoryLogger().logger,
    )
    expect(result.asset).toMatchObject({ action: 'created', id: expect.any(Number) })
    expect(result.review).toBeUndefined()
    expect(result.error).toMatch(/^Vendor security review: /)
    expect(result.error).toContain("Check 'vendor-id'")
  })

  it('joins both errors, the asset first, when both steps fail', async () => {
    const result = await afterPush(
      settings({ ownerId: 999 }, { vendorId: 99 }),
      drata.parts,
      STARTED,
      memoryLogger().logger,
    )
    expect(result.asset).toBeUndefined()
    expect(result.review).toBeUndefined()
    // Each step's own message after its label, separated by a space.
    const logger = memoryLogger().logger
    const both = settings({ ownerId: 999 }, { vendorId: 99 })
    const asset = await afterPush(
      { ...both, vendorReview: undefined },
      drata.parts,
      STARTED,
      logger,
    )
    const review = await afterPush({ ...both, asset: undefined }, drata.parts, STARTED, logger)
    expect(asset.error).toMatch(/^Asset: .*User with ownerId 999 not found/)
    expect(review.error).toMatch(/^Vendor security review: .*Vendor 99 not found/)
    expect(result.error).toBe(`${asset.error} ${review.error}`)
  })

  it('reports the asset error alone when there is no vendor review', async () => {
    const only = { ...settings({ ownerId: 999 }, {}), vendorReview: undefined }
    const result = await afterPush(only, drata.parts, STARTED, memoryLogger().logger)
    expect(result.error).toMatch(/^Asset: /)
    expect(result.review).toBeUndefined()
  })
})
