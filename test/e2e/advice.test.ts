import { afterEach, describe, expect, it } from 'vitest'
import { useSandboxes } from '../sandbox/hooks.ts'
import type { SandboxOptions } from '../sandbox/server.ts'
import { type ActionRun, removeDirs, runAction, sandboxInputs } from './harness.ts'

const start = useSandboxes()
// The runs' job directories go after each test rather than after the file.
afterEach(removeDirs)

async function run(options: SandboxOptions, inputs: Record<string, string>, extra: ActionRun = {}) {
  const sandbox = await start(options)
  return runAction({ inputs: sandboxInputs(sandbox.url, inputs), ...extra })
}

const errorLine = (stdout: string) =>
  stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''

describe('each error gives the advice of what failed', () => {
  it('a 422 on creating an asset points at the asset inputs, not at a session', async () => {
    const sandbox = await start()
    sandbox.addFault({
      method: 'POST',
      path: '/assets',
      kind: 'status',
      status: 422,
      message: 'ownerId is invalid',
    })
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        collect: 'none',
        asset: 'upsert',
        'asset-owner-id': '1',
        environment: 'production',
      }),
    })
    const error = errorLine(result.stdout)
    expect(error).toContain(
      "Drata refused to create asset 'shop (production)' (422): ownerId is invalid.",
    )
    expect(error).toContain("'asset-owner-id'")
    expect(error).not.toContain('session')
  })

  it('a review file too large for Drata says so, not to lower batch-size', async () => {
    const result = await run(
      { maxBodyBytes: 2000 },
      {
        'vendor-id': '12',
        collect: 'none',
        'vendor-review-file': 'reports/soc2.pdf',
        'vendor-review-document-type': 'SOC_DOCUMENT',
      },
      { files: { 'reports/soc2.pdf': `%PDF-1.4 ${'x'.repeat(5000)}` } },
    )
    const error = errorLine(result.stdout)
    expect(error).toContain('as too large (413)')
    expect(error).toContain("'vendor-review-file' is larger than Drata accepts")
    expect(error).not.toContain('batch-size')
  })

  it('a key limited to other IP addresses says so', async () => {
    const result = await run(
      { keys: { 'sandbox-key': { allowedIps: ['203.0.113.7'] } } },
      { records: '{"id":"a"}' },
    )
    expect(result.code).toBe(1)
    expect(errorLine(result.stdout)).toContain(
      "::error::Drata refused the API key from this runner's IP address (401: API key not allowed from this IP address) to list sessions.",
    )
  })

  it('an unknown key points at the key and the region', async () => {
    const result = await run({ keys: { 'another-key': {} } }, { records: '{"id":"a"}' })
    expect(errorLine(result.stdout)).toContain(
      "::error::Drata does not know the API key (401: API key not found) used to list sessions. Check that 'api-key' holds a current key",
    )
  })
})
