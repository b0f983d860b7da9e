// Vendor Security Reviews API (drata-vendor-security-reviews-api-openapi.yml):
// GET/POST /vendors/{vendorId}/security-reviews, POST …/security-reviews/with-file and
// GET …/security-reviews/{securityReviewId}.
import { extname } from 'node:path'
import type { Directory } from './directory.ts'
import { badRequest, notFound } from './errors.ts'
import { checkFields, type FieldRule, isIsoDateTime } from './fields.ts'
import { summarizeForm } from './multipart.ts'
import { checkQueryNames, PAGE_PARAMS, paginate, parsePageQuery } from './pagination.ts'
import {
  type ApiContext,
  type ApiReply,
  apiRoute,
  enumList,
  expandSet,
  positiveInt,
  type Route,
  type RouteCall,
} from './router.ts'
import type {
  ReviewDecision,
  ReviewDto,
  ReviewFile,
  ReviewStatus,
  ReviewType,
  SandboxReview,
} from './types.ts'
import { isJsonObject, type JsonObject } from './validation.ts'

/** The `x-drata-permissions` of the Vendor Security Reviews endpoints. */
export const VENDOR_PERMISSIONS = {
  get: 'vendors-get',
  createReview: 'vendors-post-security-review',
} as const

export const REVIEW_STATUSES: readonly ReviewStatus[] = [
  'NOT_YET_STARTED',
  'IN_PROGRESS',
  'COMPLETED',
  'NOT_REQUIRED',
]
export const REVIEW_TYPES: readonly ReviewType[] = ['SECURITY', 'SOC_REPORT', 'UPLOAD_REPORT']
const DECISIONS: readonly ReviewDecision[] = [
  'PENDING',
  'APPROVED',
  'APPROVED_WITH_CONDITIONS',
  'REJECTED',
]
export const DOCUMENT_TYPES = [
  'COMPLIANCE_REPORT',
  'COMPLIANCE_REPORT_REVIEW',
  'BRIDGE_LETTER',
  'UPLOADED_COMPLIANCE_REPORT_REVIEW',
  'QUESTIONNAIRE_ATTACHMENT',
  'SOC_DOCUMENT',
  'QUESTIONNAIRE_REPORT',
  'TRUST_CENTER_PAGE',
] as const

/** "Accepted file extensions" of VendorSecurityReviewWithFileCreateRequestPublicV2Dto.file. */
export const REVIEW_FILE_EXTENSIONS = [
  '.pdf',
  '.docx',
  '.odt',
  '.doc',
  '.xlsx',
  '.ods',
  '.pptx',
  '.odp',
  '.gif',
  '.jpg',
  '.jpeg',
  '.png',
  '.csv',
] as const

/** The multipart field the file travels in. */
export const REVIEW_FILE_FIELD = 'file'

const EXPANDS = ['user', 'requesterUser'] as const
type Expand = (typeof EXPANDS)[number]

/** VendorSecurityReviewCreateRequestPublicV2Dto. */
const CREATE_RULES: Record<string, FieldRule> = {
  reviewDeadlineAt: { kind: 'dateTime', required: true },
  securityReviewStatus: { kind: 'enum', values: REVIEW_STATUSES, required: true },
  securityReviewType: { kind: 'enum', values: REVIEW_TYPES, required: true },
  requestedAt: { kind: 'dateTime' },
  note: { kind: 'string', max: 1000, nullable: true },
  requesterUserId: { kind: 'id', max: 1_000_000_000, nullable: true },
  title: { kind: 'string', max: 191, nullable: true },
}

/**
 * VendorSecurityReviewWithFileCreateRequestPublicV2Dto without `file`. Note the differences from
 * the JSON create: title is required and may be 255 characters, nothing is nullable (a form
 * cannot send null), and there is a documentType.
 */
const WITH_FILE_RULES: Record<string, FieldRule> = {
  title: { kind: 'string', max: 255, required: true, notEmpty: true },
  reviewDeadlineAt: { kind: 'dateTime', required: true },
  // The spec types requestedAt as a plain string; it is a date, so it is checked as one.
  requestedAt: { kind: 'dateTime' },
  securityReviewStatus: { kind: 'enum', values: REVIEW_STATUSES, required: true },
  securityReviewType: { kind: 'enum', values: REVIEW_TYPES, required: true },
  requesterUserId: { kind: 'id' },
  note: { kind: 'string', max: 1000 },
  documentType: { kind: 'enum', values: DOCUMENT_TYPES },
}

/** Every security review of every vendor; ids are account-wide. */
export class ReviewStore {
  readonly #reviews = new Map<number, SandboxReview>()
  readonly #now: () => Date
  readonly #directory: Directory
  #nextId = 1

  constructor(now: () => Date, directory: Directory) {
    this.#now = now
    this.#directory = directory
  }

