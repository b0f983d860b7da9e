import { type ClientOptions, DrataClient } from './client.js'
import { Pacer } from './pacer.js'
import { RecordsApi, type ResourceRef } from './records.js'

export interface ApiParts {
  /** Endpoints whose requests the job's cancellation aborts. */
  api: RecordsApi
  /** Endpoints on a client that is never aborted, for the final cancel. */
  cleanupApi: RecordsApi
  client: DrataClient
  close(): Promise<void>
}

export interface ApiConfig extends Omit<ClientOptions, 'pacer' | 'now' | 'random'> {
  ref: ResourceRef
}

/** Builds the records API twice over one pacer: one abortable, one for cleanup after an abort. */
export function buildApi(config: ApiConfig): ApiParts {
  // The pacer's waits take each client's own signal, so the cleanup client is never cut short.
  const pacer = new Pacer({ sleep: config.sleep })
  const client = new DrataClient({ ...config, pacer })
  // Cleanup must finish before the runner kills the job: few retries.
  const cleanup = new DrataClient({
    ...config,
    pacer,
    signal: undefined,
    maxRetries: Math.min(config.maxRetries, 2),
  })
  return {
    api: new RecordsApi(client, config.ref),
    cleanupApi: new RecordsApi(cleanup, config.ref),
    client,
    close: async () => {
      await Promise.all([client.close(), cleanup.close()])
    },
  }
}
