import path from 'node:path'
import { isPlainObject, parseRecords } from './evidence/parse.js'
import {
  COLLECTOR_ERRORS,
  COLLECTORS,
  type CollectorName,
  MODES,
  type Mode,
  REGIONS,
  type Region,
  type Settings,
} from './settings.js'

/** Every input name, in one table; action.yml and the README document the same names. */
export const INPUT = {
  apiKey: 'api-key',
  region: 'region',
  apiUrl: 'api-url',
  connectionId: 'connection-id',
  resourceId: 'resource-id',
  mode: 'mode',
  sessionId: 'session-id',
  records: 'records',
  recordsFile: 'records-file',
  idField: 'id-field',
  collect: 'collect',
  batchSize: 'batch-size',
  retentionDays: 'retention-days',
  allowShrink: 'allow-shrink',
  dryRun: 'dry-run',
  maxRetries: 'max-retries',
  failOnError: 'fail-on-error',
  requestTimeout: 'request-timeout',
  sessionWait: 'session-wait',
  githubToken: 'github-token',
  artifacts: 'artifacts',
  collectorErrors: 'collector-errors',
} as const

/** Thrown when inputs are invalid; `problems` holds one line per input. */
export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid input${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    )
    this.name = 'InputError'
  }
}

export type InputReader = (name: string) => string

/** Reads an input the way the runner passes it (INPUT_<NAME> in the environment), trimmed. */
export function envInputReader(env: NodeJS.ProcessEnv): InputReader {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1'])
const SESSION_ID = /^[A-Za-z0-9_-]{3,64}$/
const TRUE = new Set(['true', 'True', 'TRUE'])
const FALSE = new Set(['false', 'False', 'FALSE'])

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
  const baseUrl = p.baseUrl(REGIONS[region])
  const needsTarget = Boolean(apiKey) || !dryRun
  const connectionId = p.positiveInt(INPUT.connectionId, needsTarget)
  const resourceId = p.positiveInt(INPUT.resourceId, needsTarget)
  const mode: Mode = p.oneOf(INPUT.mode, MODES, 'append')
  const sessionId = p.sessionId(env)
  const inlineRecords = p.inlineRecords()
  const recordsFiles = p.patterns(INPUT.recordsFile)
  const idField = read(INPUT.idField) || 'id'
  const { collect, collectAuto } = p.collectors()
  const githubToken = read(INPUT.githubToken)
  const artifacts = p.patterns(INPUT.artifacts)
  const collectorErrors = p.oneOf(INPUT.collectorErrors, COLLECTOR_ERRORS, 'fail')
  const githubApiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '')
  const batchSize = p.intInRange(INPUT.batchSize, 100, 1, 500)
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
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())

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
    retentionDays,
    allowShrink,
    dryRun,
    maxRetries,
    failOnError,
    requestTimeoutMs,
    sessionWaitMs,
    workspace,
  }
}

/** Small typed readers; each records a problem that names the input and the expected form. */
class Parser {
  constructor(
    private readonly read: InputReader,
    private readonly problems: string[],
  ) {}

  bool(name: string, fallback: boolean): boolean {
    const raw = this.read(name)
    if (raw === '') return fallback
    if (TRUE.has(raw)) return true
    if (FALSE.has(raw)) return false
    this.problems.push(`'${name}' must be true or false (got '${raw}')`)
    return fallback
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.read(name)
    if (raw === '') return fallback
    const value = raw.toLowerCase() as T
    if (allowed.includes(value)) return value
    this.problems.push(`'${name}' must be one of ${allowed.join(', ')} (got '${raw}')`)
    return fallback
  }

  intInRange(name: string, fallback: number, min: number, max: number): number {
    const raw = this.read(name)
    if (raw === '') return fallback
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
    if (Number.isSafeInteger(value) && value >= min && value <= max) return value
    this.problems.push(`'${name}' must be a whole number from ${min} to ${max} (got '${raw}')`)
    return fallback
  }

