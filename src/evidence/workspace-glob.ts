import { realpath } from 'node:fs/promises'
import path from 'node:path'
import { glob } from 'tinyglobby'

/** A file matched inside the workspace. */
export interface WorkspaceFile {
  /** Path relative to the workspace, with forward slashes. */
  relative: string
  /** Resolved absolute path (links followed). */
  real: string
}

/**
 * Matches newline-separated glob patterns (with `!pattern` exclusions) inside the workspace,
 * in sorted order. A pattern that matches nothing is an error (a typo must not silently send
 * less evidence), and so is a file that resolves outside the workspace through a link.
 */
export async function matchWorkspaceFiles(
  patterns: readonly string[],
  workspace: string,
  input: string,
): Promise<WorkspaceFile[]> {
  const negations = patterns.filter((p) => p.startsWith('!'))
  const files = new Set<string>()
  const problems: string[] = []
  for (const pattern of patterns.filter((p) => !p.startsWith('!'))) {
    const matched = await glob([pattern, ...negations], {
      cwd: workspace,
      onlyFiles: true,
      expandDirectories: false,
    })
    if (matched.length === 0)
      problems.push(`'${input}' pattern '${pattern}' matched no file in ${workspace}`)
    for (const file of matched) files.add(file)
  }
  const root = await realpath(workspace)
  const result: WorkspaceFile[] = []
  for (const relative of [...files].sort()) {
    const real = await realpath(path.join(workspace, relative))
    if (real !== root && !real.startsWith(root + path.sep)) {
      problems.push(`'${input}' matched ${relative}, which links outside the workspace`)
    }
    result.push({ relative, real })
  }
  // Every problem at once, so one fix-and-rerun covers them all.
  if (problems.length > 0) throw new Error(problems.join('\n'))
  return result
}
