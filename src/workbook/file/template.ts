import type ExcelJS from 'exceljs'
import { loadExcelJS } from './exceljs.ts'
import { parseIsoDate } from '../../domain/dates.ts'
import { exhaustiveSwitchError } from '../../domain/result.ts'
import { TABLE_NAMES, type TableName } from '../contract.ts'
import { DATE_FORMAT, headersOf, SHEET_ORDER, TABLE_LAYOUTS, VALIDATION_HEADROOM, type ColumnKind, type ColumnLayout } from '../layout.ts'
import type { CellValue } from '../raw.ts'
import { saveWorkbookAtomically } from './workbook-file.ts'

/**
 * The `init` template writer: the eight contract tables as a fresh .xlsx, one sheet and one Excel
 * table each, styled, with real dates, drop-downs for the closed vocabularies and a frozen header
 * row. Saved through `saveWorkbookAtomically`, the one save of this backend (fsync, read back,
 * mode and owner kept, through a symlink), so a crash never leaves half a workbook.
 */

/** What a table holds before it is written: the header row and data rows (dates as ISO text). */
export type TableContent = { headers: string[]; rows: CellValue[][] }

/** A date column's ISO text as the Date it stands for; anything else unchanged. */
export function cellAsWritten(kind: ColumnKind, value: CellValue): CellValue | Date {
  if (kind !== 'date' || typeof value !== 'string') return value
  const iso = parseIsoDate(value)
  return iso ? new Date(`${iso}T00:00:00Z`) : value
}

const TABLE_STYLE = 'TableStyleMedium2'

/** Excel's list validation takes the choices inline, quoted and comma-separated. */
function listValidation(column: ColumnLayout, choices: readonly string[]): ExcelJS.DataValidation {
  return {
    type: 'list',
    allowBlank: true,
    formulae: [`"${choices.join(',')}"`],
    showErrorMessage: true,
    errorStyle: 'warning',
    errorTitle: column.header,
    error: `Choose one of: ${choices.join(', ')}.`,
  }
}

function styleCell(cell: ExcelJS.Cell, column: ColumnLayout): void {
  switch (column.kind) {
    case 'date':
      cell.numFmt = DATE_FORMAT
      cell.alignment = { vertical: 'top', horizontal: 'left' }
      break
    case 'percentComplete':
      cell.numFmt = '0'
      cell.alignment = { vertical: 'top' }
      break
    case 'longText':
      cell.alignment = { vertical: 'top', wrapText: true }
      break
    case 'id':
    case 'text':
    case 'choice':
    case 'number':
      cell.alignment = { vertical: 'top' }
      break
    default:
      exhaustiveSwitchError(column.kind, 'column kind')
  }
}

const LINE_HEIGHT_POINTS = 15

/** Lines the longest wrapped cell of a row needs, at roughly one character per unit of column width. */
function wrappedLines(row: readonly (ExcelJS.CellValue | null)[], columns: readonly ColumnLayout[]): number {
  let lines = 1
  columns.forEach((column, i) => {
    const value = row[i]
    if (column.kind !== 'longText' || typeof value !== 'string') return
    const perLine = Math.max(1, Math.floor(column.width * 1.1))
    lines = Math.max(lines, Math.ceil(value.length / perLine))
  })
  return Math.min(lines, 6)
}

/** A cell as stored, and the number format its value implies (a date typed into a text column), if any. */
export type StoredCell = { value: ExcelJS.CellValue; numFmt?: string }

/** How a cell of the given rows is stored: `init` turns ISO text in date columns into dates; `createTables` types each value as Excel does. */
export type CellWriter = (kind: ColumnKind, value: CellValue) => StoredCell

const asTemplateCell: CellWriter = (kind, value) => ({ value: cellAsWritten(kind, value) })

/**
 * One contract table on a new sheet (named as the layout says unless `sheetName` is given), styled
 * as `init` styles it: column widths, frozen header, date and percent formats, wrapping, drop-downs.
 * Also how `createTables` (the file store) adds a missing table to a district's workbook.
 */
export function addTableSheet(workbook: ExcelJS.Workbook, name: TableName, data: TableContent, sheetName: string = TABLE_LAYOUTS[name].sheet, write: CellWriter = asTemplateCell): void {
  const layout = TABLE_LAYOUTS[name]
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] })
  const columns = data.headers.map((header) => layout.columns.find((c) => c.header === header) ?? { header, kind: 'text' as const, width: 16 })
  columns.forEach((c, i) => {
    sheet.getColumn(i + 1).width = c.width
  })

  // Excel rejects a table whose range has no data row: an empty table keeps one blank row.
  const stored: StoredCell[][] = data.rows.map((row) => row.map((value, i) => write(columns[i]?.kind ?? 'text', value)))
  const rows: (ExcelJS.CellValue | null)[][] = stored.length > 0 ? stored.map((row) => row.map((c) => c.value)) : [data.headers.map(() => null)]

  sheet.addTable({
    name,
    displayName: name,
    ref: 'A1',
    headerRow: true,
    totalsRow: false,
    style: { theme: TABLE_STYLE, showRowStripes: true },
    columns: data.headers.map((header) => ({ name: header, filterButton: true })),
    rows,
  })

  sheet.getRow(1).alignment = { vertical: 'middle', wrapText: false }
  for (let r = 0; r < rows.length; r++) {
    const row = sheet.getRow(r + 2)
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 1)
      styleCell(cell, c)
      const numFmt = stored[r]?.[i]?.numFmt
      if (numFmt !== undefined && c.kind !== 'date') cell.numFmt = numFmt
    })
    const lines = wrappedLines(rows[r] ?? [], columns)
    // Excel does not fit row heights to wrapped text when it opens a file: give them room.
    if (lines > 1) row.height = LINE_HEIGHT_POINTS * lines
  }

  const lastGuided = rows.length + 1 + VALIDATION_HEADROOM
  columns.forEach((c, i) => {
    if (!c.choices) return
    const validation = listValidation(c, c.choices)
    for (let r = 2; r <= lastGuided; r++) sheet.getCell(r, i + 1).dataValidation = validation
  })
}

export async function buildWorkbook(tables: Record<TableName, TableContent>): Promise<ExcelJS.Workbook> {
  const workbook = new (await loadExcelJS()).Workbook()
  workbook.creator = 'pm-workbook'
  for (const name of SHEET_ORDER) addTableSheet(workbook, name, tables[name])
  return workbook
}

/** Writes the tables to `path` as a new workbook, replacing any file there (the CLI decides whether that is allowed). */
export async function writeTablesWorkbook(path: string, tables: Record<TableName, TableContent>): Promise<void> {
  await saveWorkbookAtomically(await buildWorkbook(tables), path)
}

/** The eight contract tables with their headers and no rows: a district's blank starting point. */
export function emptyTables(): Record<TableName, TableContent> {
  const tables = {} as Record<TableName, TableContent>
  for (const name of TABLE_NAMES) tables[name] = { headers: headersOf(name), rows: [] }
  return tables
}

/** Writes an empty, styled workbook to `path`, replacing any file there (the CLI decides whether that is allowed). */
export async function writeTemplateWorkbook(path: string): Promise<void> {
  await writeTablesWorkbook(path, emptyTables())
}
