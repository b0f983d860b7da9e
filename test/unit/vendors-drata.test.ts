// VendorsApi.createWithFile through the real DrataClient, against the local Drata sandbox: the
// media type of the uploaded file part.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { REVIEW_FILE_TYPES, type ReviewCreate } from '../../src/drata/vendors.js'
import { useSandboxApi } from './sandbox-api.js'

const VENDOR = 11

const BODY: ReviewCreate = {
  title: 'Security review requested by Evidence run 9004',
  reviewDeadlineAt: '2030-02-01T03:04:05.000Z',
  securityReviewStatus: 'NOT_YET_STARTED',
  securityReviewType: 'SECURITY',
  requestedAt: '2030-01-02T03:04:05.000Z',
}

const drata = useSandboxApi()
let dir: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vendors-drata-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function file(name: string, content = 'report'): Promise<string> {
  const absolute = path.join(dir, name)
  await writeFile(absolute, content)
  return absolute
}

describe('VendorsApi.createWithFile against the Drata sandbox', () => {
  it('sends the common report formats with their registered media types', () => {
    expect(REVIEW_FILE_TYPES).toMatchObject({
      '.pdf': 'application/pdf',
      '.png': 'image/png',
      '.csv': 'text/csv',
      '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    })
  })

  it.each(Object.entries(REVIEW_FILE_TYPES))('sends a %s file as %s', async (extension, type) => {
    const upload = await file(`report${extension}`)
    const review = await drata.parts.vendors.createWithFile(VENDOR, BODY, upload)
    const [stored] = drata.sandbox.vendorReviews(VENDOR)
    expect(stored?.id).toBe(review.id)
    expect(stored?.file).toMatchObject({ name: `report${extension}`, type, size: 6 })
  })

  it('reads the extension case-insensitively', async () => {
    await drata.parts.vendors.createWithFile(VENDOR, BODY, await file('Scan.PNG'))
    expect(drata.sandbox.vendorReviews(VENDOR)[0]?.file).toMatchObject({
      name: 'Scan.PNG',
      type: 'image/png',
    })
  })

  it('sends the form fields and the documentType with the file', async () => {
    const upload = await file('soc2.pdf', '%PDF-1.7\n')
    await drata.parts.vendors.createWithFile(
      VENDOR,
      { ...BODY, note: 'See the attached report', documentType: 'SOC_DOCUMENT' },
      upload,
    )
    const [stored] = drata.sandbox.vendorReviews(VENDOR)
    expect(stored).toMatchObject({
      title: BODY.title,
      note: 'See the attached report',
      file: { name: 'soc2.pdf', type: 'application/pdf', documentType: 'SOC_DOCUMENT' },
    })
  })

  it('sends a file of any other extension as application/octet-stream', async () => {
    // The sandbox, like Drata, refuses the extension, but logs the part it was sent.
    await expect(
      drata.parts.vendors.createWithFile(VENDOR, BODY, await file('report.bin')),
    ).rejects.toThrow()
    const post = drata.sandbox.requests.find((r) => r.method === 'POST')
    expect(post?.body).toMatchObject({
      file: { name: 'report.bin', type: 'application/octet-stream' },
    })
  })
})
