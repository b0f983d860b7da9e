// openReview against a hand-written fake of Drata's vendor security review endpoints.
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../src/drata/errors.js'
import type { DrataReview, ReviewCreate, VendorsApi } from '../../src/drata/vendors.js'
import { openReview } from '../../src/vendor/review.js'
import type { VendorReviewSettings } from '../../src/inputs/vendor-review.js'
import { memoryLogger } from './collectors-fake.js'
import { REVIEW_SETTINGS } from './follow-up-fixtures.js'

const NOW = new Date('2030-01-02T03:04:05.000Z')

const SETTINGS: VendorReviewSettings = { ...REVIEW_SETTINGS, vendorId: 12 }

type Call =
  | { op: 'find'; vendorId: number; title: string }
  | { op: 'create'; vendorId: number; body: ReviewCreate }
  | {
      op: 'createWithFile'
      vendorId: number
      body: ReviewCreate & { documentType?: string }
      file: string
    }

/** A vendor's reviews in memory; `failCreate` makes the next creates throw. */
class FakeVendors {
  readonly calls: Call[] = []
  readonly reviews: Array<DrataReview & { vendorId: number }> = []
  /** Errors the next creates throw, in order; `applied` ones are created all the same. */
  failCreate: Array<{ error: Error; applied: boolean }> = []
  private nextId = 500

  async findByTitle(vendorId: number, title: string): Promise<DrataReview[]> {
    this.calls.push({ op: 'find', vendorId, title })
    return this.reviews.filter((r) => r.vendorId === vendorId && r.title === title)
  }

  async create(vendorId: number, body: ReviewCreate): Promise<DrataReview> {
    this.calls.push({ op: 'create', vendorId, body })
    return this.created(vendorId, body.title)
  }

  async createWithFile(
    vendorId: number,
    body: ReviewCreate & { documentType?: string },
    file: string,
  ): Promise<DrataReview> {
    this.calls.push({ op: 'createWithFile', vendorId, body, file })
    return this.created(vendorId, body.title)
  }

  add(vendorId: number, title: string): DrataReview {
    const review = { id: this.nextId++, vendorId, title }
    this.reviews.push(review)
    return review
  }

  writes(): Call[] {
    return this.calls.filter((c) => c.op !== 'find')
  }

  get api(): VendorsApi {
    return this as unknown as VendorsApi
  }

  private created(vendorId: number, title: string): DrataReview {
    const failure = this.failCreate.shift()
    if (failure && !failure.applied) throw failure.error
    const review = this.add(vendorId, title)
    if (failure) throw failure.error
    return review
  }
}

async function open(
  fake: FakeVendors,
  settings: Partial<VendorReviewSettings> = {},
  dryRun = false,
): Promise<{ outcome: Awaited<ReturnType<typeof openReview>>; logs: string[] }> {
  const { logger, logs } = memoryLogger()
  const outcome = await openReview(fake.api, { ...SETTINGS, ...settings }, dryRun, logger, NOW)
  return { outcome, logs }
}

