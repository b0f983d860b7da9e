import { describe, expect, it } from 'vitest'
import type { DrataEvent } from '../../src/drata/events.js'
import type { FollowUp } from '../../src/follow-up.js'
import { emptyOutcome, type PushOutcome } from '../../src/push/outcome.js'
import { OUTPUT, resultObject, writeOutputs } from '../../src/report/outputs.js'
import { redact } from '../../src/secrets.js'
import type { RunReport } from '../../src/report/report.js'
import { recordSetOf } from '../../src/evidence/record-set.js'

const KEY = 'drk_live_0123456789abcdef'

function report(outcome: Partial<PushOutcome> = {}, followUp: FollowUp = {}): RunReport {
  return {
    outcome: { ...emptyOutcome('replace', false), ...outcome },
    followUp,
    records: recordSetOf([]),
    collectors: [],
    requests: 9,
    retries: 1,
    durationMs: 4321,
  }
}

function capture(r: RunReport, clean: (s: string) => string = (s) => s): Record<string, string> {
  const out: Record<string, string> = {}
  writeOutputs(
    r,
    (name, value) => {
      expect(out[name], `${name} set twice`).toBeUndefined()
      out[name] = value
    },
    clean,
  )
  return out
}

describe('resultObject', () => {
  it('holds every output and the run figures', () => {
    const r = report({
      sessionId: 'gh-5-2',
      sessionStatus: 'ACTIVE',
      pushed: 10,
      failed: 0,
      removed: 3,
      removedIds: ['x', 'y', 'z'],
      batches: 2,
    })
    expect(resultObject(r)).toEqual({
      sessionId: 'gh-5-2',
      sessionStatus: 'ACTIVE',
      mode: 'replace',
      recordsPushed: 10,
      recordsFailed: 0,
      rejectedIds: [],
      recordsRemoved: 3,
      dryRun: false,
      batches: 2,
      requests: 9,
      retries: 1,
      durationMs: 4321,
      failures: [],
      removedIds: ['x', 'y', 'z'],
      recoveredSessions: [],
      asset: null,
      vendorReview: null,
      eventIds: [],
      connectionId: null,
      resourceId: null,
      connectionName: null,
      resourceName: null,
      error: null,
    })
  })

  it('holds the target: the ids (resolved from names) and the names Drata gave them', () => {
    const target = {
      connectionId: 3,
      resourceId: 31,
      connectionName: 'GitHub',
      resourceName: 'Builds',
    }
    expect(resultObject({ ...report({}), target })).toMatchObject(target)
  })

  it('names every rejected record by id, with its status and message', () => {
    const failures = [{ id: 'bad-1', status: 400, message: 'name is required' }]
    const o = resultObject(report({ failures, failed: 1 }))
    expect(o.rejectedIds).toEqual(['bad-1'])
    expect(o.failures).toEqual(failures)
  })

  it('lists the stranded sessions it cancelled', () => {
    const recovered = [{ sessionId: 'gh-1-1', reason: 'its GitHub run 1 has finished' }]
    expect(resultObject(report({ recovered })).recoveredSessions).toEqual(recovered)
  })

  it('carries the error and unknown counts as null', () => {
    const o = resultObject(report({ error: 'it broke', dryRun: true }))
    expect(o.error).toBe('it broke')
    expect(o.recordsRemoved).toBeNull()
    expect(o.dryRun).toBe(true)
  })
})

describe('writeOutputs', () => {
  it('writes every output as a string', () => {
    const out = capture(
      report({
        sessionId: 'gh-5-2',
        sessionStatus: 'CANCELED',
        pushed: 0,
        failed: 2,
        failures: [
          { id: 'a', status: 400, message: 'x' },
          { id: 'b', status: 400, message: 'y' },
        ],
        removed: 0,
      }),
    )
    expect(out).toEqual({
      [OUTPUT.sessionId]: 'gh-5-2',
      [OUTPUT.sessionStatus]: 'CANCELED',
      [OUTPUT.mode]: 'replace',
      [OUTPUT.recordsPushed]: '0',
      [OUTPUT.recordsFailed]: '2',
      [OUTPUT.rejectedIds]: 'a,b',
      [OUTPUT.recordsRemoved]: '0',
      [OUTPUT.dryRun]: 'false',
      [OUTPUT.assetId]: '',
      [OUTPUT.assetAction]: 'none',
      [OUTPUT.vendorReviewId]: '',
      [OUTPUT.eventIds]: '',
      [OUTPUT.result]: expect.any(String),
    })
    expect(JSON.parse(out.result ?? '')).toEqual(
      resultObject(
        report({
          sessionId: 'gh-5-2',
          sessionStatus: 'CANCELED',
          failed: 2,
          failures: [
            { id: 'a', status: 400, message: 'x' },
            { id: 'b', status: 400, message: 'y' },
          ],
          removed: 0,
        }),
      ),
    )
  })

  it('uses the action.yml output names', () => {
    expect(Object.keys(capture(report())).sort()).toEqual([
      'asset-action',
      'asset-id',
      'dry-run',
      'event-ids',
      'mode',
      'records-failed',
      'records-pushed',
      'records-removed',
      'rejected-ids',
      'result',
      'session-id',
      'session-status',
      'vendor-review-id',
    ])
  })

  it('writes unknown counts and a missing session as empty strings', () => {
    const out = capture(report({ dryRun: true }))
    expect(out[OUTPUT.sessionId]).toBe('')
    expect(out[OUTPUT.rejectedIds]).toBe('')
    expect(out[OUTPUT.recordsRemoved]).toBe('')
    expect(out[OUTPUT.dryRun]).toBe('true')
  })

  it('removes secrets from the result', () => {
    const out = capture(report({ error: `Drata echoed ${KEY}` }), (s) => redact(s, [KEY]))
    expect(out.result).not.toContain(KEY)
    expect(JSON.parse(out.result ?? '').error).toBe('Drata echoed ***')
  })
})

