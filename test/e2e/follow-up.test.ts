import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { useSandbox } from '../sandbox/hooks.ts'
import { runAction, runAgainst, sandboxInputs, writes } from './harness.ts'

const sandbox = useSandbox()

const DEPLOY = { 'asset-owner-id': '1', environment: 'production' }

describe('asset per deployment', () => {
  it('upsert twice gives one asset; the second run is unchanged, a changed field updates it', async () => {
    const inputs = sandboxInputs(sandbox().url, {
      asset: 'upsert',
      ...DEPLOY,
      records: '{"id":"a"}',
    })
    const first = await runAction({ inputs })
    expect(first.code).toBe(0)
    expect(first.outputs['asset-action']).toBe('created')
    const [asset] = sandbox().assets()
    expect(sandbox().assets()).toHaveLength(1)
    expect(asset).toMatchObject({
      name: 'shop (production)',
      description: 'Deployed from acme/shop@a1b2c3d by Release run 9001',
      notes: 'https://github.com/acme/shop/actions/runs/9001',
      assetType: 'VIRTUAL',
      externalId: 'github:acme/shop:production',
      externalOwnerId: 'github:acme/shop',
      owner: { id: 1 },
    })
    expect(first.outputs['asset-id']).toBe(String(asset?.id))

    const second = await runAction({ inputs: { ...inputs, 'session-id': 'run-2' } })
    expect(second.outputs['asset-action']).toBe('unchanged')
    expect(second.outputs['asset-id']).toBe(String(asset?.id))

    const third = await runAction({
      inputs: { ...inputs, 'session-id': 'run-3', 'asset-class-types': 'software, container' },
    })
    expect(third.outputs['asset-action']).toBe('updated')
    expect(sandbox().assets()).toHaveLength(1)
    expect(third.summary).toContain('<td>shop (production)</td>')
  })

  it('remove deletes the asset; with nothing to remove it warns', async () => {
    await runAgainst(sandbox(), { asset: 'upsert', ...DEPLOY, collect: 'none' })
    expect(sandbox().assets()).toHaveLength(1)
    const removed = await runAgainst(sandbox(), {
      asset: 'remove',
      environment: 'production',
      collect: 'none',
    })
    expect(removed.code).toBe(0)
    expect(removed.outputs['asset-action']).toBe('removed')
    expect(sandbox().assets()).toHaveLength(0)
    const again = await runAgainst(sandbox(), {
      asset: 'remove',
      environment: 'production',
      collect: 'none',
    })
    expect(again.code).toBe(0)
    expect(again.outputs['asset-action']).toBe('none')
    expect(again.stdout).toContain(
      "::warning::No Drata asset has externalId 'github:acme/shop:production'",
    )
  })

  it('remove without environment or external id is refused before any request', async () => {
    const result = await runAgainst(sandbox(), { asset: 'remove', collect: 'none' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("'asset: remove' needs 'environment' or 'asset-external-id'")
    expect(sandbox().requests).toHaveLength(0)
  })

  it('upsert without an owner is a clear error before any request', async () => {
    const result = await runAgainst(sandbox(), { asset: 'upsert', records: '{"id":"a"}' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("'asset-owner-id' is required: Drata requires an owner")
    expect(sandbox().requests).toHaveLength(0)
  })

  it('shortens a name over 191 characters with an ellipsis and a warning', async () => {
    const long = 'n'.repeat(250)
    const result = await runAgainst(sandbox(), {
      asset: 'upsert',
      ...DEPLOY,
      'asset-name': long,
      collect: 'none',
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      "::warning::'asset-name' is 250 characters; Drata takes at most 191",
    )
    expect(sandbox().assets()[0]?.name).toBe(`${'n'.repeat(190)}…`)
  })

  it('a create whose answer was lost is found by externalId, not made twice', async () => {
    sandbox().addFault({ method: 'POST', path: /^\/assets$/, kind: 'drop-after-apply' })
    const result = await runAgainst(sandbox(), { asset: 'upsert', ...DEPLOY, collect: 'none' })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("The create of asset 'shop (production)' had been applied")
    expect(sandbox().assets()).toHaveLength(1)
    expect(
      sandbox().requests.filter((r) => r.method === 'POST' && r.path === '/assets'),
    ).toHaveLength(1)
  })

  it('does not run when the push failed', async () => {
    sandbox().addFault({ method: 'POST', kind: 'status', status: 400, path: /records/ })
    const result = await runAgainst(sandbox(), {
      asset: 'upsert',
      ...DEPLOY,
      records: '{"id":"a"}',
    })
    expect(result.code).toBe(1)
    expect(result.outputs['asset-action']).toBe('none')
    expect(sandbox().requests.some((r) => r.path.startsWith('/assets'))).toBe(false)
  })

  it('dry run says what it would do and writes nothing', async () => {
    const result = await runAgainst(sandbox(), {
      asset: 'upsert',
      ...DEPLOY,
      'dry-run': 'true',
      collect: 'none',
    })
    expect(result.code).toBe(0)
    expect(result.outputs['asset-action']).toBe('created')
    expect(result.summary).toContain('would be created')
    expect(writes(sandbox().requests)).toBe(0)
    expect(sandbox().assets()).toHaveLength(0)
  })
})

describe('vendor security review', () => {
  it('opens a review with a deadline about 30 days ahead, and a re-run reuses it', async () => {
    const inputs = sandboxInputs(sandbox().url, {
      'vendor-id': '11',
      collect: 'none',
      'vendor-review-note': 'New payment provider',
    })
    const first = await runAction({ inputs })
    expect(first.code).toBe(0)
    const reviews = sandbox().vendorReviews(11)
    expect(reviews).toHaveLength(1)
    const review = reviews[0] as unknown as Record<string, unknown>
    expect(review).toMatchObject({ title: 'Security review requested by Release run 9001' })
    expect(first.outputs['vendor-review-id']).toBe(String(review.id))
    const deadline = Date.parse(String(review.reviewDeadlineAt))
    expect(Math.abs(deadline - (Date.now() + 30 * 86_400_000))).toBeLessThan(5 * 60_000)

    const again = await runAction({ inputs: { ...inputs, 'session-id': 'rerun' } })
    expect(again.code).toBe(0)
    expect(sandbox().vendorReviews(11)).toHaveLength(1)
    expect(again.outputs['vendor-review-id']).toBe(String(review.id))
    expect(again.summary).toContain('reused')
  })

  it('another run (another run id) opens its own review', async () => {
    const inputs = sandboxInputs(sandbox().url, { 'vendor-id': '11', collect: 'none' })
    expect((await runAction({ inputs })).code).toBe(0)
    const next = await runAction({
      inputs: { ...inputs, 'session-id': 'next' },
      env: { GITHUB_RUN_ID: '9002' },
    })
    expect(next.code).toBe(0)
    expect(
      sandbox()
        .vendorReviews(11)
        .map((r) => r.title)
        .sort(),
    ).toEqual([
      'Security review requested by Release run 9001',
      'Security review requested by Release run 9002',
    ])
  })

  it('attaches a file as multipart form data', async () => {
    const pdf = '%PDF-1.4 soc2 report\n'
    const result = await runAction({
      inputs: sandboxInputs(sandbox().url, {
        'vendor-id': '12',
        collect: 'none',
        'vendor-review-type': 'soc_report',
        'vendor-review-file': 'reports/soc2.pdf',
        'vendor-review-document-type': 'SOC_DOCUMENT',
      }),
      files: { 'reports/soc2.pdf': pdf },
    })
    expect(result.code).toBe(0)
    const review = sandbox().vendorReviews(12)[0]
    expect(review?.file).toMatchObject({
      name: 'soc2.pdf',
      size: Buffer.byteLength(pdf),
      sha256: createHash('sha256').update(pdf).digest('hex'),
      documentType: 'SOC_DOCUMENT',
    })
    expect(
      sandbox().requests.some((r) => r.path === '/vendors/12/security-reviews/with-file'),
    ).toBe(true)
  })

  it('rejects an unknown vendor with a message about vendor-id', async () => {
    const result = await runAgainst(sandbox(), { 'vendor-id': '999', collect: 'none' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("Check 'vendor-id'")
  })

  it('dry run writes nothing', async () => {
    const result = await runAgainst(sandbox(), {
      'vendor-id': '11',
      collect: 'none',
      'dry-run': 'true',
    })
    expect(result.code).toBe(0)
    expect(result.summary).toContain('would be created')
    expect(writes(sandbox().requests)).toBe(0)
  })
})

describe('audit events', () => {
  it('lists the events Drata recorded for the run, in the summary and event-ids', async () => {
    const result = await runAgainst(sandbox(), {
      records: '[{"id":"a"},{"id":"b"}]',
      asset: 'upsert',
      ...DEPLOY,
      'audit-events': 'true',
    })
    expect(result.code).toBe(0)
    const ids = (result.outputs['event-ids'] ?? '').split(',').filter(Boolean)
    const recorded = sandbox().events()
    expect(ids.length).toBeGreaterThanOrEqual(2) // records upsert, asset create
    expect(ids.sort()).toEqual(recorded.map((e) => String(e.id)).sort())
    expect(result.summary).toContain('### Drata audit events')
    expect(result.summary).toContain('MANUAL_ASSET_CREATED')
    expect(sandbox().requests.filter((r) => /^\/events\/[^/]+$/.test(r.path))).toHaveLength(
      ids.length,
    )
  })

  it('a failure to read events is only a warning', async () => {
    sandbox().addFault({ method: 'GET', path: /^\/events$/, kind: 'status', status: 403, times: 5 })
    const result = await runAgainst(sandbox(), { records: '{"id":"a"}', 'audit-events': 'true' })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("::warning::Could not read Drata's audit events")
  })
})
