// Stand-alone sandbox for demos and manual runs: node test/sandbox/cli.ts [--port N]
import { parseArgs } from 'node:util'
import { startSandbox } from './server.ts'

const { values } = parseArgs({ options: { port: { type: 'string' } } })
const port = values.port === undefined ? 0 : Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`Invalid --port: ${values.port}`)
  process.exit(2)
}

const sandbox = await startSandbox({ port })
console.log(
  `Drata sandbox listening on ${sandbox.url} (API key: sandbox-key acting as user 1, connection 1, resource 1, vendors 11 and 12)`,
)
console.log(
  'APIs: custom data records and sessions, /assets, /vendors/{id}/security-reviews, /events',
)
console.log(
  `Control endpoints (no auth): ${sandbox.url.replace('/public/v2', '/__sandbox/')} state, requests, faults, seed`,
)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0))
  })
}
