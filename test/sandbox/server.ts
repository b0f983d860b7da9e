import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { AssetStore, FULL_ASSET_VIEW } from './assets.ts'
import { RateLimiter } from './auth.ts'
import { buildConnections } from './connections.ts'
import { CONTROL_PREFIX, handleControl } from './control.ts'
import { DEFAULT_USERS, DEFAULT_VENDORS, Directory } from './directory.ts'
import { badRequest, CODES, HttpError, notFound, plainError, publicError } from './errors.ts'
import { EventLog } from './events.ts'
import { echoReply, FaultList, faultReply, mangleList } from './faults.ts'
import { isMultipart, type ParsedForm, parseMultipart, summarizeForm } from './multipart.ts'
import { type ApiContext, handleApi } from './routes.ts'
import { Store } from './store.ts'
import type {
  FaultSpec,
  KeyProfile,
  RequestHook,
  RequestLogEntry,
  Sandbox,
  SandboxOptions,
  SandboxReview,
} from './types.ts'
import { ReviewStore } from './vendors.ts'

export type * from './types.ts'

const API_PREFIX = '/public/v2'
const CONTROL_BODY_LIMIT = 64 * 1024 * 1024

interface Reply {
  status: number
  headers?: Record<string, string>
  body?: unknown
}

interface Context extends ApiContext {
  sandbox: Sandbox
  faults: FaultList
  limiter: RateLimiter
  hooks: RequestHook[]
  maxBodyBytes: number
  closing: AbortSignal
}

/**
 * Starts a local server that behaves like Drata's public API v2 for custom data records and
 * sessions, assets, vendor security reviews and events.
 */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const now = opts.now ?? (() => new Date())
  const resources = opts.resources ?? [{ connectionId: 1, resourceId: 1 }]
  // A soft-deleted resource is listed, but takes no records.
  const store = new Store(
    resources.filter((r) => r.deletedAt === undefined),
    now,
    { stagedInActive: opts.stagedInActive },
  )
  const directory = new Directory(
    opts.users ?? DEFAULT_USERS,
    opts.vendors ?? DEFAULT_VENDORS,
    resources.map((r) => r.connectionId),
  )
  const connections = buildConnections(resources, directory.adminUserId())
  const keys = opts.keys ?? { 'sandbox-key': {} }
  checkKeyUsers(keys, directory)
  const assets = new AssetStore(now, directory)
  const reviews = new ReviewStore(now, directory)
  const events = new EventLog(now)
  const faults = new FaultList()
  const hooks: RequestHook[] = []
  const requests: RequestLogEntry[] = []
  const closing = new AbortController()
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  const sandbox: Sandbox = {
    url: `http://127.0.0.1:${port}${API_PREFIX}`,
    port,
    requests,
    addFault: (f: FaultSpec) => faults.add(f),
    clearFaults: () => faults.clear(),
    state: () => ({
      ...store.state(),
      assets: assets.list().map((a) => assets.view(a, FULL_ASSET_VIEW)),
      vendorReviews: reviews.all().map(copyReview),
      events: events.all(),
    }),
    activeRecords: (connectionId, resourceId) => store.activeRecords({ connectionId, resourceId }),
    seed: (connectionId, resourceId, records, seedOpts) =>
      store.seed({ connectionId, resourceId }, records, seedOpts),
    upsertDirect: (connectionId, resourceId, record) =>
      store.upsertDirect({ connectionId, resourceId }, record),
    seedSession: (connectionId, resourceId, sessionId, seedOpts) =>
      store.seedSession({ connectionId, resourceId }, sessionId, seedOpts),
    assets: () => assets.list().map((a) => assets.view(a, FULL_ASSET_VIEW)),
    vendorReviews: (vendorId) => {
      if (!directory.hasVendor(vendorId))
        throw new Error(`vendorReviews: unknown vendor ${vendorId}`)
      return reviews
        .all()
        .filter((r) => r.vendorId === vendorId)
        .map(copyReview)
    },
    events: () => events.all(),
    seedAsset: (partial) => assets.view(assets.seed(partial), FULL_ASSET_VIEW),
    onRequest: (hook) => {
      hooks.push(hook)
    },
    close: async () => {
      closing.abort()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Keep-alive sockets would otherwise hold close() open until they time out.
      server.closeAllConnections()
      await closed
    },
  }

  const ctx: Context = {
    sandbox,
    store,
    keys,
    directory,
    assets,
    reviews,
    events,
    connections,
    faults,
    limiter: new RateLimiter(opts.rateLimitPerMinute ?? 500, now),
    hooks,
    maxBodyBytes: opts.maxBodyBytes ?? 5 * 1024 * 1024,
    closing: closing.signal,
  }
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(ctx, req, res).catch((error: unknown) => {
      if (ctx.closing.aborted) return
      const body = { statusCode: 500, message: String(error), code: CODES.internal }
      write(res, { status: 500, body })
    })
  })
  return sandbox
}

