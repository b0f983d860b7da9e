import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { type JsonRecord, parseRecords, type RecordFormat } from './parse.js'
import { matchWorkspaceFiles } from './workspace-files.js'

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

/** Reads every file matched by the `records-file` patterns, in sorted order. */
export async function readRecordFiles(
  patterns: readonly string[],
  workspace: string,
): Promise<FileRecords[]> {
  const results: FileRecords[] = []
  const problems: string[] = []
  for (const { relative, real } of await matchWorkspaceFiles(patterns, workspace, 'records-file')) {
    const format = FORMATS[path.extname(relative).toLowerCase()]
    if (!format) {
      problems.push(
        `'records-file' matched ${relative}, which is not .json, .ndjson, .jsonl, .yaml or .yml`,
      )
      continue
    }
    try {
      results.push({
        file: relative,
        records: parseRecords(await readFile(real, 'utf8'), format, relative),
      })
    } catch (error) {
      problems.push((error as Error).message)
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'))
  return results
}