  /** Creates a review from validated fields; 404 for an unknown vendor or requester. */
  create(vendorId: number, input: JsonObject, actor: number, file: ReviewFile | null) {
    this.#directory.requireVendor(vendorId)
    let requester = input.requesterUserId as number | null | undefined
    if (requester !== undefined && requester !== null) {
      this.#directory.requireUser(requester, 'requesterUserId')
    } else {
      // "defaults to the vendor's security owner if assigned and active, or the platform admin
      // user": sandbox vendors have no security owner, so it is the admin (the first user).
      requester = this.#directory.adminUserId()
    }
    const ts = this.#now().toISOString()
    const review: SandboxReview = {
      id: this.#nextId++,
      requestedAt: (input.requestedAt as string | undefined) ?? ts,
      reviewDeadlineAt: input.reviewDeadlineAt as string,
      // A new review has no decision yet (assumption: PENDING whatever the status).
      decision: 'PENDING',
      title: (input.title as string | null | undefined) ?? null,
      note: (input.note as string | null | undefined) ?? null,
      status: input.securityReviewStatus as ReviewStatus,
      type: input.securityReviewType as ReviewType,
      createdAt: ts,
      updatedAt: ts,
      vendorId,
      // "The user assigned to conduct this review": whoever created it (assumption).
      userId: actor,
      requesterUserId: requester,
      file,
    }
    this.#reviews.set(review.id, review)
    return review
  }

  /** Reviews of one vendor sorted by id; 404 for an unknown vendor. */
  forVendor(vendorId: number): SandboxReview[] {
    this.#directory.requireVendor(vendorId)
    return this.all().filter((r) => r.vendorId === vendorId)
  }

  /** One review of one vendor; 404 when either is unknown or the review is another vendor's. */
  get(vendorId: number, id: number): SandboxReview {
    this.#directory.requireVendor(vendorId)
    const review = this.#reviews.get(id)
    if (!review || review.vendorId !== vendorId) {
      throw notFound(`Security review ${id} not found for vendor ${vendorId}`)
    }
    return review
  }

