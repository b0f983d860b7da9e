import { type Collector, CollectorError, repoSlug, stamp } from './collector.js'

/** The workflow run this step belongs to, from the runner's environment. */
export const collectWorkflowRun: Collector = (input) => {
  const { run } = input
  const slug = repoSlug(run)
  if (!run.runId) throw new CollectorError('needs GITHUB_RUN_ID, which is not set')
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
      // The environment does not say when the run started (the API does); this is when this
      // step observed the run.
      observedAt: input.now.toISOString(),
    }),
  ]
}
