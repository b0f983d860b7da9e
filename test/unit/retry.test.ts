import { describe, expect, it } from 'vitest'
import {
  BASE_DELAY_MS,
  backoffDelay,
  MAX_DELAY_MS,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  RetryBudget,
} from '../../src/drata/retry.js'

const NOW = Date.parse('2030-01-01T00:00:00Z')

describe('backoffDelay', () => {
  it('starts at the base delay: between half of it and all of it', () => {
    expect(backoffDelay(0, () => 0)).toBe(BASE_DELAY_MS / 2)
    expect(backoffDelay(0, () => 0.999_999)).toBe(BASE_DELAY_MS)
  })

  it('never goes below half the ceiling, whatever the jitter', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt)
      expect(backoffDelay(attempt, () => 0)).toBe(ceiling / 2)
      expect(backoffDelay(attempt, () => 0.5)).toBe(Math.round(ceiling * 0.75))
      expect(backoffDelay(attempt, () => 0.999_999)).toBeLessThanOrEqual(ceiling)
    }
  })

  it('doubles with each attempt until the cap', () => {
    const floors = [0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, () => 0))
    expect(floors).toEqual([250, 500, 1000, 2000, 4000, 8000])
  })

  it('caps the ceiling at 30 s, even for absurd attempts', () => {
    expect(MAX_DELAY_MS).toBe(30_000)
    for (const attempt of [6, 7, 10, 50, 2000]) {
      expect(backoffDelay(attempt, () => 0.999_999)).toBeLessThanOrEqual(30_000)
      expect(backoffDelay(attempt, () => 0)).toBe(15_000)
    }
  })

  it('jitters across the whole upper half', () => {
    const seen = new Set<number>()
    for (let i = 0; i < 10; i++) seen.add(backoffDelay(4, () => i / 10))
    expect(seen.size).toBe(10)
    expect(Math.min(...seen)).toBe(4000)
    expect(Math.max(...seen)).toBe(7600)
  })

  it('uses Math.random by default, within bounds', () => {
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(2)
      expect(d).toBeGreaterThanOrEqual(1000)
      expect(d).toBeLessThanOrEqual(2000)
    }
  })
})

describe('RetryBudget', () => {
  it('gives out waits until the next one would not fit, and then takes nothing', () => {
    const budget = new RetryBudget(3000)
    expect(budget.take(1000)).toBe(true)
    expect(budget.take(2000)).toBe(true)
    expect(budget.leftMs).toBe(0)
    expect(budget.take(1)).toBe(false)
    expect(budget.take(0)).toBe(true)
    const other = new RetryBudget(1000)
    expect(other.take(1500)).toBe(false)
    expect(other.leftMs).toBe(1000)
  })
})

describe('parseRetryAfter', () => {
  it('is undefined without a header', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined()
    expect(parseRetryAfter('', NOW)).toBeUndefined()
  })

  it('reads whole seconds', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000)
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0)
  })

  it('rounds fractional seconds up to the millisecond', () => {
    expect(parseRetryAfter('1.5', NOW)).toBe(1500)
    expect(parseRetryAfter('0.0001', NOW)).toBe(1)
  })

  it('reads an HTTP date in the future as the time until it', () => {
    const date = new Date(NOW + 42_000).toUTCString()
    expect(parseRetryAfter(date, NOW)).toBe(42_000)
  })

  it('reads an HTTP date in the past as no wait', () => {
    expect(parseRetryAfter(new Date(NOW - 60_000).toUTCString(), NOW)).toBe(0)
  })

  it.each(['soon', 'abc', '1e3', '5 minutes', '3s', '12abc'])(
    'returns undefined for garbage %s',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined()
    },
  )

  it('reads long delays as they are (the client refuses those over the cap)', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(120_000)
    expect(parseRetryAfter('120', NOW)).toBe(120_000)
    expect(parseRetryAfter('86400', NOW)).toBe(86_400_000)
    expect(parseRetryAfter(new Date(NOW + 3_600_000).toUTCString(), NOW)).toBe(3_600_000)
  })

  it.each(['-1', '1,5', '1.5.2'])('returns undefined for the malformed value %s', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined()
  })
})
