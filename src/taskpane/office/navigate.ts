import { err, ok, type Result } from '../../domain/result.ts'
import { readAddress, readBoolean, readIndex, readRows, readString, readVisibility, runExcel, type ExcelApi, type ExcelContext, type OfficeFailure } from './office-api.ts'

/**
 * "Show in sheet" and "Go to cell": moving Excel's selection from the task pane with the Excel
 * JavaScript API. Neither writes to the workbook. A row is found by its key at the moment of the
 * click, never by a remembered position: people sort and insert rows in Excel while the pane is
 * open (docs/WORKBOOK.md, "Writing"). Refusals are values carrying data, worded by the pane.
 */

/** The row selected by selectStepRow. */
export type ShownRow = {
  sheet: string
  /** Excel's address of the selected row, e.g. `ActionSteps!A14:N14`. */
  address: string
  /** 1-based sheet row. */
  row: number
  /** Every cell of the row is hidden (a filter or a hidden row): selected, but not visible. */
  hidden: boolean
}

export type ShowRowError =
  | { kind: 'missingTable'; table: string }
  | { kind: 'missingColumn'; table: string; column: string }
  | { kind: 'unknownKey'; table: string; column: string; key: string }
  /** Several rows hold the key; `rows` are their 1-based sheet rows, for "Go to cell". */
  | { kind: 'duplicateKey'; table: string; column: string; key: string; sheet: string; rows: number[] }
  | SheetHidden
  | OfficeFailure

/** Worksheet.activate fails on a hidden sheet, and unhiding one is not the pane's to do. `VeryHidden` cannot be unhidden from Excel's menus. */
export type SheetHidden = { kind: 'sheetHidden'; sheet: string; visibility: 'Hidden' | 'VeryHidden' }

/** The cell or range selected by goToCell. */
export type ShownCell = { sheet: string; address: string }

export type GoToCellError = { kind: 'badAddress'; address: string } | { kind: 'missingSheet'; sheet: string } | SheetHidden | OfficeFailure

/** A sheet-qualified A1 reference: the sheet's own name (unquoted) and `E14` or `E14:F20`. */
export type SheetAddress = { sheet: string; ref: string }

/**
 * Selects the data row of `table` whose `keyColumn` cell holds `key`, and shows its sheet.
 *
 * One Excel.run, four syncs, each reading only what the next step needs:
 * 1. `workbook.tables.getItemOrNullObject(table)` (ExcelApi 1.4): a missing table is a value, not
 *    an `ItemNotFound` throw; `isNullObject` is known after `context.sync()`.
 * 2. The header row's values (Table.getHeaderRowRange), the body's first sheet row
 *    (Table.getDataBodyRange, Range.rowIndex) and the sheet's name and visibility (Table.worksheet).
 *    A missing key column, then a hidden sheet, is refused here, before any key is read.
 * 3. The key column's values only (Range.getColumn), not the whole table.
 * 4. Worksheet.activate, then Range.select on the row (Range.getRow), loading its address and
 *    Range.rowHidden so the pane can say when a filter hides the selected row.
 *
 * Headers match as the contract says (case, spaces, hyphens, underscores and periods ignored);
 * keys match exactly after trimming both sides, as writes by key do (`keyText` in
 * workbook/write-plan.ts): `ST-0041` is not `st-0041`. A blank key finds nothing.
 */
export async function selectStepRow(excel: ExcelApi, table: string, keyColumn: string, key: string): Promise<Result<ShownRow, ShowRowError>> {
  const wanted = key.trim()
  if (wanted === '') return err({ kind: 'unknownKey', table, column: keyColumn, key })
  return runExcel<ShownRow, ShowRowError>(excel, async (context) => {
    const found = context.workbook.tables.getItemOrNullObject(table)
    await context.sync()
    if (readBoolean(found.isNullObject, `Table ${table}: isNullObject`)) return err({ kind: 'missingTable', table })

    const header = found.getHeaderRowRange()
    header.load('values')
    const body = found.getDataBodyRange()
    body.load('rowIndex')
    const sheet = found.worksheet
    sheet.load('name, visibility')
    await context.sync()
    const headers = readRows(header.values, `Table ${table}: header row Range.values`)[0] ?? []
    const column = findHeader(headers.map((h) => String(h)), keyColumn)
    if (column < 0) return err({ kind: 'missingColumn', table, column: keyColumn })
    const sheetName = readString(sheet.name, `Table ${table}: Worksheet.name`)
    const hidden = hiddenSheet(readVisibility(sheet.visibility, `Table ${table}: Worksheet.visibility`), sheetName)
    if (hidden) return err(hidden)
    const firstRow = readIndex(body.rowIndex, `Table ${table}: data body Range.rowIndex`) + 1

    const keyCells = body.getColumn(column)
    keyCells.load('values')
    await context.sync()
    const keys = readRows(keyCells.values, `Table ${table}: key column Range.values`).map((row) => keyText(row[0]))
    const matches = keys.flatMap((k, index) => (k === wanted ? [index] : []))
    const [index] = matches
    if (index === undefined) return err({ kind: 'unknownKey', table, column: keyColumn, key })
    if (matches.length > 1) return err({ kind: 'duplicateKey', table, column: keyColumn, key, sheet: sheetName, rows: matches.map((i) => firstRow + i) })

    const row = body.getRow(index)
    row.load('address, rowHidden')
    sheet.activate()
    row.select()
    await context.sync()
    return ok({
      sheet: sheetName,
      address: readAddress(row.address, `Table ${table}: row Range.address`),
      row: firstRow + index,
      hidden: readBoolean(row.rowHidden, `Table ${table}: row Range.rowHidden`),
    })
  })
}

