/** Reading Excel number format codes: enough to tell dates and percentages apart from plain numbers. */

/** Drops quoted literals, escapes and colour/condition sections so only format tokens remain. */
function formatTokens(format: string): string {
  return format
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '')
    .toLowerCase()
}

/** True for formats such as `yyyy-mm-dd`, `m/d/yyyy`, `d-mmm-yy`, `[$-409]mmmm d, yyyy`. */
export function isDateFormat(format: string | undefined): boolean {
  if (!format || format === 'General' || format === '@') return false
  const tokens = formatTokens(format.split(';')[0] ?? '')
  return /[dy]/.test(tokens) || /(^|[^h:])m{3,}/.test(tokens)
}

export function isPercentFormat(format: string | undefined): boolean {
  if (!format) return false
  return formatTokens(format.split(';')[0] ?? '').includes('%')
}
