import { type CST, isSeq, LineCounter, parseAllDocuments, Parser } from 'yaml'
import { lineColumn } from './json-text.js'
import { documentRecords, type JsonRecord, type ParsedRecords } from './shape.js'

/**
 * Parses a YAML stream (YAML 1.2, so JSON too) into records. Every document may be one object
 * or an array of objects; empty documents are skipped. Nesting deeper than `maxDepth` is refused
 * before the document is built, since building it recurses.
 */
export function parseYamlRecords(text: string, where: string, maxDepth: number): ParsedRecords {
  const tooDeep = tooDeepAt(text, maxDepth)
  if (tooDeep !== undefined) {
    const { line, column } = lineColumn(text, tooDeep)
    throw new Error(
      `${where} line ${line}, column ${column}: nested more than ${maxDepth} levels deep (the limit for a record)`,
    )
  }
  const records: JsonRecord[] = []
  const lines: number[] = []
  const counter = new LineCounter()
  // uniqueKeys keeps a duplicated key from silently overwriting evidence.
  const docs = parseAllDocuments(text, {
    uniqueKeys: true,
    prettyErrors: true,
    lineCounter: counter,
  })
  if (!Array.isArray(docs)) return { records, lines } // only comments or nothing at all
  const lineOf = (offset: number) => counter.linePos(offset).line
  for (const doc of docs) {
    const problem = doc.errors[0]
    if (problem) {
      // The parser's first line already says where ("… at line 3, column 1:").
      throw new Error(
        `${where}: not valid JSON or YAML: ${firstLine(problem.message).replace(/:$/, '')}`,
      )
    }
    const contents = doc.contents
    if (contents === null) continue
    let value: unknown
    try {
      value = doc.toJS({ maxAliasCount: 100 })
    } catch (error) {
      throw new Error(`${where} line ${lineOf(contents.range[0])}: ${(error as Error).message}`, {
        cause: error,
      })
    }
    if (value === null || value === undefined) continue
    const docLine = lineOf(contents.range[0])
    const starts = isSeq(contents)
      ? contents.items.map((item) => lineOf(rangeStart(item, contents.range[0])))
      : [docLine]
    const found = documentRecords(value, where, docLine, starts)
    // One at a time: spreading a huge array into push() overflows the stack.
    for (let k = 0; k < found.length; k++) {
      records.push(found[k] as JsonRecord)
      lines.push(starts[k] ?? docLine)
    }
  }
  return { records, lines }
}

/**
 * Offset of the first collection nested deeper than `maxDepth` (plus one for a top-level
 * sequence of records), from the parser's token tree, walked with an explicit stack.
 */
function tooDeepAt(text: string, maxDepth: number): number | undefined {
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document' || !token.value) continue
    const top = token.value
    const topIsSeq =
      top.type === 'block-seq' ||
      (top.type === 'flow-collection' && top.start.type === 'flow-seq-start')
    const limit = maxDepth + (topIsSeq ? 1 : 0)
    const stack: Array<[CST.Token, number]> = [[top, 1]]
    for (let entry = stack.pop(); entry; entry = stack.pop()) {
      const [node, depth] = entry
      if (node.type !== 'block-map' && node.type !== 'block-seq' && node.type !== 'flow-collection')
        continue
      if (depth > limit) return node.offset
      for (const item of node.items as Array<{ key?: CST.Token | null; value?: CST.Token }>) {
        if (item.key) stack.push([item.key, depth + 1])
        if (item.value) stack.push([item.value, depth + 1])
      }
    }
  }
  return undefined
}

function rangeStart(item: unknown, fallback: number): number {
  const range = (item as { range?: [number, number, number] } | null)?.range
  return range ? range[0] : fallback
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}
