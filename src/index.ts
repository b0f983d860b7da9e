import * as core from '@actions/core'
import { main } from './main.js'
import { post } from './post.js'
import { STATE } from './state.js'

// One bundle serves both steps: main saves isPost so the post step knows which it is.
if (core.getState(STATE.isPost) === 'true') {
  await post()
} else {
  core.saveState(STATE.isPost, 'true')
  await main()
}
