import { STATUS_CODES } from 'node:http'
import { CODES } from './errors.ts'
import type { FaultSpec } from './types.ts'

const KINDS = [
  'status',
  'drop',
  'drop-after-apply',
  'status-after-apply',
  'delay',
  'drip',
  'echo-auth',
  'not-applied',
  'no-pagination',
  'no-total',
  'repeat-cursor',
  'empty-list',
]

interface ArmedFault {
  spec: FaultSpec
  skipLeft: number
  timesLeft: number
}

/** Injected failures, consumed by matching API requests in the order they were added. */
export class FaultList {
  #faults: ArmedFault[] = []

  /** Arms a fault; throws on a spec that could never behave as written. */
  add(spec: FaultSpec): void {
    if (!KINDS.includes(spec.kind)) throw new Error(`Unknown fault kind: ${String(spec.kind)}`)
    if (spec.kind === 'drip' && spec.intervalMs !== undefined && !(spec.intervalMs > 0)) {
      throw new Error("A 'drip' fault needs intervalMs > 0")
    }
    if (spec.kind === 'delay' && !(typeof spec.delayMs === 'number' && spec.delayMs >= 0)) {
      throw new Error("A 'delay' fault needs delayMs >= 0")
    }
    const status = spec.status ?? 500
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new Error(`Invalid fault status: ${String(spec.status)}`)
    }
    const times = spec.times ?? 1
    const skip = spec.skip ?? 0
    if (!(times >= 1 && skip >= 0)) throw new Error('A fault needs times >= 1 and skip >= 0')
    this.#faults.push({ spec: { ...spec }, skipLeft: skip, timesLeft: times })
  }

  /** Disarms every fault. */
  clear(): void {
    this.#faults = []
  }

  /** The fault that fires for this request, if any; counts it against skip/times. */
  take(method: string, path: string): FaultSpec | null {
    for (const fault of this.#faults) {
      if (!matches(fault.spec, method, path)) continue
      // A fault still skipping lets the request past it, so a later fault may take it.
      if (fault.skipLeft > 0) {
        fault.skipLeft--
        continue
      }
      fault.timesLeft--
      if (fault.timesLeft === 0) this.#faults = this.#faults.filter((f) => f !== fault)
      return fault.spec
    }
    return null
  }
}

function matches(spec: FaultSpec, method: string, path: string): boolean {
  if (spec.method !== undefined && spec.method.toUpperCase() !== method.toUpperCase()) return false
  if (spec.path === undefined) return true
  // search() ignores lastIndex, so a /g regex does not match only every other request.
  return typeof spec.path === 'string' ? path.includes(spec.path) : path.search(spec.path) !== -1
}

/** Status, headers and ExceptionResponseDto body that a 'status' fault answers with. */
export function faultReply(spec: FaultSpec): {
  status: number
  headers: Record<string, string>
  body: Record<string, unknown>
} {
  const status = spec.status ?? 500
  const headers: Record<string, string> = {}
  if (spec.retryAfter !== undefined) headers['retry-after'] = spec.retryAfter
  const message = spec.message ?? STATUS_CODES[status] ?? 'Injected failure'
  return { status, headers, body: { statusCode: status, message, code: CODES.injected } }
}

/** The error an 'echo-auth' fault answers with: the secrets in many encodings. */
export function echoReply(
  spec: FaultSpec,
  authorization: string | undefined,
): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  const key = /^Bearer +(\S+)/i.exec(authorization ?? '')?.[1]
  const secrets = [...(key ? [key] : []), ...(spec.echo ?? [])]
  const lines = secrets.flatMap((secret) => {
    const bytes = Buffer.from(secret)
    const bearer = Buffer.from(`Bearer ${secret}`).toString('base64')
    return [
      `raw=${secret}`,
      `base64=${bytes.toString('base64')}`,
      `base64url=${bytes.toString('base64url')}`,
      `hex=${bytes.toString('hex')}`,
      `url=${encodeURIComponent(secret)}`,
      `json=${JSON.stringify(secret)}`,
      `header-base64=${bearer}`,
      // MIME wraps base64 at 76 characters.
      `wrapped=${(bearer + bearer).replace(/.{76}/g, '$&\r\n')}`,
    ]
  })
  const status = spec.status ?? 500
  const message = `Could not process request; debug: ${lines.join('\n')}`
  return { status, headers: {}, body: { statusCode: status, message, code: CODES.injected } }
}

/** A list answer changed the way a `no-pagination`, `no-total` or `repeat-cursor` fault says. */
export function mangleList(spec: FaultSpec, body: unknown, requestCursor: string | null): unknown {
  if (typeof body !== 'object' || body === null || !('pagination' in body)) return body
  const { pagination, ...rest } = body as { pagination: Record<string, unknown> }
  if (spec.kind === 'no-pagination') return rest
  if (spec.kind === 'empty-list') return { ...rest, data: [], pagination: { cursor: null } }
  if (spec.kind === 'no-total') {
    const { totalCount: _, ...kept } = pagination
    return { ...rest, pagination: kept }
  }
  if (spec.kind === 'repeat-cursor' && requestCursor !== null) {
    return { ...rest, pagination: { ...pagination, cursor: requestCursor } }
  }
  return body
}
