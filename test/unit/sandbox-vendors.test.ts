import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { call, callForm, tickingClock } from '../sandbox/client.ts'
import { useSandboxes } from '../sandbox/hooks.ts'

const start = useSandboxes()

const REVIEWS = '/vendors/11/security-reviews'
const ISO = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)

const review = {
  reviewDeadlineAt: '2025-09-30T00:00:00.000Z',
  securityReviewStatus: 'NOT_YET_STARTED',
  securityReviewType: 'SECURITY',
}

const PDF = Buffer.from('%PDF-1.7\n% sandbox test file\n')

function reviewForm(
  fields: Record<string, string> = {},
  file: { name: string; bytes?: Buffer; field?: string } | null = { name: 'soc2.pdf' },
): FormData {
  const form = new FormData()
  const all = {
    title: 'SOC 2 Type II 2025',
    reviewDeadlineAt: '2025-10-01T00:00:00.000Z',
    securityReviewStatus: 'IN_PROGRESS',
    securityReviewType: 'SOC_REPORT',
    ...fields,
  }
  for (const [name, value] of Object.entries(all)) form.append(name, value)
  if (file) {
    const blob = new Blob([new Uint8Array(file.bytes ?? PDF)], { type: 'application/pdf' })
    form.append(file.field ?? 'file', blob, file.name)
  }
  return form
}

describe('POST /vendors/{vendorId}/security-reviews (JSON)', () => {
  it('creates a review: 201 with VendorSecurityReviewResponsePublicV2Dto and defaults', async () => {
    const sb = await start({ now: tickingClock() })
    const res = await call(sb, 'POST', REVIEWS, review)
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      id: 1,
      requestedAt: ISO,
      reviewDeadlineAt: '2025-09-30T00:00:00.000Z',
      decision: 'PENDING',
      title: null,
      note: null,
      status: 'NOT_YET_STARTED',
      type: 'SECURITY',
      createdAt: ISO,
      updatedAt: ISO,
      vendorId: 11,
      userId: 1,
      requesterUserId: 1,
    })
    expect(res.body.requestedAt).toBe(res.body.createdAt)

    const full = await call(sb, 'POST', REVIEWS, {
      ...review,
      title: 'Annual review',
      note: 'n'.repeat(1000),
      requestedAt: '2025-06-01T12:00:00Z',
      requesterUserId: 2,
    })
    expect(full.status).toBe(201)
    expect(full.body).toMatchObject({
      id: 2,
      title: 'Annual review',
      requestedAt: '2025-06-01T12:00:00.000Z',
      requesterUserId: 2,
    })
    expect(full.body.note).toHaveLength(1000)
    const nulls = await call(sb, 'POST', REVIEWS, { ...review, title: null, note: null })
    expect(nulls.status).toBe(201)
    expect(sb.vendorReviews(11).map((r) => [r.id, r.file])).toEqual([
      [1, null],
      [2, null],
      [3, null],
    ])
  })

  it('answers 400 naming the field, and 404 for unknown vendors and requesters', async () => {
    const sb = await start()
    const bad = async (body: Record<string, unknown>) => {
      const res = await call(sb, 'POST', REVIEWS, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      return res.body.message as string
    }
    expect(await bad({ ...review, note: 'n'.repeat(1001) })).toBe(
      'note must be shorter than or equal to 1000 characters',
    )
    expect(await bad({ ...review, title: 't'.repeat(192) })).toContain('title')
    for (const field of ['reviewDeadlineAt', 'securityReviewStatus', 'securityReviewType']) {
      const { [field]: _, ...rest } = review as Record<string, string>
      expect(await bad(rest)).toContain(field)
    }
    expect(await bad({ ...review, securityReviewStatus: 'DONE' })).toBe(
      'securityReviewStatus must be one of the following values: NOT_YET_STARTED, IN_PROGRESS, COMPLETED, NOT_REQUIRED',
    )
    expect(await bad({ ...review, securityReviewType: 'AUDIT' })).toContain('securityReviewType')
    expect(await bad({ ...review, reviewDeadlineAt: 'soon' })).toContain('reviewDeadlineAt')
    expect(await bad({ ...review, requesterUserId: 1_000_000_001 })).toContain('requesterUserId')
    expect(await bad({ ...review, deadline: '2025-01-01' })).toBe(
      'property deadline should not exist',
    )

    const requester = await call(sb, 'POST', REVIEWS, { ...review, requesterUserId: 77 })
    expect(requester.status).toBe(404)
    expect(requester.body.message).toContain('requesterUserId 77')
    const vendor = await call(sb, 'POST', '/vendors/99/security-reviews', review)
    expect(vendor.status).toBe(404)
    expect(vendor.body).toMatchObject({ name: 'NotFoundException', message: 'Vendor 99 not found' })
    expect((await call(sb, 'GET', '/vendors/99/security-reviews')).status).toBe(404)
    expect((await call(sb, 'POST', '/vendors/abc/security-reviews', review)).status).toBe(400)
    expect(sb.state().vendorReviews).toEqual([])
  })
})

