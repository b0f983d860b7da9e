// schemas/<collector>.schema.json are pasted into Drata resources. Every record the real
// collectors produce (for every fixture event, with and without a token, and with the parts a
// token may not see refused) must pass them, as the sandbox's Drata-like validator checks, and
// every field a collector writes must be declared. A record missing a required field fails.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Ajv } from 'ajv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CollectorError } from '../../src/evidence/collector.js'
import { COLLECTOR_REGISTRY } from '../../src/evidence/index.js'
import type { JsonRecord } from '../../src/evidence/parse.js'
import { COLLECTORS, type CollectorName } from '../../src/settings.js'
import { EVENT_NAMES } from '../github-fake/events.ts'
import { collectorExamples } from '../github-fake/examples.ts'
import { compileRecordValidator } from '../sandbox/validation.ts'
import { collectorInput, useGithubFake } from './collectors-fake.js'

const SCHEMAS = new URL('../../schemas/', import.meta.url)

interface Schema {
  type?: string | string[]
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  const?: unknown
}

function loadSchema(name: string): Schema {
  return JSON.parse(readFileSync(new URL(`${name}.schema.json`, SCHEMAS), 'utf8')) as Schema
}

/** Paths of the fields in `value` that `schema` does not declare (it should describe them all). */
function undeclared(value: unknown, schema: Schema, at = ''): string[] {
  if (Array.isArray(value) && schema.items) {
    return value.flatMap((item, i) => undeclared(item, schema.items as Schema, `${at}[${i}]`))
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return []
  return Object.entries(value).flatMap(([key, field]) => {
    const declared = schema.properties?.[key]
    return declared ? undeclared(field, declared, `${at}.${key}`) : [`${at}.${key}`]
  })
}

const fake = useGithubFake()
let workspace: string
beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'schemas-'))
  mkdirSync(path.join(workspace, 'dist'))
  writeFileSync(path.join(workspace, 'dist', 'app.tgz'), 'built\n')
  writeFileSync(path.join(workspace, 'dist', 'empty.bin'), '')
})
afterAll(() => {
  rmSync(workspace, { recursive: true, force: true })
})

/** Every record `name` produces for every fixture event; `github: 'none'` runs it tokenless. */
async function recordsOf(name: CollectorName, github?: 'none'): Promise<JsonRecord[]> {
  const records: JsonRecord[] = []
  for (const event of EVENT_NAMES) {
    const input = collectorInput(fake(), event, {
      workspace,
      artifacts: ['dist/*'],
      ...(github ? { github } : {}),
    })
    try {
      records.push(...(await COLLECTOR_REGISTRY[name](input)))
    } catch (error) {
      // Some collectors need what some events or a tokenless run cannot give: not a record.
      if (!(error instanceof CollectorError)) throw error
    }
  }
  return records
}

/** Records a collector writes in each situation the schemas must allow. */
async function realRecords(name: CollectorName): Promise<JsonRecord[]> {
  const all = [...(await recordsOf(name)), ...(await recordsOf(name, 'none'))]
  // A token that sees no admin-only or 'actions: read' data: those fields become null.
  const hidden = /\/protection$|\/vulnerability-alerts$|\/approvals$|\/commits\/[^/]+$/
  fake().fail({ path: hidden, status: 403, times: 1000 })
  all.push(...(await recordsOf(name)))
  // The same repository, its classic protection absent, and a release without digests.
  const state = fake().state
  state.branchProtection = {}
  for (const release of state.releases) {
    for (const asset of release.assets) asset.digest = null
  }
  all.push(...(await recordsOf(name)))
  return all
}

describe('collector schemas', () => {
  it('exist for exactly the built-in collectors, as valid draft-07 with nullable types', () => {
    const files = readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json'))
    expect(files.map((f) => f.replace('.schema.json', '')).sort()).toEqual([...COLLECTORS].sort())
    const strict = new Ajv({ strict: true, allowUnionTypes: true, formats: { 'date-time': true } })
    for (const name of COLLECTORS) {
      const schema = loadSchema(name)
      expect(() => strict.compile(schema), name).not.toThrow()
      expect(schema.required, `${name} lists required fields`).toContain('id')
      expect(schema.properties?.collector?.const).toBe(name)
    }
  })

  it.each([...COLLECTORS])('accept every record the %s collector really writes', async (name) => {
    const validate = compileRecordValidator(loadSchema(name))
    const records = await realRecords(name)
    expect(records.length, `${name} wrote no record to check`).toBeGreaterThan(0)
    for (const record of records) {
      const check = validate(record)
      expect(check.ok ? 'valid' : check.message, record.id as string).toBe('valid')
      expect(
        undeclared(record, loadSchema(name)),
        `${name} fields missing from the schema`,
      ).toEqual([])
    }
  })

  it('reject a record missing any required field, or null where null is not allowed', async () => {
    const examples = await collectorExamples(fake().url)
    for (const name of COLLECTORS) {
      const schema = loadSchema(name)
      const validate = compileRecordValidator(schema)
      const example = examples[name] as JsonRecord
      expect(validate(example).ok, `${name} README example`).toBe(true)
      for (const field of schema.required ?? []) {
        const { [field]: _, ...missing } = example
        expect(validate(missing).ok, `${name} without ${field}`).toBe(false)
      }
      expect(validate({ ...example, collectedAt: null }).ok, `${name} collectedAt null`).toBe(false)
    }
    // Nested objects list their required fields too.
    const repo = examples.repository as { protection: Record<string, unknown> }
    const { requiredChecksComplete: _, ...protection } = repo.protection
    expect(compileRecordValidator(loadSchema('repository'))({ ...repo, protection }).ok).toBe(false)
  })

  it('have an example Drata custom test each, naming only fields the schema declares', () => {
    for (const name of COLLECTORS) {
      const text = readFileSync(new URL(`tests/${name}.md`, SCHEMAS), 'utf8')
      const fields = [...text.matchAll(/^\| `([\w.]+)` +\|/gm)].map((m) => m[1] as string)
      expect(fields, `${name} test has conditions`).toContain('collector')
      for (const field of fields) {
        let schema: Schema | undefined = loadSchema(name)
        for (const key of field.split('.')) {
          schema = (schema?.items ?? schema)?.properties?.[key]
        }
        expect(schema, `${name}: ${field}`).toBeDefined()
      }
    }
  })
})
