import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { parseRecords } from '../evidence/parse.js'
import { readAssetSettings } from './asset.js'
import { readRunContext, type RunContext } from '../evidence/context.js'
import { INPUT } from './names.js'
import { envInputReader } from './parser.js'
import { proxyPasswords } from '../secrets.js'
import { MAX_BATCH_RECORDS } from '../push/batches.js'
import { readVendorReviewSettings } from './vendor-review.js'
import { InputError, type InputReader, Parser, splitList } from './parser.js'
import {
  COLLECTOR_ERRORS,
  COLLECTORS,
  type CollectorName,
  MODES,
  type Mode,
  REGIONS,
  type Region,
  type Settings,
} from '../settings.js'

/**
 * Uploads in flight. Measured with 200 ms per upload and the default pacing, 62 requests took
 * 14.1 s at 1, 7.4 s at 2, 5.1 s at 4 and 8 (the pacer's floor is 4.9 s); at 500 ms 4 still
 * comes close (8.0 s). More only queue on the pacer. Figures in the README.
 */
export const DEFAULT_CONCURRENCY = 4
/** Below Drata's 500 a minute per IP, leaving room for other steps of the job. */
export const DEFAULT_REQUESTS_PER_MINUTE = 450

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1'])
const SESSION_ID = /^[A-Za-z0-9_-]{3,64}$/

export { INPUT } from './names.js'
export { envInputReader, InputError, type InputReader } from './parser.js'

/**
 * The secrets a step holds, read straight from the environment (before, and whatever, the
 * settings say): the API key, the GitHub token and proxy passwords. Main, post and the last
 * resort register and redact the same list.
 */
export function stepSecrets(env: NodeJS.ProcessEnv): string[] {
  const read = envInputReader(env)
  return [read(INPUT.apiKey), read(INPUT.githubToken), ...proxyPasswords(env)].filter(Boolean)
}

/**
 * Turns the raw inputs into Settings. Every problem is collected and thrown together as an
 * InputError, so a user fixes them in one go and nothing is sent to Drata before that.
 */
