import { readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import { glob } from 'tinyglobby'
import { type JsonRecord, parseRecords, type RecordFormat } from './parse.js'

/** Records read from one file. */
export interface FileRecords {
  /** Path relative to the workspace, used as the records' source in the summary. */
  file: string
  records: JsonRecord[]
}

const FORMATS: Record<string, RecordFormat> = {
  '.json': 'yaml', // YAML 1.2 parses JSON; one parser gives the same errors with line numbers
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
}

/**
 * Reads every file matched by the `records-file` patterns, in sorted order. A pattern that
 * matches nothing is an error (a typo must not silently send less evidence), and so is a
 * file that resolves outside the workspace through a link.
 */
export async function readRecordFiles(
  patterns: readonly string[],
  workspace: string,
): Promise<FileRecords[]> {
  const negations = patterns.filter((p) => p.startsWith('!'))
  const files = new Set<string>()
  for (const pattern of patterns.filter((p) => !p.startsWith('!'))) {
    const matched = await glob([pattern, ...negations], {
      cwd: workspace,
      onlyFiles: true,
      expandDirectories: false,
    })
    if (matched.length === 0)
      throw new Error(`'records-file' pattern '${pattern}' matched no file in ${workspace}`)
    for (const file of matched) files.add(file)
  }
  const root = await realpath(workspace)
  const results: FileRecords[] = []
  for (const file of [...files].sort()) {
    const format = FORMATS[path.extname(file).toLowerCase()]
    if (!format) {
      throw new Error(
        `'records-file' matched ${file}, which is not .json, .ndjson, .jsonl, .yaml or .yml`,
      )
    }
    const real = await realpath(path.join(workspace, file))
    if (real !== root && !real.startsWith(root + path.sep)) {
      throw new Error(`'records-file' matched ${file}, which links outside the workspace`)
    }
    const text = await readFile(real, 'utf8')
    results.push({ file, records: parseRecords(text, format, file) })
  }
  return results
}
