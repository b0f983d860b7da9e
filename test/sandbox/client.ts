// A minimal fetch client for tests that talk to a running sandbox over real HTTP.
import type { Sandbox } from './types.ts'

/** The default API key of a sandbox started without `keys`. */
export const SANDBOX_KEY = 'sandbox-key'

/** A response with its JSON body parsed (undefined when empty). */
export interface Answer {
  status: number
  headers: Headers
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary response JSON
  body: any
}

export interface CallOptions {
  /** Bearer key; default {@link SANDBOX_KEY}; null sends no Authorization header. */
  key?: string | null
  signal?: AbortSignal
}

/** Sends `body` as JSON (when given) to `sb.url + path`. */
export function call(
  sb: Sandbox,
  method: string,
  path: string,
  body?: unknown,
  opts: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  return send(
    sb,
    method,
    path,
    body === undefined ? undefined : JSON.stringify(body),
    headers,
    opts,
  )
}

/** Sends a multipart/form-data body; fetch sets the boundary. */
export function callForm(
  sb: Sandbox,
  method: string,
  path: string,
  form: FormData,
  opts: CallOptions = {},
): Promise<Answer> {
  return send(sb, method, path, form, {}, opts)
}

async function send(
  sb: Sandbox,
  method: string,
  path: string,
  body: string | FormData | undefined,
  headers: Record<string, string>,
  opts: CallOptions,
): Promise<Answer> {
  const key = opts.key === undefined ? SANDBOX_KEY : opts.key
  if (key !== null) headers.authorization = `Bearer ${key}`
  const res = await fetch(`${sb.url}${path}`, { method, headers, body, signal: opts.signal })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
}

/** A clock that moves one second per reading, so every timestamp is distinct and ordered. */
export function tickingClock(start = Date.UTC(2025, 0, 1)) {
  let t = start
  const clock = () => {
    t += 1000
    return new Date(t)
  }
  const advance = (ms: number) => {
    t += ms
  }
  return Object.assign(clock, { advance })
}
