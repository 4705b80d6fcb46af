import type { TableName } from './contract.ts'

/**
 * Cells as Microsoft Graph returns them in a workbookRange's `values`: strings, numbers,
 * booleans; dates are Excel serial numbers, empty cells are "" and error cells their text.
 */
export type CellValue = string | number | boolean

/** One table as read from any backend: the header row and data rows of its range. */
export type RawTable = {
  name: TableName
  headers: string[]
  rows: CellValue[][]
  /** Same shape as `rows` (Graph's `numberFormat` minus the header row), when the backend has it. */
  numberFormats?: string[][]
  /** Where the header row's first cell sits, for cell addresses in messages (1-based). */
  origin?: { sheet: string; row: number; column: number }
}

/** What a read returns: the tables found, and the asked-for ones that are not in the workbook. */
export type RawWorkbook = {
  tables: Partial<Record<TableName, RawTable>>
  missing: TableName[]
}

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

/** Sheet-qualified address of a data cell (`rowIndex` 0-based among data rows), e.g. `Steps!E14`. */
export function cellAddress(table: RawTable, rowIndex: number, columnIndex: number): string | undefined {
  if (!table.origin) return undefined
  const { sheet, row, column } = table.origin
  const quoted = /^[A-Za-z0-9_]+$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`
  return `${quoted}!${columnLetters(column + columnIndex)}${row + 1 + rowIndex}`
}

/** Parses a range address like `Sheet1!B3:F20` or `'My Sheet'!B3` into its sheet and top-left cell. */
export function parseRangeAddress(address: string): { sheet: string; row: number; column: number } | null {
  const m = /^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]+)\$?(\d+)/i.exec(address)
  if (!m) return null
  const sheet = m[1] !== undefined ? m[1].replace(/''/g, "'") : (m[2] ?? '')
  return { sheet, column: columnNumber(m[3] ?? 'A'), row: Number(m[4]) }
}
