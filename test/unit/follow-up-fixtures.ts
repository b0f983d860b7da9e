// The asset and vendor review settings the follow-up tests start from: what the inputs of a
// production deployment of acme/shop by run 9004 turn into. Tests spread over them what they vary.
import type { AssetSettings } from '../../src/inputs/asset.js'
import type { VendorReviewSettings } from '../../src/inputs/vendor-review.js'

/** An upsert of the production asset of acme/shop. */
export const ASSET_SETTINGS: AssetSettings = {
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

/** A security review of vendor 11, without a file or a requester. */
export const REVIEW_SETTINGS: VendorReviewSettings = {
  vendorId: 11,
  type: 'SECURITY',
  status: 'NOT_YET_STARTED',
  title: 'Security review requested by Evidence run 9004',
  deadline: '2030-02-01T03:04:05.000Z',
  requesterId: undefined,
  note: '',
  file: '',
  documentType: undefined,
}
