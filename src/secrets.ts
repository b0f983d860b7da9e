/**
 * Secrets (the API key, the GitHub token) in every form a server's answer may echo them in.
 * The runner masks what `core.setSecret` registered, but only line by line and only the forms
 * it knows; outputs, the summary file and local runs are not masked at all. So every form is
 * registered, and everything built from a server's answer passes through `redact` too.
 */

/** Encoded forms shorter than this are not redacted: they would hide unrelated text. */
const MIN_FORM = 8
/** A raw secret shorter than this is not redacted (an empty or toy value). */
const MIN_SECRET = 4

/** The forms of one secret: raw, URL-encoded, JSON-escaped, hex, base64 and base64url. */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET) return []
  const bytes = Buffer.from(secret, 'utf8')
  const url = encodeURIComponent(secret)
  const json = JSON.stringify(secret).slice(1, -1)
  const forms = [
    url,
    url.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    url.replace(/%20/g, '+'),
    json,
    json.replace(/\//g, '\\/'),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
    ...base64Forms(bytes),
  ]
  return unique([secret, ...forms.filter((f) => f.length >= MIN_FORM)])
}

/**
 * base64 and base64url of the secret alone (padded and not) and of the secret inside a longer
 * value (`Bearer <key>`, `user:<token>`): there the characters that also depend on the bytes
 * around it are left out, for each of the three alignments the secret can start at.
 */
function base64Forms(bytes: Buffer): string[] {
  const out: string[] = []
  for (const encoding of ['base64', 'base64url'] as const) {
    const whole = bytes.toString(encoding)
    out.push(whole, whole.replace(/=+$/, ''))
    for (let shift = 0; shift < 3; shift++) {
      const text = Buffer.concat([Buffer.alloc(shift), bytes])
        .toString(encoding)
        .replace(/=+$/, '')
      // Characters of the first group mixing prefix bits, and the last one if it mixes in
      // bits of whatever follows.
      const skip = [0, 2, 3][shift] ?? 0
      const tail = (shift + bytes.length) % 3 === 0 ? 0 : 1
      out.push(text.slice(skip, text.length - tail))
    }
  }
  return out
}

/** Registers every form of every secret with the runner's log masking. */
export function registerSecrets(
  secrets: readonly string[],
  setSecret: (value: string) => void,
): void {
  for (const secret of secrets) for (const form of secretForms(secret)) setSecret(form)
}

const cache = new Map<string, RegExp | null>()

/**
 * Replaces every form of every secret with ***, also when a line break (real or JSON-escaped)
 * splits it, as in base64 wrapped at 64 or 76 characters.
 */
export function redact(text: string, secrets: readonly string[]): string {
  const key = JSON.stringify(secrets)
  let pattern = cache.get(key)
  if (pattern === undefined) {
    pattern = buildPattern(secrets)
    cache.set(key, pattern)
  }
  return pattern ? text.replace(pattern, '***') : text
}

/** A function that redacts the given secrets. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  return (text) => redact(text, secrets)
}

const BREAK = String.raw`(?:\r?\n|\\r\\n|\\n)?`

function buildPattern(secrets: readonly string[]): RegExp | null {
  const forms = unique(secrets.flatMap(secretForms))
  if (forms.length === 0) return null
  // Longest first, so a form is not half-replaced by a shorter one it contains.
  forms.sort((a, b) => b.length - a.length)
  const alternatives = forms.map((form) => [...form].map(escapeRegExp).join(BREAK))
  return new RegExp(alternatives.join('|'), 'g')
}

function escapeRegExp(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}

/** Passwords in the proxy URLs (http://user:password@proxy:3128), which undici may echo. */
export function proxyPasswords(env: NodeJS.ProcessEnv): string[] {
  const names = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']
  const out: string[] = []
  for (const name of names) {
    try {
      const password = new URL(env[name] ?? '').password
      if (password) out.push(decodeURIComponent(password))
    } catch {
      // Not a URL: undici will say so; there is no password to hide.
    }
  }
  return unique(out)
}
