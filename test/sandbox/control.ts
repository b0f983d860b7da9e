import type { FaultSpec, Sandbox } from './types.ts'
import { isJsonObject } from './validation.ts'

/** Prefix of the unauthenticated endpoints that drive a stand-alone sandbox. */
export const CONTROL_PREFIX = '/__sandbox/'

/** Answers a control request: state, requests, faults and seeding. */
export function handleControl(
  sandbox: Sandbox,
  method: string,
  path: string,
  body: unknown,
): { status: number; body?: unknown } {
  try {
    const route = `${method} ${path.slice(CONTROL_PREFIX.length)}`
    switch (route) {
      case 'GET state':
        return { status: 200, body: sandbox.state() }
      case 'GET requests':
        return { status: 200, body: sandbox.requests }
      case 'POST faults':
        if (!isJsonObject(body)) throw new Error('Body must be a FaultSpec object')
        sandbox.addFault(body as unknown as FaultSpec)
        return { status: 204 }
      case 'DELETE faults':
        sandbox.clearFaults()
        return { status: 204 }
      case 'POST seed':
        return { status: 200, body: seed(sandbox, body) }
      default:
        return { status: 404, body: { error: `No control endpoint ${method} ${path}` } }
    }
  } catch (error) {
    return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } }
  }
}

function seed(sandbox: Sandbox, body: unknown): { seeded: number } {
  if (!isJsonObject(body)) throw new Error('Body must be {connectionId, resourceId, records}')
  const { connectionId, resourceId, records, sessionId } = body
  if (typeof connectionId !== 'number' || typeof resourceId !== 'number') {
    throw new Error('connectionId and resourceId must be numbers')
  }
  if (!Array.isArray(records) || !records.every(isJsonObject)) {
    throw new Error('records must be an array of objects')
  }
  if (sessionId !== undefined && typeof sessionId !== 'string') {
    throw new Error('sessionId must be a string')
  }
  sandbox.seed(connectionId, resourceId, records, sessionId === undefined ? {} : { sessionId })
  return { seeded: records.length }
}
