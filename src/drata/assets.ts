import type { DrataClient } from './client.js'
import { pages } from './pages.js'

/** AssetClassTypeEnum of Drata's assets API. */
export const ASSET_CLASS_TYPES = [
  'HARDWARE',
  'POLICY',
  'DOCUMENT',
  'PERSONNEL',
  'SOFTWARE',
  'CODE',
  'CONTAINER',
  'COMPUTE',
  'NETWORKING',
  'DATABASE',
  'STORAGE',
] as const
export type AssetClassType = (typeof ASSET_CLASS_TYPES)[number]

/** The fields of an asset this action reads (AssetResponsePublicV2Dto). */
export interface DrataAsset {
  id: number
  name: string
  description: string | null
  notes: string | null
  assetType: 'PHYSICAL' | 'VIRTUAL'
  assetClassTypes?: Array<{ assetClassType: AssetClassType }>
  owner?: { id: number } | null
  externalId?: string | null
  externalOwnerId?: string | null
  removedAt?: string | null
  createdAt: string
}

/** The body of a create (AssetCreateRequestPublicV2Dto). */
export interface AssetCreate {
  name: string
  description: string
  notes: string
  assetType: 'PHYSICAL' | 'VIRTUAL'
  assetClassTypes: AssetClassType[]
  ownerId: number
  externalId: string
  externalOwnerId: string
}

/** The body of an update (AssetModifyRequestPublicV2Dto: it cannot change externalId). */
export type AssetModify = Omit<AssetCreate, 'externalId' | 'externalOwnerId'>

/** Drata's assets endpoints. */
export class AssetsApi {
  constructor(private readonly client: DrataClient) {}

  /**
   * Every asset, of either type, not marked removed, whose externalId and externalOwnerId both
   * match: the list cannot filter by them, and a changed asset-type must find the same asset.
   */
  async findByExternalId(externalId: string, externalOwnerId: string): Promise<DrataAsset[]> {
    const found: DrataAsset[] = []
    // The owner and class types come only when expanded; both are compared before an update.
    const query = { 'expand[]': ['assetClassTypes', 'owner'], sort: 'createdAt', sortDir: 'ASC' }
    for await (const page of pages<DrataAsset>(this.client, '/assets', query, {
      what: 'list assets',
      area: 'assets',
      permission: 'assets-get',
    })) {
      found.push(
        ...page.filter(
          (a) =>
            a.externalId === externalId && a.externalOwnerId === externalOwnerId && !a.removedAt,
        ),
      )
    }
    return found
  }

  /** Creates an asset. Retried only on 429: a create whose answer was lost may exist. */
  create(body: AssetCreate): Promise<DrataAsset> {
    return this.client.request({
      method: 'POST',
      path: '/assets',
      body,
      op: {
        what: `create asset '${body.name}'`,
        area: 'assets',
        permission: 'assets-post',
        notFound: "Check 'asset-owner-id': it must be the id of a user in this Drata account.",
      },
      retry: 'unsafe',
    })
  }

  /** Updates an asset (a repeated PUT with the same body is harmless). */
  update(id: number, body: AssetModify): Promise<DrataAsset> {
    return this.client.request({
      method: 'PUT',
      path: `/assets/${id}`,
      body,
      op: {
        what: `update asset ${id}`,
        area: 'assets',
        permission: 'assets-put',
        notFound: 'The asset was deleted meanwhile; re-run to create it again.',
      },
      retry: 'idempotent',
    })
  }

  /** Deletes an asset, which Drata calls unrecoverable. */
  remove(id: number): Promise<void> {
    return this.client.request({
      method: 'DELETE',
      path: `/assets/${id}`,
      op: {
        what: `delete asset ${id}`,
        area: 'assets',
        permission: 'assets-delete',
        notFound: 'The asset was already deleted.',
      },
      retry: 'idempotent',
    })
  }
}
