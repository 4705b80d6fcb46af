import type { Person } from '../domain/model.ts'

/**
 * Who the pane works for. Inside Microsoft 365 the signed-in user; locally a choice from People,
 * remembered in this browser, and `?as=email` in the URL (for a shared link or a test).
 */
export const REMEMBERED = 'pm-workbook.taskpane.as'

export function pickIdentity(people: readonly Person[], asParam: string | null, remembered: string | null): Person | null {
  const find = (email: string | null): Person | null => (email ? (people.find((p) => p.email.trim().toLowerCase() === email.trim().toLowerCase()) ?? null) : null)
  return find(asParam) ?? find(remembered)
}
