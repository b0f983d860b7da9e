// What a GitHub-hosted runner puts in a step's environment for each fixture event.
import { fileURLToPath } from 'node:url'
import { type EventName, WORKFLOW_PATH } from './payloads.ts'
import { FULL_NAME, IDS, OWNER, SHA } from './state.ts'

export { EVENT_NAMES, type EventName, eventPayload } from './payloads.ts'

/** Absolute path of test/fixtures/events/<name>.json. */
export function eventPath(name: EventName): string {
  return fileURLToPath(new URL(`../fixtures/events/${name}.json`, import.meta.url))
}

interface RunFacts {
  sha: string
  ref: string
  refName: string
  refType: 'branch' | 'tag'
  refProtected: boolean
  headRef: string
  baseRef: string
  actor: string
  actorId: number
  runId: number
  runNumber: number
}

const ACTIONS_BOT = { login: 'github-actions[bot]', id: 41898282 }

const onMain = {
  sha: SHA.main,
  ref: 'refs/heads/main',
  refName: 'main',
  refType: 'branch',
  refProtected: true,
  headRef: '',
  baseRef: '',
} as const

const RUNS: Record<EventName, RunFacts> = {
  // The run that deployed to production after hubot's approval (approvals of run 9001).
  push: { ...onMain, actor: 'hubot', actorId: IDS.hubot, runId: IDS.deployRun, runNumber: 214 },
  pull_request: {
    // GitHub runs pull_request workflows on its test merge of the head into the base.
    sha: SHA.pr18Merge,
    ref: 'refs/pull/18/merge',
    refName: '18/merge',
    refType: 'branch',
    refProtected: false,
    headRef: 'fix/cart-rounding',
    baseRef: 'main',
    actor: 'mona',
    actorId: IDS.mona,
    runId: 9002,
    runNumber: 215,
  },
  release: {
    sha: SHA.main,
    ref: 'refs/tags/v1.4.0',
    refName: 'v1.4.0',
    refType: 'tag',
    refProtected: false,
    headRef: '',
    baseRef: '',
    actor: 'hubot',
    actorId: IDS.hubot,
    runId: 9003,
    runNumber: 216,
  },
  deployment: {
    ...onMain,
    actor: ACTIONS_BOT.login,
    actorId: ACTIONS_BOT.id,
    runId: 9004,
    runNumber: 217,
  },
  deployment_status: {
    ...onMain,
    actor: ACTIONS_BOT.login,
    actorId: ACTIONS_BOT.id,
    runId: 9005,
    runNumber: 218,
  },
  schedule: { ...onMain, actor: 'mona', actorId: IDS.mona, runId: 9006, runNumber: 219 },
  workflow_dispatch: { ...onMain, actor: 'mona', actorId: IDS.mona, runId: 9007, runNumber: 220 },
}

/**
 * The GITHUB_* variables (and CI) a runner sets for a workflow run triggered by `name`,
 * GITHUB_EVENT_PATH pointing at the fixture. Pass the fake's URL as `apiUrl` to aim the
 * action at it.
 */
export function eventEnv(
  name: EventName,
  apiUrl = 'https://api.github.com',
): Record<string, string> {
  const run = RUNS[name]
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: name,
    GITHUB_EVENT_PATH: eventPath(name),
    GITHUB_SHA: run.sha,
    GITHUB_REF: run.ref,
    GITHUB_REF_NAME: run.refName,
    GITHUB_REF_TYPE: run.refType,
    GITHUB_REF_PROTECTED: String(run.refProtected),
    GITHUB_HEAD_REF: run.headRef,
    GITHUB_BASE_REF: run.baseRef,
    GITHUB_REPOSITORY: FULL_NAME,
    GITHUB_REPOSITORY_ID: String(IDS.repo),
    GITHUB_REPOSITORY_OWNER: OWNER,
    GITHUB_REPOSITORY_OWNER_ID: String(IDS.org),
    GITHUB_ACTOR: run.actor,
    GITHUB_ACTOR_ID: String(run.actorId),
    GITHUB_TRIGGERING_ACTOR: run.actor,
    GITHUB_WORKFLOW: 'Evidence',
    GITHUB_WORKFLOW_REF: `${FULL_NAME}/${WORKFLOW_PATH}@${run.ref}`,
    GITHUB_WORKFLOW_SHA: run.sha,
    GITHUB_RUN_ID: String(run.runId),
    GITHUB_RUN_NUMBER: String(run.runNumber),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'evidence',
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: apiUrl,
    GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
  }
}
