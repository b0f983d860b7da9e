import { createHash, type Hash } from 'node:crypto'
import type { Stats } from 'node:fs'
import { open, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { RecordSource, SourceRecord } from './assemble.js'
import { checkJsonTextBeforeParse } from './json-text.js'
import { rawItems, ShapeError } from './json-stream.js'
import { FILE_LIMITS, type FileLimits, MAX_DEPTH, sizeText } from './limits.js'
import { isPlainObject, parseRecords, type RecordFormat } from './parse.js'
import { decodeUtf8, STRICT_UTF8_PART } from './utf8.js'
import { matchWorkspaceFiles } from './workspace-glob.js'

const FORMATS: Record<string, RecordFormat> = {
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
}

/**
 * The records sources of every file matched by the `records-file` patterns, in sorted order:
 * strict UTF-8, strict JSON for .json/.ndjson/.jsonl, and within the size limits. A file's
 * problems, its size included, come out when its records are read (assembleRecords lists every
 * file's at once). JSON and NDJSON files stream: their records are not kept, but read again
 * when they are sent. YAML files are read whole.
 */
export async function recordFileSources(
  patterns: readonly string[],
  workspace: string,
  idField: string,
  limits: FileLimits = FILE_LIMITS,
): Promise<RecordSource[]> {
  const sources: RecordSource[] = []
  let total = 0
  for (const { relative, real } of await matchWorkspaceFiles(patterns, workspace, 'records-file')) {
    const format = FORMATS[path.extname(relative).toLowerCase()]
    if (!format) {
      sources.push(
        unreadable(
          relative,
          `'records-file' matched ${relative}, which is not .json, .ndjson, .jsonl, .yaml or .yml`,
        ),
      )
      continue
    }
    const found = await stat(real)
    total += found.size
    if (total > limits.total) {
      sources.push(
        unreadable(
          relative,
          `${relative}: brings the records files to ${sizeText(total)}, over the ${sizeText(limits.total)} one run may read; push them in several steps`,
        ),
      )
      break
    }
    const tooLarge = sizeProblem(relative, format, found.size, limits)
    sources.push(
      tooLarge
        ? unreadable(relative, tooLarge)
        : format === 'yaml'
          ? { source: relative, idField, records: yamlFile(real, relative) }
          : streamedFile(real, relative, format, found, idField),
    )
  }
  return sources
}

/** A file that cannot be read as records: reading it gives the problem, reported with the rest. */
function unreadable(relative: string, problem: string): RecordSource {
  const records: AsyncIterable<SourceRecord> = {
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error(problem)) }),
  }
  return { source: relative, idField: 'id', records }
}

/** A YAML file's records, read and parsed whole (YAML files are small: see limits.ts). */
async function* yamlFile(real: string, relative: string): AsyncGenerator<SourceRecord> {
  const text = decodeUtf8(await readFile(real), relative)
  const { records, lines } = parseRecords(text, 'yaml', relative)
  for (const [index, record] of records.entries()) yield { record, line: lines[index] }
}

/**
 * A JSON or NDJSON file as a source whose records stream: each is checked as strict JSON on
 * its own and given with its bytes, and the file is read again to send them. At the first
 * problem the file is read whole by the strict parser, which names the exact place (a file is
 * at most FILE_LIMITS.json, so that read is bounded).
 */
function streamedFile(
  real: string,
  relative: string,
  format: 'json' | 'ndjson',
  checked: Stats,
  idField: string,
): RecordSource {
  // The whole file's SHA-256 as checked, and as last read again: they must be the same.
  let checkedDigest: string | undefined
  let readDigest: string | undefined
  async function* records(): AsyncGenerator<SourceRecord> {
    let line = 0
    const hash = createHash('sha256')
    try {
      for await (const item of rawItems(readChunks(real, hash), format)) {
        line = item.line
        const text = STRICT_UTF8_PART.decode(item.bytes)
        // Depth and numbers are checked here too, so valueProblem has nothing left to find.
        // A raw control character in a string is JSON.parse's to refuse; the whole-file read
        // below then names it.
        checkJsonTextBeforeParse(text, MAX_DEPTH)
        const record: unknown = JSON.parse(text)
        if (!isPlainObject(record)) throw new ShapeError('not an object', line)
        yield { record, line, bytes: item.bytes }
      }
    } catch (error) {
      const at = error instanceof ShapeError ? error.line : line
      throw await wholeFileProblem(real, relative, format, at, error)
    }
    checkedDigest = hash.digest('hex')
  }
  const unchanged = async (when: string) => {
    const now = await stat(real)
    // ctime too: touch -r can set a modification time back, nothing sets the change time.
    for (const key of ['size', 'mtimeMs', 'ctimeMs', 'ino'] as const)
      if (now[key] !== checked[key]) throw new Error(`${relative} changed ${when}`)
  }
  return {
    source: relative,
    idField,
    records: records(),
    file: {
      relative,
      async *items() {
        readDigest = undefined
        const hash = createHash('sha256')
        yield* rawItems(readChunks(real, hash), format)
        readDigest = hash.digest('hex')
      },
      async assertReadAsChecked() {
        // Each record was compared as it went (CRC-32, length); a change made to pass that,
        // on purpose, still changes the file's hash: found here, before a session completes.
        if (readDigest !== checkedDigest)
          throw new Error(
            `${relative} changed while this run was pushing it (its SHA-256 is not the one checked); what was sent from it may differ. Run again on a file that stays put.`,
          )
        await unchanged('while this run was pushing it. Run again on a file that stays put.')
      },
      async assertUnchanged() {
        await unchanged(
          'after this run checked it; nothing of it was sent. Run again on a file that stays put.',
        )
      },
    },
  }
}

/** Bytes read at once from a records file. */
const CHUNK_BYTES = 256 * 1024

/**
 * The file's bytes, a chunk at a time, all read into one buffer: each chunk is valid until the
 * next is asked for. A file of any size costs one buffer, not a buffer per chunk. Every byte
 * read goes into `hash`.
 */
async function* readChunks(real: string, hash: Hash): AsyncGenerator<Buffer> {
  const handle = await open(real, 'r')
  try {
    const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES)
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null)
      if (bytesRead === 0) return
      const chunk = buffer.subarray(0, bytesRead)
      hash.update(chunk)
      yield chunk
    }
  } finally {
    await handle.close()
  }
}

/** The whole-file parser's message for a problem found while streaming, or the problem itself. */
async function wholeFileProblem(
  real: string,
  relative: string,
  format: RecordFormat,
  line: number,
  error: unknown,
): Promise<Error> {
  try {
    parseRecords(decodeUtf8(await readFile(real), relative), format, relative)
  } catch (whole) {
    return whole as Error
  }
  return new Error(`${relative} line ${line}: ${(error as Error).message}`, { cause: error })
}

/** Why a file is refused by its size alone, before it is read, or undefined. */
function sizeProblem(
  relative: string,
  format: RecordFormat,
  size: number,
  limits: FileLimits,
): string | undefined {
  const limit = format === 'yaml' ? limits.yaml : limits.json
  if (size <= limit) return undefined
  const advice =
    format === 'yaml'
      ? 'write it as .json or .ndjson, which may be larger, or split it'
      : 'split it into several files'
  return `${relative}: ${sizeText(size)}; a ${format === 'yaml' ? 'YAML' : 'JSON'} records file may be at most ${sizeText(limit)}; ${advice}`
}
