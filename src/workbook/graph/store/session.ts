import { err, ok, type Result } from '../../../domain/result.ts'
import type { StoreError } from '../../store.ts'
import { parseSessionId } from '../protocol/parse.ts'
import type { WorkbookPaths } from '../protocol/paths.ts'
import { expectSuccess, type GraphTransport } from '../chain/transport.ts'

/**
 * One persistent workbook session (concepts/excel-manage-sessions.md): created on first write,
 * refreshed when idle long enough to be near the ~5 min expiry (GRAPH.md §4), recreated after
 * the service says it is gone, closed on `close()`.
 */
export type WorkbookSession = {
  /** The session id to use now, creating or refreshing as needed. */
  current(): Promise<Result<string, StoreError>>
  /** The service said this session is gone: the next `current()` makes a new one. */
  forget(): void
  close(): Promise<void>
}

export const SESSION_REFRESH_AFTER_MS = 3 * 60_000

export function workbookSession(transport: GraphTransport, paths: WorkbookPaths, refreshAfterMs = SESSION_REFRESH_AFTER_MS): WorkbookSession {
  let state: { id: string; lastUsed: number } | null = null
  const now = () => transport.clock.now()

  const create = async (): Promise<Result<string, StoreError>> => {
    // A duplicate session from a repeated createSession only expires unused, so it is repeat-safe
    // (the docs say to repeat it on 504: api/workbook-createsession.md).
    const reply = await transport.send({ method: 'POST', path: paths.createSession, body: { persistChanges: true }, repeatSafe: true })
    if (!reply.ok) return reply
    const body = expectSuccess(transport, reply.value)
    if (!body.ok) return body
    const id = parseSessionId(body.value)
    if (!id.ok) return err({ kind: 'unexpected', reason: 'noSession' })
    state = { id: id.value, lastUsed: now() }
    return ok(id.value)
  }

  const refresh = async (id: string): Promise<boolean> => {
    const reply = await transport.send({ method: 'POST', path: paths.refreshSession, headers: { 'workbook-session-id': id }, repeatSafe: true })
    return reply.ok && reply.value.status >= 200 && reply.value.status < 300
  }

  return {
    current: async () => {
      if (state && now() - state.lastUsed < refreshAfterMs) {
        state.lastUsed = now()
        return ok(state.id)
      }
      if (state) {
        const id = state.id
        if (await refresh(id)) {
          state = { id, lastUsed: now() }
          return ok(id)
        }
        state = null
      }
      return create()
    },
    forget: () => {
      state = null
    },
    close: async () => {
      if (!state) return
      const id = state.id
      state = null
      // Best effort: an unclosed session expires by itself, and closing must never throw.
      await transport.send({ method: 'POST', path: paths.closeSession, headers: { 'workbook-session-id': id }, repeatSafe: true })
    },
  }
}
