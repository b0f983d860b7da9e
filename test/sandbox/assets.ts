// Assets API: GET/POST /assets, GET/PUT/DELETE /assets/{assetId} (drata-assets-api-openapi.yml).
import type { Directory } from './directory.ts'
import { badRequest, notFound } from './errors.ts'
import type { EventLog } from './events.ts'
import { checkFields, type CustomFieldInput, type FieldRule } from './fields.ts'
import { checkQueryNames, oneOf, PAGE_PARAMS, paginate, parsePageQuery } from './pagination.ts'
import {
  type ApiContext,
  type ApiReply,
  apiRoute,
  expandSet,
  positiveInt,
  type Route,
  type RouteCall,
} from './router.ts'
import type { AssetClassType, AssetClassTypeDto, AssetDto, AssetSeed, AssetType } from './types.ts'
import { isJsonObject, type JsonObject } from './validation.ts'

/** The `x-drata-permissions` of the Assets endpoints. */
export const ASSET_PERMISSIONS = {
  get: 'assets-get',
  post: 'assets-post',
  put: 'assets-put',
  delete: 'assets-delete',
} as const

export const ASSET_TYPES: readonly AssetType[] = ['PHYSICAL', 'VIRTUAL']

export const ASSET_CLASS_TYPES: readonly AssetClassType[] = [
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
]

const ASSET_PROVIDERS = [
  'DRATA_DEV',
  'AGENT',
  'DRATA',
  'GOOGLE',
  'MICROSOFT_365',
  'JAMF',
  'INTUNE',
  'OKTA_IDENTITY',
  'KANDJI',
  'JUMPCLOUD',
  'HEXNODE_UEM',
  'RIPPLING',
  'AWS',
  'MERGEDEV_ONELOGIN',
  'MERGEDEV_JUMPCLOUD',
  'WORKSPACE_ONE',
  'CSV_IDP',
  'AWS_GOV_CLOUD',
  'AZURE',
  'GCP',
  'MICROSOFT_365_GCC_HIGH',
  'MERGEDEV_CYBERARK',
  'KOLIDE',
  'MERGEDEV_PINGONE',
  'AWS_ORG_UNITS',
  'INTUNE_GCC_HIGH',
  'CUSTOM_XFA',
  'NINJAONE',
] as const

const EMPLOYMENT_STATUSES = [
  'CURRENT_EMPLOYEE',
  'FORMER_EMPLOYEE',
  'CURRENT_CONTRACTOR',
  'FORMER_CONTRACTOR',
  'OUT_OF_SCOPE',
  'UNKNOWN',
  'SPECIAL_FORMER_EMPLOYEE',
  'SPECIAL_FORMER_CONTRACTOR',
  'FUTURE_HIRE',
  'SERVICE_ACCOUNT',
] as const

/** The personnel status of every sandbox user (assumption: they are all current employees). */
const USERS_EMPLOYMENT_STATUS = 'CURRENT_EMPLOYEE'

const EXPANDS = [
  'device',
  'assetClassTypes',
  'complianceChecks',
  'customFields',
  'identifiers',
  'owner',
] as const
type Expand = (typeof EXPANDS)[number]

/** AssetCreateRequestPublicV2Dto. */
const CREATE_RULES: Record<string, FieldRule> = {
  name: { kind: 'string', max: 191, required: true, notEmpty: true },
  description: { kind: 'string', max: 191, required: true, notEmpty: true },
  notes: { kind: 'string', max: 191 },
  assetClassTypes: { kind: 'enumArray', values: ASSET_CLASS_TYPES, required: true },
  assetType: { kind: 'enum', values: ASSET_TYPES, required: true },
  ownerId: { kind: 'id', required: true },
  // The spec sets no maxLength on these; 191 (the VARCHAR every other field uses) is assumed.
  associatedId: { kind: 'string', max: 191 },
  removedAt: { kind: 'dateTime' },
  externalId: { kind: 'string', max: 191 },
  externalOwnerId: { kind: 'string', max: 191 },
  customFields: { kind: 'customFields' },
}

/** AssetModifyRequestPublicV2Dto: every field optional; no associatedId/removedAt/externalId. */
const MODIFY_RULES: Record<string, FieldRule> = {
  name: { kind: 'string', max: 191, notEmpty: true },
  description: { kind: 'string', max: 191, notEmpty: true },
  notes: { kind: 'string', max: 191 },
  ownerId: { kind: 'id' },
  assetClassTypes: { kind: 'enumArray', values: ASSET_CLASS_TYPES },
  assetType: { kind: 'enum', values: ASSET_TYPES },
  customFields: { kind: 'customFields' },
}