describe('openReview', () => {
  it('creates the review as JSON with the deadline, status, type and request time', async () => {
    const fake = new FakeVendors()
    fake.add(12, 'Another review')
    fake.add(11, SETTINGS.title) // the same title at another vendor
    const { outcome } = await open(fake)
    expect(outcome).toEqual({
      action: 'created',
      id: 502,
      vendorId: 12,
      title: SETTINGS.title,
      withFile: false,
    })
    expect(fake.calls[0]).toEqual({ op: 'find', vendorId: 12, title: SETTINGS.title })
    expect(fake.writes()).toEqual([
      {
        op: 'create',
        vendorId: 12,
        body: {
          title: SETTINGS.title,
          reviewDeadlineAt: '2030-02-01T03:04:05.000Z',
          securityReviewStatus: 'NOT_YET_STARTED',
          securityReviewType: 'SECURITY',
          requestedAt: '2030-01-02T03:04:05.000Z',
        },
      },
    ])
  })

  it('sends the requester and the note when they are set', async () => {
    const fake = new FakeVendors()
    await open(fake, { requesterId: 7, note: 'Deployed 1.4.0' })
    const [write] = fake.writes()
    expect(write?.op === 'create' && write.body).toMatchObject({
      requesterUserId: 7,
      note: 'Deployed 1.4.0',
    })
  })

  it("keeps Drata's own link to the review, only when it is an https page of drata.com", async () => {
    const fake = new FakeVendors()
    const existing = fake.add(12, SETTINGS.title)
    existing._links = { self: { href: 'https://app.drata.com/risk/vendors/profile/12/overview' } }
    expect((await open(fake)).outcome.link).toBe(
      'https://app.drata.com/risk/vendors/profile/12/overview',
    )
    for (const href of ['http://app.drata.com/x', 'https://drata.com.evil.example/x', 'nope']) {
      existing._links = { self: { href } }
      expect((await open(fake)).outcome.link, href).toBeUndefined()
    }
  })

  it('reuses the review with the same title instead of opening a second', async () => {
    const fake = new FakeVendors()
    const existing = fake.add(12, SETTINGS.title)
    const { outcome, logs } = await open(fake)
    expect(outcome).toEqual({
      action: 'reused',
      id: existing.id,
      vendorId: 12,
      title: SETTINGS.title,
      withFile: false,
    })
    expect(fake.writes()).toEqual([])
    expect(logs).toContain(
      `Vendor 12 already has review ${existing.id} '${SETTINGS.title}'; reusing it`,
    )
  })

  it('creates the review with its file and document type when a file is set', async () => {
    const fake = new FakeVendors()
    const file = '/ws/reports/soc2.pdf'
    const { outcome } = await open(fake, {
      type: 'UPLOAD_REPORT',
      file,
      documentType: 'SOC_DOCUMENT',
    })
    expect(outcome).toMatchObject({ action: 'created', id: 500, withFile: true })
    expect(fake.writes()).toEqual([
      {
        op: 'createWithFile',
        vendorId: 12,
        body: {
          title: SETTINGS.title,
          reviewDeadlineAt: SETTINGS.deadline,
          securityReviewStatus: 'NOT_YET_STARTED',
          securityReviewType: 'UPLOAD_REPORT',
          requestedAt: NOW.toISOString(),
          documentType: 'SOC_DOCUMENT',
        },
        file,
      },
    ])
  })

  it('finds a review whose create answer was lost instead of creating a second', async () => {
    const fake = new FakeVendors()
    fake.failCreate = [{ error: new ApiError('socket hang up', 0, true), applied: true }]
    const { outcome } = await open(fake)
    expect(outcome).toMatchObject({ action: 'created', id: 500 })
    expect(fake.writes()).toHaveLength(1)
    expect(fake.reviews).toHaveLength(1)
  })

  it('finds a review with a file whose create failed with a 5xx but was applied', async () => {
    const fake = new FakeVendors()
    fake.failCreate = [{ error: new ApiError('bad gateway', 502, true), applied: true }]
    const { outcome } = await open(fake, { file: '/ws/r.pdf', documentType: 'SOC_DOCUMENT' })
    expect(outcome).toMatchObject({ action: 'created', id: 500, withFile: true })
    expect(fake.writes()).toHaveLength(1)
  })

  it('creates again after an ambiguous failure when the review was not created', async () => {
    const fake = new FakeVendors()
    fake.failCreate = [{ error: new ApiError('timeout', 0, true), applied: false }]
    const { outcome } = await open(fake)
    expect(outcome).toMatchObject({ action: 'created', id: 500 })
    expect(fake.writes()).toHaveLength(2)
    expect(fake.reviews).toHaveLength(1)
  })

  it('throws a 4xx at once without a second create', async () => {
    const fake = new FakeVendors()
    const invalid = new ApiError('Drata rejected the request (400)', 400, false)
    fake.failCreate = [{ error: invalid, applied: false }]
    await expect(open(fake)).rejects.toBe(invalid)
    expect(fake.writes()).toHaveLength(1)
  })

  it('gives up after three ambiguous failures', async () => {
    const fake = new FakeVendors()
    const lost = () => ({ error: new ApiError('timeout', 0, true), applied: false })
    fake.failCreate = [lost(), lost(), lost(), lost()]
    await expect(open(fake)).rejects.toThrow('timeout')
    expect(fake.writes()).toHaveLength(3)
  })

  it('sends no write in a dry run but reports the create', async () => {
    const fake = new FakeVendors()
    const { outcome } = await open(fake, { file: '/ws/r.pdf' }, true)
    expect(outcome).toEqual({
      action: 'created',
      id: null,
      vendorId: 12,
      title: SETTINGS.title,
      withFile: true,
    })
    expect(fake.writes()).toEqual([])
    expect(fake.calls).toHaveLength(1) // the look-up only
  })

  it('reports a reuse in a dry run', async () => {
    const fake = new FakeVendors()
    const existing = fake.add(12, SETTINGS.title)
    const { outcome } = await open(fake, {}, true)
    expect(outcome).toMatchObject({ action: 'reused', id: existing.id })
    expect(fake.writes()).toEqual([])
  })
})
