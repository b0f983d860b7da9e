// Runs in every test file: whatever job directories the e2e harness made are removed when the
// file's tests are done, so a run of the suite leaves nothing in the temp directory.
import { afterAll } from 'vitest'
import { removeDirs } from './e2e/harness.ts'

afterAll(() => {
  removeDirs()
})
