import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { type Sandbox, startSandbox } from '../sandbox/server.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const KEY = 'drk_cli_secret_0123456789'

/** Runs `npm run drata -- …` as package.json does (node with the src resolve hook), no npm. */
function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      './scripts/src-resolve.mjs',
      '--experimental-transform-types',
      '--disable-warning=ExperimentalWarning',
      'scripts/drata.ts',
      ...args,
    ],
    { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

let sandbox: Sandbox | undefined
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
})

describe('npm run drata -- connections', () => {
  it('without a key or URL lists the connections of an in-process sandbox, with ids', async () => {
    const run = await cli(['connections'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /^2 Custom Connections at the local sandbox \(http:\/\/127\.0\.0\.1:\d+\/public\/v2\):\n/,
    )
    expect(run.stdout).toContain(
      "connection 1  'GitHub evidence'\n  resource 1  'Builds'\n  resource 2  'Releases'\nconnection 2  'Nightly posture'\n  resource 3  'Repository'",
    )
  })

  it('with DRATA_API_KEY and --api-url lists what that key sees, and never prints the key', async () => {
    sandbox = await startSandbox({
      keys: { [KEY]: {} },
      resources: [
        { connectionId: 7, resourceId: 70, connectionAlias: 'Mine', resourceName: 'Evidence' },
        {
          connectionId: 7,
          resourceId: 71,
          resourceName: 'Old',
          deletedAt: '2025-01-01T00:00:00.000Z',
        },
        { connectionId: 8, resourceId: 80, connectionAlias: null },
        // A name someone pasted the key into: Drata's data, printed redacted all the same.
        { connectionId: 9, resourceId: 90, connectionAlias: 'Pasted', resourceName: `k ${KEY}` },
      ],
    })
    const run = await cli(['connections', '--api-url', sandbox.url], { DRATA_API_KEY: KEY })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("resource 90  'k ***'")
    expect(run.stdout).toContain(
      "connection 7  'Mine'\n  resource 70  'Evidence'\n  resource 71  'Old'  (deleted 2025-01-01T00:00:00.000Z)\nconnection 8  (no name)",
    )
    expect(run.stdout + run.stderr).not.toContain(KEY)
  })

  it('fails with the reason, the key redacted, when Drata refuses', async () => {
    sandbox = await startSandbox({ keys: { [KEY]: {} } })
    sandbox.addFault({ kind: 'echo-auth', status: 400, times: 10 })
    const run = await cli(['connections', '--api-url', sandbox.url], { DRATA_API_KEY: KEY })
    expect(run.code).toBe(1)
    // Drata's message echoed the key (in several encodings): it is printed, redacted.
    expect(run.stderr).toContain('Drata rejected the request to list the Custom Connections')
    expect(run.stderr).toContain('***')
    expect(run.stdout + run.stderr).not.toContain(KEY)
  })

  it('refuses plain http to a host that is not loopback, and a URL without a key', async () => {
    const http = await cli(['connections', '--api-url', 'http://drata.example/public/v2'], {
      DRATA_API_KEY: KEY,
    })
    expect(http.code).toBe(1)
    expect(http.stderr).toContain("'api-url' must use https")
    const nokey = await cli(['connections', '--api-url', 'https://drata.example/public/v2'])
    expect(nokey.code).toBe(2)
    expect(nokey.stderr).toContain('DRATA_API_KEY is not set')
  })
})
