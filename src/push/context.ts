import type { ClientStats, Logger } from '../drata/client.js'
import type { RecordsApi } from '../drata/records.js'
import type { Settings } from '../settings.js'
import type { SessionDeps } from './session.js'

/** Everything a push needs, passed in so tests can supply their own parts. */
export interface PushContext {
  settings: Settings
  /** Endpoints for the resource; undefined only in an offline dry run. */
  api: RecordsApi | undefined
  /** The same endpoints on a client the job's cancellation does not abort: for the final cancel. */
  cleanupApi: RecordsApi | undefined
  stats: ClientStats
  logger: Logger
  session: SessionDeps
}
