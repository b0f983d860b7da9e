import type { ConnectionsApi, DrataConnection, DrataResource } from './drata/connections.js'
import type { ResourceRef } from './drata/custom-data.js'
import { INPUT } from './inputs/names.js'
import { InputError } from './inputs/parser.js'

/**
 * Where records go, from the inputs: ids as given, names resolved against Drata's listing of
 * the account's connections. Errors name the input, so they live here and not in drata/.
 */

/** What the inputs say about the target: an id or a name for each of the two. */
export interface TargetQuery {
  connectionId?: number
  connectionName?: string
  resourceId?: number
  resourceName?: string
}

/** The resolved target: the ids records go to, and the names Drata gives them. */
export interface Target extends ResourceRef {
  connectionName: string | null
  resourceName: string | null
}

/** At most this many names are listed in an error; the count is always given. */
const MAX_NAMES = 30

/** Whether the inputs name the connection or the resource (so a listing is needed). */
export function needsLookup(query: TargetQuery): boolean {
  return query.connectionName !== undefined || query.resourceName !== undefined
}

/**
 * Resolves the target from one listing of the account's connections. An unknown or ambiguous
 * name, or an id that does not fit, is an InputError that lists the names that exist.
 */
export async function resolveTarget(api: ConnectionsApi, query: TargetQuery): Promise<Target> {
  return pickTarget(await api.list(), query)
}

/** Picks the connection and resource the query names out of a listing. */
export function pickTarget(connections: readonly DrataConnection[], query: TargetQuery): Target {
  const connection = pickConnection(connections, query)
  const live = (connection.customResources ?? []).filter((r) => !r.deletedAt)
  const resource = pickResource(connection, live, query)
  return {
    connectionId: connection.id,
    resourceId: resource.id,
    connectionName: connection.clientAlias,
    resourceName: resource.name,
  }
}

function pickConnection(
  connections: readonly DrataConnection[],
  query: TargetQuery,
): DrataConnection {
  const known = `Custom Connections of this account: ${listNames(connections.map(connectionLabel))}`
  if (query.connectionName === undefined) {
    const found = connections.find((c) => c.id === query.connectionId)
    if (found) return found
    throw new InputError([
      `'${INPUT.connectionId}' ${query.connectionId} is not a Custom Connection of this account. ${known}.`,
    ])
  }
  const name = query.connectionName
  const matches = connections.filter((c) => (c.clientAlias ?? '').trim() === name)
  if (matches.length === 1 && matches[0]) return matches[0]
  if (matches.length > 1) {
    throw new InputError([
      `'${INPUT.connection}' '${name}' is ambiguous: ${matches.length} Custom Connections have that name (ids ${matches.map((c) => c.id).join(', ')}). Give '${INPUT.connectionId}' instead.`,
    ])
  }
  throw new InputError([
    `'${INPUT.connection}' '${name}' is not the name of a Custom Connection of this account${suggest(
      name,
      connections.map((c) => c.clientAlias ?? ''),
    )}. ${known}.`,
  ])
}

function pickResource(
  connection: DrataConnection,
  live: readonly DrataResource[],
  query: TargetQuery,
): DrataResource {
  const where = `connection ${connectionLabel(connection)}`
  const known = `Resources of ${where}: ${listNames(live.map((r) => `'${r.name}' (id ${r.id})`))}`
  if (query.resourceName === undefined) {
    const found = live.find((r) => r.id === query.resourceId)
    if (found) return found
    throw new InputError([
      `'${INPUT.resourceId}' ${query.resourceId} is not a resource of ${where}. ${known}.`,
    ])
  }
  const name = query.resourceName
  const matches = live.filter((r) => r.name.trim() === name)
  if (matches.length === 1 && matches[0]) return matches[0]
  if (matches.length > 1) {
    throw new InputError([
      `'${INPUT.resource}' '${name}' is ambiguous: ${matches.length} resources of ${where} have that name (ids ${matches.map((r) => r.id).join(', ')}). Give '${INPUT.resourceId}' instead.`,
    ])
  }
  throw new InputError([
    `'${INPUT.resource}' '${name}' is not the name of a resource of ${where}${suggest(
      name,
      live.map((r) => r.name),
    )}. ${known}.`,
  ])
}

function connectionLabel(c: DrataConnection): string {
  return c.clientAlias === null ? `(no name, id ${c.id})` : `'${c.clientAlias}' (id ${c.id})`
}

function listNames(labels: readonly string[]): string {
  if (labels.length === 0) return 'none'
  const shown = labels.slice(0, MAX_NAMES).join(', ')
  return labels.length > MAX_NAMES ? `${shown} and ${labels.length - MAX_NAMES} more` : shown
}

// Names are matched exactly; one that differs only in case is offered, never taken.
function suggest(name: string, names: readonly string[]): string {
  const close = names.find((n) => n.trim().toLowerCase() === name.toLowerCase())
  return close === undefined ? '' : ` (did you mean '${close.trim()}'? names are matched exactly)`
}
