/** An HTTP status from an Octokit error, or 0 when there was none. */
export function githubStatus(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : 0
}
