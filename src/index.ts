import * as core from '@actions/core'
import { main } from './main.js'
import { post } from './post.js'
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
    core.setFailed(`Unexpected error: ${(error as Error).message}`)
  }
}
