import { type Collector, readGithubIfVisible, runNeeding, stamp } from './collector.js'

/**
 * The workflow run this step belongs to, from the runner's environment; when the token can
 * read the run ('actions: read'), also when this attempt started.
 */
export const collectWorkflowRun: Collector = async (input) => {
  const { run, slug, repo, github } = runNeeding(input, 'runId')
  const attempt = github
    ? await readGithubIfVisible(() =>
        github.rest.actions.getWorkflowRunAttempt({
          ...repo,
          run_id: Number(run.runId),
          attempt_number: Number(run.runAttempt),
        }),
      ).catch(() => undefined) // extra detail only: never fails the collector
    : undefined
  return [
    stamp('workflow-run', input, {
      id: `run:${slug}/${run.runId}/${run.runAttempt}`,
      repository: slug,
      workflow: run.workflow,
      job: run.job,
      event: run.eventName,
      actor: run.actor,
      triggeringActor: run.triggeringActor,
      ref: run.ref,
      sha: run.sha,
      runId: run.runId,
      runAttempt: Number(run.runAttempt),
      runNumber: run.runNumber ? Number(run.runNumber) : null,
      runUrl: `${run.serverUrl}/${slug}/actions/runs/${run.runId}/attempts/${run.runAttempt}`,
      runnerOs: run.runnerOs || null,
      runnerArch: run.runnerArch || null,
      // null when the run could not be read; observedAt is when this step saw the run.
      startedAt: attempt?.data.run_started_at ?? null,
      observedAt: input.now.toISOString(),
    }),
  ]
}
