import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Sandbox, startSandbox } from '../sandbox/server.ts'
import { makeRecords, NAME_REQUIRED, runAction, sandboxInputs, writes } from './harness.ts'

let sandbox: Sandbox
beforeEach(async () => {
  sandbox = await startSandbox()
})
afterEach(async () => {
  await sandbox.close()
})

const ids = () => sandbox.activeRecords(1, 1).map((r) => r.id)

describe('append (default mode)', () => {
  it('adds this run’s records and keeps the records already active', async () => {
    sandbox.seed(1, 1, [
      { id: 'old-1', name: 'kept' },
      { id: 'shared', name: 'old version' },
    ])
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        records: JSON.stringify([
          { id: 'shared', name: 'new version' },
          { id: 'new-1', name: 'added' },
        ]),
      }),
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(ids()).toEqual(['new-1', 'old-1', 'shared'])
    const shared = sandbox.activeRecords(1, 1).find((r) => r.id === 'shared')
    expect(shared?.attributes.name).toBe('new version')
    expect(result.outputs).toMatchObject({
      'session-id': 'gh-9001-1',
      'session-status': 'ACTIVE',
      mode: 'append',
      'records-pushed': '2',
      'records-failed': '0',
      'records-carried': '1',
      'records-removed': '0',
      'dry-run': 'false',
    })
    expect(JSON.parse(result.outputs.result ?? '')).toMatchObject({
      sessionStatus: 'ACTIVE',
      recordsPushed: 2,
      error: null,
    })
    const session = sandbox.state().resources[0]?.sessions.find((s) => s.sessionId === 'gh-9001-1')
    expect(session?.status).toBe('ACTIVE')
    expect(result.summary).toContain('✅ Drata evidence pushed: 2 records')
    expect(result.summary).toContain('Carry-forward: 1 records')
    // The post step finds nothing to do after a completed session.
    expect(result.savedState['session-closed']).toBe('true')
  })

  it('carries thousands of records across pages and batches, each exactly once', async () => {
    sandbox.seed(1, 1, makeRecords(1234, 'old'))
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        records: JSON.stringify(makeRecords(150, 'new')),
        'batch-size': '500',
      }),
    })
    expect(result.code).toBe(0)
    const active = ids()
    expect(active).toHaveLength(1384)
    expect(active.filter((id) => id.startsWith('old-'))).toHaveLength(1234)
    expect(result.outputs['records-carried']).toBe('1234')
    const pages = sandbox.requests.filter(
      (r) => r.method === 'GET' && r.path.endsWith('/records') && !r.query.sessionId,
    )
    expect(pages.length).toBeGreaterThanOrEqual(3) // 1234 records at 500 a page
    expect(pages.every((p) => p.query.size === '500')).toBe(true)
  })

  it('drops carried records collected longer ago than retention-days, run after run', async () => {
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString()
    sandbox.seed(1, 1, [
      { id: 'stale', collectedAt: daysAgo(40) },
      { id: 'recent', collectedAt: daysAgo(10) },
      { id: 'no-date' }, // nothing says when it was collected: kept
    ])
    const inputs = { records: '{"id": "new"}', 'retention-days': '30' }
    const first = await runAction({ inputs: sandboxInputs(sandbox.url, inputs) })
    expect(first.code).toBe(0)
    expect(ids()).toEqual(['new', 'no-date', 'recent'])
    expect(first.outputs['records-removed']).toBe('1')
    expect(first.summary).toContain('Records removed (1)')
    expect(first.summary).toContain('<code>stale</code>')

    // Carrying re-uploads 'recent' (Drata resets its dates), yet its own collectedAt still
    // counts: 25 more days on, a later run drops it.
    const records = sandbox.activeRecords(1, 1).map((r) => r.attributes)
    await sandbox.close()
    sandbox = await startSandbox()
    sandbox.seed(
      1,
      1,
      records.map((r) => (r.id === 'recent' ? { ...r, collectedAt: daysAgo(35) } : r)),
    )
    const second = await runAction({
      inputs: sandboxInputs(sandbox.url, { ...inputs, 'session-id': 'later' }),
    })
    expect(second.code).toBe(0)
    expect(ids()).toEqual(['new', 'no-date'])
  })

  it('keeps a record someone else upserted while the session was open', async () => {
    sandbox.seed(1, 1, [{ id: 'old-1' }])
    let uploads = 0
    sandbox.onRequest((e) => {
      // The carry-forward upload comes after the active read: another job's plain upsert now
      // would be deleted by completing the session unless the action re-reads before it.
      if (e.method === 'POST' && e.path.endsWith('/sessions/gh-9001-1') && ++uploads === 2) {
        sandbox.upsertDirect(1, 1, { id: 'late-arrival', name: 'from another job' })
      }
    })
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, { records: '{"id": "new-1"}' }),
    })
    expect(result.code).toBe(0)
    expect(uploads).toBeGreaterThanOrEqual(2)
    expect(ids()).toEqual(['late-arrival', 'new-1', 'old-1'])
    expect(result.outputs['records-carried']).toBe('2')
  })
})

