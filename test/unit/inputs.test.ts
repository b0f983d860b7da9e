import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  defaultSessionId,
  envInputReader,
  INPUT,
  InputError,
  type InputReader,
  readSettings,
  stepSecrets,
} from '../../src/inputs/index.js'
import { REGIONS, type Settings } from '../../src/settings.js'

const ENV: NodeJS.ProcessEnv = {
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '3',
  GITHUB_WORKSPACE: '/tmp/ws',
}
const BASE: Record<string, string> = {
  'api-key': 'k-123456',
  'connection-id': '7',
  'resource-id': '9',
}

function reader(inputs: Record<string, string>): InputReader {
  return (name) => inputs[name] ?? ''
}

function settings(inputs: Record<string, string> = {}, env: NodeJS.ProcessEnv = ENV): Settings {
  return readSettings(reader({ ...BASE, ...inputs }), env)
}

/** The InputError readSettings throws for these inputs (fails the test when none is thrown). */
function problems(inputs: Record<string, string>, env: NodeJS.ProcessEnv = ENV): string[] {
  try {
    readSettings(reader(inputs), env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).problems
  }
  throw new Error('readSettings accepted the inputs')
}

describe('envInputReader', () => {
  it('reads INPUT_<NAME> upper-cased with spaces as underscores, trimmed', () => {
    const read = envInputReader({ 'INPUT_API-KEY': '  secret \n', INPUT_SOME_NAME: ' x ' })
    expect(read('api-key')).toBe('secret')
    expect(read('some name')).toBe('x')
  })

  it('gives an empty string for an absent input', () => {
    expect(envInputReader({})('records')).toBe('')
  })

  it('feeds readSettings from the environment', () => {
    const env = {
      ...ENV,
      'INPUT_API-KEY': 'k-abcdef',
      'INPUT_CONNECTION-ID': '5',
      'INPUT_RESOURCE-ID': '6',
      INPUT_MODE: 'replace',
    }
    const s = readSettings(envInputReader(env), env)
    expect(s).toMatchObject({ apiKey: 'k-abcdef', connectionId: 5, resourceId: 6, mode: 'replace' })
  })
})

describe('readSettings defaults', () => {
  it('fills every default', () => {
    const s = settings()
    expect(s).toEqual({
      apiKey: 'k-123456',
      region: 'us',
      baseUrl: REGIONS.us,
      connectionId: 7,
      resourceId: 9,
      mode: 'append',
      sessionId: expect.stringMatching(/^gh-4242-3-[0-9a-f]{8}$/),
      inlineRecords: [],
      recordsFiles: [],
      idField: 'id',
      collect: [],
      collectAuto: true,
      githubToken: '',
      githubApiUrl: 'https://api.github.com',
      artifacts: [],
      collectorErrors: 'fail',
      batchSize: 500,
      concurrency: 4,
      requestsPerMinute: 450,
      retentionDays: 0,
      allowShrink: false,
      dryRun: false,
      maxRetries: 5,
      failOnError: true,
      requestTimeoutMs: 60_000,
      sessionWaitMs: 300_000,
      retryWaitMs: 300_000,
      staleSessionMs: 6 * 3_600_000,
      workspace: path.resolve('/tmp/ws'),
      run: expect.objectContaining({ runId: '4242', runAttempt: '3' }),
      asset: undefined,
      vendorReview: undefined,
      auditEvents: false,
      warnings: [],
    })
  })

  it('uses the US base URL for region us and the region URL for others', () => {
    expect(settings().baseUrl).toBe('https://public-api.drata.com/public/v2')
    expect(settings({ region: 'eu' }).baseUrl).toBe(REGIONS.eu)
    expect(settings({ region: 'APAC' }).baseUrl).toBe(REGIONS.apac)
  })

  it('defaults the session id to gh-<run id>-<attempt>-<job>-<random>, unique per job execution', () => {
    expect(settings().sessionId).toMatch(/^gh-4242-3-[0-9a-f]{8}$/)
    expect(settings({}, { GITHUB_RUN_ID: '77', GITHUB_JOB: 'build' }).sessionId).toMatch(
      /^gh-77-1-build-[0-9a-f]{8}$/,
    )
    // Matrix jobs share run, attempt and job: the random part keeps them apart.
    const matrix = { GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '1', GITHUB_JOB: 'build' }
    const ids = new Set(Array.from({ length: 50 }, () => settings({}, matrix).sessionId))
    expect(ids.size).toBe(50)
  })

  it('keeps the default session id within 64 characters, shortening the job name', () => {
    const env = {
      GITHUB_RUN_ID: '12345678901',
      GITHUB_RUN_ATTEMPT: '12',
      GITHUB_JOB: 'j'.repeat(90),
    }
    expect(defaultSessionId(env, 'abcd1234')).toMatch(/^gh-12345678901-12-j+-abcd1234$/)
    expect(defaultSessionId(env, 'abcd1234')).toHaveLength(64)
    expect(defaultSessionId({ GITHUB_RUN_ID: '5', GITHUB_JOB: 'a b/c' }, '00ff00ff')).toBe(
      'gh-5-1-a_b_c-00ff00ff',
    )
  })

  it('requires a session id outside GitHub Actions', () => {
    const found = problems({ ...BASE }, {})
    expect(found).toHaveLength(1)
    expect(found[0]).toContain(`'${INPUT.sessionId}'`)
  })

  it('accepts a valid session id and rejects a malformed one', () => {
    expect(settings({ 'session-id': 'my_session-1' }).sessionId).toBe('my_session-1')
    const found = problems({ ...BASE, 'session-id': 'has space' })
    expect(found).toEqual([expect.stringContaining(`'${INPUT.sessionId}'`)])
  })

  it('uses the workspace from GITHUB_WORKSPACE, else the working directory', () => {
    expect(settings({}, { GITHUB_RUN_ID: '1' }).workspace).toBe(process.cwd())
  })

  it('converts request-timeout, session-wait and retry-wait seconds to milliseconds', () => {
    const s = settings({ 'request-timeout': '5', 'session-wait': '0', 'retry-wait': '7' })
    expect(s.requestTimeoutMs).toBe(5000)
    expect(s.sessionWaitMs).toBe(0)
    expect(s.retryWaitMs).toBe(7000)
  })
})

