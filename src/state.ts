import * as core from '@actions/core'
import type { ResourceRef } from './drata/records.js'
import type { SessionMemory } from './push/session.js'

/** Names of the values main saves for the post step (GITHUB_STATE). Never secrets. */
export const STATE = {
  isPost: 'isPost',
  session: 'session',
  closed: 'session-closed',
} as const

/** What the post step needs to cancel a session main left open. */
export interface SavedSession extends ResourceRef {
  sessionId: string
  baseUrl: string
  region: string
}

/** Remembers the open session in GITHUB_STATE as soon as it may exist. */
export function stateMemory(target: Omit<SavedSession, 'sessionId'>): SessionMemory {
  return {
    opened(sessionId) {
      // closed=false first: a kill between the two writes must not hide the session from post.
      core.saveState(STATE.closed, 'false')
      core.saveState(STATE.session, JSON.stringify({ ...target, sessionId }))
    },
    closed() {
      core.saveState(STATE.closed, 'true')
    },
  }
}

/** The session main left open, if any. */
export function openSession(): SavedSession | undefined {
  const raw = core.getState(STATE.session)
  if (!raw || core.getState(STATE.closed) !== 'false') return undefined
  return JSON.parse(raw) as SavedSession
}