  positiveInt(name: string, required: boolean): number | undefined {
    const raw = this.read(name)
    if (raw === '') {
      if (required)
        this.problems.push(
          `'${name}' is required: the positive integer id of the Custom Connection${name === INPUT.resourceId ? "'s resource" : ''} in Drata`,
        )
      return undefined
    }
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
    if (Number.isSafeInteger(value) && value > 0) return value
    this.problems.push(`'${name}' must be a positive integer (got '${raw}')`)
    return undefined
  }

  baseUrl(regionUrl: string): string {
    const raw = this.read(INPUT.apiUrl)
    if (raw === '') return regionUrl
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      this.problems.push(
        `'${INPUT.apiUrl}' must be an absolute URL such as https://public-api.drata.com/public/v2 (got '${raw}')`,
      )
      return regionUrl
    }
    if (url.username || url.password || /[?#]/.test(raw)) {
      this.problems.push(`'${INPUT.apiUrl}' must not carry credentials, a query or a fragment`)
      return regionUrl
    }
    const loopback = LOOPBACK_HOSTS.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname)
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      this.problems.push(
        `'${INPUT.apiUrl}' must use https (plain http is allowed only for loopback hosts such as 127.0.0.1; got '${raw}')`,
      )
      return regionUrl
    }
    return url.toString().replace(/\/+$/, '')
  }

  sessionId(env: NodeJS.ProcessEnv): string {
    const raw = this.read(INPUT.sessionId)
    if (raw === '') {
      if (env.GITHUB_RUN_ID) return `gh-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT || '1'}`
      this.problems.push(
        `'${INPUT.sessionId}' is required outside GitHub Actions (GITHUB_RUN_ID is not set)`,
      )
      return ''
    }
    if (SESSION_ID.test(raw)) return raw
    this.problems.push(
      `'${INPUT.sessionId}' must be 3 to 64 characters of letters, digits, '-' or '_' (got '${raw}')`,
    )
    return ''
  }

  inlineRecords(): Record<string, unknown>[] {
    const raw = this.read(INPUT.records)
    if (raw === '') return []
    try {
      return parseRecords(raw, 'yaml', `'${INPUT.records}'`).filter(isPlainObject)
    } catch (error) {
      this.problems.push(
        `${(error as Error).message} (inline JSON or YAML: one object or an array of objects)`,
      )
      return []
    }
  }

  patterns(name: string): string[] {
    const patterns = splitList(this.read(name), /\r?\n/)
    for (const pattern of patterns) {
      const negated = pattern.startsWith('!') ? pattern.slice(1) : pattern
      if (path.isAbsolute(negated) || negated.split(/[\\/]/).includes('..')) {
        this.problems.push(
          `'${name}' patterns must be relative paths inside GITHUB_WORKSPACE (got '${pattern}')`,
        )
      }
    }
    return patterns
  }

  collectors(): { collect: CollectorName[]; collectAuto: boolean } {
    const names = splitList(this.read(INPUT.collect) || 'auto', /[,\r\n]+/).map((n) =>
      n.toLowerCase(),
    )
    if (names.includes('none')) {
      if (names.length > 1)
        this.problems.push(`'${INPUT.collect}': 'none' cannot be combined with other collectors`)
      return { collect: [], collectAuto: false }
    }
    const chosen = new Set<CollectorName>()
    for (const name of names) {
      if (name === 'auto') continue
      if ((COLLECTORS as readonly string[]).includes(name)) chosen.add(name as CollectorName)
      else
        this.problems.push(
          `'${INPUT.collect}' has unknown collector '${name}'; expected auto, none or any of ${COLLECTORS.join(', ')}`,
        )
    }
    if (chosen.has('artifacts') && this.read(INPUT.artifacts) === '') {
      this.problems.push(
        `'${INPUT.collect}' names 'artifacts' but '${INPUT.artifacts}' is empty; give the files to hash`,
      )
    }
    return { collect: [...chosen], collectAuto: names.includes('auto') }
  }
}

function splitList(raw: string, separator: RegExp): string[] {
  return raw
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}
