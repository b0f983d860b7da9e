import { STATUS_CODES } from 'node:http'

// Drata documents only 28022 (schema validation). The other numbers are placeholders chosen by
// the sandbox (assumption); clients must key on the HTTP status, never on these, except the
// 401 reasons, which the action decodes (src/drata/errors.ts AUTH_CODES, also an assumption).
export const CODES = {
  schemaValidation: 28022,
  badRequest: 40000,
  unauthorized: 40100,
  keyMissing: 40101,
  keyNotFound: 40102,
  ipNotAllowed: 40103,
  planRequired: 40200,
  forbidden: 40300,
  notFound: 40400,
  termsNotAccepted: 41200,
  payloadTooLarge: 41300,
  unprocessable: 42200,
  tooManyRequests: 42900,
  internal: 50000,
  injected: 59900,
} as const

// Exception class names NestJS would put in `name` of ExceptionResponsePublicV2Dto.
const NAMES: Record<number, string> = {
  400: 'BadRequestException',
  404: 'NotFoundException',
  413: 'PayloadTooLargeException',
  422: 'UnprocessableEntityException',
}

/** An error that carries the exact HTTP status and JSON body to answer with. */
export class HttpError extends Error {
  readonly status: number
  readonly body: Record<string, unknown>

  constructor(status: number, body: Record<string, unknown>) {
    super(String(body.message ?? STATUS_CODES[status]))
    this.status = status
    this.body = body
  }
}

/** ExceptionResponsePublicV2Dto error (the spec uses it for 400, 404, 413 and 422). */
export function publicError(status: number, message: string, code?: number): HttpError {
  return new HttpError(status, {
    name: NAMES[status] ?? 'HttpException',
    statusCode: status,
    message,
    code: code ?? defaultCode(status),
  })
}

/** ExceptionResponseDto error (the spec uses it for 401, 402, 403, 412, 500). */
export function plainError(status: number, message: string, code?: number): HttpError {
  return new HttpError(status, { statusCode: status, message, code: code ?? defaultCode(status) })
}

/** Shorthand for a 400 in the public v2 shape. */
export function badRequest(message: string): HttpError {
  return publicError(400, message)
}

/** Shorthand for a 404 in the public v2 shape. */
export function notFound(message: string): HttpError {
  return publicError(404, message)
}

function defaultCode(status: number): number {
  const byStatus: Record<number, number> = {
    400: CODES.badRequest,
    401: CODES.unauthorized,
    402: CODES.planRequired,
    403: CODES.forbidden,
    404: CODES.notFound,
    412: CODES.termsNotAccepted,
    413: CODES.payloadTooLarge,
    422: CODES.unprocessable,
    429: CODES.tooManyRequests,
    500: CODES.internal,
  }
  return byStatus[status] ?? CODES.injected
}
