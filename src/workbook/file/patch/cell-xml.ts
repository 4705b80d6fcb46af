import { needsXstringEscape } from '../../../ooxml/xstring.ts'
import type { TypedCell } from '../type-like-excel.ts'
import { unmodeled } from '../xlsx/unmodeled.ts'

/**
 * One `<c>` element for a value typed as Excel types it (type-like-excel.ts), as bytes in a
 * latin1 string (the form xml-text.ts scans parts in), so it splices straight into a part.
 * Text goes in as an inline string: the shared strings part stays as it is. What this cannot
 * write so that exceljs and Excel read back exactly the value typed (a formula, text needing
 * `_xHHHH_` escapes, which exceljs does not decode in inline strings, a date before 1900-03-01
 * or in a 1904 workbook) is unmodeled, and the write goes through exceljs.
 */

const DAY_MS = 86_400_000
/** Days from the 1900 system's day zero to 1970-01-01, as exceljs's dateToExcel counts them. */
const UNIX_EPOCH_SERIAL = 25_569
/** 1900-03-01: before it the 1900 system counts Excel's phantom 29 February. */
const FIRST_EXACT_SERIAL = 61

/** UTF-8 text as one character per byte. */
export function latin1Bytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1')
}

function escapeContent(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
}

/** The serial exceljs writes for a date in a 1900-system workbook. */
function serialOf(date: Date): number {
  const serial = UNIX_EPOCH_SERIAL + date.getTime() / DAY_MS
  if (!Number.isFinite(serial) || serial < FIRST_EXACT_SERIAL) unmodeled('a date before 1900-03-01')
  return serial
}

/** `<c>` for `typed.value` at `address` with cell format `styleId` (0: none); '' for an empty cell without a style, which has no element. */
export function cellXml(address: string, styleId: number, typed: TypedCell, date1904: boolean): string {
  const s = styleId > 0 ? ` s="${styleId}"` : ''
  const value: unknown = typed.value
  if (value === null || value === undefined) return styleId > 0 ? `<c r="${address}"${s}/>` : ''
  if (typeof value === 'string') {
    if (needsXstringEscape(value)) unmodeled('text that needs _xHHHH_ escapes')
    return `<c r="${address}"${s} t="inlineStr"><is><t xml:space="preserve">${latin1Bytes(escapeContent(value))}</t></is></c>`
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) unmodeled('a number past what a cell holds')
    return `<c r="${address}"${s}><v>${String(value)}</v></c>`
  }
  if (typeof value === 'boolean') return `<c r="${address}"${s} t="b"><v>${value ? 1 : 0}</v></c>`
  if (value instanceof Date) {
    if (date1904) unmodeled('a date in a 1904 workbook')
    return `<c r="${address}"${s}><v>${String(serialOf(value))}</v></c>`
  }
  return unmodeled('a formula or another value the patch does not write')
}
