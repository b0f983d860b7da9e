import type { Logger } from '../runtime.js'
import { loadGithubClient } from '../github/load.js'
import type { CollectorName, Settings } from '../settings.js'
import { collectArtifacts } from './artifacts.js'
import type { Collector } from './collector.js'
import { collectCommit } from './commit.js'
import { collectDeployment } from './deployment.js'
import { recordFileSources } from './record-files.js'
import { collectPullRequests } from './pull-request.js'
import { assembleRecords, type RecordSource } from './assemble.js'
import type { RecordSet } from './record-set.js'
import { collectRelease } from './release.js'
import { collectRepository } from './repository.js'
import { collectWorkflowRun } from './workflow-run.js'

/** The built-in collectors by input name. */
export const COLLECTOR_REGISTRY: Record<CollectorName, Collector> = {
  commit: collectCommit,
  'workflow-run': collectWorkflowRun,
  'pull-request': collectPullRequests,
  release: collectRelease,
  deployment: collectDeployment,
  repository: collectRepository,
  artifacts: collectArtifacts,
}

/** What `collect: auto` runs for each triggering event. */
export const AUTO_BY_EVENT: Record<string, CollectorName[]> = {
  push: ['commit', 'workflow-run', 'pull-request'],
  pull_request: ['workflow-run', 'pull-request'],
  pull_request_target: ['workflow-run', 'pull-request'],
  release: ['release', 'workflow-run'],
  deployment: ['deployment', 'workflow-run'],
  deployment_status: ['deployment', 'workflow-run'],
  schedule: ['repository', 'workflow-run'],
  workflow_dispatch: ['repository', 'workflow-run'],
}
/** `auto` for any other event: what this run built. */
export const AUTO_DEFAULT: CollectorName[] = ['commit', 'workflow-run']

/** How one collector went, for the summary. */
export interface CollectorRun {
  name: CollectorName
  /** Why it ran: chosen by `auto` for the event, listed in `collect`, or `artifacts` set. */
  reason: string
  records: number
  /** Set when it failed and `collector-errors: warn` let the run go on. */
  warning?: string
}

export interface Evidence {
  records: RecordSet
  collectors: CollectorRun[]
}

/** Which collectors run and why. */
export function chooseCollectors(
  settings: Settings,
  eventName: string,
): Array<Pick<CollectorRun, 'name' | 'reason'>> {
  const chosen = new Map<CollectorName, string>()
  if (settings.collectAuto) {
    const auto = AUTO_BY_EVENT[eventName]
    for (const name of auto ?? AUTO_DEFAULT) {
      chosen.set(
        name,
        auto ? `auto for a ${eventName} event` : `auto (default for a ${eventName || 'local'} run)`,
      )
    }
  }
  for (const name of settings.collect)
    if (!chosen.has(name)) chosen.set(name, "listed in 'collect'")
  if (settings.artifacts.length > 0 && !chosen.has('artifacts'))
    chosen.set('artifacts', "'artifacts' is set")
  return [...chosen].map(([name, reason]) => ({ name, reason }))
}

/**
 * Gathers all records (inline, files, collectors) and checks them and their ids; sends nothing
 * to Drata. Records of JSON and NDJSON files are checked as they stream and read again to send.
 */
export async function gatherEvidence(
  settings: Settings,
  now: Date,
  logger: Logger,
): Promise<Evidence> {
  const sources: RecordSource[] = []
  if (settings.inlineRecords.length > 0) {
    const records = settings.inlineRecords.map((record) => ({ record }))
    sources.push({ source: 'inline', records, idField: settings.idField })
  }
  sources.push(
    ...(await recordFileSources(settings.recordsFiles, settings.workspace, settings.idField)),
  )
  const collectors: CollectorRun[] = []
  const { run } = settings
  const chosen = chooseCollectors(settings, run.eventName)
  if (chosen.length > 0) {
    const github = settings.githubToken
      ? await loadGithubClient(settings.githubToken, settings.githubApiUrl, logger)
      : undefined
    const input = { run, now, github, workspace: settings.workspace, artifacts: settings.artifacts }
    for (const { name, reason } of chosen) {
      try {
        const records = await COLLECTOR_REGISTRY[name](input)
        sources.push({
          source: `collector:${name}`,
          records: records.map((record) => ({ record })),
          idField: 'id',
        })
        collectors.push({ name, reason, records: records.length })
        logger.info(`Collector '${name}' (${reason}): ${records.length} records`)
      } catch (error) {
        const message = `Collector '${name}' ${(error as Error).message}`
        if (settings.collectorErrors !== 'warn') throw new Error(message, { cause: error })
        logger.warning(`${message}; going on without it ('collector-errors: warn')`)
        collectors.push({ name, reason, records: 0, warning: message })
      }
    }
  }
  return { records: await assembleRecords(sources), collectors }
}