/** An asset as kept: the DTO without what `view` adds (device, expansions), with its owner's id. */
type StoredAsset = Omit<AssetDto, 'device' | 'assetClassTypes' | 'owner' | 'customFields'> & {
  ownerId: number
  classTypes: AssetClassTypeDto[]
}

/** Every asset of the account. */
export class AssetStore {
  readonly #assets = new Map<number, StoredAsset>()
  readonly #now: () => Date
  readonly #directory: Directory
  #nextId = 1
  #nextClassTypeId = 1

  constructor(now: () => Date, directory: Directory) {
    this.#now = now
    this.#directory = directory
  }

  /** POST /assets after validation: an asset added by hand (provider DRATA). */
  create(input: JsonObject): StoredAsset {
    const ownerId = input.ownerId as number
    this.#directory.requireUser(ownerId, 'ownerId')
    checkCustomFields(input.customFields)
    const ts = this.#now().toISOString()
    const assetType = input.assetType as AssetType
    return this.#insert({
      name: input.name as string,
      description: input.description as string,
      assetType,
      assetProvider: 'DRATA',
      removedAt: (input.removedAt as string | undefined) ?? null,
      notes: (input.notes as string | undefined) ?? null,
      assetReferenceType: defaultReferenceType(assetType),
      associatedId: (input.associatedId as string | undefined) ?? null,
      externalId: (input.externalId as string | undefined) ?? null,
      externalOwnerId: (input.externalOwnerId as string | undefined) ?? null,
      ownerId,
      classTypes: input.assetClassTypes as AssetClassType[],
      createdAt: ts,
      updatedAt: ts,
    })
  }

  /** PUT /assets/{id} after validation: only the fields sent change. */
  update(id: number, input: JsonObject): StoredAsset {
    const asset = this.get(id)
    if (input.ownerId !== undefined) this.#directory.requireUser(input.ownerId as number, 'ownerId')
    checkCustomFields(input.customFields)
    const ts = this.#now().toISOString()
    if (input.name !== undefined) asset.name = input.name as string
    if (input.description !== undefined) asset.description = input.description as string
    if (input.notes !== undefined) asset.notes = input.notes as string
    if (input.ownerId !== undefined) asset.ownerId = input.ownerId as number
    if (input.assetType !== undefined) {
      asset.assetType = input.assetType as AssetType
      if (asset.assetProvider === 'DRATA') {
        asset.assetReferenceType = defaultReferenceType(asset.assetType)
      }
    }
    if (input.assetClassTypes !== undefined) {
      asset.classTypes = this.#classTypes(input.assetClassTypes as AssetClassType[], ts, asset)
    }
    asset.updatedAt = ts
    return asset
  }

  /** DELETE /assets/{id}: only virtual or manually added assets can be removed. */
  remove(id: number): StoredAsset {
    const asset = this.get(id)
    if (asset.assetType !== 'VIRTUAL' && asset.assetProvider !== 'DRATA') {
      // "Remove a virtual or manually-added Asset": others come from a provider (agent, MDM, …).
      // That this is a 400 is an assumption.
      throw badRequest(
        `Asset ${id} is provided by ${asset.assetProvider}; only virtual or manually-added assets can be removed`,
      )
    }
    this.#assets.delete(id)
    return asset
  }

  get(id: number): StoredAsset {
    const asset = this.#assets.get(id)
    if (!asset) throw notFound(`Asset ${id} not found`)
    return asset
  }

  /** All assets sorted by id (the stored objects; use view() to hand them out). */
  list(): StoredAsset[] {
    return [...this.#assets.values()].sort((a, b) => a.id - b.id)
  }

  /** Sandbox.seedAsset: skips request validation except name and an existing ownerId. */
  seed(seed: AssetSeed): StoredAsset {
    if (typeof seed.name !== 'string' || seed.name === '') {
      throw new Error('seedAsset: name is required')
    }
    if (!this.#directory.hasUser(seed.ownerId)) {
      throw new Error(`seedAsset: ownerId ${String(seed.ownerId)} is not a sandbox user`)
    }
    const assetType = seed.assetType ?? 'PHYSICAL'
    const createdAt = (seed.createdAt ?? this.#now()).toISOString()
    return this.#insert({
      name: seed.name,
      description: seed.description ?? '',
      assetType,
      assetProvider: seed.assetProvider ?? 'DRATA',
      removedAt: seed.removedAt ?? null,
      notes: seed.notes ?? null,
      assetReferenceType: seed.assetReferenceType ?? defaultReferenceType(assetType),
      associatedId: seed.associatedId ?? null,
      externalId: seed.externalId ?? null,
      externalOwnerId: seed.externalOwnerId ?? null,
      ownerId: seed.ownerId,
      classTypes: seed.assetClassTypes ?? ['HARDWARE'],
      createdAt,
      updatedAt: (seed.updatedAt ?? new Date(createdAt)).toISOString(),
    })
  }

  /** AssetResponsePublicV2Dto of a stored asset with the requested expansions. */
  view(asset: StoredAsset, expand: ReadonlySet<Expand>): AssetDto {
    const dto: AssetDto = {
      id: asset.id,
      name: asset.name,
      description: asset.description,
      assetType: asset.assetType,
      assetProvider: asset.assetProvider,
      removedAt: asset.removedAt,
      notes: asset.notes,
      assetReferenceType: asset.assetReferenceType,
      associatedId: asset.associatedId,
      createdAt: asset.createdAt,
      updatedAt: asset.updatedAt,
      // Required by the DTO; a manually added asset has no device (the API's null, assumed).
      device: null,
      externalId: asset.externalId,
      externalOwnerId: asset.externalOwnerId,
    }
    if (expand.has('assetClassTypes')) dto.assetClassTypes = asset.classTypes.map((c) => ({ ...c }))
    if (expand.has('owner')) dto.owner = this.#directory.user(asset.ownerId)
    // No custom fields exist in the sandbox account, so the expansion is always empty.
    if (expand.has('customFields')) dto.customFields = []
    return dto
  }

  #insert(fields: Omit<StoredAsset, 'id' | 'classTypes'> & { classTypes: AssetClassType[] }) {
    const id = this.#nextId++
    const asset: StoredAsset = { ...fields, id, classTypes: [] }
    asset.classTypes = this.#classTypes(fields.classTypes, fields.createdAt, asset)
    this.#assets.set(id, asset)
    return asset
  }

  // Keeps the rows (id, createdAt) of class types the asset already has; new ones get new rows.
  #classTypes(types: AssetClassType[], ts: string, asset: StoredAsset): AssetClassTypeDto[] {
    return types.map((assetClassType) => {
      const kept = asset.classTypes.find((c) => c.assetClassType === assetClassType)
      if (kept) return kept
      return { id: this.#nextClassTypeId++, assetClassType, createdAt: ts, updatedAt: ts }
    })
  }
}

