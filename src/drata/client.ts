import { type Dispatcher, type FormData, request } from 'undici'
import { envProxyAgent } from './env-proxy.js'
import { redactor } from '../secrets.js'
import {
  type ApiError,
  errorForStatus,
  isRetryableStatus,
  networkError,
  type Operation,
  waitRefusedError,
} from './errors.js'
import type { Logger } from '../runtime.js'
import { Pacer, realSleep, type Sleep } from './pacer.js'
import {
  backoffDelay,
  DEFAULT_RETRY_WAIT_MS,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  RetryBudget,
} from './retry.js'

export type { Logger } from '../runtime.js'

/**
 * `idempotent` requests are retried on 429, 5xx and network errors (an upsert by id repeated is
 * harmless). `unsafe` ones (session actions) are retried only on 429, which Drata sends before
 * doing anything; for the rest the caller must first find out whether the request took effect.
 */
export type RetryPolicy = 'idempotent' | 'unsafe'

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Path below the base URL, e.g. `/custom-connections/1/resources/2/records`. */
  path: string
  /** Query parameters; an array repeats the name (`expand[]=a&expand[]=b`). */
  query?: Record<string, string | number | boolean | readonly string[] | undefined>
  body?: unknown
  /** A JSON body already serialized (bulk uploads reuse each record's text); wins over `body`. */
  json?: string | Buffer
  /** A multipart body instead of JSON (undici sets the content type with its boundary). */
  form?: FormData
  op: Operation
  retry: RetryPolicy
}

export interface ClientOptions {
  baseUrl: string
  apiKey: string
  region: string
  maxRetries: number
  /** Bounds each attempt as a whole: connecting, the headers and the whole body. */
  timeoutMs: number
  /** All waits between retries of this client, together ('retry-wait'); default 300 s. */
  retryWaitMs?: number
  /** Other secrets (the GitHub token) to remove from server answers, besides the API key. */
  secrets?: readonly string[]
  logger: Logger
  /** Default: undici's EnvHttpProxyAgent (HTTPS_PROXY, HTTP_PROXY, NO_PROXY). */
  dispatcher?: Dispatcher
  /** The signal that ends one attempt after `ms`; injected so tests need not wait. */
  deadline?: (ms: number) => AbortSignal
  pacer?: Pacer
  sleep?: Sleep
  now?: () => number
  random?: () => number
  /** Aborts every request and wait (the job is being cancelled). */
  signal?: AbortSignal
}

/** Counters for the summary. */
export interface ClientStats {
  requests: number
  retries: number
}

/** The one way this action talks to Drata: auth, JSON, timeouts, pacing, retries, errors. */
export class DrataClient {
  readonly stats: ClientStats = { requests: 0, retries: 0 }
  private readonly dispatcher: Dispatcher
  private readonly pacer: Pacer
  private readonly sleep: Sleep
  private readonly now: () => number
  private readonly random: () => number
  private readonly budget: RetryBudget
  private readonly deadline: (ms: number) => AbortSignal
  private readonly clean: (text: string) => string

  constructor(private readonly options: ClientOptions) {
    // Proxies as the runner's own tools and the GitHub calls honour them. TLS options are left
    // alone: verification stays on, and Node's CA store includes NODE_EXTRA_CA_CERTS.
    this.dispatcher =
      options.dispatcher ??
      envProxyAgent({
        connect: { timeout: options.timeoutMs },
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      })
    this.budget = new RetryBudget(options.retryWaitMs ?? DEFAULT_RETRY_WAIT_MS)
    this.deadline = options.deadline ?? ((ms) => AbortSignal.timeout(ms))
    this.clean = redactor([options.apiKey, ...(options.secrets ?? [])])
    this.sleep = options.sleep ?? realSleep
    this.now = options.now ?? Date.now
    this.random = options.random ?? Math.random
    this.pacer = options.pacer ?? new Pacer({ now: this.now, sleep: this.sleep })
  }

