import { open } from 'node:fs/promises'
import path from 'node:path'
import { FILE_LIMITS, type FileLimits, sizeText } from './limits.js'
import { type JsonRecord, parseRecords, type RecordFormat } from './parse.js'
import { decodeUtf8 } from './utf8.js'
import { matchWorkspaceFiles } from './workspace-glob.js'

/** Records read from one file. */
export interface FileRecords {
  /** Path relative to the workspace, used as the records' source in the summary. */
  file: string
  records: JsonRecord[]
  /** The 1-based line each record starts on, parallel to `records`. */
  lines: number[]
}

const FORMATS: Record<string, RecordFormat> = {
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
}

/**
 * Reads every file matched by the `records-file` patterns, in sorted order: strict UTF-8, strict
 * JSON for .json/.ndjson/.jsonl, and within the size limits. Every problem with every file is
 * thrown at once, before anything is sent.
 */
export async function readRecordFiles(
  patterns: readonly string[],
  workspace: string,
  limits: FileLimits = FILE_LIMITS,
): Promise<FileRecords[]> {
  const results: FileRecords[] = []
  const problems: string[] = []
  let total = 0
  for (const { relative, real } of await matchWorkspaceFiles(patterns, workspace, 'records-file')) {
    const format = FORMATS[path.extname(relative).toLowerCase()]
    if (!format) {
      problems.push(
        `'records-file' matched ${relative}, which is not .json, .ndjson, .jsonl, .yaml or .yml`,
      )
      continue
    }
    try {
      const bytes = await readWithin(real, relative, format, limits)
      total += bytes.length
      if (total > limits.total) {
        problems.push(
          `${relative}: brings the records files to ${sizeText(total)}, over the ${sizeText(limits.total)} one run may read; push them in several steps`,
        )
        break
      }
      const text = decodeUtf8(bytes, relative)
      results.push({ file: relative, ...parseRecords(text, format, relative) })
    } catch (error) {
      problems.push((error as Error).message)
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'))
  return results
}

/** The file's bytes; a file over its limit is refused by its size, before it is read. */
async function readWithin(
  real: string,
  relative: string,
  format: RecordFormat,
  limits: FileLimits,
): Promise<Buffer> {
  const limit = format === 'yaml' ? limits.yaml : limits.json
  const handle = await open(real, 'r')
  try {
    const { size } = await handle.stat()
    if (size > limit) {
      const advice =
        format === 'yaml'
          ? 'write it as .json or .ndjson, which may be larger, or split it'
          : 'split it into several files'
      throw new Error(
        `${relative}: ${sizeText(size)}; a ${format === 'yaml' ? 'YAML' : 'JSON'} records file may be at most ${sizeText(limit)}; ${advice}`,
      )
    }
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}
