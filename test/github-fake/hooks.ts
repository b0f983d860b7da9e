// A vitest hook that runs one GitHub REST fake for a test file, with its state fresh for each
// test. Only tests import this file.
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { defaultState, type GithubFake, startGithubFake } from './server.ts'

/**
 * Starts one fake for the file and resets its state and request log before each test.
 * Returns a getter, since the fake exists only once beforeAll has run.
 */
export function useGithubFake(): () => GithubFake {
  let fake: GithubFake | undefined
  beforeAll(async () => {
    fake = await startGithubFake()
  })
  afterAll(async () => {
    await fake?.close()
  })
  beforeEach(() => {
    if (!fake) return
    fake.state = defaultState()
    fake.requests.length = 0
  })
  return () => {
    if (!fake) throw new Error('the GitHub fake is not running')
    return fake
  }
}
