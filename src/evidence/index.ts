import type { CollectorName, Settings } from '../settings.js'
import type { Collector } from './collector.js'
import { collectCommit } from './commit.js'
import { readRunContext } from './context.js'
import { readRecordFiles } from './files.js'
import { assembleRecords, type EvidenceRecord, type SourcedRecords } from './records.js'
import { collectWorkflowRun } from './workflow-run.js'

/** The built-in collectors by input name. */
export const COLLECTOR_REGISTRY: Record<CollectorName, Collector> = {
  commit: collectCommit,
  'workflow-run': collectWorkflowRun,
}

/** Gathers all records (inline, files, collectors) and checks their ids; sends nothing. */
export async function gatherEvidence(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  now: Date,
): Promise<EvidenceRecord[]> {
  const sources: SourcedRecords[] = []
  if (settings.inlineRecords.length > 0)
    sources.push({ source: 'inline', records: settings.inlineRecords, idField: settings.idField })
  for (const { file, records } of await readRecordFiles(
    settings.recordsFiles,
    settings.workspace,
  )) {
    sources.push({ source: file, records, idField: settings.idField })
  }
  if (settings.collect.length > 0) {
    const run = readRunContext(env)
    for (const name of settings.collect) {
      sources.push({
        source: `collector:${name}`,
        records: await COLLECTOR_REGISTRY[name]({ run, now }),
        idField: 'id',
      })
    }
  }
  return assembleRecords(sources)
}