/** Every expansion the API offers, as Sandbox.assets() and state() show assets. */
export const FULL_ASSET_VIEW: ReadonlySet<Expand> = new Set(['assetClassTypes', 'owner'])

function defaultReferenceType(assetType: AssetType): string {
  // AssetReferenceTypeEnum has no "manual" value: virtual assets are VIRTUAL, a manual physical
  // asset is OTHER (assumption; Drata does not document which one it stores).
  return assetType === 'VIRTUAL' ? 'VIRTUAL' : 'OTHER'
}

function checkCustomFields(value: unknown): void {
  const fields = (value ?? []) as CustomFieldInput[]
  const [first] = fields
  // The sandbox account defines no custom fields, so any reference is to one that does not exist.
  if (first) throw notFound(`Custom field ${first.id ?? first.name} not found`)
}

export const ASSET_ROUTES: Route[] = [
  apiRoute('GET', '/assets', ASSET_PERMISSIONS.get, listAssets),
  apiRoute('POST', '/assets', ASSET_PERMISSIONS.post, createAsset),
  apiRoute('GET', '/assets/([^/]+)', ASSET_PERMISSIONS.get, getAsset),
  apiRoute('PUT', '/assets/([^/]+)', ASSET_PERMISSIONS.put, updateAsset),
  apiRoute('DELETE', '/assets/([^/]+)', ASSET_PERMISSIONS.delete, deleteAsset),
]

