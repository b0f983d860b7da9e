// Entry of the post step (runs.post): cancels a session main left open, never pushes.
import { lastResort } from './last-resort.js'
import { run } from './post.js'

await run().catch(lastResort)
