import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { badRequest, CODES } from './errors.ts'

/** A JSON object as it arrived in a request body. */
export type JsonObject = Record<string, unknown>

/** Outcome of checking one record: its id and attributes, or the per-item error message. */
export type RecordCheck =
  { ok: true; id: string; attributes: JsonObject } | { ok: false; message: string; code: number }

/** Checks one record against a resource's JSON Schema and the `id` rule. */
export type RecordValidator = (record: JsonObject) => RecordCheck

// Which formats Drata's validator knows is undocumented (assumption): the common ones are
// enforced so a client cannot rely on a malformed date being accepted.
const FORMATS: Record<string, RegExp> = {
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  time: /^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: /^[A-Za-z][A-Za-z0-9+.-]*:\S*$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
}

/** Compiles a resource's JSON Schema (draft-07, or 2020-12 when it says so) into a validator. */
export function compileRecordValidator(schema: object = { type: 'object' }): RecordValidator {
  const declared = (schema as { $schema?: unknown }).$schema
  const options = { allErrors: true, strict: false, formats: FORMATS }
  const ajv =
    typeof declared === 'string' && declared.includes('2020-12')
      ? new Ajv2020(options)
      : new Ajv(options)
  const validate: ValidateFunction = ajv.compile(schema)

  return (record) => {
    const problems: Array<Record<string, string>> = []
    const id = recordId(record.id)
    if (record.id === undefined) problems.push({ '': "must have required property 'id'" })
    else if (id === null) problems.push({ '/id': 'must be a non-empty string or a number' })
    if (!validate(record)) problems.push(...(validate.errors ?? []).map(describe))
    if (problems.length > 0 || id === null) {
      return {
        ok: false,
        message: `Schema validation failed for data: ${JSON.stringify(problems)}`,
        code: CODES.schemaValidation,
      }
    }
    return { ok: true, id, attributes: record }
  }
}

/** The record key Drata matches on: a non-empty string, or a finite number stringified. */
// Accepting numbers is an assumption: Drata documents `id` as the match key but not its type,
// and ids come back as strings in every response.
export function recordId(value: unknown): string | null {
  if (typeof value === 'string') return value.length > 0 ? value : null
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return null
}

// Mirrors the spec's example message: one `{instancePath: message}` object per ajv error.
function describe(error: ErrorObject): Record<string, string> {
  return { [error.instancePath]: error.message ?? error.keyword }
}

/** The records of a create/upload body, and whether it was a single object rather than an array. */
export interface DataEnvelope {
  items: JsonObject[]
  single: boolean
}

/** Validates a `{ data: object | object[] }` body the way Drata's DTO validation would. */
export function parseDataEnvelope(body: unknown): DataEnvelope {
  const envelope = requireObjectBody(body, ['data'])
  const data = envelope.data
  if (data === undefined || data === null) throw badRequest('data should not be empty')
  if (isJsonObject(data)) return { items: [data], single: true }
  if (!Array.isArray(data)) throw badRequest('data must be an object or an array of objects')
  // Whether Drata accepts an empty array is undocumented; rejecting it is the strict choice.
  if (data.length === 0) throw badRequest('data must contain at least 1 element')
  const bad = data.findIndex((item) => !isJsonObject(item))
  if (bad >= 0) throw badRequest(`data.${bad} must be an object`)
  return { items: data as JsonObject[], single: false }
}

/** Requires a JSON object body whose keys are all in `allowed` (NestJS forbidNonWhitelisted). */
export function requireObjectBody(body: unknown, allowed: string[]): JsonObject {
  if (!isJsonObject(body)) throw badRequest('Request body must be a JSON object')
  // Rejecting unknown properties is an assumption (strict: it surfaces client typos).
  const extra = Object.keys(body).find((key) => !allowed.includes(key))
  if (extra !== undefined) throw badRequest(`property ${extra} should not exist`)
  return body
}

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