describe('replace', () => {
  it('leaves exactly this run’s records active', async () => {
    sandbox.seed(1, 1, [{ id: 'a' }, { id: 'b' }, { id: 'c' }])
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        mode: 'replace',
        records: '[{"id":"a"},{"id":"b"},{"id":"d"}]',
      }),
    })
    expect(result.code).toBe(0)
    expect(ids()).toEqual(['a', 'b', 'd'])
    expect(result.outputs).toMatchObject({
      mode: 'replace',
      'records-pushed': '3',
      'records-removed': '1',
      'records-carried': '0',
      'session-status': 'ACTIVE',
    })
  })

  it('refuses to remove more than half of the records unless allow-shrink, leaving Drata unchanged', async () => {
    sandbox.seed(1, 1, [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }])
    const before = JSON.stringify(sandbox.activeRecords(1, 1))
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, { mode: 'replace', records: '{"id":"a"}' }),
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('Replacing would remove 3 of the 4 active records')
    expect(result.stdout).toContain('allow-shrink')
    expect(JSON.stringify(sandbox.activeRecords(1, 1))).toBe(before)
    expect(result.outputs['session-status']).toBe('CANCELED')

    const allowed = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        mode: 'replace',
        records: '{"id":"a"}',
        'allow-shrink': 'true',
        'session-id': 'shrink-ok',
      }),
    })
    expect(allowed.code).toBe(0)
    expect(ids()).toEqual(['a'])
  })

  it('refuses to replace everything with nothing, sending no write', async () => {
    sandbox.seed(1, 1, [{ id: 'a' }])
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, { mode: 'replace', 'allow-shrink': 'true' }),
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("Mode 'replace' got no records")
    expect(writes(sandbox.requests)).toBe(0)
    expect(ids()).toEqual(['a'])
  })
})

describe('upsert', () => {
  it('upserts in batches without a session and keeps other records', async () => {
    sandbox.seed(1, 1, [{ id: 'old' }])
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        mode: 'upsert',
        records: JSON.stringify(makeRecords(5)),
        'batch-size': '2',
      }),
    })
    expect(result.code).toBe(0)
    expect(ids()).toHaveLength(6)
    const posts = sandbox.requests.filter((r) => r.method === 'POST')
    expect(posts).toHaveLength(3)
    expect(posts.every((p) => p.path.endsWith('/records'))).toBe(true)
    expect(result.outputs).toMatchObject({
      'session-id': '',
      'session-status': 'none',
      'records-pushed': '5',
    })
  })

  it('reports what went in before an error after retries', async () => {
    sandbox.addFault({ method: 'POST', kind: 'status', status: 503, skip: 1, times: 10 })
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        mode: 'upsert',
        records: JSON.stringify(makeRecords(4)),
        'batch-size': '2',
        'max-retries': '1',
      }),
    })
    expect(result.code).toBe(1)
    expect(ids()).toEqual(['rec-0001', 'rec-0002'])
    expect(result.outputs).toMatchObject({ 'records-pushed': '2', 'records-failed': '0' })
    expect(result.stdout).toContain('the 2 records accepted before this error stay in Drata')
  })

  it('lists rejected records and fails, keeping the accepted ones (not atomic)', async () => {
    await sandbox.close()
    sandbox = await startSandbox({ resources: NAME_REQUIRED })
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        mode: 'upsert',
        records: '[{"id":"ok","name":"x"},{"id":"bad"}]',
      }),
    })
    expect(result.code).toBe(1)
    expect(ids()).toEqual(['ok'])
    expect(result.outputs['records-failed']).toBe('1')
    expect(result.summary).toContain('<td>bad</td><td>400</td>')
    expect(result.summary).toContain('must have required property')
  })
})

describe('a rejected record', () => {
  it('cancels the session and leaves the active data byte-identical', async () => {
    await sandbox.close()
    sandbox = await startSandbox({ resources: NAME_REQUIRED })
    sandbox.seed(1, 1, makeRecords(30, 'old'))
    const before = JSON.stringify(sandbox.activeRecords(1, 1))
    const records = [
      ...makeRecords(250, 'new'),
      { id: 'broken-1' },
      ...makeRecords(10, 'more'),
      { id: 'broken-2' },
    ]
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, { records: JSON.stringify(records) }),
    })
    expect(result.code).toBe(1)
    expect(JSON.stringify(sandbox.activeRecords(1, 1))).toBe(before)
    const session = sandbox.state().resources[0]?.sessions.find((s) => s.sessionId === 'gh-9001-1')
    expect(session?.status).toBe('CANCELED')
    expect(
      sandbox.requests.some(
        (r) => r.path.endsWith('/actions') && (r.body as { action?: string }).action === 'complete',
      ),
    ).toBe(false)
    expect(result.outputs).toMatchObject({
      'session-status': 'CANCELED',
      'records-failed': '2',
      'records-pushed': '0',
    })
    expect(result.stdout).toContain('Drata rejected 2 records')
    expect(result.summary).toContain('Rejected records (2)')
    expect(result.summary).toContain('<td>broken-2</td>')
  })

  it('with fail-on-error false still cancels but only warns', async () => {
    await sandbox.close()
    sandbox = await startSandbox({ resources: NAME_REQUIRED })
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, { records: '[{"id":"x"}]', 'fail-on-error': 'false' }),
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('::warning::')
    expect(result.outputs['session-status']).toBe('CANCELED')
    expect(ids()).toEqual([])
  })
})

