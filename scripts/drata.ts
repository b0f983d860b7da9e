// `npm run drata -- connections [--region us|eu|apac] [--api-url URL]`: lists the Custom
// Connections and their resources, with ids, that an API key sees: what 'connection',
// 'resource', 'connection-id' and 'resource-id' take. The key comes from DRATA_API_KEY only
// (never an argument, never printed). Without DRATA_API_KEY and --api-url it starts the local
// sandbox in-process and lists its demo connections.
import { parseArgs } from 'node:util'
import { ConnectionsApi, type DrataConnection } from '../src/drata/connections.ts'
import { buildApi } from '../src/drata/factory.ts'
import { readSettings } from '../src/inputs/index.ts'
import { redact } from '../src/secrets.ts'
import { DEMO_RESOURCES } from '../test/sandbox/connections.ts'
import { type Sandbox, startSandbox } from '../test/sandbox/server.ts'

const USAGE = `usage: npm run drata -- connections [--region us|eu|apac] [--api-url URL]
  DRATA_API_KEY   the API key (environment only; it is never printed)
Without DRATA_API_KEY and --api-url, a local Drata sandbox is started and listed.`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    region: { type: 'string', default: 'us' },
    'api-url': { type: 'string', default: '' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (values.help || positionals[0] !== 'connections' || positionals.length > 1) {
  console.error(USAGE)
  process.exit(values.help ? 0 : 2)
}

const key = process.env.DRATA_API_KEY ?? ''
let sandbox: Sandbox | undefined
if (!key && !values['api-url']) {
  sandbox = await startSandbox({ resources: DEMO_RESOURCES })
} else if (!key) {
  console.error(
    `DRATA_API_KEY is not set (for a local sandbox: DRATA_API_KEY=sandbox-key).\n${USAGE}`,
  )
  process.exit(2)
}

const clean = (text: string) => redact(text, [key])
try {
  // The action's own input checks: region, and https unless the host is loopback.
  const inputs: Record<string, string> = {
    'api-key': sandbox ? 'sandbox-key' : key,
    region: values.region,
    'api-url': sandbox ? sandbox.url : values['api-url'],
    'dry-run': 'true',
    collect: 'none',
    'session-id': 'drata-cli',
  }
  const settings = readSettings((name) => inputs[name] ?? '', {})
  const parts = buildApi({
    ...settings,
    maxRetries: 3,
    timeoutMs: 30_000,
    logger: {
      info: (m) => console.error(clean(m)),
      warning: (m) => console.error(clean(m)),
      debug: () => {},
    },
    ref: undefined,
  })
  try {
    const connections = await new ConnectionsApi(parts.client).list()
    const where = sandbox ? `the local sandbox (${sandbox.url})` : settings.baseUrl
    // Names are Drata's data, parsed as sent: cleaned here, like everything else printed.
    console.log(clean(print(connections, where)))
  } finally {
    await parts.close()
  }
} catch (error) {
  console.error(clean((error as Error).message))
  process.exitCode = 1
} finally {
  await sandbox?.close()
}

function print(connections: DrataConnection[], where: string): string {
  const lines = [`${connections.length} Custom Connections at ${where}:`]
  for (const c of connections) {
    lines.push(`connection ${c.id}  ${c.clientAlias === null ? '(no name)' : `'${c.clientAlias}'`}`)
    const resources = c.customResources ?? []
    if (resources.length === 0) lines.push('  (no resources)')
    for (const r of resources) {
      lines.push(
        `  resource ${r.id}  '${r.name}'${r.deletedAt ? `  (deleted ${r.deletedAt})` : ''}`,
      )
    }
  }
  return lines.join('\n')
}
