import * as core from '@actions/core'
import { envInputReader, INPUT } from './inputs.js'
import { main } from './main.js'
import { post } from './post.js'
import { redact } from './report/redact.js'
import { STATE } from './state.js'

// One bundle serves both steps: main saves isPost so the post step knows which it is.
if (core.getState(STATE.isPost) === 'true') {
  await post()
} else {
  core.saveState(STATE.isPost, 'true')
  try {
    await main()
  } catch (error) {
    // main reports its own failures; this catches only what it could not (e.g. an unwritable
    // summary file), so the step still fails with a message rather than a stack trace.
    const read = envInputReader(process.env)
    const secrets = [read(INPUT.apiKey), read(INPUT.githubToken)]
    core.setFailed(`Unexpected error: ${redact((error as Error).message, secrets)}`)
  }
}
