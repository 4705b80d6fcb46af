import { randomUUID } from 'node:crypto'
import type { Workbook } from '../persistence/workbook-host.ts'

/**
 * Workbook sessions (concepts/excel-manage-sessions.md). A persistent session writes to the
 * saved workbook; a non-persistent one to a private copy, dropped when it closes or idles out.
 * Idle limits default to the figures res/excel.md once gave: about 5 min persistent, 7 min not.
 */
export type Session = { id: string; persistChanges: boolean; copy: Workbook | null; lastUsed: number }

export type SessionIdle = { persistent: number; nonPersistent: number }
export const DEFAULT_SESSION_IDLE_MS: SessionIdle = { persistent: 5 * 60_000, nonPersistent: 7 * 60_000 }

export type SessionRegistry = {
  create(persistChanges: boolean, copy: Workbook | null): Session
  /** The live session with this id, its idle clock restarted; null when unknown or expired. */
  use(id: string): Session | null
  close(id: string): boolean
  /** Forgets expired sessions (and their copies). */
  sweep(): void
}

export function createSessionRegistry(idle: SessionIdle, now: () => number): SessionRegistry {
  const sessions = new Map<string, Session>()
  const expired = (s: Session) => now() - s.lastUsed > (s.persistChanges ? idle.persistent : idle.nonPersistent)
  const sweep = () => {
    for (const [id, s] of sessions) if (expired(s)) sessions.delete(id)
  }
  return {
    create(persistChanges, copy) {
      sweep()
      const session: Session = { id: randomUUID(), persistChanges, copy, lastUsed: now() }
      sessions.set(session.id, session)
      return session
    },
    use(id) {
      const s = sessions.get(id)
      if (!s) return null
      if (expired(s)) {
        sessions.delete(id)
        return null
      }
      s.lastUsed = now()
      return s
    },
    close: (id) => sessions.delete(id),
    sweep,
  }
}
