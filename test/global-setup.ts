// The whole suite runs with its own TMPDIR, and fails if anything is left in it at the end:
// the proof that tests remove every temp dir they make (and a guard against regressions).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'drata-suite-'))
  const previous = process.env.TMPDIR
  process.env.TMPDIR = dir
  return () => {
    const left = readdirSync(dir)
    rmSync(dir, { recursive: true, force: true })
    if (previous === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = previous
    if (left.length > 0) {
      throw new Error(
        `Tests left ${left.length} temp entries behind: ${left.slice(0, 10).join(', ')}`,
      )
    }
  }
}
