import type { ResourceRef } from './drata/custom-data.js'
import type { SessionMemory } from './push/session-lifecycle.js'

/** Names of the values main saves for the post step (GITHUB_STATE). Never secrets. */
export const STATE = {
  session: 'session',
  closed: 'session-closed',
} as const

/** What the post step needs to cancel a session main left open. */
export interface SavedSession extends ResourceRef {
  sessionId: string
  baseUrl: string
  region: string
  /** When main started (ms): the post step reads the session list back only to here. */
  started: number
}

/** Reads and writes the step state (GITHUB_STATE for main, STATE_* for post). */
export interface StateStore {
  saveState(name: string, value: string): void
  getState(name: string): string
}

/** Remembers the open session in the step state as soon as it may exist. */
export function stateMemory(
  store: StateStore,
  target: Omit<SavedSession, 'sessionId'>,
): SessionMemory {
  return {
    opened(sessionId) {
      // closed=false first: a kill between the two writes must not hide the session from post.
      store.saveState(STATE.closed, 'false')
      store.saveState(STATE.session, JSON.stringify({ ...target, sessionId }))
    },
    closed() {
      store.saveState(STATE.closed, 'true')
    },
  }
}

/** The session main left open, if any; undefined when state is missing or unreadable. */
export function openSession(store: StateStore): SavedSession | undefined {
  const raw = store.getState(STATE.session)
  if (!raw || store.getState(STATE.closed) !== 'false') return undefined
  try {
    const saved = JSON.parse(raw) as Partial<SavedSession>
    const ok =
      typeof saved.sessionId === 'string' &&
      typeof saved.baseUrl === 'string' &&
      typeof saved.connectionId === 'number' &&
      typeof saved.resourceId === 'number'
    return ok ? ({ region: 'us', started: 0, ...saved } as SavedSession) : undefined
  } catch {
    return undefined
  }
}
