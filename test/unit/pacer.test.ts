import { describe, expect, it } from 'vitest'
import { Pacer, realSleep, type Sleep } from '../../src/drata/pacer.js'

/** A clock that only moves when the pacer sleeps or the test advances it. */
function fakeClock(start = 1_000_000) {
  let t = start
  const sleeps: number[] = []
  const sleep: Sleep = async (ms) => {
    sleeps.push(ms)
    t += ms
  }
  return {
    now: () => t,
    sleep,
    sleeps,
    advance(ms: number) {
      t += ms
    },
  }
}

/** Deterministic pseudo-random numbers in [0, 1). */
function prng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0
    return s / 2 ** 32
  }
}

/** Most requests in any window of `windowMs` starting at one of the requests (closed window). */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let best = 0
  let end = 0
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && (times[end] as number) <= (times[start] as number) + windowMs)
      end++
    best = Math.max(best, end - start)
  }
  return best
}

describe('Pacer', () => {
  it('paces nothing at 0 requests per minute (requests-per-minute: 0)', async () => {
    const clock = fakeClock()
    const pacer = new Pacer({ perMinute: 0, burst: 5, now: clock.now, sleep: clock.sleep })
    await Promise.all(Array.from({ length: 1_000 }, () => pacer.take()))
    expect(clock.sleeps).toEqual([])
  })

  it('lets a burst through without sleeping', async () => {
    const clock = fakeClock()
    const pacer = new Pacer({ perMinute: 60, burst: 5, now: clock.now, sleep: clock.sleep })
    for (let i = 0; i < 5; i++) await pacer.take()
    expect(clock.sleeps).toEqual([])
  })

  it('spaces requests after the burst at the sustained rate', async () => {
    const clock = fakeClock()
    const pacer = new Pacer({ perMinute: 60, burst: 5, now: clock.now, sleep: clock.sleep })
    const times: number[] = []
    for (let i = 0; i < 25; i++) {
      await pacer.take()
      times.push(clock.now())
    }
    const start = times[0] as number
    expect(times.slice(0, 5)).toEqual([start, start, start, start, start])
    const gaps = times.slice(5).map((t, i) => t - (times[i + 4] as number))
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(1000)
      expect(gap).toBeLessThanOrEqual(1001)
    }
    // 20 requests after the burst at one per second.
    expect((times.at(-1) as number) - start).toBeGreaterThanOrEqual(20_000)
    expect((times.at(-1) as number) - start).toBeLessThanOrEqual(20_020)
  })

  it('paces at the default 450 per minute after a default burst of 25', async () => {
    const clock = fakeClock()
    const pacer = new Pacer({ now: clock.now, sleep: clock.sleep })
    for (let i = 0; i < 25; i++) await pacer.take()
    expect(clock.sleeps).toEqual([])
    const start = clock.now()
    for (let i = 0; i < 450; i++) await pacer.take()
    const elapsed = clock.now() - start
    expect(elapsed).toBeGreaterThanOrEqual(60_000)
    expect(elapsed).toBeLessThan(60_000 + 450) // at most ~1 ms of rounding per request
  })

  it('refills while idle, but never above the burst', async () => {
    const clock = fakeClock()
    const pacer = new Pacer({ perMinute: 60, burst: 3, now: clock.now, sleep: clock.sleep })
    for (let i = 0; i < 3; i++) await pacer.take()
    clock.advance(10 * 60_000) // ten idle minutes
    for (let i = 0; i < 3; i++) await pacer.take()
    expect(clock.sleeps).toEqual([])
    await pacer.take()
    expect(clock.sleeps).toHaveLength(1)
  })

  it.each([
    { perMinute: 450, burst: 25 },
    { perMinute: 60, burst: 10 },
    { perMinute: 100, burst: 1 },
  ])(
    'never lets more than burst + perMinute through in any 60 s window ($perMinute/min, burst $burst)',
    async ({ perMinute, burst }) => {
      const clock = fakeClock()
      const pacer = new Pacer({ perMinute, burst, now: clock.now, sleep: clock.sleep })
      const random = prng(perMinute * 31 + burst)
      const times: number[] = []
      for (let i = 0; i < 3000; i++) {
        // Mostly back to back, sometimes idle long enough to refill the bucket partly or fully.
        const r = random()
        if (r > 0.997) clock.advance(Math.floor(random() * 120_000))
        else if (r > 0.99) clock.advance(Math.floor(random() * 1_000))
        await pacer.take()
        times.push(clock.now())
      }
      const busiest = busiestWindow(times, 60_000)
      expect(busiest).toBeLessThanOrEqual(burst + perMinute)
      // The bound is not met trivially: the requests do come close to it.
      expect(busiest).toBeGreaterThan(0.9 * perMinute)
    },
  )

  it('keeps the default pace under Drata’s 500 requests per minute', async () => {
    const clock = fakeClock()
    const pacer = new Pacer({ now: clock.now, sleep: clock.sleep })
    const times: number[] = []
    for (let i = 0; i < 2000; i++) {
      await pacer.take()
      times.push(clock.now())
    }
    expect(busiestWindow(times, 60_000)).toBeLessThan(500)
  })

  it('passes the abort signal to its sleep and stops when the sleep rejects', async () => {
    const clock = fakeClock()
    const seen: (AbortSignal | undefined)[] = []
    const reason = new Error('cancelled')
    const pacer = new Pacer({
      perMinute: 60,
      burst: 1,
      now: clock.now,
      sleep: async (_ms, signal) => {
        seen.push(signal)
        throw reason
      },
    })
    const controller = new AbortController()
    await pacer.take(controller.signal)
    await expect(pacer.take(controller.signal)).rejects.toBe(reason)
    expect(seen).toEqual([controller.signal])
  })
})

describe('realSleep', () => {
  it('resolves after the delay', async () => {
    const start = performance.now()
    await realSleep(20)
    expect(performance.now() - start).toBeGreaterThanOrEqual(15)
  })

  it('rejects at once with the reason of an already aborted signal', async () => {
    const reason = new Error('gone')
    await expect(realSleep(60_000, AbortSignal.abort(reason))).rejects.toBe(reason)
  })

  it('is cut short by an abort', async () => {
    const controller = new AbortController()
    const reason = new Error('stop')
    const start = performance.now()
    const sleeping = realSleep(60_000, controller.signal)
    setTimeout(() => controller.abort(reason), 10)
    await expect(sleeping).rejects.toBe(reason)
    expect(performance.now() - start).toBeLessThan(5_000)
  })
})
