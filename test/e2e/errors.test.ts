import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type Sandbox, startSandbox } from '../sandbox/server.ts'
import { API_KEY, runAction, sandboxInputs, writes } from './harness.ts'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({
    keys: {
      [API_KEY]: {},
      'key-no-plan': { plan: false },
      'key-no-terms': { terms: false },
      'key-read-only': { permissions: ['custom-connections-get'] },
    },
  })
})
afterAll(async () => {
  await sandbox.close()
})
beforeEach(() => {
  sandbox.requests.length = 0
})

describe('Drata error statuses become messages that say what to do', () => {
  const cases: Array<[string, string, string[]]> = [
    ['wrong-key', '401', ['does not know the API key (401: API key not found)', "'region' (us)"]],
    [
      'key-no-plan',
      '402',
      ['does not include Custom Connections and Tests needed to', '(402)', 'CSM'],
    ],
    ['key-no-terms', '412', ['terms and conditions have not been accepted (412)']],
    [
      'key-read-only',
      '403',
      [
        '"Custom Connections Data: Create Custom Connection Data" (custom-connections-data-post)',
        'grant that permission',
      ],
    ],
  ]
  for (const [key, status, phrases] of cases) {
    it(`${status}`, async () => {
      const result = await runAction({
        inputs: sandboxInputs(sandbox.url, { 'api-key': key, records: '{"id":"r1"}' }),
      })
      expect(result.code).toBe(1)
      const error = result.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''
      for (const phrase of phrases) expect(error).toContain(phrase)
      expect(sandbox.activeRecords(1, 1)).toEqual([])
      expect(result.stdout).not.toContain(
        key === 'wrong-key' ? 'Bearer wrong-key' : `Bearer ${key}`,
      )
    })
  }

  it('404 names connection-id and resource-id', async () => {
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, { 'resource-id': '77', records: '{"id":"r1"}' }),
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/::error::.*\(404\).*'connection-id' and 'resource-id'/)
  })
})

describe('bad input: a clear error naming the input, exit 1, and no request to Drata', () => {
  const bad: Array<[string, Record<string, string>, string, Record<string, string>?]> = [
    ['missing api-key', { 'api-key': '' }, "'api-key' is required"],
    ['unknown region', { region: 'mars' }, "'region' must be one of us, eu, apac (got 'mars')"],
    [
      'plain http to a remote host',
      { 'api-url': 'http://drata.example.com/public/v2' },
      "'api-url' must use https",
    ],
    ['api-url not a URL', { 'api-url': 'not a url' }, "'api-url' must be an absolute URL"],
    [
      'connection-id not a number',
      { 'connection-id': 'abc' },
      "'connection-id' must be a positive integer (got 'abc')",
    ],
    [
      'resource-id zero',
      { 'resource-id': '0' },
      "'resource-id' must be a positive integer (got '0')",
    ],
    ['missing resource-id', { 'resource-id': '' }, "'resource-id' is required"],
    ['unknown mode', { mode: 'merge' }, "'mode' must be one of append, replace (got 'merge')"],
    ['session-id too short', { 'session-id': 'ab' }, "'session-id' must be 3 to 64 characters"],
    [
      'session-id with a slash',
      { 'session-id': 'run/1' },
      "'session-id' must be 3 to 64 characters",
    ],
    [
      'records not JSON or YAML',
      { records: '{"id": "x",' },
      "'records': not valid JSON or YAML: Flow map must end with a } at line 1, column 12",
    ],
    [
      'records a scalar',
      { records: '42' },
      "'records' line 1: found a number; expected an object or an array of objects",
    ],
    [
      'records array of strings',
      { records: '["a","b"]' },
      "'records' line 1: item 1 is a string; expected an object",
    ],
    [
      'record without id',
      { records: '[{"name":"no id"}]' },
      "inline record 1: 'id' must be a non-empty string or a number",
    ],
    ['duplicate ids', { records: '[{"id":"x"},{"id":"x"}]' }, "duplicate id 'x' in inline, inline"],
    [
      'batch-size too large',
      { 'batch-size': '501' },
      "'batch-size' must be auto or a whole number from 1 to 500 (got '501')",
    ],
    ['negative retention', { 'retention-days': '-1' }, "'retention-days' must be a whole number"],
    [
      'retention-days outside append',
      { mode: 'replace', 'retention-days': '7' },
      "'retention-days' applies only to mode 'append'",
    ],
    [
      'allow-shrink not boolean',
      { mode: 'replace', 'allow-shrink': 'yes' },
      "'allow-shrink' must be true or false (got 'yes')",
    ],
    ['dry-run not boolean', { 'dry-run': 'maybe' }, "'dry-run' must be true or false"],
    [
      'max-retries too many',
      { 'max-retries': '99' },
      "'max-retries' must be a whole number from 0 to 20",
    ],
    [
      'unknown collector',
      { collect: 'commit,secrets' },
      "'collect' has unknown collector 'secrets'",
    ],
    [
      'records-file escaping the workspace',
      { 'records-file': '../outside/*.json' },
      "'records-file' patterns must be relative paths inside GITHUB_WORKSPACE",
    ],
    [
      'records-file matching nothing',
      { 'records-file': 'missing/*.json' },
      "'records-file' pattern 'missing/*.json' matched no file",
    ],
    [
      'records-file of an unknown type',
      { 'records-file': 'evidence.txt' },
      'which is not .json, .ndjson, .jsonl, .yaml or .yml',
      { 'evidence.txt': '{}' },
    ],
    [
      'records-file with broken YAML',
      { 'records-file': 'e.yaml' },
      'e.yaml: not valid JSON or YAML: Missing closing "quote at line 3',
      { 'e.yaml': 'id: a\nname: "unterminated\n' },
    ],
    [
      'records-file with broken NDJSON',
      { 'records-file': 'e.ndjson' },
      'e.ndjson line 2, column 2: not valid JSON: expected a property name in double quotes',
      { 'e.ndjson': '{"id":"a"}\n{oops}\n' },
    ],
  ]
  for (const [name, inputs, expected, files] of bad) {
    it(name, async () => {
      const result = await runAction({
        inputs: sandboxInputs(sandbox.url, { records: '{"id":"ok"}', ...inputs }),
        files,
      })
      expect(result.code).toBe(1)
      const error = result.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''
      expect(error).toContain(expected)
      expect(sandbox.requests).toHaveLength(0)
      expect(result.summary).toContain('Nothing was sent to Drata')
    })
  }

  it('reports every problem at once', async () => {
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        mode: 'nope',
        'batch-size': 'x',
        region: 'moon',
        'connection-id': '-3',
      }),
    })
    expect(result.code).toBe(1)
    const error = result.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''
    for (const name of ["'mode'", "'batch-size'", "'region'", "'connection-id'"])
      expect(error).toContain(name)
    expect(writes(sandbox.requests)).toBe(0)
  })
})