  /** Every review sorted by id (the stored objects). */
  all(): SandboxReview[] {
    return [...this.#reviews.values()].sort((a, b) => a.id - b.id)
  }

  /** VendorSecurityReviewResponsePublicV2Dto with the requested expansions. */
  view(review: SandboxReview, expand: ReadonlySet<Expand>): ReviewDto {
    const { file: _file, ...dto } = review
    const out: ReviewDto = { ...dto }
    if (expand.has('user') && review.userId !== null) {
      out.user = this.#directory.compactUser(review.userId)
    }
    if (expand.has('requesterUser') && review.requesterUserId !== null) {
      out.requesterUser = this.#directory.compactUser(review.requesterUserId)
    }
    return out
  }
}

const BASE = '/vendors/([^/]+)/security-reviews'

export const VENDOR_ROUTES: Route[] = [
  apiRoute('GET', BASE, VENDOR_PERMISSIONS.get, listReviews),
  apiRoute('POST', BASE, VENDOR_PERMISSIONS.createReview, createReview),
  apiRoute('POST', `${BASE}/with-file`, VENDOR_PERMISSIONS.createReview, createReviewWithFile),
  apiRoute('GET', `${BASE}/([^/]+)`, VENDOR_PERMISSIONS.get, getReview),
]

function listReviews(ctx: ApiContext, call: RouteCall): ApiReply {
  const { query } = call.req
  const vendorId = positiveInt(call.params[0] ?? '', 'vendorId')
  checkQueryNames(query, [
    ...PAGE_PARAMS,
    'status[]',
    'type[]',
    'decision[]',
    'expand[]',
    'createdAtFrom',
    'createdAtTo',
    'updatedAtFrom',
    'updatedAtTo',
  ])
  const page = parsePageQuery(query)
  const statuses = enumList(query, 'status[]', REVIEW_STATUSES)
  const types = enumList(query, 'type[]', REVIEW_TYPES)
  const decisions = enumList(query, 'decision[]', DECISIONS)
  const expand = expandSet(query, EXPANDS)
  const createdFrom = day(query.get('createdAtFrom'), 'createdAtFrom')
  const createdTo = day(query.get('createdAtTo'), 'createdAtTo')
  const updatedFrom = day(query.get('updatedAtFrom'), 'updatedAtFrom')
  const updatedTo = day(query.get('updatedAtTo'), 'updatedAtTo')

  // The bounds are dates and inclusive, so timestamps are compared by their UTC day.
  const rows = ctx.reviews.forVendor(vendorId).filter((r) => {
    const created = r.createdAt.slice(0, 10)
    const updated = r.updatedAt.slice(0, 10)
    return (
      (statuses.length === 0 || statuses.includes(r.status)) &&
      (types.length === 0 || types.includes(r.type)) &&
      (decisions.length === 0 || decisions.includes(r.decision)) &&
      (createdFrom === null || created >= createdFrom) &&
      (createdTo === null || created <= createdTo) &&
      (updatedFrom === null || updated >= updatedFrom) &&
      (updatedTo === null || updated <= updatedTo)
    )
  })
  const { data, pagination } = paginate(rows, page, (r) => ({ value: r[page.sort], tie: r.id }))
  return { status: 200, body: { data: data.map((r) => ctx.reviews.view(r, expand)), pagination } }
}

function createReview(ctx: ApiContext, call: RouteCall): ApiReply {
  const vendorId = positiveInt(call.params[0] ?? '', 'vendorId')
  checkQueryNames(call.req.query, [])
  if (!isJsonObject(call.req.body)) throw badRequest('Request body must be a JSON object')
  const input = checkFields(call.req.body, CREATE_RULES)
  const review = ctx.reviews.create(vendorId, input, call.actor, null)
  reviewEvent(ctx, call, review, input)
  return { status: 201, body: ctx.reviews.view(review, new Set()) }
}

// The spec declares this body as application/json, but a JSON document cannot carry the binary
// `file` (format: binary) it requires. Drata's server takes it as multipart/form-data (a NestJS
// FileInterceptor on the field `file`), so the sandbox follows the server, not the spec: the DTO
// fields are form fields, the file is the part named `file`, and a JSON body is a 400.
function createReviewWithFile(ctx: ApiContext, call: RouteCall): ApiReply {
  const vendorId = positiveInt(call.params[0] ?? '', 'vendorId')
  checkQueryNames(call.req.query, [])
  const { form } = call.req
  if (form === null) {
    throw badRequest(
      `Content-Type must be multipart/form-data with the file in a part named "${REVIEW_FILE_FIELD}"`,
    )
  }
  if ('error' in form) throw badRequest(form.error)
  // Multer's errors come first: a file under another field name, or more than one file.
  const stray = form.files.find((f) => f.field !== REVIEW_FILE_FIELD)
  if (stray) throw badRequest(`Unexpected field ${stray.field}`)
  if (form.files.length > 1) throw badRequest(`Unexpected field ${REVIEW_FILE_FIELD}`)
  if (form.fields.some(([name]) => name === REVIEW_FILE_FIELD)) {
    throw badRequest(`${REVIEW_FILE_FIELD} must be a file part (with a filename), not a text field`)
  }

  // Form values are strings; a repeated name arrives as an array (and fails its rule).
  const body: JsonObject = {}
  for (const [name, value] of form.fields) {
    const prev = body[name]
    body[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value]
  }
  const input = checkFields(body, WITH_FILE_RULES, { form: true })
  const [upload] = form.files
  if (!upload) throw badRequest(`${REVIEW_FILE_FIELD} is required`)
  const ext = extname(upload.name).toLowerCase()
  if (!(REVIEW_FILE_EXTENSIONS as readonly string[]).includes(ext)) {
    throw badRequest(
      `${REVIEW_FILE_FIELD} "${upload.name}" has an unsupported extension; accepted file extensions: ${REVIEW_FILE_EXTENSIONS.join(', ')}`,
    )
  }
  const file: ReviewFile = {
    name: upload.name,
    type: upload.type,
    size: upload.size,
    sha256: upload.sha256,
    documentType: (input.documentType as string | undefined) ?? null,
  }
  const review = ctx.reviews.create(vendorId, input, call.actor, file)
  reviewEvent(ctx, call, review, summarizeForm(form))
  return { status: 201, body: ctx.reviews.view(review, new Set()) }
}

function getReview(ctx: ApiContext, call: RouteCall): ApiReply {
  const vendorId = positiveInt(call.params[0] ?? '', 'vendorId')
  const reviewId = positiveInt(call.params[1] ?? '', 'securityReviewId')
  const { query } = call.req
  checkQueryNames(query, ['expand[]'])
  const expand = expandSet(query, EXPANDS)
  return { status: 200, body: ctx.reviews.view(ctx.reviews.get(vendorId, reviewId), expand) }
}

function day(raw: string | null, name: string): string | null {
  if (raw === null) return null
  if (!isIsoDateTime(raw)) throw badRequest(`${name} must be a valid ISO 8601 date string`)
  return new Date(raw).toISOString().slice(0, 10)
}

// VENDOR_SECURITY_REVIEW_CREATED in category VENDOR: the EventTypeEnum value for a new review.
// A with-file create writes this one event too (one per request), its file in metadata.fileKey.
function reviewEvent(
  ctx: ApiContext,
  call: RouteCall,
  review: SandboxReview,
  dto: JsonObject,
): void {
  const title = review.title === null ? '' : ` "${review.title}"`
  const vendor = ctx.directory.vendorName(review.vendorId)
  ctx.events.write({
    type: 'VENDOR_SECURITY_REVIEW_CREATED',
    category: 'VENDOR',
    description: `${ctx.directory.displayName(call.actor)} created the security review${title} for vendor ${vendor} via the Public API`,
    userId: call.actor,
    connectionId: null,
    metadata: {
      dto,
      targetEntity: { ...ctx.reviews.view(review, new Set()) },
      fileKey: review.file
        ? `vendors/${review.vendorId}/security-reviews/${review.id}/${review.file.name}`
        : null,
      request: { method: call.req.method, path: call.req.path },
    },
  })
}
