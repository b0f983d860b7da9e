// Stand-alone sandbox for demos and manual runs: node test/sandbox/cli.ts [--port N]
import { parseArgs } from 'node:util'
import { DEMO_RESOURCES } from './connections.ts'
import { startSandbox } from './server.ts'

const { values } = parseArgs({ options: { port: { type: 'string' } } })
const port = values.port === undefined ? 0 : Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`Invalid --port: ${values.port}`)
  process.exit(2)
}

const sandbox = await startSandbox({ port, resources: DEMO_RESOURCES })
console.log(
  `Drata sandbox listening on ${sandbox.url} (API key: sandbox-key acting as user 1; vendors 11 and 12)`,
)
console.log(
  "Custom Connections: 1 'GitHub evidence' (resources 1 'Builds', 2 'Releases'), 2 'Nightly posture' (resource 3 'Repository')",
)
console.log(
  'APIs: custom connections, custom data records and sessions, /assets, /vendors/{id}/security-reviews, /events',
)
console.log(
  `Control endpoints (no auth): ${sandbox.url.replace('/public/v2', '/__sandbox/')} state, requests, faults, seed`,
)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0))
  })
}
