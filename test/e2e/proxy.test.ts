import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, request, type Server } from 'node:http'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createServer as createTlsServer } from 'node:tls'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { useSandbox } from '../sandbox/hooks.ts'
import { type ActionResult, runAction, sandboxInputs } from './harness.ts'

const sandbox = useSandbox()
const cleanups: Array<() => Promise<void> | void> = []
// Runs before useSandbox's afterEach closes the sandbox (vitest runs after-hooks last first).
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface Proxy {
  url: string
  /** Absolute-URI requests forwarded (plain http targets). */
  forwarded: Array<{ url: string; authorization: string | undefined }>
  /** CONNECT tunnels opened (https targets), as host:port. */
  tunnels: string[]
}

/** A tiny forward proxy: absolute-URI requests and CONNECT, stopped after the test. */
async function startProxy(): Promise<Proxy> {
  const sockets = new Set<Socket>()
  const proxy: Proxy = { url: '', forwarded: [], tunnels: [] }
  const server: Server = createServer((req: IncomingMessage, res) => {
    const target = new URL(req.url ?? '')
    proxy.forwarded.push({ url: req.url ?? '', authorization: req.headers.authorization })
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    proxy.tunnels.push(req.url ?? '')
    const [host = '', port = ''] = (req.url ?? '').split(':')
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => undefined)
      s.on('close', () => sockets.delete(s))
    }
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  cleanups.push(async () => {
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return proxy
}

async function run(inputs: Record<string, string>, env: Record<string, string>) {
  const result: ActionResult = await runAction({ inputs, env })
  cleanups.push(() => rmSync(result.dirs.root, { recursive: true, force: true }))
  return result
}

describe('Drata requests go through HTTP_PROXY / HTTPS_PROXY', () => {
  it('every request of a push goes through the proxy', async () => {
    const proxy = await startProxy()
    // undici's EnvHttpProxyAgent does not bypass loopback by itself: only NO_PROXY does, so
    // this test must not put 127.0.0.1 or localhost in NO_PROXY.
    const result = await run(sandboxInputs(sandbox().url, { records: '{"id":"a"}' }), {
      HTTP_PROXY: proxy.url,
      HTTPS_PROXY: proxy.url,
    })
    expect(result.code).toBe(0)
    expect(
      sandbox()
        .activeRecords(1, 1)
        .map((r) => r.id),
    ).toEqual(['a'])
    expect(sandbox().requests.length).toBeGreaterThanOrEqual(2)
    // undici 6 (the one copy this bundle shares with @actions/http-client) tunnels plain http
    // through CONNECT too, as it does https: the proxy sees tunnels to the sandbox, not the
    // requests. That none goes around the proxy is shown by the unreachable-proxy test below.
    expect(proxy.tunnels.length).toBeGreaterThanOrEqual(1)
    expect(new Set(proxy.tunnels)).toEqual(new Set([new URL(sandbox().url).host]))
    expect(proxy.forwarded).toHaveLength(0)
  })

  it('NO_PROXY takes the host out of the proxy', async () => {
    const proxy = await startProxy()
    const result = await run(sandboxInputs(sandbox().url, { records: '{"id":"a"}' }), {
      HTTP_PROXY: proxy.url,
      NO_PROXY: 'example.com,127.0.0.1',
    })
    expect(result.code).toBe(0)
    expect(proxy.forwarded).toHaveLength(0)
    expect(proxy.tunnels).toHaveLength(0)
    expect(sandbox().requests.length).toBeGreaterThanOrEqual(2)
  })

  it('a proxy that cannot be reached fails the run with advice about the proxy', async () => {
    const result = await run(
      sandboxInputs(sandbox().url, { records: '{"id":"a"}', 'max-retries': '0' }),
      { HTTP_PROXY: 'http://127.0.0.1:9' },
    )
    expect(result.code).toBe(1)
    expect(sandbox().requests).toHaveLength(0)
    expect(result.stdout).toMatch(/::error::Could not reach Drata .*HTTPS_PROXY\/NO_PROXY/)
  })
})

describe('https through a CONNECT tunnel keeps verifying certificates', () => {
  /** A self-signed certificate for 127.0.0.1 and a TLS front for the sandbox using it. */
  async function tlsSandbox(): Promise<{ url: string; certFile: string }> {
    const dir = mkdtempSync(path.join(tmpdir(), 'drata-tls-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const keyFile = path.join(dir, 'key.pem')
    const certFile = path.join(dir, 'cert.pem')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    )
    const sockets = new Set<Socket>()
    const server = createTlsServer(
      { key: readFileSync(keyFile), cert: readFileSync(certFile) },
      (client) => {
        const upstream = connect(sandbox().port, '127.0.0.1')
        client.pipe(upstream).pipe(client)
        for (const s of [client, upstream]) {
          sockets.add(s)
          s.on('error', () => undefined)
          s.on('close', () => sockets.delete(s))
        }
      },
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    })
    const { port } = server.address() as AddressInfo
    return { url: `https://127.0.0.1:${port}/public/v2`, certFile }
  }

  it('trusts a certificate from NODE_EXTRA_CA_CERTS, and refuses it without', async () => {
    const proxy = await startProxy()
    const tls = await tlsSandbox()
    const inputs = sandboxInputs(tls.url, { records: '{"id":"a"}' })

    const refused = await run(inputs, { HTTPS_PROXY: proxy.url })
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain(
      '::error::Could not reach Drata to list sessions: the TLS certificate presented was not trusted (DEPTH_ZERO_SELF_SIGNED_CERT). Behind a proxy that inspects TLS, point NODE_EXTRA_CA_CERTS',
    )
    // Not retried: waiting does not make a certificate trusted.
    expect(refused.stdout).not.toContain('retry 1 of')
    expect(sandbox().requests).toHaveLength(0)

    const trusted = await run(inputs, { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: tls.certFile })
    expect(trusted.code).toBe(0)
    expect(
      sandbox()
        .activeRecords(1, 1)
        .map((r) => r.id),
    ).toEqual(['a'])
    expect(proxy.tunnels.length).toBeGreaterThanOrEqual(2)
    expect(new Set(proxy.tunnels)).toEqual(new Set([new URL(tls.url).host]))
    expect(proxy.forwarded).toHaveLength(0)
  })
})
