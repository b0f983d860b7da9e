import path from 'node:path'

/** Thrown when inputs are invalid; `problems` holds one line per input. */
export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid input${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    )
    this.name = 'InputError'
  }
}

/** Reads one input by its action.yml name. */
export type InputReader = (name: string) => string

/** Reads an input the way the runner passes it (INPUT_<NAME> in the environment), trimmed. */
export function envInputReader(env: NodeJS.ProcessEnv): InputReader {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

const TRUE = new Set(['true', 'True', 'TRUE'])
const FALSE = new Set(['false', 'False', 'FALSE'])

/** Small typed readers; each records a problem that names the input and the expected form. */
export class Parser {
  /** Non-fatal notes for the log, such as a value that was shortened. */
  readonly warnings: string[] = []

  constructor(
    readonly read: InputReader,
    readonly problems: string[],
  ) {}

  bool(name: string, fallback: boolean): boolean {
    const raw = this.read(name)
    if (raw === '') return fallback
    if (TRUE.has(raw)) return true
    if (FALSE.has(raw)) return false
    this.problems.push(`'${name}' must be true or false (got '${raw}')`)
    return fallback
  }

  oneOf<T extends string>(
    name: string,
    allowed: readonly T[],
    fallback: T,
    fold: (s: string) => string = (s) => s.toLowerCase(),
  ): T {
    const raw = this.read(name)
    if (raw === '') return fallback
    const value = fold(raw) as T
    if (allowed.includes(value)) return value
    this.problems.push(`'${name}' must be one of ${allowed.join(', ')} (got '${raw}')`)
    return fallback
  }

  intInRange(name: string, fallback: number, min: number, max: number): number {
    const raw = this.read(name)
    if (raw === '') return fallback
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
    if (Number.isSafeInteger(value) && value >= min && value <= max) return value
    this.problems.push(`'${name}' must be a whole number from ${min} to ${max} (got '${raw}')`)
    return fallback
  }

  /** A positive integer id; `required` names what the id is for when it is missing. */
  positiveInt(name: string, required?: string): number | undefined {
    const raw = this.read(name)
    if (raw === '') {
      if (required) this.problems.push(`'${name}' is required: ${required}`)
      return undefined
    }
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
    if (Number.isSafeInteger(value) && value > 0) return value
    this.problems.push(`'${name}' must be a positive integer (got '${raw}')`)
    return undefined
  }

  patterns(name: string): string[] {
    const patterns = splitList(this.read(name), /\r?\n/)
    for (const pattern of patterns) {
      const negated = pattern.startsWith('!') ? pattern.slice(1) : pattern
      if (path.isAbsolute(negated) || negated.split(/[\\/]/).includes('..')) {
        this.problems.push(
          `'${name}' patterns must be relative paths inside GITHUB_WORKSPACE (got '${pattern}')`,
        )
      }
    }
    return patterns
  }

  /** Free text of at most `max` characters; a longer value is shortened with a warning. */
  text(name: string, fallback: string, max: number): string {
    const value = this.read(name) || fallback
    if (value.length <= max) return value
    this.warnings.push(
      `'${name}' is ${value.length} characters; Drata takes at most ${max}, so it was shortened`,
    )
    return `${value.slice(0, max - 1)}…`
  }

  /** A comma or newline separated list of allowed values (case-insensitive), without repeats. */
  list<T extends string>(name: string, allowed: readonly T[], fallback: readonly T[]): T[] {
    const raw = splitList(this.read(name), /[,\r\n]+/)
    if (raw.length === 0) return [...fallback]
    const chosen = new Set<T>()
    for (const item of raw) {
      const value = item.toUpperCase() as T
      if (allowed.includes(value)) chosen.add(value)
      else this.problems.push(`'${name}' has '${item}'; expected any of ${allowed.join(', ')}`)
    }
    return [...chosen]
  }
}

/** Splits a list input on the separator, trimming items and dropping empty ones. */
export function splitList(raw: string, separator: RegExp): string[] {
  return raw
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}
