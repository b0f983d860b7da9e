import { describe, expect, it } from 'vitest'
import { emptyOutcome, type PushOutcome } from '../../src/push/outcome.js'
import { OUTPUT, resultObject, writeOutputs } from '../../src/report/outputs.js'
import { redact } from '../../src/report/redact.js'
import type { RunReport } from '../../src/report/report.js'

const KEY = 'drk_live_0123456789abcdef'

function report(outcome: Partial<PushOutcome> = {}): RunReport {
  return {
    outcome: { ...emptyOutcome('replace', false), ...outcome },
    followUp: {},
    records: [],
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
      carried: 4,
      removed: 3,
      batches: 2,
    })
    expect(resultObject(r)).toEqual({
      sessionId: 'gh-5-2',
      sessionStatus: 'ACTIVE',
      mode: 'replace',
      recordsPushed: 10,
      recordsFailed: 0,
      recordsCarried: 4,
      recordsRemoved: 3,
      dryRun: false,
      batches: 2,
      requests: 9,
      retries: 1,
      durationMs: 4321,
      carryCost: null,
      error: null,
    })
  })

  it('holds the carry-forward cost when there was one', () => {
    const carryCost = { records: 1200, requests: 6, ms: 9000 }
    expect(resultObject(report({ carried: 1200, carryCost })).carryCost).toEqual(carryCost)
  })

  it('carries the error and unknown counts as null', () => {
    const o = resultObject(report({ error: 'it broke', dryRun: true }))
    expect(o.error).toBe('it broke')
    expect(o.recordsCarried).toBeNull()
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
        carried: 0,
        removed: 0,
      }),
    )
    expect(out).toEqual({
      [OUTPUT.sessionId]: 'gh-5-2',
      [OUTPUT.sessionStatus]: 'CANCELED',
      [OUTPUT.mode]: 'replace',
      [OUTPUT.recordsPushed]: '0',
      [OUTPUT.recordsFailed]: '2',
      [OUTPUT.recordsCarried]: '0',
      [OUTPUT.recordsRemoved]: '0',
      [OUTPUT.dryRun]: 'false',
      [OUTPUT.result]: expect.any(String),
    })
    expect(JSON.parse(out.result ?? '')).toEqual(
      resultObject(
        report({
          sessionId: 'gh-5-2',
          sessionStatus: 'CANCELED',
          failed: 2,
          carried: 0,
          removed: 0,
        }),
      ),
    )
  })

  it('uses the action.yml output names', () => {
    expect(Object.keys(capture(report())).sort()).toEqual([
      'dry-run',
      'mode',
      'records-carried',
      'records-failed',
      'records-pushed',
      'records-removed',
      'result',
      'session-id',
      'session-status',
    ])
  })

  it('writes unknown counts and a missing session as empty strings', () => {
    const out = capture(report({ dryRun: true }))
    expect(out[OUTPUT.sessionId]).toBe('')
    expect(out[OUTPUT.recordsCarried]).toBe('')
    expect(out[OUTPUT.recordsRemoved]).toBe('')
    expect(out[OUTPUT.dryRun]).toBe('true')
  })

  it('removes secrets from the result', () => {
    const out = capture(report({ error: `Drata echoed ${KEY}` }), (s) => redact(s, [KEY]))
    expect(out.result).not.toContain(KEY)
    expect(JSON.parse(out.result ?? '').error).toBe('Drata echoed ***')
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
