// Regenerates test/fixtures/events/*.json from payloads.ts:
//   node test/github-fake/write-fixtures.ts && npx prettier --write test/fixtures/events
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { eventPath } from './events.ts'
import { EVENT_NAMES, eventPayload } from './payloads.ts'

for (const name of EVENT_NAMES) {
  const file = eventPath(name)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify(eventPayload(name), null, 2)}\n`)
  console.log(`wrote ${file}`)
}
