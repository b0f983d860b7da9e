import type { RunContext } from './context.js'
import type { JsonRecord } from './parse.js'

/** Version of the record shape that built-in collectors write; bump when a field changes meaning. */
export const SCHEMA_VERSION = 1

/** What every collector receives. */
export interface CollectorInput {
  run: RunContext
  /** When this collection started; every record carries it as `collectedAt`. */
  now: Date
}

/** A built-in collector: one record per subject, each with a stable `id`. */
export type Collector = (input: CollectorInput) => JsonRecord[] | Promise<JsonRecord[]>

/** Adds the fields every collector record carries, so a Drata custom test can rely on them. */
export function stamp(
  collector: string,
  input: CollectorInput,
  record: JsonRecord & { id: string },
): JsonRecord {
  return {
    ...record,
    collector,
    schemaVersion: SCHEMA_VERSION,
    collectedAt: input.now.toISOString(),
  }
}

/** `<owner>/<repo>`, or throws when the runner did not say which repository this is. */
export function repoSlug(run: RunContext): string {
  if (!run.owner || !run.repo)
    throw new Error(
      'GITHUB_REPOSITORY is not set; built-in collectors need it (set collect: none outside GitHub Actions)',
    )
  return `${run.owner}/${run.repo}`
}