describe('api-url', () => {
  it.each([
    ['http://127.0.0.1:8080/public/v2', 'http://127.0.0.1:8080/public/v2'],
    ['http://127.5.6.7/public/v2', 'http://127.5.6.7/public/v2'],
    ['http://localhost', 'http://localhost'],
    ['http://localhost:3000/public/v2/', 'http://localhost:3000/public/v2'],
    ['http://[::1]', 'http://[::1]'],
    ['http://[::1]:9000/public/v2', 'http://[::1]:9000/public/v2'],
    ['https://drata.example.com/public/v2', 'https://drata.example.com/public/v2'],
    ['https://drata.example.com/public/v2/', 'https://drata.example.com/public/v2'],
    ['https://drata.example.com/public/v2///', 'https://drata.example.com/public/v2'],
  ])('accepts %s as %s', (raw, expected) => {
    expect(settings({ 'api-url': raw }).baseUrl).toBe(expected)
  })

  it.each([
    'http://example.com/public/v2',
    'http://10.0.0.1/public/v2',
    'http://localhost.example.com',
    'ftp://127.0.0.1/public/v2',
  ])('rejects %s (plain http to a non-loopback host, or not http)', (raw) => {
    const found = problems({ ...BASE, 'api-url': raw })
    expect(found).toHaveLength(1)
    expect(found[0]).toContain(`'${INPUT.apiUrl}' must use https`)
  })

  it('rejects a relative URL', () => {
    expect(problems({ ...BASE, 'api-url': 'public-api.drata.com/public/v2' })).toEqual([
      expect.stringContaining(`'${INPUT.apiUrl}' must be an absolute URL`),
    ])
  })

  it.each([
    'https://user:pw@drata.example.com/public/v2',
    'https://drata.example.com/public/v2?x=1',
    'https://drata.example.com/public/v2#frag',
  ])('rejects credentials, a query or a fragment: %s', (raw) => {
    expect(problems({ ...BASE, 'api-url': raw })).toEqual([
      expect.stringContaining(`'${INPUT.apiUrl}' must not carry credentials`),
    ])
  })

  it('takes precedence over the region', () => {
    expect(settings({ region: 'eu', 'api-url': 'https://x.example/public/v2' }).baseUrl).toBe(
      'https://x.example/public/v2',
    )
  })

  it('does not keep an empty query marker in the base URL', () => {
    let baseUrl: string | undefined
    try {
      baseUrl = settings({ 'api-url': 'https://drata.example.com/public/v2?' }).baseUrl
    } catch (error) {
      expect((error as InputError).problems[0]).toContain(`'${INPUT.apiUrl}'`)
      return
    }
    expect(baseUrl).toBe('https://drata.example.com/public/v2')
  })
})

