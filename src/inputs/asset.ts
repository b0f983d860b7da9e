import type { RunContext } from '../evidence/context.js'
import { isPlainObject } from '../evidence/parse.js'
import { ASSET_CLASS_TYPES, type AssetClassType } from '../drata/assets.js'
import { INPUT } from './names.js'
import type { Parser } from './parser.js'

export const ASSET_ACTIONS = ['none', 'upsert', 'remove'] as const
export const ASSET_TYPES = ['PHYSICAL', 'VIRTUAL'] as const

/** Drata's limit for asset name, description and notes. */
export const ASSET_TEXT_MAX = 191

/** The asset kept in step with this deployment. */
export interface AssetSettings {
  /** Create or update the asset, or delete it (environment teardown). */
  action: 'upsert' | 'remove'
  /** The deployment environment, or empty when the run is not a deployment. */
  environment: string
  name: string
  description: string
  notes: string
  assetType: (typeof ASSET_TYPES)[number]
  classTypes: AssetClassType[]
  /** Drata user who owns the asset; Drata requires one to create it. */
  ownerId: number | undefined
  /** The key the asset is found again by, run after run. */
  externalId: string
  externalOwnerId: string
}

/** Reads the asset inputs; undefined when `asset` is `none`. Defaults come from the run. */
export function readAssetSettings(p: Parser, run: () => RunContext): AssetSettings | undefined {
  const action = p.oneOf(INPUT.asset, ASSET_ACTIONS, 'none')
  if (action === 'none') return undefined
  const ctx = run()
  const deployment = isPlainObject(ctx.event.deployment) ? ctx.event.deployment : undefined
  const environment =
    p.read(INPUT.environment) ||
    (typeof deployment?.environment === 'string' ? deployment.environment : '')
  const refName = ctx.ref.replace(/^refs\/(heads|tags)\//, '')
  const where = environment || refName
  const slug = `${ctx.owner}/${ctx.repo}`
  const runUrl = `${ctx.serverUrl}/${slug}/actions/runs/${ctx.runId}`
  // Deleting is unrecoverable: remove only an asset named outright, never one guessed from the
  // ref (on a branch deletion GITHUB_REF is the default branch).
  if (
    action === 'remove' &&
    !p.read(INPUT.environment) &&
    !deployment &&
    !p.read(INPUT.assetExternalId)
  ) {
    p.problems.push(
      `'${INPUT.asset}: remove' needs '${INPUT.environment}' or '${INPUT.assetExternalId}' to say which asset to delete`,
    )
  }
  const externalId = p.read(INPUT.assetExternalId) || `github:${slug}:${where}`
  if (externalId.length > ASSET_TEXT_MAX) {
    p.problems.push(
      `'${INPUT.assetExternalId}' must be at most ${ASSET_TEXT_MAX} characters (got ${externalId.length})`,
    )
  }
  const ownerId = p.positiveInt(
    INPUT.assetOwnerId,
    action === 'upsert'
      ? 'Drata requires an owner for an asset: the id of a Drata user'
      : undefined,
  )
  return {
    action,
    environment,
    name: p.text(INPUT.assetName, `${ctx.repo} (${where})`, ASSET_TEXT_MAX),
    description: p.text(
      INPUT.assetDescription,
      `Deployed from ${slug}@${ctx.sha.slice(0, 7)} by ${ctx.workflow} run ${ctx.runId}`,
      ASSET_TEXT_MAX,
    ),
    notes: p.text(INPUT.assetNotes, runUrl, ASSET_TEXT_MAX),
    assetType: p.oneOf(INPUT.assetType, ASSET_TYPES, 'VIRTUAL', (s) => s.toUpperCase()),
    classTypes: p.list(INPUT.assetClassTypes, ASSET_CLASS_TYPES, ['SOFTWARE']),
    ownerId,
    externalId,
    externalOwnerId: p.read(INPUT.assetExternalOwnerId) || `github:${slug}`,
  }
}
