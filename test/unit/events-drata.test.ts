// EventsApi against the local Drata sandbox: which events count as this run's.
import { describe, expect, it } from 'vitest'
import { useSandboxApi } from './sandbox-api.js'

const drata = useSandboxApi()

/** A plain upsert through the API, which makes the sandbox record a Public API event. */
async function upsert(id: string): Promise<void> {
  const res = await fetch(`${drata.sandbox.url}/custom-connections/1/resources/1/records`, {
    method: 'POST',
    headers: { authorization: 'Bearer sandbox-key', 'content-type': 'application/json' },
    body: JSON.stringify({ data: [{ id }] }),
  })
  expect(res.status).toBe(200)
}

describe('EventsApi.since', () => {
  it('lists only events created since the start, of the connection asked for', async () => {
    await upsert('before-the-run')
    await new Promise((r) => setTimeout(r, 20))
    const start = new Date()
    await upsert('during-the-run')
    const asset = await fetch(`${drata.sandbox.url}/assets`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-key', 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'a',
        description: 'd',
        assetClassTypes: ['SOFTWARE'],
        assetType: 'VIRTUAL',
        ownerId: 1,
      }),
    })
    expect(asset.status).toBe(201)

    const ofConnection = await drata.parts.events.since(start, 1)
    expect(ofConnection).toHaveLength(1)
    expect(ofConnection[0]?.description).toContain('1 record')
    expect(ofConnection[0]?.connectionId).toBe(1)

    const withoutConnection = await drata.parts.events.since(start, null)
    expect(withoutConnection.map((e) => e.type)).toEqual(['MANUAL_ASSET_CREATED'])
    expect(drata.sandbox.events()).toHaveLength(3) // the one before the start was left out
  })
})
