import { AssetsApi } from './assets.js'
import { type ClientOptions, DrataClient } from './client.js'
import { ConnectionsApi } from './connections.js'
import { EventsApi } from './events.js'
import { Pacer } from './pacer.js'
import { RecordsApi, type ResourceRef } from './custom-data.js'
import { DEFAULT_RETRY_WAIT_MS } from './retry.js'
import { VendorsApi } from './vendors.js'

/**
 * The retry waits the cleanup client may spend, its own so that a run which used up
 * 'retry-wait' can still cancel its session; the post step gets the same.
 */
export const CLEANUP_RETRY_WAIT_MS = 60_000

export interface DrataApis {
  /** Records endpoints whose requests the job's cancellation aborts (when a resource is set). */
  api: RecordsApi | undefined
  /** The same on a client that is never aborted, for the final cancel. */
  cleanupApi: RecordsApi | undefined
  /** The records endpoints of a resource resolved later (by name): the two above, for `ref`. */
  forResource(ref: ResourceRef): { api: RecordsApi; cleanupApi: RecordsApi }
  connections: ConnectionsApi
  assets: AssetsApi
  vendors: VendorsApi
  events: EventsApi
  client: DrataClient
  close(): Promise<void>
}

export interface ApiConfig extends Omit<ClientOptions, 'pacer' | 'random'> {
  ref: ResourceRef | undefined
  /** Pacing of every request of both clients together; 0 turns it off; default 450. */
  requestsPerMinute?: number
}

/** Builds every Drata API over one pacer, with a second, never-aborted client for cleanup. */
export function buildApi(config: ApiConfig): DrataApis {
  // The pacer's waits take each client's own signal, so the cleanup client is never cut short.
  // One pacer for every API and both clients: Drata's limit is per source IP, not per client.
  const pacer = new Pacer({
    sleep: config.sleep,
    now: config.now,
    perMinute: config.requestsPerMinute,
  })
  const client = new DrataClient({ ...config, pacer })
  // Cleanup must finish before the runner kills the job: few retries.
  const cleanup = new DrataClient({
    ...config,
    pacer,
    signal: undefined,
    maxRetries: Math.min(config.maxRetries, 2),
    retryWaitMs: Math.min(config.retryWaitMs ?? DEFAULT_RETRY_WAIT_MS, CLEANUP_RETRY_WAIT_MS),
  })
  return {
    api: config.ref && new RecordsApi(client, config.ref),
    cleanupApi: config.ref && new RecordsApi(cleanup, config.ref),
    forResource: (ref) => ({
      api: new RecordsApi(client, ref),
      cleanupApi: new RecordsApi(cleanup, ref),
    }),
    connections: new ConnectionsApi(client),
    assets: new AssetsApi(client),
    vendors: new VendorsApi(client),
    events: new EventsApi(client),
    client,
    close: async () => {
      await Promise.all([client.close(), cleanup.close()])
    },
  }
}