describe('outputs of the steps after the push', () => {
  const event = (id: string, type: string): DrataEvent => ({
    id,
    type,
    category: 'ASSET',
    source: 'PUBLIC_API',
    description: `${type} by the API`,
    createdAt: '2030-01-02T03:04:10.000Z',
    connectionId: null,
  })
  const FOLLOW_UP: FollowUp = {
    asset: {
      action: 'created',
      id: 301,
      name: 'shop (production)',
      externalId: 'github:acme/shop:production',
    },
    review: {
      action: 'created',
      id: 77,
      vendorId: 12,
      title: 'Security review requested by Evidence run 9004',
      withFile: true,
    },
    events: [event('ev-1', 'ASSET_CREATED'), event('ev-2', 'VENDOR_SECURITY_REVIEW_CREATED')],
  }

  it('holds the asset, the vendor review and the event ids in the result', () => {
    const o = resultObject(report({ sessionId: 'gh-5-2' }, FOLLOW_UP))
    expect(o.asset).toEqual(FOLLOW_UP.asset)
    expect(o.vendorReview).toEqual(FOLLOW_UP.review)
    expect(o.eventIds).toEqual(['ev-1', 'ev-2'])
    expect(o.error).toBeNull()
  })

  it('writes the asset id and action, the review id and the event ids comma-joined', () => {
    const r = report({ sessionId: 'gh-5-2', sessionStatus: 'ACTIVE', pushed: 4 }, FOLLOW_UP)
    const out = capture(r)
    expect(out[OUTPUT.assetId]).toBe('301')
    expect(out[OUTPUT.assetAction]).toBe('created')
    expect(out[OUTPUT.vendorReviewId]).toBe('77')
    expect(out[OUTPUT.eventIds]).toBe('ev-1,ev-2')
    expect(JSON.parse(out.result ?? '')).toEqual(resultObject(r))
  })

  it('writes the action of an asset that was left unchanged or removed, with its id', () => {
    for (const action of ['unchanged', 'updated', 'removed'] as const) {
      const asset = {
        action,
        id: 42,
        name: 'shop (staging)',
        externalId: 'github:acme/shop:staging',
      }
      const out = capture(report({}, { asset }))
      expect(out[OUTPUT.assetAction]).toBe(action)
      expect(out[OUTPUT.assetId]).toBe('42')
    }
  })

  it('writes an empty id for an asset and a review a dry run only planned', () => {
    const out = capture(
      report(
        { dryRun: true },
        {
          asset: { action: 'created', id: null, name: 'shop (main)', externalId: 'github:x' },
          review: { action: 'created', id: null, vendorId: 3, title: 't', withFile: false },
        },
      ),
    )
    expect(out[OUTPUT.assetAction]).toBe('created')
    expect(out[OUTPUT.assetId]).toBe('')
    expect(out[OUTPUT.vendorReviewId]).toBe('')
    expect(out[OUTPUT.eventIds]).toBe('')
  })

  it('writes no event ids when Drata listed none', () => {
    const r = report({}, { events: [] })
    expect(capture(r)[OUTPUT.eventIds]).toBe('')
    expect(resultObject(r).eventIds).toEqual([])
  })

  it("falls back to the follow-up's error when the push had none", () => {
    const followUp = { error: "The API key lacks the permission 'assets-post'" }
    expect(resultObject(report({}, followUp)).error).toBe(followUp.error)
    expect(resultObject(report({ error: 'push failed' }, followUp)).error).toBe('push failed')
  })

  it("removes secrets from the follow-up's error and the asset in the result", () => {
    const out = capture(
      report(
        {},
        {
          asset: { action: 'none', id: null, name: `named ${KEY}`, externalId: 'github:x' },
          error: `Drata echoed ${KEY}`,
        },
      ),
      (s) => redact(s, [KEY]),
    )
    expect(out.result).not.toContain(KEY)
    const result = JSON.parse(out.result ?? '')
    expect(result.error).toBe('Drata echoed ***')
    expect(result.asset.name).toBe('named ***')
  })
})

describe('redact', () => {
  it('replaces every occurrence of each secret', () => {
    expect(redact('a KEY1 b KEY1 c KEY2', ['KEY1', 'KEY2'])).toBe('a *** b *** c ***')
  })

  it('ignores secrets shorter than 4 characters', () => {
    expect(redact('abc', ['abc', ''])).toBe('abc')
  })
})
