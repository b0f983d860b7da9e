import { describe, expect, it } from 'vitest'
import { envProxyAgent } from '../../src/drata/env-proxy.js'

describe('envProxyAgent', () => {
  it('builds the agent without undici 6’s experimental warning, and leaves other warnings alone', async () => {
    const seen: Array<string | undefined> = []
    const listen = (w: Error & { code?: string }) => seen.push(w.code)
    process.on('warning', listen)
    const emit = process.emitWarning
    try {
      const agent = envProxyAgent({})
      expect(process.emitWarning).toBe(emit)
      process.emitWarning('kept', { code: 'OTHER' })
      await new Promise((r) => setImmediate(r))
      expect(seen).toEqual(['OTHER'])
      await agent.close()
    } finally {
      process.off('warning', listen)
    }
  })
})
