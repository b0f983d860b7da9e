// multipart/form-data bodies, parsed with the WHATWG Request.formData() Node ships (undici), so
// the sandbox needs no multipart dependency.
import { createHash } from 'node:crypto'
import type { FilePartSummary } from './types.ts'

/** A file part: where it came from, and its summary. The bytes themselves are not kept. */
export interface FormFile extends FilePartSummary {
  /** The form field name the part was sent under. */
  field: string
}

/** A parsed multipart body: text fields in order (a name may repeat) and file parts. */
export interface ParsedForm {
  fields: Array<[string, string]>
  files: FormFile[]
}

/** True when the Content-Type header announces multipart/form-data. */
export function isMultipart(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  return type === 'multipart/form-data'
}

/** Parses a multipart/form-data body; a malformed one gives the reason instead. */
export async function parseMultipart(
  bytes: Buffer,
  contentType: string,
): Promise<ParsedForm | { error: string }> {
  let data: FormData
  try {
    const request = new Request('http://sandbox.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: new Uint8Array(bytes),
    })
    data = await request.formData()
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return { error: `Malformed multipart/form-data body: ${reason}` }
  }
  const form: ParsedForm = { fields: [], files: [] }
  for (const [field, value] of data.entries()) {
    if (typeof value === 'string') {
      form.fields.push([field, value])
      continue
    }
    const content = Buffer.from(await value.arrayBuffer())
    form.files.push({
      field,
      name: value.name,
      type: value.type,
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    })
  }
  return form
}

/**
 * How the request log shows a multipart body: each field by name (an array when it repeats),
 * each file part as its summary.
 */
export function summarizeForm(form: ParsedForm): Record<string, unknown> {
  const out: Record<string, unknown[]> = {}
  const add = (name: string, value: unknown) => {
    out[name] = [...(out[name] ?? []), value]
  }
  for (const [name, value] of form.fields) add(name, value)
  for (const { field, ...file } of form.files) add(field, file)
  return Object.fromEntries(
    Object.entries(out).map(([name, values]) => [name, values.length === 1 ? values[0] : values]),
  )
}
