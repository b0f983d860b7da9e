import { existsSync, realpathSync } from 'node:fs'
import path from 'node:path'
import type { RunContext } from '../evidence/context.js'
import { INPUT } from './names.js'
import type { Parser } from './parser.js'
import { REVIEW_FILE_TYPES } from '../drata/vendors.js'

export const REVIEW_TYPES = ['SECURITY', 'SOC_REPORT', 'UPLOAD_REPORT'] as const
export const REVIEW_STATUSES = [
  'NOT_YET_STARTED',
  'IN_PROGRESS',
  'COMPLETED',
  'NOT_REQUIRED',
] as const
/** documentType of the with-file endpoint. */
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
/** File extensions the with-file endpoint accepts. */
export const REVIEW_FILE_EXTENSIONS = Object.keys(REVIEW_FILE_TYPES)

/** A vendor security review this run asks for. */
export interface VendorReviewSettings {
  vendorId: number
  type: (typeof REVIEW_TYPES)[number]
  status: (typeof REVIEW_STATUSES)[number]
  /** Also the key a re-run finds the review by, so the default names the run. */
  title: string
  /** ISO date-time. */
  deadline: string
  requesterId: number | undefined
  note: string
  /** Absolute path of the file to attach, inside the workspace, or empty. */
  file: string
  documentType: (typeof DOCUMENT_TYPES)[number] | undefined
}

const DAY_MS = 86_400_000

/** Reads the vendor review inputs; undefined when `vendor-id` is empty. */
export function readVendorReviewSettings(
  p: Parser,
  run: () => RunContext,
  workspace: string,
  now: Date,
): VendorReviewSettings | undefined {
  const vendorId = p.positiveInt(INPUT.vendorId)
  if (vendorId === undefined) return undefined
  const ctx = run()
  const title = p.read(INPUT.vendorReviewTitle)
  if (title.length > 191) {
    p.problems.push(
      `'${INPUT.vendorReviewTitle}' must be at most 191 characters (got ${title.length})`,
    )
  }
  const note = p.read(INPUT.vendorReviewNote)
  if (note.length > 1000) {
    p.problems.push(
      `'${INPUT.vendorReviewNote}' must be at most 1000 characters (got ${note.length})`,
    )
  }
  const upper = (s: string) => s.toUpperCase()
  const documentType = p.read(INPUT.vendorReviewDocumentType)
    ? p.oneOf(INPUT.vendorReviewDocumentType, DOCUMENT_TYPES, 'SOC_DOCUMENT', upper)
    : undefined
  return {
    vendorId,
    type: p.oneOf(INPUT.vendorReviewType, REVIEW_TYPES, 'SECURITY', upper),
    status: p.oneOf(INPUT.vendorReviewStatus, REVIEW_STATUSES, 'NOT_YET_STARTED', upper),
    title: title || defaultTitle(ctx),
    deadline: readDeadline(p, now),
    requesterId: p.positiveInt(INPUT.vendorReviewRequesterId),
    note,
    file: readFile(p, workspace),
    documentType,
  }
}

/** `+Nd` (days from now), an ISO date or an ISO date-time. */
function readDeadline(p: Parser, now: Date): string {
  const raw = p.read(INPUT.vendorReviewDeadline) || '+30d'
  const relative = /^\+(\d{1,4})d$/.exec(raw)
  if (relative) return new Date(now.getTime() + Number(relative[1]) * DAY_MS).toISOString()
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(raw)
  const time = Date.parse(raw)
  // Date.parse rolls 2026-02-30 over to March; a real date reads back the same day.
  const real =
    !Number.isNaN(time) && (raw.length > 10 || new Date(time).toISOString().startsWith(raw))
  if (iso && real) return new Date(time).toISOString()
  p.problems.push(
    `'${INPUT.vendorReviewDeadline}' must be +Nd (days from now), an ISO date (2026-12-31) or an ISO date-time (got '${raw}')`,
  )
  return now.toISOString()
}

function readFile(p: Parser, workspace: string): string {
  const raw = p.read(INPUT.vendorReviewFile)
  if (!raw) return ''
  const absolute = path.resolve(workspace, raw)
  if (path.isAbsolute(raw) || !inside(workspace, absolute)) {
    p.problems.push(
      `'${INPUT.vendorReviewFile}' must be a path inside GITHUB_WORKSPACE (got '${raw}')`,
    )
  } else if (!REVIEW_FILE_EXTENSIONS.includes(path.extname(raw).toLowerCase())) {
    p.problems.push(
      `'${INPUT.vendorReviewFile}' must be one of ${REVIEW_FILE_EXTENSIONS.join(' ')} (Drata accepts only these; got '${raw}')`,
    )
  } else if (!existsSync(absolute)) {
    p.problems.push(`'${INPUT.vendorReviewFile}' names a file that does not exist: ${raw}`)
  } else if (!inside(realpathSync(workspace), realpathSync(absolute))) {
    p.problems.push(`'${INPUT.vendorReviewFile}' links outside GITHUB_WORKSPACE: ${raw}`)
  }
  return absolute
}

/** Whether `target` lies inside `root` (a file named '..x' inside it counts). */
function inside(root: string, target: string): boolean {
  const relative = path.relative(root, target)
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  )
}

/**
 * `Security review requested by <workflow> run <run id>`, shortening the workflow name rather
 * than the run id when it is too long: the run id is what lets a re-run find its review.
 */
function defaultTitle(ctx: RunContext): string {
  const tail = ` run ${ctx.runId}`
  const head = 'Security review requested by '
  const room = 191 - head.length - tail.length
  const workflow = ctx.workflow.length > room ? `${ctx.workflow.slice(0, room - 1)}…` : ctx.workflow
  return `${head}${workflow}${tail}`
}
