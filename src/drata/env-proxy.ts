import { EnvHttpProxyAgent } from 'undici'

/**
 * undici's EnvHttpProxyAgent (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), without its start-up
 * warning. The bundle carries one undici, the 6.x that @actions/http-client pins; 6.x marks the
 * class experimental and prints that on stderr of every run, although its behaviour is what
 * 7.x and later made stable. Only that warning, by its code, and only while constructing.
 */
export function envProxyAgent(options: EnvHttpProxyAgent.Options): EnvHttpProxyAgent {
  const original = Object.getOwnPropertyDescriptor(process, 'emitWarning')
  const emit = process.emitWarning.bind(process)
  process.emitWarning = ((...args: Parameters<typeof emit>) => {
    const details = args[1] as { code?: string } | string | undefined
    if (typeof details === 'object' && details?.code === 'UNDICI-EHPA') return
    emit(...args)
  }) as typeof emit
  try {
    return new EnvHttpProxyAgent(options)
  } finally {
    if (original) Object.defineProperty(process, 'emitWarning', original)
  }
}