describe('POST /vendors/{vendorId}/security-reviews/with-file (multipart)', () => {
  it('creates a review from form fields and records the file name, size and sha256', async () => {
    const sb = await start()
    const res = await callForm(
      sb,
      'POST',
      `${REVIEWS}/with-file`,
      reviewForm({ documentType: 'SOC_DOCUMENT', requesterUserId: '2', note: 'Bridge letter due' }),
    )
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      id: 1,
      requestedAt: ISO,
      reviewDeadlineAt: '2025-10-01T00:00:00.000Z',
      decision: 'PENDING',
      title: 'SOC 2 Type II 2025',
      note: 'Bridge letter due',
      status: 'IN_PROGRESS',
      type: 'SOC_REPORT',
      createdAt: ISO,
      updatedAt: ISO,
      vendorId: 11,
      userId: 1,
      requesterUserId: 2,
    })
    const sha256 = createHash('sha256').update(PDF).digest('hex')
    const file = {
      name: 'soc2.pdf',
      type: 'application/pdf',
      size: PDF.length,
      sha256,
      documentType: 'SOC_DOCUMENT',
    }
    expect(sb.vendorReviews(11)[0]?.file).toEqual(file)
    expect(sb.state().vendorReviews[0]?.file).toEqual(file)
    expect(sb.requests[0]?.body).toMatchObject({
      title: 'SOC 2 Type II 2025',
      file: { name: 'soc2.pdf', size: PDF.length, sha256 },
    })

    const upper = await callForm(
      sb,
      'POST',
      `${REVIEWS}/with-file`,
      reviewForm({}, { name: 'Q.XLSX' }),
    )
    expect(upper.status).toBe(201)
    expect(sb.vendorReviews(11)[1]?.file?.documentType).toBeNull()
  })

  it('rejects disallowed extensions, JSON bodies, missing or misplaced files and bad fields', async () => {
    const sb = await start()
    const post = (form: FormData) => callForm(sb, 'POST', `${REVIEWS}/with-file`, form)

    const exe = await post(reviewForm({}, { name: 'report.exe' }))
    expect(exe.status).toBe(400)
    expect(exe.body.message).toContain('file "report.exe" has an unsupported extension')
    expect(exe.body.message).toContain('.pdf, .docx, .odt, .doc, .xlsx, .ods, .pptx, .odp, .gif')
    expect((await post(reviewForm({}, { name: 'noextension' }))).status).toBe(400)

    const json = await call(sb, 'POST', `${REVIEWS}/with-file`, {
      ...review,
      title: 'JSON cannot carry a file',
    })
    expect(json.status).toBe(400)
    expect(json.body.message).toContain('multipart/form-data')

    const missing = await post(reviewForm({}, null))
    expect(missing.status).toBe(400)
    expect(missing.body.message).toBe('file is required')
    const elsewhere = await post(reviewForm({}, { name: 'soc2.pdf', field: 'document' }))
    expect(elsewhere.status).toBe(400)
    expect(elsewhere.body.message).toBe('Unexpected field document')
    const twice = reviewForm()
    twice.append('file', new Blob([new Uint8Array(PDF)]), 'again.pdf')
    expect((await post(twice)).status).toBe(400)

    const title = await post(reviewForm({ title: 't'.repeat(256) }))
    expect(title.body.message).toBe('title must be shorter than or equal to 255 characters')
    expect((await post(reviewForm({ title: 't'.repeat(255) }))).status).toBe(201)
    const note = await post(reviewForm({ note: 'n'.repeat(1001) }))
    expect(note.status).toBe(400)
    expect(note.body.message).toContain('note')
    const doc = await post(reviewForm({ documentType: 'SPREADSHEET' }))
    expect(doc.status).toBe(400)
    expect(doc.body.message).toContain('documentType must be one of the following values')
    expect((await post(reviewForm({ requesterUserId: 'two' }))).body.message).toContain(
      'requesterUserId',
    )
    const noTitle = new FormData()
    noTitle.append('reviewDeadlineAt', '2025-10-01')
    noTitle.append('file', new Blob([new Uint8Array(PDF)]), 'a.pdf')
    const required = await post(noTitle)
    expect(required.status).toBe(400)
    for (const field of ['title', 'securityReviewStatus', 'securityReviewType']) {
      expect(required.body.message).toContain(field)
    }
    expect((await post(reviewForm({ color: 'red' }))).body.message).toBe(
      'property color should not exist',
    )

    const malformed = await fetch(`${sb.url}${REVIEWS}/with-file`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sandbox-key',
        'content-type': 'multipart/form-data; boundary=xyz',
      },
      body: 'not a multipart body',
    })
    expect(malformed.status).toBe(400)

    const vendor = await callForm(
      sb,
      'POST',
      '/vendors/99/security-reviews/with-file',
      reviewForm(),
    )
    expect(vendor.status).toBe(404)
    expect(sb.vendorReviews(11).map((r) => r.title)).toEqual(['t'.repeat(255)])
  })

  it('checks the key before looking at the form', async () => {
    const sb = await start({ keys: { reader: { permissions: ['vendors-get'] } } })
    const res = await callForm(sb, 'POST', `${REVIEWS}/with-file`, reviewForm({}, null), {
      key: 'reader',
    })
    expect(res.status).toBe(403)
    expect((await call(sb, 'GET', REVIEWS, undefined, { key: 'reader' })).status).toBe(200)
    expect((await call(sb, 'POST', REVIEWS, review, { key: 'reader' })).status).toBe(403)
  })
})

