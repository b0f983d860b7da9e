import { readFileSync } from 'node:fs'
import { isPlainObject, type JsonRecord } from './parse.js'

/** What the runner tells a step about its run, read once from the environment. */
export interface RunContext {
  owner: string
  repo: string
  serverUrl: string
  sha: string
  ref: string
  eventName: string
  workflow: string
  job: string
  runId: string
  runAttempt: string
  runNumber: string
  actor: string
  triggeringActor: string
  runnerOs: string
  runnerArch: string
  /** The webhook payload that triggered the run (GITHUB_EVENT_PATH), or {} when absent. */
  event: JsonRecord
}

/** Reads the run context from the runner's environment variables and event file. */
export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/')
  return {
    owner,
    repo,
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT || '1',
    runNumber: env.GITHUB_RUN_NUMBER ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    triggeringActor: env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR || '',
    runnerOs: env.RUNNER_OS ?? '',
    runnerArch: env.RUNNER_ARCH ?? '',
    event: readEvent(env.GITHUB_EVENT_PATH),
  }
}

function readEvent(file: string | undefined): JsonRecord {
  if (!file) return {}
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new Error(
      `Cannot read the event payload GITHUB_EVENT_PATH=${file}: ${(error as Error).message}`,
      { cause: error },
    )
  }
  const value: unknown = JSON.parse(text)
  return isPlainObject(value) ? value : {}
}
