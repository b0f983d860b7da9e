import { readFileSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COLLECTORS } from '../../src/settings.js'
import { collectorExamples } from '../github-fake/examples.ts'
import { type GithubFake, startGithubFake } from '../github-fake/server.ts'

// The README shows one example record per collector. They must be what the collectors really
// produce: run with UPDATE_README_EXAMPLES=1 to rewrite them after a deliberate change.
const README = new URL('../../README.md', import.meta.url)
const BLOCK = /<!-- example: ([a-z-]+) -->\n\n```json\n([\s\S]*?)\n```/g

let github: GithubFake
beforeAll(async () => {
  github = await startGithubFake()
})
afterAll(async () => {
  await github.close()
})

describe('README collector examples', () => {
  it('show exactly what each collector produces', async () => {
    const examples = await collectorExamples(github.url)
    let text = readFileSync(README, 'utf8')
    if (process.env.UPDATE_README_EXAMPLES) {
      text = text.replace(BLOCK, (_, name: string) => {
        const example = examples[name as keyof typeof examples]
        return `<!-- example: ${name} -->\n\n\`\`\`json\n${JSON.stringify(example, null, 2)}\n\`\`\``
      })
      writeFileSync(README, text)
    }
    const documented = new Map([...text.matchAll(BLOCK)].map((m) => [m[1], m[2]]))
    expect([...documented.keys()].sort()).toEqual([...COLLECTORS].sort())
    for (const name of COLLECTORS) {
      expect(JSON.parse(documented.get(name) ?? 'null'), name).toEqual(examples[name])
    }
  })
})