  /** Sends a request, retrying what is safe to retry; resolves to the parsed JSON body. */
  async request<T>(spec: RequestSpec): Promise<T> {
    const signal = this.options.signal
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted()
      await this.pacer.take(signal)
      this.stats.requests++
      let failure: ApiError
      let retryAfterMs: number | undefined
      // One deadline for the whole exchange: undici's own timeouts are per phase and restart
      // with every body chunk, so a body dripping in would never time out.
      const deadline = this.deadline(this.options.timeoutMs)
      let timedOut = false
      try {
        const res = await request(this.url(spec), {
          method: spec.method,
          dispatcher: this.dispatcher,
          headers: {
            authorization: `Bearer ${this.options.apiKey}`,
            accept: 'application/json',
            ...(spec.body === undefined && spec.json === undefined
              ? {}
              : { 'content-type': 'application/json' }),
          },
          body:
            spec.form ??
            spec.json ??
            (spec.body === undefined ? undefined : JSON.stringify(spec.body)),
          signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
        })
        const ok = res.statusCode >= 200 && res.statusCode < 300
        // A success is data the run decides on (ids of records and sessions): parsed as sent.
        // A refusal becomes a message, so secrets it echoes are removed first. Whatever the step
        // prints passes through its own redaction as well.
        const body = await readBody(res.body, ok ? undefined : this.clean)
        if (ok) return body as T
        failure = errorForStatus(res.statusCode, body, spec.op, {
          region: this.options.region,
          retries: attempt,
        })
        retryAfterMs = parseRetryAfter(header(res.headers['retry-after']), this.now())
      } catch (error) {
        if (signal?.aborted) throw signal.reason
        timedOut = deadline.aborted
        failure = networkError(
          error,
          spec.op,
          attempt,
          timedOut ? this.options.timeoutMs : undefined,
        )
      }
      if (!this.shouldRetry(failure, spec.retry, attempt)) throw failure
      const delay = retryAfterMs ?? backoffDelay(attempt, this.random)
      const refused = {
        waitMs: delay,
        retryAfter: retryAfterMs !== undefined,
        leftMs: this.budget.leftMs,
        budgetMs: this.budget.totalMs,
        retries: attempt,
      }
      if (delay > MAX_RETRY_AFTER_MS)
        throw waitRefusedError(failure, spec.op, { ...refused, capMs: MAX_RETRY_AFTER_MS })
      if (!this.budget.take(delay)) throw waitRefusedError(failure, spec.op, refused)
      this.stats.retries++
      this.options.logger.info(
        `${spec.method} ${spec.path}: ${failure.status ? `Drata answered ${failure.status}` : timedOut ? `no complete answer within ${this.options.timeoutMs / 1000}s` : 'no response'}; retry ${attempt + 1} of ${this.options.maxRetries} in ${(delay / 1000).toFixed(1)}s${retryAfterMs === undefined ? '' : ' (Retry-After)'}`,
      )
      await this.sleep(delay, signal)
    }
  }

  /** Releases pooled connections so the process can exit promptly. */
  async close(): Promise<void> {
    if (!this.options.dispatcher) await this.dispatcher.close()
  }

  private shouldRetry(failure: ApiError, policy: RetryPolicy, attempt: number): boolean {
    if (attempt >= this.options.maxRetries) return false
    if (policy === 'unsafe') return failure.status === 429
    return failure.status === 0 ? failure.retryable : isRetryableStatus(failure.status)
  }

  private url(spec: RequestSpec): string {
    const url = new URL(this.options.baseUrl + spec.path)
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (Array.isArray(value))
        for (const item of value as string[]) url.searchParams.append(key, item)
      else if (value !== undefined) url.searchParams.set(key, String(value))
    }
    return url.toString()
  }
}

/**
 * Reads the whole body (under the attempt's deadline) and parses it. With `clean`, secrets the
 * answer echoes are removed first, before a long text is cut short and could leave half a
 * secret behind.
 */
async function readBody(
  body: Dispatcher.ResponseData['body'],
  clean?: (text: string) => string,
): Promise<unknown> {
  const raw = await body.text()
  const text = clean ? clean(raw) : raw
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return { message: text.slice(0, 500) }
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