describe('problem reporting', () => {
  it('reports every problem together in one InputError, each naming its input', () => {
    const bad: Record<string, string> = {
      region: 'mars',
      'api-url': 'http://example.com',
      'connection-id': '0',
      'resource-id': 'abc',
      mode: 'merge',
      'session-id': 'x',
      records: '[1, 2]',
      'records-file': '../outside.json',
      collect: 'commits',
      'batch-size': '501',
      'retention-days': '-1',
      'allow-shrink': 'maybe',
      'dry-run': 'yes',
      'max-retries': '21',
      'fail-on-error': 'nope',
      'request-timeout': '0',
      'session-wait': '3601',
    }
    let error: unknown
    try {
      readSettings(reader(bad), ENV)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    const found = (error as InputError).problems
    // api-key is missing as well (dry-run is not a valid true).
    const named = [...Object.keys(bad).filter((n) => n !== 'records'), 'api-key']
    for (const name of named) {
      expect(
        found.some((p) => p.includes(`'${name}'`)),
        `a problem naming '${name}' in ${JSON.stringify(found)}`,
      ).toBe(true)
    }
    // The inline records problem names its input too.
    expect(found.some((p) => p.includes(`'${INPUT.records}'`))).toBe(true)
    expect(found).toHaveLength(named.length + 1)
    // The message lists each problem on its own line.
    for (const p of found) expect((error as InputError).message).toContain(`  - ${p}`)
    expect((error as InputError).message.startsWith('Invalid inputs:')).toBe(true)
  })

  it('uses the singular heading for a single problem', () => {
    let error: unknown
    try {
      readSettings(reader({ ...BASE, mode: 'nope' }), ENV)
    } catch (e) {
      error = e
    }
    expect((error as InputError).message.startsWith('Invalid input:\n')).toBe(true)
    expect((error as InputError).problems).toEqual([
      expect.stringContaining(`'${INPUT.mode}' must be one of append, replace`),
    ])
  })

  it('requires api-key, connection-id and resource-id for a real run', () => {
    const found = problems({})
    expect(found).toHaveLength(3)
    expect(found[0]).toContain(`'${INPUT.apiKey}' is required`)
    expect(found[1]).toContain(`'${INPUT.connectionId}' is required`)
    expect(found[2]).toContain(`'${INPUT.resourceId}' is required`)
  })

  it.each([
    ['batch-size', '0'],
    ['batch-size', '1.5'],
    ['batch-size', '1e2'],
  ])('rejects %s=%s', (name, value) => {
    expect(problems({ ...BASE, [name]: value })).toEqual([
      expect.stringContaining(`'batch-size' must be auto or a whole number from 1 to 500`),
    ])
  })

  it.each([
    ['max-retries', '-1'],
    ['request-timeout', '601'],
    ['retry-wait', '3601'],
  ])('rejects %s=%s as out of range', (name, value) => {
    expect(problems({ ...BASE, [name]: value })).toEqual([
      expect.stringContaining(`'${name}' must be a whole number`),
    ])
  })

  it('reads batch-size auto as 500, a number as a cap, and checks concurrency and pacing', () => {
    expect(settings({ 'batch-size': 'auto' }).batchSize).toBe(500)
    expect(settings({ 'batch-size': 'AUTO' }).batchSize).toBe(500)
    expect(settings({ 'batch-size': '1' }).batchSize).toBe(1)
    expect(settings({ concurrency: '16', 'requests-per-minute': '0' })).toMatchObject({
      concurrency: 16,
      requestsPerMinute: 0,
    })
    expect(() => settings({ 'batch-size': '501' })).toThrow(/'batch-size' must be/)
    expect(() => settings({ 'batch-size': 'max' })).toThrow(/'batch-size' must be/)
    expect(() => settings({ concurrency: '0' })).toThrow(/'concurrency' must be .* 1 to 16/)
    expect(() => settings({ concurrency: '17' })).toThrow(/'concurrency'/)
    expect(() => settings({ 'requests-per-minute': '501' })).toThrow(/0 to 500/)
  })

  it('accepts the bounds of ranges', () => {
    const s = settings({
      'batch-size': '500',
      'max-retries': '0',
      'session-wait': '3600',
      'retry-wait': '3600',
    })
    expect(s.batchSize).toBe(500)
    expect(s.maxRetries).toBe(0)
    expect(s.sessionWaitMs).toBe(3_600_000)
    expect(s.retryWaitMs).toBe(3_600_000)
    expect(settings({ 'retry-wait': '0' }).retryWaitMs).toBe(0)
  })
})

describe('dry run', () => {
  it('needs no api-key, connection-id or resource-id without an api-key', () => {
    const s = readSettings(reader({ 'dry-run': 'true' }), ENV)
    expect(s.dryRun).toBe(true)
    expect(s.apiKey).toBe('')
    expect(s.connectionId).toBeUndefined()
    expect(s.resourceId).toBeUndefined()
  })

  it('still needs the ids when an api-key is given', () => {
    const found = problems({ 'dry-run': 'true', 'api-key': 'k-123456' })
    expect(found).toHaveLength(2)
    expect(found[0]).toContain(`'${INPUT.connectionId}'`)
    expect(found[1]).toContain(`'${INPUT.resourceId}'`)
  })

  it('still validates ids that are given', () => {
    expect(problems({ 'dry-run': 'true', 'connection-id': '-3' })).toEqual([
      expect.stringContaining(`'${INPUT.connectionId}' must be a positive integer`),
    ])
  })
})

describe('mode-specific inputs', () => {
  it('rejects retention-days with mode replace', () => {
    const found = problems({ ...BASE, mode: 'replace', 'retention-days': '30' })
    expect(found).toEqual([
      expect.stringContaining(`'${INPUT.retentionDays}' applies only to mode 'append'`),
    ])
  })

  it('refuses mode upsert, pointing to append', () => {
    expect(problems({ ...BASE, mode: 'upsert' })).toEqual([
      expect.stringMatching(/'mode: upsert' was removed: use 'append'/),
    ])
  })

  it('accepts retention-days with mode append and 0 with any mode', () => {
    expect(settings({ 'retention-days': '30' }).retentionDays).toBe(30)
    expect(settings({ mode: 'replace', 'retention-days': '0' }).retentionDays).toBe(0)
  })

  it('accepts allow-shrink only with mode replace', () => {
    expect(settings({ mode: 'replace', 'allow-shrink': 'true' }).allowShrink).toBe(true)
    expect(problems({ ...BASE, 'allow-shrink': 'true' })).toEqual([
      expect.stringContaining(`'${INPUT.allowShrink}' applies only to mode 'replace'`),
    ])
  })
})

describe('inline records', () => {
  it('parses a JSON array', () => {
    expect(settings({ records: '[{"id":"a","n":1},{"id":"b"}]' }).inlineRecords).toEqual([
      { id: 'a', n: 1 },
      { id: 'b' },
    ])
  })

  it('parses a single JSON object', () => {
    expect(settings({ records: '{"id":"a"}' }).inlineRecords).toEqual([{ id: 'a' }])
  })

  it('parses YAML', () => {
    const yaml = '- id: a\n  tags: [x, y]\n- id: b\n  ok: true\n'
    expect(settings({ records: yaml }).inlineRecords).toEqual([
      { id: 'a', tags: ['x', 'y'] },
      { id: 'b', ok: true },
    ])
  })

  it.each([
    ['invalid syntax', '[{"id": "a"'],
    ['a scalar', '42'],
    ['an array of scalars', '["a", "b"]'],
    ['duplicate keys', '{"id": "a", "id": "b"}'],
  ])('rejects %s, naming the input', (_label, raw) => {
    const found = problems({ ...BASE, records: raw })
    expect(found).toHaveLength(1)
    expect(found[0]).toContain(`'${INPUT.records}'`)
    expect(found[0]).toContain('inline JSON or YAML')
  })

  it('refuses nesting deeper than the limit, naming the line and column', () => {
    const raw = `id: a\nx: ${'['.repeat(5000)}${']'.repeat(5000)}`
    expect(problems({ ...BASE, records: raw })).toEqual([
      expect.stringMatching(
        /^'records' line 2, column 67: nested more than 64 levels deep \(the limit for a record\)/,
      ),
    ])
  })
})

describe('records-file', () => {
  it('splits patterns by line and drops blank lines', () => {
    expect(
      settings({ 'records-file': 'evidence/*.json\n\n  out/**/*.ndjson  \r\n!out/skip.ndjson' })
        .recordsFiles,
    ).toEqual(['evidence/*.json', 'out/**/*.ndjson', '!out/skip.ndjson'])
  })

  it.each([
    '../secrets.json',
    'evidence/../../x.json',
    '!../x.json',
    'a\\..\\..\\b.json',
    '/etc/passwd',
    '!/etc/passwd',
  ])('rejects %s', (pattern) => {
    const found = problems({ ...BASE, 'records-file': `ok/*.json\n${pattern}` })
    expect(found).toHaveLength(1)
    expect(found[0]).toContain(`'${INPUT.recordsFile}' patterns must be relative`)
    expect(found[0]).toContain(pattern)
  })

  it('allows names that only contain dots', () => {
    expect(settings({ 'records-file': 'a..b/*.json\n.hidden/x.json' }).recordsFiles).toHaveLength(2)
  })
})

describe('collect', () => {
  it('keeps auto for the event to decide, next to named collectors', () => {
    expect(settings({ collect: 'auto' })).toMatchObject({ collect: [], collectAuto: true })
    expect(settings({ collect: 'auto, repository' })).toMatchObject({
      collect: ['repository'],
      collectAuto: true,
    })
    expect(settings({ collect: 'release' })).toMatchObject({
      collect: ['release'],
      collectAuto: false,
    })
  })

  it('needs artifacts globs when the artifacts collector is named', () => {
    expect(problems({ ...BASE, collect: 'artifacts' })).toEqual([
      expect.stringContaining("'artifacts' is empty"),
    ])
    expect(settings({ collect: 'artifacts', artifacts: 'dist/*.tgz' }).artifacts).toEqual([
      'dist/*.tgz',
    ])
  })

  it('accepts collector-errors fail or warn only', () => {
    expect(settings({ 'collector-errors': 'warn' }).collectorErrors).toBe('warn')
    expect(problems({ ...BASE, 'collector-errors': 'ignore' })).toEqual([
      expect.stringContaining("'collector-errors' must be one of fail, warn"),
    ])
  })

  it('takes none as no collectors', () => {
    expect(settings({ collect: 'none' }).collect).toEqual([])
    expect(settings({ collect: 'NONE' }).collect).toEqual([])
  })

  it('accepts a comma or newline separated list without duplicates, in order', () => {
    expect(settings({ collect: 'workflow-run, commit\nworkflow-run' }).collect).toEqual([
      'workflow-run',
      'commit',
    ])
    expect(settings({ collect: 'Commit' }).collect).toEqual(['commit'])
  })

  it('rejects none combined with other collectors', () => {
    expect(problems({ ...BASE, collect: 'none,commit' })).toEqual([
      expect.stringContaining(`'${INPUT.collect}': 'none' cannot be combined`),
    ])
  })

  it('rejects an unknown collector, naming it', () => {
    const found = problems({ ...BASE, collect: 'commit,sbom' })
    expect(found).toEqual([
      expect.stringContaining(`'${INPUT.collect}' has unknown collector 'sbom'`),
    ])
  })
})

describe('booleans', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
  ])('accepts %s', (raw, value) => {
    expect(settings({ 'fail-on-error': raw }).failOnError).toBe(value)
  })

  it.each(['yes', 'no', '1', 'tRuE'])('rejects %s, naming the input', (raw) => {
    expect(problems({ ...BASE, 'fail-on-error': raw })).toEqual([
      expect.stringContaining(`'${INPUT.failOnError}' must be true or false (got '${raw}')`),
    ])
  })
})

