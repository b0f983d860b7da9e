// Lets Node run the TypeScript sources directly (scripts/drata.ts): src/ imports its own
// modules as `./x.js`, as the bundler and tsc expect; here that falls back to `./x.ts`.
import { registerHooks } from 'node:module'

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context)
    } catch (error) {
      const fromTs = context.parentURL?.endsWith('.ts') && /^\.\.?\//.test(specifier)
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !fromTs || !specifier.endsWith('.js')) {
        throw error
      }
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context)
    }
  },
})
