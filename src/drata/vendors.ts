import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { FormData } from 'undici'
import type { DrataClient } from './client.js'
import { pages } from './pages.js'

/** The file extensions the with-file endpoint accepts, with the media type each is sent as. */
// In the order the spec lists the accepted extensions.
export const REVIEW_FILE_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.doc': 'application/msword',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.odp': 'application/vnd.oasis.opendocument.presentation',
  '.gif': 'image/gif',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.csv': 'text/csv',
}

/** The fields of a security review this action reads. */
export interface DrataReview {
  id: number
  title: string | null
  createdAt?: string
  status?: string
  type?: string
  /** HateoasLinksPublicV2Dto: `self.href` is the review's page in the Drata web app. */
  _links?: { self?: { href?: string } }
}

/** What a review is created with (VendorSecurityReviewCreateRequestPublicV2Dto). */
export interface ReviewCreate {
  title: string
  reviewDeadlineAt: string
  securityReviewStatus: string
  securityReviewType: string
  requestedAt: string
  requesterUserId?: number
  note?: string
}

/** Drata's vendor security review endpoints. */
export class VendorsApi {
  constructor(private readonly client: DrataClient) {}

  /** The vendor's reviews with exactly this title. */
  async findByTitle(vendorId: number, title: string): Promise<DrataReview[]> {
    const found: DrataReview[] = []
    for await (const page of pages<DrataReview>(
      this.client,
      `/vendors/${vendorId}/security-reviews`,
      {},
      {
        what: `list the security reviews of vendor ${vendorId}`,
        area: 'reviews',
        permission: 'vendors-get',
        notFound: "Check 'vendor-id': no such vendor in this Drata account.",
      },
    )) {
      found.push(...page.filter((r) => r.title === title))
    }
    return found
  }

  /** Creates a review (JSON). Retried only on 429: a create whose answer was lost may exist. */
  create(vendorId: number, body: ReviewCreate): Promise<DrataReview> {
    return this.client.request({
      method: 'POST',
      path: `/vendors/${vendorId}/security-reviews`,
      body,
      op: this.createOp(vendorId),
      retry: 'unsafe',
    })
  }

  /**
   * Creates a review with a file. The spec declares this body as JSON, but it carries a binary
   * file, so the server takes multipart/form-data: the same fields as form fields plus `file`.
   */
  async createWithFile(
    vendorId: number,
    body: ReviewCreate & { documentType?: string },
    file: string,
  ): Promise<DrataReview> {
    const form = new FormData()
    for (const [key, value] of Object.entries(body)) {
      if (value !== undefined && value !== '') form.append(key, String(value))
    }
    const type = REVIEW_FILE_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
    form.append('file', new Blob([await readFile(file)], { type }), path.basename(file))
    return this.client.request({
      method: 'POST',
      path: `/vendors/${vendorId}/security-reviews/with-file`,
      form,
      op: this.createOp(vendorId),
      retry: 'unsafe',
    })
  }

  private createOp(vendorId: number) {
    return {
      what: `create a security review for vendor ${vendorId}`,
      area: 'reviews' as const,
      permission: 'vendors-post-security-review' as const,
      notFound: "Check 'vendor-id': no such vendor in this Drata account.",
    }
  }
}