export function readSettings(read: InputReader, env: NodeJS.ProcessEnv): Settings {
  const problems: string[] = []
  const p = new Parser(read, problems)

  const dryRun = p.bool(INPUT.dryRun, false)
  const apiKey = read(INPUT.apiKey)
  if (!apiKey && !dryRun) {
    problems.push(
      `'${INPUT.apiKey}' is required (a Drata API key, e.g. \${{ secrets.DRATA_API_KEY }}) unless 'dry-run' is true`,
    )
  }
  const region = p.oneOf(INPUT.region, Object.keys(REGIONS) as Region[], 'us')
  const baseUrl = readBaseUrl(p, REGIONS[region])
  // Records go to a Custom Connection resource; a run that only records an asset, a vendor
  // review or reads events has none to push.
  const pushesRecords =
    Boolean(read(INPUT.records) || read(INPUT.recordsFile) || read(INPUT.artifacts)) ||
    read(INPUT.collect).toLowerCase() !== 'none'
  const needsTarget = (Boolean(apiKey) || !dryRun) && pushesRecords
  const connectionName = readName(p, INPUT.connection, INPUT.connectionId)
  const resourceName = readName(p, INPUT.resource, INPUT.resourceId)
  const connectionId = p.positiveInt(
    INPUT.connectionId,
    needsTarget && connectionName === undefined
      ? `the positive integer id of the Custom Connection in Drata (or its name in '${INPUT.connection}')`
      : undefined,
  )
  const resourceId = p.positiveInt(
    INPUT.resourceId,
    needsTarget && resourceName === undefined
      ? `the positive integer id of the Custom Connection's resource in Drata (or its name in '${INPUT.resource}')`
      : undefined,
  )
  const mode: Mode = readMode(p)
  const sessionId = readSessionId(p, env)
  const inlineRecords = readInlineRecords(p)
  const recordsFiles = p.patterns(INPUT.recordsFile)
  const idField = read(INPUT.idField) || 'id'
  const { collect, collectAuto } = readCollectors(p)
  const githubToken = read(INPUT.githubToken)
  const artifacts = p.patterns(INPUT.artifacts)
  const collectorErrors = p.oneOf(INPUT.collectorErrors, COLLECTOR_ERRORS, 'fail')
  const githubApiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '')
  const batchSize = readBatchSize(p)
  const concurrency = p.intInRange(INPUT.concurrency, DEFAULT_CONCURRENCY, 1, 16)
  const requestsPerMinute = p.intInRange(
    INPUT.requestsPerMinute,
    DEFAULT_REQUESTS_PER_MINUTE,
    0,
    500,
  )
  const retentionDays = p.intInRange(INPUT.retentionDays, 0, 0, 36_500)
  if (retentionDays > 0 && mode !== 'append') {
    problems.push(
      `'${INPUT.retentionDays}' applies only to mode 'append' (got mode '${mode}'); remove it or set it to 0`,
    )
  }
  const allowShrink = p.bool(INPUT.allowShrink, false)
  if (allowShrink && mode !== 'replace') {
    problems.push(`'${INPUT.allowShrink}' applies only to mode 'replace' (got mode '${mode}')`)
  }
  const maxRetries = p.intInRange(INPUT.maxRetries, 5, 0, 20)
  const failOnError = p.bool(INPUT.failOnError, true)
  const requestTimeoutMs = p.intInRange(INPUT.requestTimeout, 60, 1, 600) * 1000
  const sessionWaitMs = p.intInRange(INPUT.sessionWait, 300, 0, 3600) * 1000
  const retryWaitMs = p.intInRange(INPUT.retryWait, 300, 0, 3600) * 1000
  const staleSessionMs = p.intInRange(INPUT.staleSessionAfter, 6, 1, 720) * 3_600_000
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())
  const context = readRun(p, env)
  const run = () => context
  const asset = readAssetSettings(p, run)
  const vendorReview = readVendorReviewSettings(p, run, workspace, new Date())
  const auditEvents = p.bool(INPUT.auditEvents, false)

  if (problems.length > 0) throw new InputError(problems)
  return {
    apiKey,
    region,
    baseUrl,
    connectionId,
    resourceId,
    mode,
    sessionId,
    inlineRecords,
    recordsFiles,
    idField,
    collect,
    collectAuto,
    githubToken,
    githubApiUrl,
    artifacts,
    collectorErrors,
    batchSize,
    concurrency,
    requestsPerMinute,
    retentionDays,
    allowShrink,
    dryRun,
    maxRetries,
    failOnError,
    requestTimeoutMs,
    sessionWaitMs,
    retryWaitMs,
    staleSessionMs,
    workspace,
    run: context,
    asset,
    vendorReview,
    auditEvents,
    connectionName,
    resourceName,
    warnings: p.warnings,
  }
}

/** A name input that stands in for an id input; both at once are a problem. */
function readName(p: Parser, name: string, idInput: string): string | undefined {
  const value = p.read(name)
  if (value === '') return undefined
  if (p.read(idInput) !== '') {
    p.problems.push(
      `'${name}' and '${idInput}' exclude each other: give the name or the id, not both (got '${value}' and '${p.read(idInput)}')`,
    )
  }
  return value
}

/** `auto` (the default) fills each request up to 500 records and 2 MiB; a number caps the count. */
function readBatchSize(p: Parser): number {
  const raw = p.read(INPUT.batchSize)
  if (raw === '' || raw.toLowerCase() === 'auto') return MAX_BATCH_RECORDS
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
  if (value >= 1 && value <= MAX_BATCH_RECORDS) return value
  p.problems.push(
    `'${INPUT.batchSize}' must be auto or a whole number from 1 to ${MAX_BATCH_RECORDS} (got '${raw}')`,
  )
  return MAX_BATCH_RECORDS
}

