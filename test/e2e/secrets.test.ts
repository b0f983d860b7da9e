import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { useSandboxes } from '../sandbox/hooks.ts'
import type { Sandbox } from '../sandbox/server.ts'
import { type ActionResult, removeDirs, runAction, sandboxInputs } from './harness.ts'

// Characters that URL encoding, JSON escaping and base64 (+, /) each treat their own way.
const KEY = 'drata_Key/with+odd"chars\\&=?9f3c'
const TOKEN = 'ghs_T0ken/with+plus=42xyzABCDEF'

const start = useSandboxes()
// The runs' job directories go after each test rather than after the file.
afterEach(removeDirs)

/**
 * Every form the sandbox echoes a secret in (see echoReply), computed here independently:
 * raw, base64 (also inside `Bearer <key>`), base64url, hex, URL, JSON, and each line of base64
 * wrapped at 76 characters.
 */
function needles(secret: string): string[] {
  const b = Buffer.from(secret)
  const bearer = Buffer.from(`Bearer ${secret}`).toString('base64')
  const wrapped = (bearer + bearer).replace(/.{76}/g, '$&\n').split('\n')
  return [
    secret,
    b.toString('base64'),
    b.toString('base64').replace(/=+$/, ''),
    b.toString('base64url'),
    b.toString('hex'),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    // "Bearer " is 7 bytes: its base64 fixes the first 10 characters, the rest is the key's.
    bearer.slice(10, -4),
    ...wrapped.filter((line) => line.length >= 16),
  ]
}

/** Everything the step wrote where someone could read it, as the runner would keep it. */
function channels(result: ActionResult): Record<string, string> {
  const out: Record<string, string> = {
    // The runner consumes ::add-mask:: lines (that is how secrets are registered); it shows
    // none of them.
    stdout: result.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
    stderr: result.stderr,
  }
  for (const step of readdirSync(result.dirs.root).filter((d) => d.startsWith('step-'))) {
    for (const file of ['output', 'summary', 'state', 'env']) {
      out[`${step}/${file}`] = readFileSync(path.join(result.dirs.root, step, file), 'utf8')
    }
  }
  return out
}

function expectNoSecret(result: ActionResult): void {
  const all = [...needles(KEY), ...needles(TOKEN)]
  for (const [channel, text] of Object.entries(channels(result))) {
    for (const needle of all) expect(text, `${channel} holds ${needle}`).not.toContain(needle)
  }
}

/** Runs the action in debug mode against `sandbox` with both secrets as inputs. */
function run(sandbox: Sandbox, inputs: Record<string, string>): Promise<ActionResult> {
  return runAction({
    inputs: sandboxInputs(sandbox.url, { 'api-key': KEY, 'github-token': TOKEN, ...inputs }),
    env: { RUNNER_DEBUG: '1' },
  })
}

describe('secrets echoed by a server never leave the step in any form', () => {
  it('in a failed push: log, ::error::, outputs, summary and state', async () => {
    const sandbox = await start({ keys: { [KEY]: {} } })
    // A retried 503 and then a 400 on the upload, both echoing the key and the token.
    sandbox.addFault({
      method: 'GET',
      path: '/sessions',
      kind: 'echo-auth',
      status: 503,
      echo: [TOKEN],
    })
    sandbox.addFault({
      method: 'POST',
      path: /\/sessions\/gh-9001-1$/,
      kind: 'echo-auth',
      status: 400,
      echo: [TOKEN],
    })
    const result = await run(sandbox, {
      records: '{"id":"a"}',
      mode: 'replace',
      'session-id': 'gh-9001-1',
      'allow-shrink': 'true',
    })
    expect(result.code).toBe(1)
    // The echo reached the error, which went to every channel, redacted.
    expect(result.stdout).toMatch(
      /::error::Drata rejected the request to upload records.*raw=\*\*\*/,
    )
    expect(result.outputs.result).toContain('raw=***')
    expect(result.summary).toContain('raw=***')
    expect(result.savedState.session).toContain('gh-9001-1')
    // Registered with the runner's masking in encoded forms too, not only raw.
    for (const secret of [KEY, TOKEN]) {
      const b = Buffer.from(secret)
      for (const form of [b.toString('base64'), b.toString('hex'), encodeURIComponent(secret)])
        // Workflow commands escape % as %25; the runner reads them back.
        expect(result.stdout).toContain(`::add-mask::${form.replace(/%/g, '%25')}\n`)
    }
    expectNoSecret(result)
  })

  it('in a warning: audit events that cannot be read after a push that worked', async () => {
    const sandbox = await start({ keys: { [KEY]: {} } })
    sandbox.addFault({
      method: 'GET',
      path: '/events',
      kind: 'echo-auth',
      status: 500,
      echo: [TOKEN],
      times: 10,
    })
    const result = await run(sandbox, {
      records: '{"id":"a"}',
      'audit-events': 'true',
      'max-retries': '1',
      'fail-on-error': 'false',
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/::warning::.*raw=\*\*\*/)
    expectNoSecret(result)
  })
})