async function handleRequest(ctx: Context, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid')
  const method = req.method ?? 'GET'
  // Read now: a destroyed socket no longer knows its peer, and a delayed request still counts.
  const ip = req.socket.remoteAddress ?? 'unknown'
  const isControl = url.pathname.startsWith(CONTROL_PREFIX)
  const { bytes, tooLarge } = await readBody(req, isControl ? CONTROL_BODY_LIMIT : ctx.maxBodyBytes)
  if (isControl) {
    const body = tooLarge ? undefined : parseLoose(bytes)
    write(res, handleControl(ctx.sandbox, method, url.pathname, body))
    return
  }

  const underApi = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`)
  const path = underApi ? url.pathname.slice(API_PREFIX.length) : url.pathname
  // Parsing a multipart body is async, so it happens here rather than in apply(); it has no
  // effect until a route that takes multipart (after the guards) looks at the result.
  const contentType = req.headers['content-type']
  const form =
    !tooLarge && isMultipart(contentType) ? await parseMultipart(bytes, contentType ?? '') : null
  const logged =
    form && !('error' in form) ? summarizeForm(form) : tooLarge ? undefined : parseLoose(bytes)
  const entry: RequestLogEntry = {
    method,
    path,
    query: Object.fromEntries(url.searchParams),
    status: 0,
    body: logged,
    at: Date.now(),
  }
  ctx.sandbox.requests.push(entry)
  for (const hook of ctx.hooks) await hook({ method, path, body: logged })

  // Faults stand in for the network and gateways in front of Drata, so they act before auth.
  const fault = ctx.faults.take(method, path)
  if (fault?.kind === 'drop') return void req.socket.destroy()
  if (fault?.kind === 'status') return void send(res, entry, faultReply(fault))
  if (fault?.kind === 'echo-auth') {
    return void send(res, entry, echoReply(fault, req.headers.authorization))
  }
  if (fault?.kind === 'drip') return drip(res, entry, fault, ctx.closing)
  if (fault?.kind === 'delay') await sleep(fault.delayMs ?? 0, undefined, { signal: ctx.closing })
  if (fault?.kind === 'not-applied') return void send(res, entry, { status: 200, body: {} })

  // A delayed request is applied even if its client has gone: the server would not notice.
  const reply = apply(ctx, req, { method, url, path, underApi, bytes, tooLarge, ip, form })
  if (fault?.kind === 'drop-after-apply') return void req.socket.destroy()
  if (fault?.kind === 'status-after-apply') return void send(res, entry, faultReply(fault))
  if (fault && reply.status === 200) {
    reply.body = mangleList(fault, reply.body, url.searchParams.get('cursor'))
  }
  send(res, entry, reply)
}

interface Incoming {
  method: string
  url: URL
  path: string
  underApi: boolean
  bytes: Buffer
  tooLarge: boolean
  ip: string
  form: ParsedForm | { error: string } | null
}

// Express order: gateway rate limit, then body parser (413, malformed JSON), then routing,
// guards and pipes inside handleApi. Only answers from here on change state.
function apply(ctx: Context, req: IncomingMessage, inc: Incoming): Reply {
  try {
    // Limiting by socket address is what "per client IP" means here; proxies are out of scope.
    if (!ctx.limiter.allow(inc.ip)) {
      throw plainError(429, 'Too Many Requests')
    }
    if (inc.tooLarge) throw publicError(413, 'request entity too large')
    const body = parseStrict(inc.bytes, req.headers['content-type'])
    if (!inc.underApi) throw notFound(`Cannot ${inc.method} ${inc.url.pathname}`)
    return handleApi(ctx, {
      method: inc.method,
      path: inc.path,
      query: inc.url.searchParams,
      body,
      form: inc.form,
      authorization: req.headers.authorization,
      ip: inc.ip,
    })
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, body: error.body }
    return {
      status: 500,
      body: { statusCode: 500, message: 'Internal server error', code: CODES.internal },
    }
  }
}

// Like express.json(): only JSON content types are parsed, anything else leaves no body.
function parseStrict(bytes: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  const isJson = type === 'application/json' || type.endsWith('+json')
  if (!isJson || bytes.length === 0) return undefined
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch (error) {
    throw badRequest(error instanceof Error ? error.message : 'Malformed JSON body')
  }
}

// Every key must act as a user of the account: events and review defaults name it.
function checkKeyUsers(keys: Record<string, KeyProfile>, directory: Directory): void {
  for (const [key, profile] of Object.entries(keys)) {
    const userId = profile.userId ?? 1
    if (!directory.hasUser(userId)) {
      throw new Error(`API key ${key} acts as user ${userId}, which is not in users`)
    }
  }
}

function copyReview(review: SandboxReview): SandboxReview {
  return structuredClone(review)
}

function parseLoose(bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined
  const text = bytes.toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

// Reads the whole body but keeps at most `limit` bytes, so an oversize upload is drained
// (the client sees the 413 instead of a reset) without being buffered.
async function readBody(req: IncomingMessage, limit: number) {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size <= limit) chunks.push(chunk)
  }
  return { bytes: Buffer.concat(chunks), tooLarge: size > limit }
}

/** Sends a valid JSON page, one byte every `intervalMs`, until the client or the sandbox quits. */
async function drip(
  res: ServerResponse,
  entry: RequestLogEntry,
  fault: FaultSpec,
  closing: AbortSignal,
): Promise<void> {
  entry.status = fault.status ?? 200
  const payload = `${' '.repeat(100_000)}{"data":[],"pagination":{"cursor":null}}`
  res.writeHead(entry.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(payload.length),
  })
  const gone = AbortSignal.any([closing, abortOnClose(res)])
  for (const char of payload) {
    if (gone.aborted || res.destroyed) return
    res.write(char)
    await sleep(fault.intervalMs ?? 1000, undefined, { signal: gone }).catch(() => undefined)
  }
  res.end()
}

function abortOnClose(res: ServerResponse): AbortSignal {
  const controller = new AbortController()
  res.once('close', () => controller.abort())
  return controller.signal
}

function send(res: ServerResponse, entry: RequestLogEntry, reply: Reply): void {
  entry.status = reply.status
  write(res, reply)
}

function write(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.headersSent) return
  if (reply.body === undefined) {
    res.writeHead(reply.status, reply.headers ?? {}).end()
    return
  }
  const payload = JSON.stringify(reply.body)
  res
    .writeHead(reply.status, {
      ...reply.headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(payload)),
    })
    .end(payload)
}