describe('what the session must hold before it is completed', () => {
  it('a carried record Drata now rejects cancels the session', async () => {
    await sandbox.close()
    sandbox = await startSandbox({ resources: NAME_REQUIRED })
    // Seeded before the schema required a name: carrying it forward fails validation.
    sandbox.seed(1, 1, [{ id: 'legacy' }, { id: 'fine', name: 'ok' }])
    const before = JSON.stringify(sandbox.activeRecords(1, 1))
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, { records: '{"id":"n","name":"x"}' }),
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('Drata rejected 1 carried record')
    expect(result.summary).toContain('<td>legacy</td><td>400</td>')
    expect(result.outputs['session-status']).toBe('CANCELED')
    expect(JSON.stringify(sandbox.activeRecords(1, 1))).toBe(before)
  })

  it('a record another writer put into the same session stops the complete', async () => {
    sandbox.seed(1, 1, [{ id: 'old-1' }])
    let uploads = 0
    sandbox.onRequest(async (e) => {
      // Another job with the same session id uploads into it between our uploads.
      if (e.method === 'POST' && e.path.endsWith('/sessions/gh-9001-1') && ++uploads === 2) {
        const res = await fetch(
          `${sandbox.url}/custom-connections/1/resources/1/sessions/gh-9001-1`,
          {
            method: 'POST',
            headers: { authorization: 'Bearer sandbox-key', 'content-type': 'application/json' },
            body: JSON.stringify({ data: [{ id: 'from-the-other-job' }] }),
          },
        )
        expect(res.status).toBe(200)
      }
    })
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, { records: '{"id":"mine"}' }),
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('1 not sent by this run: from-the-other-job')
    expect(result.outputs['session-status']).toBe('CANCELED')
    expect(ids()).toEqual(['old-1'])
  })
})

describe('records from files and collectors', () => {
  it('reads JSON, NDJSON and YAML files and the built-in collectors, with stable ids', async () => {
    const files = {
      'evidence/a.json': JSON.stringify([{ id: 'json-1', v: 1 }]),
      'evidence/b.ndjson': '{"id":"nd-1"}\n\n{"id":"nd-2"}\n',
      'evidence/c.yaml': '- id: yaml-1\n  owner: sec\n',
      'evidence/skip.json': '{"id":"excluded"}',
    }
    const inputs = sandboxInputs(sandbox.url, {
      'records-file': 'evidence/*.json\nevidence/*.ndjson\nevidence/*.yaml\n!evidence/skip.json',
      collect: 'commit,workflow-run',
    })
    const result = await runAction({ inputs: { ...inputs, records: '{"id":"inline-1"}' }, files })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(ids()).toEqual([
      'commit:acme/shop@a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      'inline-1',
      'json-1',
      'nd-1',
      'nd-2',
      'run:acme/shop/9001/1',
      'yaml-1',
    ])
    const commit = sandbox.activeRecords(1, 1).find((r) => r.id.startsWith('commit:'))
    expect(commit?.attributes).toMatchObject({
      collector: 'commit',
      schemaVersion: 1,
      messageTitle: 'Add checkout audit log',
      sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    })
    expect(result.summary).toContain('<td>collector:commit</td><td>1</td>')

    // A second run of the same commit updates the same records instead of adding new ones.
    const again = await runAction({
      inputs: { ...inputs, 'session-id': 'second-run', records: '{"id":"inline-1"}' },
      files,
    })
    expect(again.code).toBe(0)
    expect(ids()).toHaveLength(7)
  })

  it('takes ids from id-field and sends them as the string id Drata matches on', async () => {
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        'id-field': 'employeeId',
        records: '[{"employeeId": 7, "name": "x"}, {"employeeId": "e-8"}]',
      }),
    })
    expect(result.code).toBe(0)
    expect(ids()).toEqual(['7', 'e-8'])
    expect(sandbox.activeRecords(1, 1)[0]?.attributes).toMatchObject({ id: '7', employeeId: 7 })
  })
})