describe('secrets', () => {
  it('removes the API key and the GitHub token from every error text, even if Drata echoed them', async () => {
    const key = 'drata-ECHOED-key-9876543210'
    const token = 'ghs_ECHOEDtoken0123456789'
    const echoing = await startSandbox({ keys: { [key]: {} } })
    try {
      echoing.addFault({
        method: 'POST',
        kind: 'status',
        status: 400,
        message: `Bearer ${key} is not valid for token ${token}`,
      })
      const result = await runAction({
        inputs: sandboxInputs(echoing.url, {
          'api-key': key,
          'github-token': token,
          records: '{"id":"a"}',
        }),
      })
      expect(result.code).toBe(1)
      const error = result.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''
      expect(error).toContain('Bearer *** is not valid for token ***')
      for (const text of [
        result.stdout.replace(`::add-mask::${key}`, '').replace(`::add-mask::${token}`, ''),
        result.stderr,
        result.summary,
        JSON.stringify(result.outputs),
      ]) {
        expect(text).not.toContain(key)
        expect(text).not.toContain(token)
      }
      expect(result.summary).toContain('Bearer *** is not valid')
    } finally {
      await echoing.close()
    }
  })

  it('never prints the API key, in logs, outputs, summary or state, even on failure', async () => {
    const secret = 'drata-SECRET-key-0123456789'
    const failing = await startSandbox({
      keys: { [secret]: { permissions: ['custom-connections-get'] } },
    })
    try {
      const results = await Promise.all([
        runAction({
          inputs: sandboxInputs(failing.url, { 'api-key': secret, records: '{"id":"a"}' }),
        }),
        runAction({
          inputs: sandboxInputs(failing.url, {
            'api-key': secret,
            records: '{"id":"a"}',
            'dry-run': 'true',
          }),
        }),
        runAction({ inputs: sandboxInputs(failing.url, { 'api-key': secret, mode: 'bogus' }) }),
      ])
      expect(results[0]?.code).toBe(1)
      for (const result of results) {
        // The one permitted appearance is the runner's own masking command.
        const stdout = result.stdout.replace(`::add-mask::${secret}`, '')
        expect(result.stdout).toContain(`::add-mask::${secret}`)
        for (const text of [
          stdout,
          result.stderr,
          result.summary,
          JSON.stringify(result.outputs),
          JSON.stringify(result.savedState),
        ]) {
          expect(text).not.toContain(secret)
        }
      }
    } finally {
      await failing.close()
    }
  })
})