function readBaseUrl(p: Parser, regionUrl: string): string {
  const raw = p.read(INPUT.apiUrl)
  if (raw === '') return regionUrl
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    p.problems.push(
      `'${INPUT.apiUrl}' must be an absolute URL such as https://public-api.drata.com/public/v2 (got '${raw}')`,
    )
    return regionUrl
  }
  if (url.username || url.password || /[?#]/.test(raw)) {
    p.problems.push(`'${INPUT.apiUrl}' must not carry credentials, a query or a fragment`)
    return regionUrl
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    p.problems.push(
      `'${INPUT.apiUrl}' must use https (plain http is allowed only for loopback hosts such as 127.0.0.1; got '${raw}')`,
    )
    return regionUrl
  }
  return url.toString().replace(/\/+$/, '')
}

/** The run context (environment and event payload), read once here for everything after. */
function readRun(p: Parser, env: NodeJS.ProcessEnv): RunContext {
  try {
    return readRunContext(env)
  } catch (error) {
    p.problems.push((error as Error).message)
    return readRunContext({ ...env, GITHUB_EVENT_PATH: '' })
  }
}

function readMode(p: Parser): Mode {
  if (p.read(INPUT.mode).toLowerCase() === 'upsert') {
    p.problems.push(
      `'${INPUT.mode}: upsert' was removed: use 'append' (the default), which now upserts this run's records without a session and never deletes anything`,
    )
    return 'append'
  }
  return p.oneOf(INPUT.mode, MODES, 'append')
}

function readSessionId(p: Parser, env: NodeJS.ProcessEnv): string {
  const raw = p.read(INPUT.sessionId)
  if (raw === '') {
    if (env.GITHUB_RUN_ID) return defaultSessionId(env)
    p.problems.push(
      `'${INPUT.sessionId}' is required outside GitHub Actions (GITHUB_RUN_ID is not set)`,
    )
    return ''
  }
  if (SESSION_ID.test(raw)) return raw
  p.problems.push(
    `'${INPUT.sessionId}' must be 3 to 64 characters of letters, digits, '-' or '_' (got '${raw}')`,
  )
  return ''
}

/**
 * gh-<run id>-<attempt>-<job>-<random>: unique to this job execution. The runner gives matrix
 * jobs the same run, attempt and job id, so only the random part tells them apart; the run id
 * up front lets a later run see whether the run behind a stranded session has finished.
 */
export function defaultSessionId(
  env: NodeJS.ProcessEnv,
  random = randomBytes(4).toString('hex'),
): string {
  const head = `gh-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT || '1'}`
  const job = (env.GITHUB_JOB ?? '').replace(/[^A-Za-z0-9_-]+/g, '_')
  const room = 64 - head.length - random.length - 2
  return room > 0 && job
    ? `${head}-${job.slice(0, room)}-${random}`
    : `${head}-${random}`.slice(-64)
}

function readInlineRecords(p: Parser): Record<string, unknown>[] {
  const raw = p.read(INPUT.records)
  if (raw === '') return []
  try {
    return parseRecords(raw, 'yaml', `'${INPUT.records}'`).records
  } catch (error) {
    p.problems.push(
      `${(error as Error).message} (inline JSON or YAML: one object or an array of objects)`,
    )
    return []
  }
}

function readCollectors(p: Parser): { collect: CollectorName[]; collectAuto: boolean } {
  const names = splitList(p.read(INPUT.collect) || 'auto', /[,\r\n]+/).map((n) => n.toLowerCase())
  if (names.includes('none')) {
    if (names.length > 1)
      p.problems.push(`'${INPUT.collect}': 'none' cannot be combined with other collectors`)
    return { collect: [], collectAuto: false }
  }
  const chosen = new Set<CollectorName>()
  for (const name of names) {
    if (name === 'auto') continue
    if ((COLLECTORS as readonly string[]).includes(name)) chosen.add(name as CollectorName)
    else
      p.problems.push(
        `'${INPUT.collect}' has unknown collector '${name}'; expected auto, none or any of ${COLLECTORS.join(', ')}`,
      )
  }
  if (chosen.has('artifacts') && p.read(INPUT.artifacts) === '') {
    p.problems.push(
      `'${INPUT.collect}' names 'artifacts' but '${INPUT.artifacts}' is empty; give the files to hash`,
    )
  }
  return { collect: [...chosen], collectAuto: names.includes('auto') }
}
