// Request-body validation for the Assets and Vendor Security Reviews DTOs, with class-validator's
// wording (Drata's API is NestJS), so each message names the field it is about.
import { badRequest } from './errors.ts'
import { isJsonObject, type JsonObject } from './validation.ts'

interface Common {
  required?: boolean
  /** The spec types the field `[T, 'null']`; null is rejected otherwise (strict, see below). */
  nullable?: boolean
}

/** How one body field is checked. */
export type FieldRule = Common &
  (
    | { kind: 'string'; max: number; notEmpty?: boolean }
    | { kind: 'enum'; values: readonly string[] }
    | { kind: 'enumArray'; values: readonly string[] }
    | { kind: 'id'; max?: number }
    | { kind: 'dateTime' }
    | { kind: 'customFields' }
  )

/** A custom field reference of CustomFieldSubmitRequestPublicV2Dto. */
export interface CustomFieldInput {
  id?: number
  name?: string
  value: string | null
}

// ISO 8601 as class-validator's IsISO8601 sees it for the forms clients actually send.
const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/

/** True for an ISO 8601 date or date-time string that names a real instant. */
export function isIsoDateTime(value: string): boolean {
  return ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))
}

/**
 * Checks `body` against `rules` and returns the fields it holds, normalised (dates as ISO
 * strings, form numbers as numbers). Unknown fields are rejected (whitelist with
 * forbidNonWhitelisted, as the existing routes assume). Every problem is reported at once,
 * joined with ", ". `form` says the values came from multipart/form-data, where every value
 * is a string: numbers are then accepted as digit strings.
 */
export function checkFields(
  body: JsonObject,
  rules: Record<string, FieldRule>,
  opts: { form?: boolean } = {},
): JsonObject {
  const problems: string[] = []
  for (const key of Object.keys(body)) {
    if (!Object.hasOwn(rules, key)) problems.push(`property ${key} should not exist`)
  }
  const out: JsonObject = {}
  for (const [name, rule] of Object.entries(rules)) {
    const value = body[name]
    if (value === undefined) {
      if (rule.required) problems.push(missing(name, rule))
      continue
    }
    // class-validator's IsOptional would let null through any optional field; the sandbox only
    // accepts it where the spec types the field as nullable (strict, an assumption).
    if (value === null) {
      if (rule.nullable) out[name] = null
      else problems.push(rule.required ? missing(name, rule) : `${name} must not be null`)
      continue
    }
    const checked = checkValue(name, value, rule, opts.form === true)
    if (typeof checked === 'string') problems.push(checked)
    else out[name] = checked.value
  }
  if (problems.length > 0) throw badRequest(problems.join(', '))
  return out
}

function missing(name: string, rule: FieldRule): string {
  if (rule.kind === 'enum') return `${name} must be one of the following values: ${list(rule)}`
  return `${name} should not be empty`
}

function list(rule: { values: readonly string[] }): string {
  return rule.values.join(', ')
}

function checkValue(
  name: string,
  value: unknown,
  rule: FieldRule,
  form: boolean,
): { value: unknown } | string {
  switch (rule.kind) {
    case 'string':
      if (typeof value !== 'string') return `${name} must be a string`
      if (rule.notEmpty && value.trim() === '') return `${name} should not be empty`
      // Length in characters (code points), as class-validator's MaxLength counts them.
      if ([...value].length > rule.max) {
        return `${name} must be shorter than or equal to ${rule.max} characters`
      }
      return { value }
    case 'enum':
      if (typeof value !== 'string' || !rule.values.includes(value)) {
        return `${name} must be one of the following values: ${list(rule)}`
      }
      return { value }
    case 'enumArray': {
      if (!Array.isArray(value)) return `${name} must be an array`
      // An asset needs at least one class type (assumption: the app never saves one without).
      if (value.length === 0) return `${name} should not be empty`
      if (value.some((v) => typeof v !== 'string' || !rule.values.includes(v))) {
        return `each value in ${name} must be one of the following values: ${list(rule)}`
      }
      if (new Set(value).size !== value.length) return `All ${name}'s elements must be unique`
      return { value: [...(value as string[])] }
    }
    case 'id': {
      const n = form && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
      if (typeof n !== 'number' || !Number.isFinite(n)) {
        return `${name} must be a number conforming to the specified constraints`
      }
      if (!Number.isInteger(n) || n < 1) return `${name} must be a positive integer`
      const max = rule.max ?? 1_000_000_000
      if (n > max) return `${name} must not be greater than ${max}`
      return { value: n }
    }
    case 'dateTime':
      if (typeof value !== 'string' || !isIsoDateTime(value)) {
        return `${name} must be a valid ISO 8601 date string`
      }
      return { value: new Date(value).toISOString() }
    case 'customFields':
      return checkCustomFields(name, value)
  }
}

function checkCustomFields(name: string, value: unknown): { value: CustomFieldInput[] } | string {
  if (!Array.isArray(value)) return `${name} must be an array`
  const fields: CustomFieldInput[] = []
  for (const [i, item] of value.entries()) {
    const at = `${name}.${i}`
    if (!isJsonObject(item)) return `${at} must be an object`
    const extra = Object.keys(item).find((k) => !['id', 'name', 'value'].includes(k))
    if (extra !== undefined) return `${at}.property ${extra} should not exist`
    const { id, name: fieldName, value: fieldValue } = item
    if (id !== undefined && !(typeof id === 'number' && Number.isInteger(id) && id > 0)) {
      return `${at}.id must be a positive integer`
    }
    if (fieldName !== undefined && typeof fieldName !== 'string') {
      return `${at}.name must be a string`
    }
    if (id === undefined && fieldName === undefined) return `${at}.id or ${at}.name is required`
    if (fieldValue === undefined) return `${at}.value should not be null or undefined`
    if (fieldValue !== null && typeof fieldValue !== 'string') {
      return `${at}.value must be a string`
    }
    fields.push({
      ...(id === undefined ? {} : { id }),
      ...(fieldName === undefined ? {} : { name: fieldName }),
      value: fieldValue,
    })
  }
  return { value: fields }
}
