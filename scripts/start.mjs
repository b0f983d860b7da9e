// `npm start`: checks for Node 24 (the Actions runtime, which also runs the TypeScript sandbox
// directly), then runs the whole action against the local Drata sandbox.
const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  console.error(
    `npm start needs Node 24 or newer (this is ${process.version}); see the README for getting it.`,
  )
  process.exit(1)
}
await import('./sandbox-run.ts')
