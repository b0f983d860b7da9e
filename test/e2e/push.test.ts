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

const SESSION_ID = /^gh-9001-1-evidence-[0-9a-f]{8}$/
const RECORDS = '/custom-connections/1/resources/1/records'
const sessions = () => sandbox.state().resources[0]?.sessions ?? []

describe('append (default mode)', () => {
  it('upserts this run’s records, keeps the records already active, and opens no session', async () => {
    sandbox.seed(1, 1, [
      { id: 'old-1', name: 'kept' },
      { id: 'shared', name: 'old version' },
    ])
    const sessionsBefore = sessions().length
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
      'session-id': '',
      'session-status': 'none',
      mode: 'append',
      'records-pushed': '2',
      'records-failed': '0',
      'rejected-ids': '',
      'records-removed': '0',
      'dry-run': 'false',
    })
    expect(JSON.parse(result.outputs.result ?? '')).toMatchObject({
      sessionStatus: 'none',
      recordsPushed: 2,
      error: null,
    })
    expect(sessions()).toHaveLength(sessionsBefore)
    expect(result.summary).toContain('✅ Drata evidence pushed: 2 records (append)')
    // Nothing was opened, so the post step has nothing to do.
    expect(result.savedState.session).toBeUndefined()
  })

  it('costs at most 4 requests for 3 records into a resource holding 55,000', async () => {
    sandbox.seed(
      1,
      1,
      Array.from({ length: 55_000 }, (_, i) => ({ id: `old-${i}` })),
    )
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, { records: JSON.stringify(makeRecords(3, 'new')) }),
    })
    expect(result.code).toBe(0)
    expect(sandbox.requests.length).toBeLessThanOrEqual(4)
    expect(JSON.parse(result.outputs.result ?? '').requests).toBe(sandbox.requests.length)
    expect(ids()).toHaveLength(55_003)
  })

  it('loses nothing a concurrent direct writer upserts during the run', async () => {
    sandbox.seed(1, 1, [{ id: 'old-1' }])
    let direct = 0
    sandbox.onRequest(() => {
      sandbox.upsertDirect(1, 1, { id: `direct-${++direct}`, name: 'from another job' })
    })
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        records: JSON.stringify(makeRecords(40, 'new')),
        'batch-size': '5',
      }),
    })
    expect(result.code).toBe(0)
    expect(direct).toBeGreaterThanOrEqual(10)
    const active = new Set(ids())
    for (let i = 1; i <= direct; i++) expect(active.has(`direct-${i}`)).toBe(true)
    expect(active.size).toBe(1 + 40 + direct)
  })

  it('with retention-days deletes records collected too long ago, and only those', async () => {
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000)
    sandbox.seed(
      1,
      1,
      [
        { id: 'stale', collectedAt: daysAgo(40).toISOString() },
        { id: 'recent', collectedAt: daysAgo(10).toISOString() },
        { id: 'no-date' }, // nothing says when it was collected: never deleted
      ],
      { updatedAt: daysAgo(35) },
    )
    const inputs = { records: '{"id": "new"}', 'retention-days': '30' }
    const result = await runAction({ inputs: sandboxInputs(sandbox.url, inputs) })
    expect(result.code).toBe(0)
    expect(ids()).toEqual(['new', 'no-date', 'recent'])
    expect(result.outputs['records-removed']).toBe('1')
    expect(result.summary).toContain('Records removed (1)')
    expect(result.summary).toContain('<code>stale</code>')
    expect(sandbox.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      `${RECORDS}/stale`,
    ])
  })

  it('reports rejected records by id, keeps the accepted ones, and fails', async () => {
    await sandbox.close()
    sandbox = await startSandbox({ resources: NAME_REQUIRED })
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        records: '[{"id":"ok","name":"x"},{"id":"bad-1"},{"id":"bad-2"}]',
      }),
    })
    expect(result.code).toBe(1)
    expect(ids()).toEqual(['ok'])
    expect(result.outputs).toMatchObject({
      'records-pushed': '1',
      'records-failed': '2',
      'rejected-ids': 'bad-1,bad-2',
    })
    expect(result.stdout).toMatch(/::error::Drata rejected 2 of 3 records.*converges/)
    expect(result.summary).toContain('<td>bad-1</td><td>400</td>')
    expect(result.summary).toContain('must have required property')

    // Fixed and re-run with the same ids: it converges, nothing is duplicated.
    const again = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        records: '[{"id":"ok","name":"x"},{"id":"bad-1","name":"y"},{"id":"bad-2","name":"z"}]',
      }),
    })
    expect(again.code).toBe(0)
    expect(ids()).toEqual(['bad-1', 'bad-2', 'ok'])
  })

  it('reports what went in before an error after retries', async () => {
    sandbox.addFault({ method: 'POST', kind: 'status', status: 503, skip: 1, times: 10 })
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        records: JSON.stringify(makeRecords(4)),
        'batch-size': '2',
        'max-retries': '1',
      }),
    })
    expect(result.code).toBe(1)
    expect(ids()).toEqual(['rec-0001', 'rec-0002'])
    expect(result.outputs).toMatchObject({ 'records-pushed': '2', 'records-failed': '0' })
    expect(result.stdout).toContain('The 2 records accepted before this error stay in Drata')
  })

  it('mode upsert is refused, pointing to append, and nothing is written', async () => {
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, { mode: 'upsert', records: '{"id":"a"}' }),
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("'mode: upsert' was removed: use 'append'")
    expect(sandbox.requests).toEqual([])
  })
})