function listAssets(ctx: ApiContext, call: RouteCall): ApiReply {
  const { query } = call.req
  checkQueryNames(query, [
    ...PAGE_PARAMS,
    'expand[]',
    'assetClassType',
    'assetType',
    'assetProvider',
    'userId',
    'employmentStatus',
  ])
  const page = parsePageQuery(query)
  const expand = expandSet(query, EXPANDS)
  const classType = oneOf(query.get('assetClassType'), 'assetClassType', ASSET_CLASS_TYPES)
  if (classType !== null && !expand.has('assetClassTypes')) {
    // "only supported in conjunction with expand[]=assetClassTypes": rejected rather than
    // silently ignored (assumption).
    throw badRequest('assetClassType can only be used together with expand[]=assetClassTypes')
  }
  const assetType = oneOf(query.get('assetType'), 'assetType', ASSET_TYPES)
  const provider = oneOf(query.get('assetProvider'), 'assetProvider', ASSET_PROVIDERS)
  const rawUser = query.get('userId')
  const userId = rawUser === null ? null : positiveInt(rawUser, 'userId')
  if (userId !== null && userId > 1_000_000_000) {
    throw badRequest('userId must not be greater than 1000000000')
  }
  const status = oneOf(query.get('employmentStatus'), 'employmentStatus', EMPLOYMENT_STATUSES)

  const rows = ctx.assets
    .list()
    .filter(
      (a) =>
        (classType === null || a.classTypes.some((c) => c.assetClassType === classType)) &&
        (assetType === null || a.assetType === assetType) &&
        (provider === null || a.assetProvider === provider) &&
        (userId === null || a.ownerId === userId) &&
        (status === null || status === USERS_EMPLOYMENT_STATUS),
    )
  const { data, pagination } = paginate(rows, page, (a) => ({ value: a[page.sort], tie: a.id }))
  return { status: 200, body: { data: data.map((a) => ctx.assets.view(a, expand)), pagination } }
}

function createAsset(ctx: ApiContext, call: RouteCall): ApiReply {
  checkQueryNames(call.req.query, [])
  const input = checkFields(objectBody(call.req.body), CREATE_RULES)
  const asset = ctx.assets.create(input)
  const dto = ctx.assets.view(asset, new Set())
  assetEvent(ctx, call, 'MANUAL_ASSET_CREATED', `created the asset "${asset.name}"`, input, asset)
  return { status: 201, body: dto }
}

function getAsset(ctx: ApiContext, call: RouteCall): ApiReply {
  const { query } = call.req
  checkQueryNames(query, ['expand[]'])
  const expand = expandSet(query, EXPANDS)
  const asset = ctx.assets.get(positiveInt(call.params[0] ?? '', 'assetId'))
  return { status: 200, body: ctx.assets.view(asset, expand) }
}

function updateAsset(ctx: ApiContext, call: RouteCall): ApiReply {
  checkQueryNames(call.req.query, [])
  const id = positiveInt(call.params[0] ?? '', 'assetId')
  const input = checkFields(objectBody(call.req.body), MODIFY_RULES)
  const asset = ctx.assets.update(id, input)
  const dto = ctx.assets.view(asset, new Set())
  // The spec also lists ASSET_OWNER_UPDATED and ASSET_NOTES_UPDATED; one event per request is
  // written, and MANUAL_ASSET_UPDATED covers any change.
  assetEvent(ctx, call, 'MANUAL_ASSET_UPDATED', `updated the asset "${asset.name}"`, input, asset)
  // The spec allows 200 or 204; Drata answers with the updated asset (assumption: 200).
  return { status: 200, body: dto }
}

function deleteAsset(ctx: ApiContext, call: RouteCall): ApiReply {
  checkQueryNames(call.req.query, [])
  const asset = ctx.assets.remove(positiveInt(call.params[0] ?? '', 'assetId'))
  assetEvent(ctx, call, 'MANUAL_ASSET_DELETED', `removed the asset "${asset.name}"`, null, asset)
  return { status: 204 }
}

function objectBody(body: unknown): JsonObject {
  if (!isJsonObject(body)) throw badRequest('Request body must be a JSON object')
  return body
}

// Category ASSET with MANUAL_ASSET_CREATED/UPDATED/DELETED: the EventTypeEnum values for assets
// added by hand, which is what an API-created asset is (its provider is DRATA).
function assetEvent(
  ctx: { events: EventLog; directory: Directory; assets: AssetStore },
  call: RouteCall,
  type: string,
  what: string,
  dto: JsonObject | null,
  asset: StoredAsset,
): void {
  ctx.events.write({
    type,
    category: 'ASSET',
    description: `${ctx.directory.displayName(call.actor)} ${what} via the Public API`,
    userId: call.actor,
    connectionId: null,
    metadata: {
      dto,
      targetEntity: { ...ctx.assets.view(asset, FULL_ASSET_VIEW) },
      request: { method: call.req.method, path: call.req.path },
    },
  })
}
