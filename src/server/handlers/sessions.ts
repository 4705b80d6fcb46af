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

/**
 * Open sessions at most. Each non-persistent one holds a whole copy of the workbook, so
 * without a cap 400 of them took the server from 188 MB to 1.5 GB. The service's own limit is
 * undocumented (contrib#597, #592; about 25 per a Microsoft engineer, docs#416).
 */
export const DEFAULT_MAX_SESSIONS = 50

export type SessionRegistry = {
  create(persistChanges: boolean, copy: Workbook | null): Session
  /** The live session with this id, its idle clock restarted; null when unknown or expired. */
  use(id: string): Session | null
  /** The live session with this id, left as it is (its idle clock keeps running). */
  peek(id: string): Session | null
  close(id: string): boolean
  /** Forgets expired sessions (and their copies). */
  sweep(): void
  /**
   * Null while another session may be created; else how long until the first open session
   * idles out and frees a place, for Retry-After.
   */
  fullFor(): number | null
}

export function createSessionRegistry(idle: SessionIdle, now: () => number, maxSessions: number = DEFAULT_MAX_SESSIONS): SessionRegistry {
  const sessions = new Map<string, Session>()
  const idleLimit = (s: Session) => (s.persistChanges ? idle.persistent : idle.nonPersistent)
  const expired = (s: Session) => now() - s.lastUsed > idleLimit(s)
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
    peek(id) {
      const s = sessions.get(id)
      return s && !expired(s) ? s : null
    },
    close: (id) => sessions.delete(id),
    sweep,
    fullFor() {
      sweep()
      if (sessions.size < maxSessions) return null
      let soonest = Infinity
      for (const s of sessions.values()) soonest = Math.min(soonest, s.lastUsed + idleLimit(s) - now())
      // Expiry is "idle for more than" the limit, so a place frees just after that instant.
      return Math.max(0, soonest) + 1
    },
  }
}
