// Entry of the main step (runs.main). It only runs main; the post step has its own entry, so a
// job cancelled before main saved any state can never push from its post step.
import { run } from './main.js'
import { lastResort } from './last-resort.js'

await run().catch(lastResort)
