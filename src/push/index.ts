import type { RecordSet } from '../evidence/record-set.js'
import { pushAppend } from './append.js'
import type { PushDeps, PushOptions } from './options.js'
import type { PushOutcome } from './outcome.js'
import { pushReplace } from './replace.js'

export type { PushDeps, PushOptions } from './options.js'

/**
 * Pushes the records by the configured mode, or plans it in a dry run (the same steps with
 * every write left out). Never throws for Drata errors: they land in the outcome.
 */
export function push(
  options: PushOptions,
  deps: PushDeps,
  records: RecordSet,
): Promise<PushOutcome> {
  return options.mode === 'append'
    ? pushAppend(options, deps, records)
    : pushReplace(options, deps, records)
}