describe('GET /vendors/{vendorId}/security-reviews', () => {
  it('lists one vendor’s reviews with pagination, filters and expansions', async () => {
    const sb = await start({ now: tickingClock(), keys: { 'sandbox-key': { userId: 2 } } })
    const statuses = ['NOT_YET_STARTED', 'IN_PROGRESS', 'COMPLETED', 'IN_PROGRESS']
    for (const [i, status] of statuses.entries()) {
      const res = await call(sb, 'POST', REVIEWS, {
        ...review,
        title: `Review ${i + 1}`,
        securityReviewStatus: status,
      })
      expect(res.status).toBe(201)
    }
    await call(sb, 'POST', '/vendors/12/security-reviews', { ...review, title: 'Sentry' })
    const titles = (body: { data: Array<{ title: string }> }) => body.data.map((r) => r.title)

    const first = await call(sb, 'GET', `${REVIEWS}?size=3&includeTotalCount=true`)
    expect(titles(first.body)).toEqual(['Review 1', 'Review 2', 'Review 3'])
    expect(first.body.pagination.totalCount).toBe(4)
    const cursor = encodeURIComponent(first.body.pagination.cursor)
    const second = await call(sb, 'GET', `${REVIEWS}?size=3&cursor=${cursor}`)
    expect(titles(second.body)).toEqual(['Review 4'])
    expect(second.body.pagination).toEqual({ cursor: null, totalCount: null })

    const inProgress = await call(sb, 'GET', `${REVIEWS}?status[]=IN_PROGRESS&status[]=COMPLETED`)
    expect(titles(inProgress.body)).toEqual(['Review 2', 'Review 3', 'Review 4'])
    const none = await call(sb, 'GET', `${REVIEWS}?type[]=SOC_REPORT`)
    expect(none.body.data).toEqual([])
    const pending = await call(sb, 'GET', `${REVIEWS}?decision[]=PENDING&createdAtFrom=2025-01-01`)
    expect(pending.body.data).toHaveLength(4)
    const later = await call(sb, 'GET', `${REVIEWS}?createdAtFrom=2025-01-02`)
    expect(later.body.data).toEqual([])

    const expanded = await call(sb, 'GET', `${REVIEWS}?size=1&expand[]=user&expand[]=requesterUser`)
    expect(expanded.body.data[0]).toMatchObject({
      userId: 2,
      requesterUserId: 1,
      user: { id: 2, email: 'sec@acme.example' },
      requesterUser: { id: 1, email: 'admin@acme.example' },
    })
    for (const bad of ['status[]=DONE', 'expand[]=vendor', 'createdAtTo=someday', 'page=2']) {
      expect((await call(sb, 'GET', `${REVIEWS}?${bad}`)).status, bad).toBe(400)
    }

    const one = await call(sb, 'GET', `${REVIEWS}/2?expand[]=user`)
    expect(one.status).toBe(200)
    expect(one.body).toMatchObject({ id: 2, title: 'Review 2', user: { id: 2 } })
    expect((await call(sb, 'GET', `${REVIEWS}/5`)).status).toBe(404)
    expect((await call(sb, 'GET', '/vendors/12/security-reviews/1')).status).toBe(404)
    expect((await call(sb, 'GET', `${REVIEWS}/x`)).status).toBe(400)
    expect(sb.vendorReviews(12).map((r) => r.title)).toEqual(['Sentry'])
    expect(() => sb.vendorReviews(99)).toThrow(/vendor 99/)
  })
})
