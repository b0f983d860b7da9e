import type { DrataClient } from './client.js'
import type { Operation } from './errors.js'
import { pages } from './pages.js'

/** The fields of a Custom Connection resource this action reads. */
export interface DrataResource {
  id: number
  name: string
  /** Set when the resource was soft-deleted; such a resource is never chosen. */
  deletedAt?: string | null
}

/** The fields of a Custom Connection this action reads (with `expand[]=customResources`). */
export interface DrataConnection {
  id: number
  /** The connection's name in Drata. */
  clientAlias: string | null
  customResources?: DrataResource[]
}

/** The permission listing connections needs, as Drata's key editor shows it. */
export const LIST_PERMISSION = 'custom-connections-get'

const LIST_OP: Operation = {
  what: "list the Custom Connections to resolve 'connection' and 'resource' names",
  area: 'connections',
  permission: LIST_PERMISSION,
}

/** Drata's Custom Connections endpoints (read only). */
export class ConnectionsApi {
  constructor(private readonly client: DrataClient) {}

  /** Every Custom Connection of the account with its resources, all pages. */
  async list(): Promise<DrataConnection[]> {
    const all: DrataConnection[] = []
    for await (const page of pages<DrataConnection>(
      this.client,
      '/custom-connections',
      { 'expand[]': ['customResources'] },
      LIST_OP,
    )) {
      all.push(...page)
    }
    return all
  }
}
