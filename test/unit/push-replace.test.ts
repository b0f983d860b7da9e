import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { assembleRecords } from '../../src/evidence/assemble.js'
import { recordFileSources } from '../../src/evidence/record-files.js'
import { EMPTY_REPLACE, pushReplace as replaceSet } from '../../src/push/replace.js'
import { evidence, options, pushKit, pushReplace } from './push-kit.js'

let kit: Awaited<ReturnType<typeof pushKit>>
afterEach(async () => {
  await kit.close()
})

const SID = 'gh-9001-1-evidence-0badcafe'
const BASE = '/custom-connections/1/resources/1'
const replace = (extra = {}) => options({ mode: 'replace', sessionId: SID, ...extra })
const makeIds = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i + 1}` }))
const ids = () => kit.sandbox.activeRecords(1, 1).map((r) => r.id)
const writes = () => kit.sandbox.requests.filter((r) => r.method !== 'GET')
const session = () => kit.sandbox.state().resources[0]?.sessions.find((s) => s.sessionId === SID)

async function seeded(count: number) {
  kit = await pushKit()
  kit.sandbox.seed(
    1,
    1,
    Array.from({ length: count }, (_, i) => ({ id: `new-${i + 1}` })),
  )
  kit.requests()
}

describe('replace', () => {
  it('cancels, keeping the active data, when a records file is not what was checked', async () => {
    await seeded(3)
    const workspace = mkdtempSync(path.join(tmpdir(), 'drata-replace-'))
    try {
      const file = path.join(workspace, 'a.ndjson')
      writeFileSync(file, '{"id":"new-1"}\n\n{"id":"x"}\n')
      const sources = await recordFileSources(['a.ndjson'], workspace, 'id')
      // Its stats are taken as checked: only the whole-file SHA-256 can tell.
      const set = await assembleRecords(
        sources.map((s) => ({
          ...s,
          file: s.file && { ...s.file, assertUnchanged: async () => {} },
        })),
      )
      writeFileSync(file, '{"id":"new-1"}\n \n{"id":"x"}\n')
      const outcome = await replaceSet(replace({ allowShrink: true }), kit.deps, set)
      expect(outcome.error).toContain('its SHA-256 is not the one checked')
      expect(outcome.sessionStatus).toBe('CANCELED')
      expect(ids()).toEqual(['new-1', 'new-2', 'new-3'])
    } finally {
      rmSync(workspace, { recursive: true, force: true })
    }
  })

  it('makes exactly the floor of requests: 2 checks, uploads, verified reads, count, complete, read-back', async () => {
    await seeded(1_200)
    const outcome = await pushReplace(replace({ batchSize: 500 }), kit.deps, evidence(1_000))
    expect(outcome.error).toBeUndefined()
    expect(outcome).toMatchObject({
      sessionStatus: 'ACTIVE',
      pushed: 1_000,
      removed: 200,
      batches: 2,
    })
    const requests = kit.requests()
    expect(requests).toEqual([
      `GET ${BASE}/sessions`,
      `GET ${BASE}/records`,
      `POST ${BASE}/sessions/${SID}`,
      `POST ${BASE}/sessions/${SID}`,
      `GET ${BASE}/records`,
      `GET ${BASE}/records`,
      `GET ${BASE}/records`,
      `GET ${BASE}/records`,
      `POST ${BASE}/sessions/${SID}/actions`,
      `GET ${BASE}/sessions`,
    ])
    expect(requests).toHaveLength(2 + Math.ceil(1_000 / 500) + Math.ceil(1_200 / 500) + 1 + 1 + 1)
    expect(ids()).toHaveLength(1_000)
    expect(session()?.status).toBe('ACTIVE')
    expect(kit.memory.closed).toHaveBeenCalled()
  })

  it('asks for Drata’s total on every listing of the active data and the session', async () => {
    await seeded(3)
    await pushReplace(replace(), kit.deps, evidence(3))
    const counted = kit.sandbox.requests.filter(
      (r) => r.path === `${BASE}/records` && r.query.cursor === undefined,
    )
    expect(counted.length).toBeGreaterThanOrEqual(3)
    for (const r of counted) expect(r.query.includeTotalCount).toBe('true')
  })

  it('refuses an empty snapshot before sending anything', async () => {
    await seeded(3)
    const outcome = await pushReplace(replace(), kit.deps, [])
    expect(outcome.error).toBe(EMPTY_REPLACE)
    expect(kit.requests()).toEqual([])
  })

  it('cancels, and reports failure, when a complete answered 2xx was not applied', async () => {
    await seeded(3)
    kit.sandbox.addFault({ kind: 'not-applied', path: `/sessions/${SID}/actions` })
    const outcome = await pushReplace(replace(), kit.deps, evidence(2))
    expect(outcome.error).toMatch(/with success, but the session is still IN_PROGRESS/)
    expect(outcome.sessionStatus).toBe('CANCELED')
    expect(session()?.status).toBe('CANCELED')
    expect(ids()).toEqual(['new-1', 'new-2', 'new-3'])
  })

  it('stops and cancels on a list answer without pagination instead of taking it as the last page', async () => {
    await seeded(1_200)
    kit.sandbox.addFault({
      kind: 'no-pagination',
      method: 'GET',
      path: `${BASE}/records`,
      skip: 1,
    })
    const outcome = await pushReplace(replace({ allowShrink: true }), kit.deps, evidence(2))
    expect(outcome.error).toMatch(/no well-formed 'pagination'/)
    expect(outcome.sessionStatus).toBe('CANCELED')
    expect(ids()).toHaveLength(1_200)
  })

  it('stops on a cursor that repeats', async () => {
    await seeded(1_200)
    kit.sandbox.addFault({
      kind: 'repeat-cursor',
      method: 'GET',
      path: `${BASE}/records`,
      skip: 2,
      times: 50,
    })
    const outcome = await pushReplace(replace({ allowShrink: true }), kit.deps, evidence(2))
    expect(outcome.error).toMatch(/same page cursor twice/)
    expect(kit.sandbox.requests.length).toBeLessThan(20)
    expect(ids()).toHaveLength(1_200)
  })

  it('stops when a list answer lacks the total it was asked for', async () => {
    await seeded(10)
    kit.sandbox.addFault({ kind: 'no-total', method: 'GET', path: `${BASE}/records`, skip: 1 })
    const outcome = await pushReplace(replace({ allowShrink: true }), kit.deps, evidence(2))
    expect(outcome.error).toMatch(/no totalCount/)
    expect(session()?.status).toBe('CANCELED')
  })

  it('stops when the records read do not add up to Drata’s total (the data changed under it)', async () => {
    await seeded(1_200)
    let pages = 0
    kit.sandbox.onRequest(({ method, path }) => {
      // Another writer adds a record while the active data is being paged through.
      if (method === 'GET' && path === `${BASE}/records` && ++pages === 3) {
        kit.sandbox.upsertDirect(1, 1, { id: 'zzz-late' })
      }
    })
    const outcome = await pushReplace(replace({ allowShrink: true }), kit.deps, evidence(2))
    expect(outcome.error).toMatch(/Read 1201 items .* total says 1200/)
    expect(session()?.status).toBe('CANCELED')
  })

  it('does not complete when Drata’s count of the session differs from what was sent', async () => {
    await seeded(0)
    // Another writer with the same session id adds a record after this run's upload.
    kit.sandbox.onRequest(async ({ method, path }) => {
      if (method === 'GET' && path === `${BASE}/records` && session()?.status === 'IN_PROGRESS') {
        await fetch(`${kit.sandbox.url}${BASE}/sessions/${SID}`, {
          method: 'POST',
          headers: { authorization: 'Bearer sandbox-key', 'content-type': 'application/json' },
          body: JSON.stringify({ data: [{ id: 'foreign' }] }),
        })
      }
    })
    const outcome = await pushReplace(replace(), kit.deps, evidence(2))
    expect(outcome.error).toMatch(/counts 3 records in session .* sent 2/)
    expect(session()?.status).toBe('CANCELED')
    expect(ids()).toEqual([])
  })

  it('keeps the shrink guard on the verified count, and cancels', async () => {
    await seeded(10)
    const outcome = await pushReplace(replace(), kit.deps, evidence(2, 'other'))
    expect(outcome.error).toMatch(/remove 10 of the 10 active records/)
    expect(outcome.sessionStatus).toBe('CANCELED')
    expect(ids()).toHaveLength(10)
  })

  it('does not count its own staged records as active data, even if Drata lists them so', async () => {
    kit = await pushKit({ stagedInActive: true })
    kit.sandbox.seed(1, 1, makeIds(10, 'old'))
    // 10 new ids replacing 10 old: removing all of them needs allow-shrink, staged or not.
    const outcome = await pushReplace(replace(), kit.deps, evidence(10, 'other'))
    expect(outcome.error).toMatch(/remove 10 of the 10 active records/)
    expect(kit.sandbox.activeRecords(1, 1)).toHaveLength(10)
  })

  it('gives up on a first upload refused with 400 after a few waits, whatever else happens', async () => {
    kit = await pushKit()
    kit.sandbox.addFault({
      kind: 'status',
      status: 400,
      message: 'bad payload',
      method: 'POST',
      path: `/sessions/${SID}`,
      times: 100,
    })
    let stale = 0
    kit.sandbox.onRequest(({ method, path }) => {
      // Every refused upload finds a stranded session of another run, which is then cancelled.
      if (method === 'POST' && path === `${BASE}/sessions/${SID}`) {
        kit.sandbox.seedSession(1, 1, `stale-${++stale}`, {
          createdAt: new Date(Date.now() - 10 * 3_600_000),
        })
      }
    })
    const outcome = await pushReplace(replace(), kit.deps, evidence(1))
    expect(outcome.error).toContain('bad payload')
    expect(stale).toBeLessThanOrEqual(4)
  })

  it('cancels when Drata rejects a record, listing it', async () => {
    kit = await pushKit({
      resources: [
        { connectionId: 1, resourceId: 1, schema: { type: 'object', required: ['name'] } },
      ],
    })
    const records = [...evidence(1), { id: 'bad', source: 'inline', data: { id: 'bad' } }]
    const outcome = await pushReplace(replace(), kit.deps, records)
    expect(outcome.failures.map((f) => f.id)).toEqual(['bad'])
    expect(outcome.error).toMatch(/rejected 1 of 2 records/)
    expect(outcome.sessionStatus).toBe('CANCELED')
  })

  it('does not claim no session existed when Drata accepted uploads but its list cannot show it', async () => {
    kit = await pushKit({
      resources: [
        { connectionId: 1, resourceId: 1, schema: { type: 'object', required: ['name'] } },
      ],
    })
    kit.sandbox.addFault({
      kind: 'empty-list',
      method: 'GET',
      path: `${BASE}/sessions`,
      skip: 1,
      times: 20,
    })
    const records = [...evidence(1), { id: 'bad', source: 'inline', data: { id: 'bad' } }]
    const outcome = await pushReplace(replace(), kit.deps, records)
    expect(outcome.sessionStatus).toBe('IN_PROGRESS')
    expect(outcome.error).toContain('could not be found in Drata')
    expect(kit.memory.closed).not.toHaveBeenCalled()
  })

  it('refuses a session id that was used before, writing nothing', async () => {
    kit = await pushKit()
    kit.sandbox.seed(1, 1, [{ id: 'a' }], { sessionId: SID })
    const outcome = await pushReplace(replace(), kit.deps, evidence(1))
    expect(outcome.error).toMatch(/was used before on this resource/)
    expect(outcome.sessionStatus).toBe('none')
    expect(writes()).toEqual([])
  })

  it('in a dry run reads, plans and checks like the real run, writing nothing', async () => {
    await seeded(10)
    const outcome = await pushReplace(replace({ dryRun: true }), kit.deps, evidence(2, 'other'))
    expect(outcome.error).toMatch(/^A real run would fail: Replacing would remove 10/)
    const ok = await pushReplace(replace({ dryRun: true }), kit.deps, evidence(8))
    expect(ok.error).toBeUndefined()
    expect(ok.removed).toBe(2)
    expect([...ok.removedIds].sort()).toEqual(['new-10', 'new-9'])
    expect(writes()).toEqual([])
  })
})
