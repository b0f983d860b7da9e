/**
 * Replaces every occurrence of the given secrets with ***. The runner masks what
 * `core.setSecret` registered, but outputs, the summary file and local runs are not masked, so
 * anything built from error text passes through here too.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***')
  }
  return out
}
