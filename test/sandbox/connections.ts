// GET /custom-connections and GET /custom-connections/{connectionId}: the account's Custom
// Connections with their resources, by which the action resolves 'connection' and 'resource'
// names (a connection's name is its clientAlias, a resource's its name).
import { PERMISSIONS } from './auth.ts'
import { ACCOUNT_CREATED_AT, type Directory } from './directory.ts'
import { notFound } from './errors.ts'
import { checkQueryNames, PAGE_PARAMS, paginate, parsePageQuery } from './pagination.ts'
import { type ApiContext, apiRoute, expandSet, positiveInt, type Route } from './router.ts'
import type { ResourceConfig, UserCompactDto } from './types.ts'

const EXPAND = ['createdByUser', 'customResources'] as const

/**
 * Named connections for demos (`node test/sandbox/cli.ts`, `npm run drata -- connections`,
 * `npm run local-action`): connection 1 'GitHub evidence' with resources 1 'Builds' and
 * 2 'Releases', connection 2 'Nightly posture' with resource 3 'Repository'.
 */
export const DEMO_RESOURCES: ResourceConfig[] = [
  { connectionId: 1, resourceId: 1, connectionAlias: 'GitHub evidence', resourceName: 'Builds' },
  { connectionId: 1, resourceId: 2, resourceName: 'Releases' },
  {
    connectionId: 2,
    resourceId: 3,
    connectionAlias: 'Nightly posture',
    resourceName: 'Repository',
  },
]

/** CustomConnectionResourceResponsePublicV2Dto. */
export interface CustomResourceDto {
  id: number
  name: string
  description: string | null
  schema: object
  createdAt: string
  updatedAt: string
  deletedAt: string | null
}

/** CustomConnectionResponsePublicV2Dto (expansions present only when asked for). */
export interface CustomConnectionDto {
  id: number
  clientAlias: string | null
  description: string | null
  providerTypes: string[]
  createdAt: string
  updatedAt: string
  createdById: number | null
  customResources?: CustomResourceDto[]
  createdByUser?: UserCompactDto
}

/** A connection as the sandbox holds it: the DTO without expansions, and its resources. */
export interface SandboxConnection {
  dto: CustomConnectionDto
  resources: CustomResourceDto[]
}

/**
 * The connections the resource configs describe, in id order. A connection's alias defaults to
 * `Connection <id>`, a resource's name to `Resource <id>`; two configs of one connection must
 * not disagree about its alias.
 */
export function buildConnections(
  configs: ResourceConfig[],
  createdById: number | null,
): SandboxConnection[] {
  const byId = new Map<number, SandboxConnection>()
  for (const config of configs) {
    const alias =
      config.connectionAlias === undefined
        ? `Connection ${config.connectionId}`
        : config.connectionAlias
    let connection = byId.get(config.connectionId)
    if (!connection) {
      connection = {
        dto: {
          id: config.connectionId,
          clientAlias: alias,
          description: null,
          providerTypes: ['CUSTOM'],
          createdAt: ACCOUNT_CREATED_AT,
          updatedAt: ACCOUNT_CREATED_AT,
          createdById,
        },
        resources: [],
      }
      byId.set(config.connectionId, connection)
    } else if (config.connectionAlias !== undefined && connection.dto.clientAlias !== alias) {
      throw new Error(
        `resources: connection ${config.connectionId} is given two aliases ('${connection.dto.clientAlias}' and '${alias}')`,
      )
    }
    if (connection.resources.some((r) => r.id === config.resourceId)) {
      throw new Error(
        `resources: resource ${config.resourceId} of connection ${config.connectionId} is listed twice`,
      )
    }
    connection.resources.push({
      id: config.resourceId,
      name: config.resourceName ?? `Resource ${config.resourceId}`,
      description: null,
      schema: config.schema ?? { type: 'object' },
      createdAt: ACCOUNT_CREATED_AT,
      updatedAt: ACCOUNT_CREATED_AT,
      deletedAt: config.deletedAt ?? null,
    })
  }
  return [...byId.values()].sort((a, b) => a.dto.id - b.dto.id)
}

/** The Custom Connections routes (read only). */
export const CONNECTION_ROUTES: Route[] = [
  apiRoute(
    'GET',
    '/custom-connections',
    PERMISSIONS.get,
    (ctx, call) => {
      const { query } = call.req
      checkQueryNames(query, [...PAGE_PARAMS, 'expand[]'])
      const page = parsePageQuery(query)
      const expand = expandSet(query, EXPAND)
      const { data, pagination } = paginate(ctx.connections, page, (c) => ({
        value: c.dto[page.sort],
        tie: c.dto.id,
      }))
      return { status: 200, body: { data: data.map((c) => view(ctx, c, expand)), pagination } }
    },
    { entitlement: true },
  ),
  apiRoute(
    'GET',
    '/custom-connections/([^/]+)',
    PERMISSIONS.get,
    (ctx, call) => {
      const id = positiveInt(call.params[0] ?? '', 'connectionId')
      checkQueryNames(call.req.query, ['expand[]'])
      const expand = expandSet(call.req.query, EXPAND)
      const connection = ctx.connections.find((c) => c.dto.id === id)
      if (!connection) throw notFound(`Custom connection ${id} not found`)
      return { status: 200, body: view(ctx, connection, expand) }
    },
    { entitlement: true },
  ),
]

function view(
  ctx: { directory: Directory },
  connection: SandboxConnection,
  expand: Set<(typeof EXPAND)[number]>,
): CustomConnectionDto {
  const dto: CustomConnectionDto = { ...connection.dto }
  if (expand.has('customResources')) dto.customResources = structuredClone(connection.resources)
  if (expand.has('createdByUser') && dto.createdById !== null) {
    dto.createdByUser = ctx.directory.compactUser(dto.createdById)
  }
  return dto
}

export type { ApiContext }
