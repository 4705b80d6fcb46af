import type { IsoDate } from '../domain/dates.ts'
import { formatShare } from '../domain/units.ts'

/**
 * The words and escapes both exports share: dates for a board reader, shares, HTML escaping, and
 * the two safety rules of issue 12 (formula-looking text stays text; a public edition has no email).
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const

/** "Jun 30, 2027": the same on every machine (no locale, no time zone). */
export function longDate(date: IsoDate): string {
  const [y, m, d] = date.split('-').map(Number)
  return `${MONTHS[(m ?? 1) - 1] ?? ''} ${d ?? ''}, ${y ?? ''}`
}

/** An ISO date as the Date a packet cell stores: midnight UTC, which the writer turns into that day's serial. */
export function excelDate(date: IsoDate): Date {
  return new Date(`${date}T00:00:00Z`)
}

export function share(ratio: number | null): string {
  return ratio === null ? '' : formatShare(ratio)
}

/** `n thing` / `n things`. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
}

/**
 * Text a spreadsheet program could take for a formula (or that CSV injection guidance flags): a
 * leading `=`, `+`, `-`, `@`, tab, CR or LF, their full-width forms, or any of them after spaces.
 * Such a cell is written as a string with the Text format and Excel's quote prefix, the
 * equivalent of typing an apostrophe before it.
 */
const FORMULA_LIKE = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/

export function looksLikeFormula(text: string): boolean {
  return FORMULA_LIKE.test(text)
}

/** Escapes text for HTML content and double-quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'))
}

/** Anything shaped like an email address, loosely, so a public edition errs towards removing. */
const EMAIL = /[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+\.[^\s@<>()[\]"',;:]+/g
export const EMAIL_REMOVED = '(email removed)'

export function withoutEmails(text: string): string {
  return text.replace(EMAIL, EMAIL_REMOVED)
}

/**
 * An Excel header or footer section: `&` starts a code there, so a literal one is doubled, and
 * the whole header may hold 255 characters, so each piece is kept short.
 */
export function headerText(text: string, max = 60): string {
  const short = text.length > max ? `${text.slice(0, max - 1)}…` : text
  return short.replace(/&/g, '&&').replace(/[\r\n\t]+/g, ' ')
}

/** A file name's worth of the district name: "riverbend-unified-school-district". */
export function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'plan'
  )
}