describe('replace', () => {
  it('leaves exactly this run’s records active, in its own session read back ACTIVE', async () => {
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
      'session-status': 'ACTIVE',
    })
    expect(result.outputs['session-id']).toMatch(SESSION_ID)
    const session = sessions().find((s) => s.sessionId === result.outputs['session-id'])
    expect(session?.status).toBe('ACTIVE')
    expect(result.savedState['session-closed']).toBe('true')
    expect(result.summary).toContain('<code>c</code>')
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

  it('a rejected record cancels the session and leaves the active data byte-identical', async () => {
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
      inputs: sandboxInputs(sandbox.url, { mode: 'replace', records: JSON.stringify(records) }),
    })
    expect(result.code).toBe(1)
    expect(JSON.stringify(sandbox.activeRecords(1, 1))).toBe(before)
    const session = sessions().find((s) => s.sessionId === result.outputs['session-id'])
    expect(session?.status).toBe('CANCELED')
    expect(
      sandbox.requests.some(
        (r) => r.path.endsWith('/actions') && (r.body as { action?: string }).action === 'complete',
      ),
    ).toBe(false)
    expect(result.outputs).toMatchObject({
      'session-status': 'CANCELED',
      'records-failed': '2',
      'rejected-ids': 'broken-1,broken-2',
      'records-pushed': '0',
    })
    expect(result.stdout).toContain('Drata rejected 2 of 262 records')
    expect(result.summary).toContain('Rejected records (2)')
  })

  it('with fail-on-error false still cancels but only warns', async () => {
    await sandbox.close()
    sandbox = await startSandbox({ resources: NAME_REQUIRED })
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        mode: 'replace',
        records: '[{"id":"x"}]',
        'fail-on-error': 'false',
      }),
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('::warning::')
    expect(result.outputs['session-status']).toBe('CANCELED')
    expect(ids()).toEqual([])
  })

  it('a record another writer put into the same session stops the complete', async () => {
    sandbox.seed(1, 1, [{ id: 'old-1' }])
    let injected = false
    sandbox.onRequest(async (e) => {
      // Another job with the same session id uploads into it after our upload.
      if (e.method === 'GET' && e.path === RECORDS && !injected) {
        const sid = sessions().find((s) => s.status === 'IN_PROGRESS')?.sessionId
        if (!sid) return
        injected = true
        const res = await fetch(`${sandbox.url}/custom-connections/1/resources/1/sessions/${sid}`, {
          method: 'POST',
          headers: { authorization: 'Bearer sandbox-key', 'content-type': 'application/json' },
          body: JSON.stringify({ data: [{ id: 'from-the-other-job' }] }),
        })
        expect(res.status).toBe(200)
      }
    })
    const result = await runAction({
      inputs: sandboxInputs(sandbox.url, {
        mode: 'replace',
        records: '{"id":"mine"}',
        'allow-shrink': 'true',
      }),
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/counts 2 records in session .* sent 1/)
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
      inputs: { ...inputs, records: '{"id":"inline-1"}' },
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
