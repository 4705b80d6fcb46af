/**
 * A1 addresses and sheet names, the one home for both: column letters, cell and range
 * references, and the sheet prefix with Excel's quoting. Every backend, the fake server and the
 * messages name cells through here, so `'My Sheet'!B3` is spelled one way everywhere.
 */

/** The last row and column of a worksheet (Excel's grid: `XFD1048576`). */
export const MAX_ROWS = 1_048_576
export const MAX_COLUMNS = 16_384

/** A rectangle of cells, 1-based and inclusive. */
export type Box = { top: number; left: number; bottom: number; right: number }

/** `A`, `B`, … `Z`, `AA`: the column letters of a 1-based column number. */
export function columnLetters(column: number): string {
  let n = column
  let letters = ''
  while (n > 0) {
    const rem = (n - 1) % 26
    letters = String.fromCharCode(65 + rem) + letters
    n = Math.floor((n - 1) / 26)
  }
  return letters
}

/** 1-based column number of letters like `AB`. */
export function columnNumber(letters: string): number {
  let n = 0
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64)
  return n
}

/** A name Excel would read as a cell (`AB12`) or an R1C1 reference (`R2C3`, `R`, `C`) if left bare. */
const LOOKS_LIKE_REFERENCE = /^(?:[A-Z]{1,3}\d+|R\d*|C\d*|R\d*C\d*)$/i

/**
 * A sheet name as a formula or an address writes it: bare when it is a plain identifier (a letter
 * or underscore, then letters, digits, underscores or dots) that does not read as a reference;
 * otherwise in apostrophes, with each apostrophe in the name doubled (Excel's rule).
 */
export function quoteSheet(sheet: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) && !LOOKS_LIKE_REFERENCE.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`
}

/** The sheet name a prefix spells: `'My ''Q'' Sheet'` is `My 'Q' Sheet`, a bare prefix is itself. */
export function unquoteSheet(prefix: string): string {
  const m = /^'((?:[^']|'')*)'$/.exec(prefix)
  return m ? (m[1] ?? '').replace(/''/g, "'") : prefix
}

/** Splits `Sheet!B3:C4` at the sheet's `!` (the last one: a quoted name may hold its own). */
export function splitAddress(address: string): { sheet: string | null; ref: string } {
  const bang = address.lastIndexOf('!')
  return bang < 0 ? { sheet: null, ref: address } : { sheet: unquoteSheet(address.slice(0, bang)), ref: address.slice(bang + 1) }
}

/** `B3`, `$B$3` or `B3:F20` (either corner first) as a box; null for anything else. */
export function parseBox(ref: string): Box | null {
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(ref.trim())
  if (!m) return null
  const left = columnNumber(m[1] ?? 'A')
  const top = Number(m[2])
  const right = m[3] ? columnNumber(m[3]) : left
  const bottom = m[4] ? Number(m[4]) : top
  return { top: Math.min(top, bottom), left: Math.min(left, right), bottom: Math.max(top, bottom), right: Math.max(left, right) }
}

/** A box inside the grid: from A1 to XFD1048576. */
export function inGrid(box: Box): boolean {
  return box.top >= 1 && box.left >= 1 && box.bottom <= MAX_ROWS && box.right <= MAX_COLUMNS
}

/** `B3:F20`, or `B3` for one cell. */
export function boxRef(box: Box): string {
  const tl = `${columnLetters(box.left)}${box.top}`
  const br = `${columnLetters(box.right)}${box.bottom}`
  return tl === br ? tl : `${tl}:${br}`
}

/** `'My Sheet'!B3:F20`: a box with its sheet. */
export function boxAddress(sheet: string, box: Box): string {
  return `${quoteSheet(sheet)}!${boxRef(box)}`
}

/** `'My Sheet'!B3`: one cell with its sheet. */
export function cellAddressOf(sheet: string, row: number, column: number): string {
  return `${quoteSheet(sheet)}!${columnLetters(column)}${row}`
}

/** Parses a range address like `Sheet1!B3:F20` or `'My Sheet'!B3` into its sheet and top-left cell. */
export function parseRangeAddress(address: string): { sheet: string; row: number; column: number } | null {
  const { sheet, ref } = splitAddress(address)
  const box = sheet === null || sheet === '' ? null : parseBox(ref)
  return box && sheet !== null ? { sheet, row: box.top, column: box.left } : null
}
