import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  MAX_DEPTH,
  MAX_ID_LENGTH,
  MAX_JSON_FILE_BYTES,
  MAX_TOTAL_FILE_BYTES,
  MAX_YAML_FILE_BYTES,
} from '../../src/evidence/limits.js'
import { MAX_RECORD_BYTES } from '../../src/evidence/assemble.js'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

/** The value cell of a row of the README's limits table. */
function documented(limit: string): string {
  const row = readme.split('\n').find((line) => line.startsWith(`| ${limit} `))
  return row?.split('|')[2]?.trim() ?? ''
}

const MiB = 1024 * 1024

describe('the README states the limits the code applies', () => {
  it.each([
    ['id length', `${MAX_ID_LENGTH} characters`],
    ['nesting in one record', `${MAX_DEPTH} levels`],
    ['record size', `${MAX_RECORD_BYTES / MiB} MiB (as JSON)`],
    ['one `.json`/`.ndjson` file', `${MAX_JSON_FILE_BYTES / MiB} MiB`],
    ['one `.yaml`/`.yml` file', `${MAX_YAML_FILE_BYTES / MiB} MiB`],
    ['all records files together', `${MAX_TOTAL_FILE_BYTES / MiB} MiB`],
  ])('%s', (limit, value) => {
    expect(documented(limit)).toBe(value)
  })
})
