/**
 * Limits on what records files and the `records` input may hold. They are this action's own
 * limits, not limits Drata documents; each keeps a mistake from being pushed as evidence or
 * from crashing the step without an error that names the file. The README lists them too.
 */

/**
 * Deepest nesting of objects and arrays in one record (the record itself is level 1). Evidence
 * records are flat or shallow; 64 levels is far more than any real record needs and far below
 * the few thousand levels at which V8's recursive JSON.stringify and structuredClone (which
 * every record passes through) overflow the stack.
 */
export const MAX_DEPTH = 64

/**
 * Longest record id, in characters (Unicode code points). Drata stores the id as a string and
 * documents no maximum; 255 is the usual size of an indexed string column, and an id longer than
 * that is almost surely a value written into the wrong field.
 */
export const MAX_ID_LENGTH = 255

/**
 * Largest .json, .ndjson or .jsonl file. Such files stream: memory holds their records' ids and
 * sizes, not the records. The bound is for the error path: at the first problem in a file the
 * whole file is read by the strict parser to name the exact place, and that takes a few times
 * the file's size in memory; 64 MiB keeps it inside the smallest GitHub-hosted runner.
 */
export const MAX_JSON_FILE_BYTES = 64 * 1024 * 1024

/**
 * Largest .yaml or .yml file. The YAML parser builds a node for every value and takes about a
 * hundred times the file's size in memory, so YAML gets a much smaller limit than JSON.
 */
export const MAX_YAML_FILE_BYTES = 4 * 1024 * 1024

/**
 * Largest total size of all matched records files: about half a million 1 KB records, whose
 * ids, sizes and checksums (a few tens of bytes each) stay in memory, and which are read twice
 * (checked, then sent).
 */
export const MAX_TOTAL_FILE_BYTES = 512 * 1024 * 1024

/** The size limits on records files, as one value so tests can pass smaller ones. */
export interface FileLimits {
  json: number
  yaml: number
  total: number
}

export const FILE_LIMITS: FileLimits = {
  json: MAX_JSON_FILE_BYTES,
  yaml: MAX_YAML_FILE_BYTES,
  total: MAX_TOTAL_FILE_BYTES,
}

/** A size for messages: bytes below 1 MiB, else MiB with one decimal ("64 MiB", "65.5 MiB"). */
export function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${bytes} bytes`
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`
}
