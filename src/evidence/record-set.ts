import { crc32 } from 'node:zlib'
import type { RawItem } from './json-stream.js'

/**
 * The records of a run, checked, without their bodies: ids, sizes and where they came from.
 * Records from JSON and NDJSON files are not kept; `texts()` reads those files again, so memory
 * holds ids and sizes, not records, beyond the batches in flight.
 */
export interface RecordSet {
  readonly count: number
  /** Every record's id, in order. */
  readonly ids: readonly string[]
  /** The bytes each record's text takes in a request body, parallel to `ids`. */
  readonly sizes: readonly number[]
  /** How many records each source gave, in order. */
  readonly sources: ReadonlyArray<{ source: string; count: number }>
  /** The JSON of the first PREVIEW_COUNT records, for the summary. */
  readonly preview: readonly string[]
  /**
   * Every record's JSON, in the order of `ids`, exactly as checked and `sizes` long: a file's
   * bytes (valid only until the next record is asked for: copy them) or a text. Throws if a
   * file changed since it was checked: before the first record whose bytes differ, or, for a
   * change that keeps every record's checksum, once the file has been read to its end.
   */
  texts(): AsyncGenerator<Buffer | string>
}

/** How many records the summary previews. */
export const PREVIEW_COUNT = 10

/** A record as it is sent, `size` bytes: its JSON text, or its bytes in a file as they are. */
export type SentRecord =
  | { size: number; json: string; bytes?: undefined; fromFile?: Buffer }
  | { size: number; bytes: Buffer; json?: undefined; fromFile?: undefined }

/** A JSON or NDJSON records file, read again to send its records. */
export interface RereadableFile {
  /** Its path in the workspace, for messages. */
  relative: string
  /** The file's records, read again from disk. */
  items(): AsyncGenerator<RawItem>
  /** Throws when the file's size, times or inode differ from when it was checked. */
  assertUnchanged(): Promise<void>
  /**
   * After items() was read to its end: throws when the bytes read were not the bytes checked
   * (the whole file's SHA-256) or the file's stats changed meanwhile.
   */
  assertReadAsChecked(): Promise<void>
}

interface MemorySegment {
  texts: string[]
}

interface FileSegment {
  file: RereadableFile
  /** A checksum and a length per record, to prove the bytes read again are the bytes checked. */
  crcs: number[]
  lengths: number[]
  /** Whether the record is sent as the file holds it; if not its id is written in again. */
  asIs: boolean[]
}

/** Collects checked records, source by source, into a RecordSet. */
export class RecordSetBuilder {
  private readonly ids: string[] = []
  private readonly sizes: number[] = []
  private readonly sources: Array<{ source: string; count: number }> = []
  private readonly preview: string[] = []
  private readonly segments: Array<MemorySegment | FileSegment> = []

  /** Starts the records of a source; `file` when they are read again from it to be sent. */
  begin(source: string, file?: RereadableFile): void {
    this.sources.push({ source, count: 0 })
    this.segments.push(file ? { file, crcs: [], lengths: [], asIs: [] } : { texts: [] })
  }

  /** Whether the next record added is one the summary previews (then give its `preview`). */
  get previewing(): boolean {
    return this.preview.length < PREVIEW_COUNT
  }

  /** Adds a record of the current source, as it is sent, with its JSON on one line to preview. */
  add(id: string, sent: SentRecord, preview?: string): void {
    const segment = this.segments.at(-1)
    const source = this.sources.at(-1)
    if (!segment || !source) throw new Error('RecordSetBuilder.add before begin')
    this.ids.push(id)
    this.sizes.push(sent.size)
    source.count++
    if (preview !== undefined && this.previewing) this.preview.push(preview)
    const raw = sent.bytes ?? sent.fromFile
    if ('texts' in segment) {
      if (sent.json === undefined) throw new Error('a record held in memory needs its text')
      segment.texts.push(sent.json)
      return
    }
    if (!raw) throw new Error('a file record needs its bytes')
    segment.crcs.push(crc32(raw))
    segment.lengths.push(raw.length)
    segment.asIs.push(sent.bytes !== undefined)
  }

  build(): RecordSet {
    const { ids, sizes, sources, preview, segments } = this
    return {
      count: ids.length,
      ids,
      sizes,
      sources: sources.filter((s) => s.count > 0),
      preview,
      texts: () => texts(segments, ids),
    }
  }
}

async function* texts(
  segments: ReadonlyArray<MemorySegment | FileSegment>,
  ids: readonly string[],
): AsyncGenerator<Buffer | string> {
  let k = 0
  for (const segment of segments) {
    if ('texts' in segment) {
      yield* segment.texts
      k += segment.texts.length
      continue
    }
    const { file, crcs, lengths, asIs } = segment
    await file.assertUnchanged()
    let j = 0
    for await (const { bytes, line } of readAgain(file)) {
      if (j >= crcs.length || bytes.length !== lengths[j] || crc32(bytes) !== crcs[j])
        throw new Error(
          `${file.relative} changed while this run was pushing it (line ${line} is not what was checked); run again on a file that stays put.`,
        )
      // The same bytes as checked: valid UTF-8 and strict JSON, sent as they are unless the
      // id is written in (the same text as checked: JSON.stringify is deterministic).
      yield asIs[j]
        ? bytes
        : JSON.stringify({ ...(JSON.parse(bytes.toString('utf8')) as object), id: ids[k] })
      j++
      k++
    }
    if (j !== crcs.length)
      throw new Error(
        `${file.relative} changed while this run was pushing it (it now holds ${j} records, not ${crcs.length}); run again on a file that stays put.`,
      )
    await file.assertReadAsChecked()
  }
}

/** The file's records read again; a failure to read or split it says the file changed. */
async function* readAgain(file: RereadableFile): AsyncGenerator<RawItem> {
  try {
    yield* file.items()
  } catch (error) {
    throw new Error(
      `${file.relative} changed while this run was pushing it (${(error as Error).message}); run again on a file that stays put.`,
      { cause: error },
    )
  }
}

/** A RecordSet of records held in memory. */
export function recordSetOf(
  records: ReadonlyArray<{ id: string; source?: string; data: object }>,
): RecordSet {
  const builder = new RecordSetBuilder()
  let source: string | undefined
  for (const record of records) {
    const from = record.source ?? 'inline'
    if (from !== source) builder.begin((source = from))
    const json = JSON.stringify(record.data)
    builder.add(record.id, { size: Buffer.byteLength(json), json }, json)
  }
  return builder.build()
}