/**
 * "Go to cell" for a workbook problem: shows the sheet and selects the cell or range of
 * `address` (`Steps!E14`, `'Action Steps'!E14`, `'Bob''s plan'!A1:C3`, as the contract check
 * spells cells). A malformed address is refused before Excel is asked. Then
 * `workbook.worksheets.getItemOrNullObject` (ExcelApi 1.4) for a missing sheet, Worksheet.visibility
 * for a hidden one, and Worksheet.getRange + Worksheet.activate + Range.select.
 */
export async function goToCell(excel: ExcelApi, address: string): Promise<Result<ShownCell, GoToCellError>> {
  const parsed = parseSheetAddress(address)
  if (!parsed) return err({ kind: 'badAddress', address })
  return runExcel<ShownCell, GoToCellError>(excel, async (context: ExcelContext) => {
    const sheet = context.workbook.worksheets.getItemOrNullObject(parsed.sheet)
    await context.sync()
    if (readBoolean(sheet.isNullObject, `Worksheet ${parsed.sheet}: isNullObject`)) return err({ kind: 'missingSheet', sheet: parsed.sheet })

    sheet.load('name, visibility')
    await context.sync()
    const name = readString(sheet.name, `Worksheet ${parsed.sheet}: name`)
    const hidden = hiddenSheet(readVisibility(sheet.visibility, `Worksheet ${parsed.sheet}: visibility`), name)
    if (hidden) return err(hidden)

    const range = sheet.getRange(parsed.ref)
    range.load('address')
    sheet.activate()
    range.select()
    await context.sync()
    return ok({ sheet: name, address: readAddress(range.address, `Worksheet ${parsed.sheet}: Range.address`) })
  })
}

/** The last column and row of a worksheet: `XFD1048576`. */
const MAX_COLUMN = 16_384
const MAX_ROW = 1_048_576

/** A sheet name Excel allows: 1-31 characters, none of `: \ / ? * [ ]` (Excel's rule for naming a worksheet). */
const SHEET_NAME = /^[^:\\/?*[\]]{1,31}$/
const CELL = /^\$?([A-Z]{1,3})\$?(\d{1,7})$/

/**
 * Splits `Sheet!E14` or `'Quoted Sheet'!E14:F20` into the sheet's name and the reference, or
 * null when it is not one. A quoted name doubles its apostrophes (`'Bob''s'` is `Bob's`), as
 * Excel and workbook/a1.ts write it; a bare name may not contain an apostrophe or `!`. The
 * reference is one cell or a two-corner range inside the grid, `$` allowed, returned without `$`.
 */
export function parseSheetAddress(address: string): SheetAddress | null {
  const m = /^(?:'((?:[^']|'')+)'|([^'!]+))!([^!]+)$/.exec(address.trim())
  if (!m) return null
  const sheet = m[1] !== undefined ? m[1].replace(/''/g, "'") : (m[2] ?? '')
  if (!SHEET_NAME.test(sheet)) return null
  const corners = (m[3] ?? '').toUpperCase().split(':')
  if (corners.length > 2) return null
  const cells: string[] = []
  for (const corner of corners) {
    const c = CELL.exec(corner)
    if (!c) return null
    const row = Number(c[2])
    if (columnNumber(c[1] ?? '') > MAX_COLUMN || row < 1 || row > MAX_ROW) return null
    cells.push(`${c[1]}${row}`)
  }
  return { sheet, ref: cells.join(':') }
}

function columnNumber(letters: string): number {
  let n = 0
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64)
  return n
}

function hiddenSheet(visibility: 'Visible' | 'Hidden' | 'VeryHidden', name: string): SheetHidden | null {
  return visibility === 'Hidden' || visibility === 'VeryHidden' ? { kind: 'sheetHidden', sheet: name, visibility } : null
}

/**
 * A key cell as text, trimmed: the rule of `keyText` in workbook/write-plan.ts, which the import
 * guard keeps out of reach of the pages (taskpane may not import workbook). A test pins the two together.
 */
export function keyText(value: unknown): string {
  return value === undefined || value === null ? '' : String(value).trim()
}

/**
 * Index of the header that reads as `column`, -1 when none: the rule of `columnMatches` in
 * workbook/contract.ts (out of the pages' reach, like keyText). A header equal but for case and
 * spaces wins over one that also needs hyphens, underscores or periods ignored. A test pins the two together.
 */
export function findHeader(headers: readonly string[], column: string): number {
  const spaced = (h: string) => h.replace(/\s+/g, '').toLowerCase()
  const close = headers.findIndex((h) => spaced(h) === spaced(column))
  if (close >= 0) return close
  const normal = (h: string) => h.replace(/[\s\-_.]+/g, '').toLowerCase()
  return headers.findIndex((h) => normal(h) === normal(column))
}