describe('connection and resource names', () => {
  it('stand in for the ids', () => {
    const s = readSettings(
      reader({ 'api-key': 'k', connection: 'GitHub evidence', resource: 'Builds' }),
      ENV,
    )
    expect(s).toMatchObject({
      connectionId: undefined,
      resourceId: undefined,
      connectionName: 'GitHub evidence',
      resourceName: 'Builds',
    })
  })

  it('each excludes its id, and a missing target names both ways to give it', () => {
    expect(problems({ ...BASE, connection: 'GitHub', resource: 'Builds' })).toEqual([
      "'connection' and 'connection-id' exclude each other: give the name or the id, not both (got 'GitHub' and '7')",
      "'resource' and 'resource-id' exclude each other: give the name or the id, not both (got 'Builds' and '9')",
    ])
    const missing = problems({ 'api-key': 'k' })
    expect(missing).toContain(
      "'connection-id' is required: the positive integer id of the Custom Connection in Drata (or its name in 'connection')",
    )
    expect(missing.join('\n')).toContain("(or its name in 'resource')")
  })

  it('a name and the other id can be mixed', () => {
    const s = readSettings(
      reader({ 'api-key': 'k', connection: 'GitHub', 'resource-id': '4' }),
      ENV,
    )
    expect(s).toMatchObject({ connectionName: 'GitHub', resourceId: 4, connectionId: undefined })
  })
})

describe('stepSecrets', () => {
  it('names the key, the token and a proxy password, the list main, post and last resort share', () => {
    const env = {
      'INPUT_API-KEY': 'drk_live_key',
      'INPUT_GITHUB-TOKEN': 'ghs_token',
      HTTPS_PROXY: 'http://user:p%40ss@proxy:3128',
    }
    expect(stepSecrets(env)).toEqual(['drk_live_key', 'ghs_token', 'p@ss'])
    expect(stepSecrets({})).toEqual([])
  })
})
