import type ExcelJS from 'exceljs'
import { err, exhaustiveSwitchError, ok, type Result } from '../../domain/result.ts'
import { CONTRACT, findColumn, TABLE_NAMES } from '../contract.ts'
import { boxAddress, cellAddressOf, columnLetters, inGrid, parseBox, quoteSheet, splitAddress, type Box } from '../a1.ts'
import type { CellValue } from '../raw.ts'
import { cellNumberFormat, displayText, plainValue } from './cell-read.ts'
import { clearCell, copyCell, isEmptyCell, shiftBandDown, shiftBandUp } from './cell-moves.ts'
import { findWorksheet } from './sheets.ts'
import { describeCellTextProblem, cellValueProblem, quoteKey } from '../cell-text.ts'
import { allTables, locateTable, setBottom, type LocatedTable } from './table-model.ts'
import { typeLikeExcel } from './type-like-excel.ts'

/** Graph's table operations on an in-memory exceljs workbook (no I/O): the file backend and the local server share them. */

export { typeLikeExcel, type TypedCell } from './type-like-excel.ts'

export type TableInfo = {
  id: string
  name: string
  sheet: string
  /** header row's first cell, 1-based */
  top: number
  left: number
  columns: string[]
  /** data rows */
  rowCount: number
  showTotals: boolean
  /** res/workbooktable.md's style properties, from the table's style info ('' when the file gives none). */
  style: { name: string; bandedRows: boolean; bandedColumns: boolean; firstColumn: boolean; lastColumn: boolean }
}

export type RangeData = {
  address: string
  values: CellValue[][]
  numberFormat: string[][]
  text: string[][]
  rowCount: number
  columnCount: number
}

/** The cell grids of a workbookRange (res/workbookrange.md) the file can fill in. */
export type CellGridName = 'values' | 'numberFormat' | 'text' | 'formulas'

export type CellGrids = {
  values?: CellValue[][]
  numberFormat?: string[][]
  text?: string[][]
  /** A formula cell's formula (`=…`, A1 style); any other cell's value, as Graph's `formulas` has it. */
  formulas?: CellValue[][]
}

/**
 * A rectangle of one sheet, read lazily: only the grids asked for and only its own cells, so
 * a `$select=values` on a 40,000-row table or a chunk of a sheet touches nothing else. Reading
 * never adds rows or cells to the sheet.
 */
export type CellBlock = {
  /** Sheet-qualified A1 address, e.g. `'Audit Log'!C2:K2`. */
  address: string
  /** Zero-based, as Graph's rowIndex/columnIndex. */
  rowIndex: number
  columnIndex: number
  rowCount: number
  columnCount: number
  read(grids: ReadonlySet<CellGridName>): CellGrids
  /** Every row of the block is hidden (false for a block without rows). */
  rowsHidden(): boolean
  /** Every column of the block is hidden. */
  columnsHidden(): boolean
}

export type TablePart = 'range' | 'header' | 'body'

function info(t: LocatedTable): TableInfo {
  return {
    id: String(t.ordinal),
    name: t.model.name,
    sheet: t.worksheet.name,
    top: t.box.top,
    left: t.box.left,
    columns: t.model.columns.map((c) => c.name),
    rowCount: Math.max(0, t.lastBodyRow - t.firstBodyRow + 1),
    showTotals: t.hasTotals,
    style: {
      name: t.model.style?.theme ?? '',
      bandedRows: t.model.style?.showRowStripes === true,
      bandedColumns: t.model.style?.showColumnStripes === true,
      firstColumn: t.model.style?.showFirstColumn === true,
      lastColumn: t.model.style?.showLastColumn === true,
    },
  }
}

export function listTables(wb: ExcelJS.Workbook): TableInfo[] {
  return allTables(wb).map(info)
}

export function findTable(wb: ExcelJS.Workbook, name: string): TableInfo | null {
  const t = locateTable(wb, name)
  return t ? info(t) : null
}

/** The grids RangeData holds. */
const RANGE_DATA_GRIDS: ReadonlySet<CellGridName> = new Set(['values', 'numberFormat', 'text'])

/** `=` + the formula of a formula cell (exceljs translates shared formulas), else null. */
function formulaOf(cell: ExcelJS.Cell): string | null {
  const raw: unknown = cell.value
  if (typeof raw !== 'object' || raw === null || !('formula' in raw || 'sharedFormula' in raw)) return null
  const formula: unknown = cell.formula
  return typeof formula === 'string' && formula !== '' ? `=${formula}` : null
}

function readGrids(worksheet: ExcelJS.Worksheet, box: Box, grids: ReadonlySet<CellGridName>): CellGrids {
  const want = { values: grids.has('values'), numberFormat: grids.has('numberFormat'), text: grids.has('text'), formulas: grids.has('formulas') }
  if (grids.size === 0) return {}
  const values: CellValue[][] = []
  const numberFormat: string[][] = []
  const text: string[][] = []
  const formulas: CellValue[][] = []
  for (let row = box.top; row <= box.bottom; row += 1) {
    // find*, not get*: exceljs's getRow/getCell would add every cell read to the sheet.
    const r = worksheet.findRow(row)
    const rowValues: CellValue[] = []
    const rowFormats: string[] = []
    const rowTexts: string[] = []
    const rowFormulas: CellValue[] = []
    for (let col = box.left; col <= box.right; col += 1) {
      const cell = r?.findCell(col)
      const value = cell === undefined ? '' : plainValue(cell.value)
      if (want.values) rowValues.push(value)
      if (want.formulas) rowFormulas.push((cell && formulaOf(cell)) ?? value)
      if (want.numberFormat || want.text) {
        const format = cell === undefined || value === '' ? 'General' : cellNumberFormat(cell)
        if (want.numberFormat) rowFormats.push(format)
        if (want.text) rowTexts.push(displayText(value, format))
      }
    }
    if (want.values) values.push(rowValues)
    if (want.numberFormat) numberFormat.push(rowFormats)
    if (want.text) text.push(rowTexts)
    if (want.formulas) formulas.push(rowFormulas)
  }
  return {
    ...(want.values ? { values } : {}),
    ...(want.numberFormat ? { numberFormat } : {}),
    ...(want.text ? { text } : {}),
    ...(want.formulas ? { formulas } : {}),
  }
}

function cellBlock(worksheet: ExcelJS.Worksheet, box: Box): CellBlock {
  const rowCount = Math.max(0, box.bottom - box.top + 1)
  const columnCount = Math.max(0, box.right - box.left + 1)
  return {
    address: boxAddress(worksheet.name, box),
    rowIndex: box.top - 1,
    columnIndex: box.left - 1,
    rowCount,
    columnCount,
    read: (grids) => readGrids(worksheet, box, grids),
    rowsHidden() {
      if (rowCount === 0) return false
      for (let row = box.top; row <= box.bottom; row += 1) if (worksheet.findRow(row)?.hidden !== true) return false
      return true
    },
    columnsHidden() {
      // `columns` is exceljs's own column list (undefined until a column is defined); getColumn would add columns.
      const columns = (worksheet.columns as Partial<ExcelJS.Column>[] | undefined) ?? []
      if (columnCount === 0) return false
      for (let col = box.left; col <= box.right; col += 1) if (columns[col - 1]?.hidden !== true) return false
      return true
    },
  }
}

/** Values, formats and texts at once, as the file backend and the tests read a range. */
function rangeData(block: CellBlock): RangeData {
  const grids = block.read(RANGE_DATA_GRIDS)
  return {
    address: block.address,
    values: grids.values ?? [],
    numberFormat: grids.numberFormat ?? [],
    text: grids.text ?? [],
    rowCount: block.rowCount,
    columnCount: block.columnCount,
  }
}

function partBox(t: LocatedTable, part: TablePart): Box {
  switch (part) {
    case 'range':
      return t.box
    case 'header':
      return { ...t.box, bottom: t.box.top }
    case 'body':
      return { ...t.box, top: t.firstBodyRow, bottom: t.lastBodyRow }
    default:
      return exhaustiveSwitchError(part, 'table part')
  }
}

/** Graph semantics: 'range' is header + body (+ totals), 'header' the header row, 'body' the data rows. */
export function tableRange(wb: ExcelJS.Workbook, name: string, part: TablePart): RangeData | null {
  const t = locateTable(wb, name)
  return t ? rangeData(cellBlock(t.worksheet, partBox(t, part))) : null
}

/** Data rows `from`… (`count` of them, fewer at the table's end) of a table's values, reading no other row; null when there is no such table. */
export function tableBodyRows(wb: ExcelJS.Workbook, name: string, from: number, count: number): CellValue[][] | null {
  const t = locateTable(wb, name)
  if (!t) return null
  const top = t.firstBodyRow + Math.max(0, from)
  const bottom = Math.min(t.lastBodyRow, top + count - 1)
  if (bottom < top) return []
  return readGrids(t.worksheet, { ...t.box, top, bottom }, new Set(['values'])).values ?? []
}

/** The same part of a table as `tableRange`, unread until asked (api/table-range.md, table-databodyrange.md, table-headerrowrange.md). */
export function tableBlock(wb: ExcelJS.Workbook, name: string, part: TablePart): CellBlock | null {
  const t = locateTable(wb, name)
  return t ? cellBlock(t.worksheet, partBox(t, part)) : null
}

/**
 * A column by name, compared case-insensitively as Excel compares column names (it refuses
 * two names differing only in case), else by id (a 1-based position, as this server's ids are).
 * No trimming: a name must be spelled as the header spells it.
 */
function columnIndexOf(t: LocatedTable, column: string): number {
  const names = t.model.columns.map((c) => c.name)
  const wanted = column.toLowerCase()
  const byName = names.findIndex((n) => n.toLowerCase() === wanted)
  if (byName >= 0) return byName
  return /^\d+$/.test(column) && Number(column) >= 1 && Number(column) <= names.length ? Number(column) - 1 : -1
}

/** Values as Graph's workbookTableColumn.values: the header cell first, then every cell below it in the table. */
export function tableColumn(wb: ExcelJS.Workbook, name: string, column: string): { index: number; name: string; values: CellValue[][] } | null {
  const t = locateTable(wb, name)
  if (!t) return null
  const index = columnIndexOf(t, column)
  if (index < 0) return null
  const col = t.box.left + index
  const block = cellBlock(t.worksheet, { ...t.box, left: col, right: col })
  return { index, name: t.model.columns[index]?.name ?? '', values: block.read(new Set(['values'])).values ?? [] }
}

/** One column's part of a table (api/tablecolumn-range.md, tablecolumn-databodyrange.md, tablecolumn-headerrowrange.md). */
export function tableColumnBlock(wb: ExcelJS.Workbook, name: string, column: string, part: TablePart): CellBlock | null {
  const t = locateTable(wb, name)
  if (!t) return null
  const index = columnIndexOf(t, column)
  if (index < 0) return null
  const col = t.box.left + index
  return cellBlock(t.worksheet, { ...partBox(t, part), left: col, right: col })
}

/** By name (ignoring case) or by id, as Graph paths take `worksheets/{id|name}`. */
function findSheet(wb: ExcelJS.Workbook, sheet: string): ExcelJS.Worksheet | null {
  return findWorksheet(wb, sheet)
}

/** `A1:C3` (or one cell) of a sheet, unread until asked; a sheet prefix in the address, if any, must name the same sheet. */
export function worksheetBlock(wb: ExcelJS.Workbook, sheet: string, address: string): CellBlock | null {
  const worksheet = findSheet(wb, sheet)
  if (!worksheet) return null
  const { sheet: prefix, ref } = splitAddress(address)
  if (prefix !== null && prefix.toLowerCase() !== worksheet.name.toLowerCase()) return null
  const box = parseBox(ref)
  if (!box || !inGrid(box)) return null
  return cellBlock(worksheet, box)
}

/** Reads `A1:C3` (or one cell) of a sheet; a sheet prefix in the address, if any, must name the same sheet. */
export function worksheetRange(wb: ExcelJS.Workbook, sheet: string, address: string): RangeData | null {
  const block = worksheetBlock(wb, sheet, address)
  return block ? rangeData(block) : null
}

/**
 * The row a refused value was meant for, named as a user knows it: by its key when the table
 * is one of the contract's (the key being written, else the one already in the row), else by
 * its position among the data rows.
 */
function rowName(t: LocatedTable, values: readonly (CellValue | null)[], sheetRow: number, existing: boolean): string {
  const contractName = TABLE_NAMES.find((n) => n.toLowerCase() === t.model.name.toLowerCase())
  const keyColumn = contractName ? CONTRACT[contractName].key : null
  const keyIndex = keyColumn === null ? -1 : findColumn(t.model.columns.map((c) => c.name), keyColumn)
  if (keyIndex >= 0) {
    const given = values[keyIndex]
    const key = given ?? (existing ? plainValue(t.worksheet.findRow(sheetRow)?.findCell(t.box.left + keyIndex)?.value) : '')
    if (key !== '') return `${t.model.name} ${quoteKey(key)}`
  }
  return `${existing ? '' : 'new '}data row ${sheetRow - t.firstBodyRow + 1} of ${t.model.name}`
}

/**
 * The first value of `rows` (headed for sheet rows `firstSheetRow`…) that a workbook cannot
 * hold, as a message naming table, column, key and cell; checked before any cell changes so a
 * refused write leaves the workbook as it was.
 */
function refusedTableValue(t: LocatedTable, rows: readonly (readonly (CellValue | null)[])[], firstSheetRow: number, existing: boolean): string | null {
  for (let r = 0; r < rows.length; r += 1) {
    const values = rows[r] ?? []
    for (let c = 0; c < values.length; c += 1) {
      const problem = cellValueProblem(values[c])
      if (problem === null) continue
      const column = t.model.columns[c]?.name ?? `column ${c + 1}`
      const sheetRow = firstSheetRow + r
      const cell = cellAddressOf(t.worksheet.name, sheetRow, t.box.left + c)
      return `Cannot write the ${column} cell of ${rowName(t, values, sheetRow, existing)} (${cell}): the text ${describeCellTextProblem(problem)}.`
    }
  }
  return null
}

function writeCell(cell: ExcelJS.Cell, value: CellValue): void {
  const typed = typeLikeExcel(value, typeof cell.numFmt === 'string' ? cell.numFmt : undefined)
  cell.value = typed.value
  if (typed.numFmt !== undefined) cell.numFmt = typed.numFmt
}

/**
 * Writes `values` into `A1:C3` of a sheet, typed as Excel types them; a null leaves its cell alone
 * (res/excel.md). The array must have the range's size (api/range-update.md). `numberFormat`, of
 * the same size, is applied first, so a value is typed into its cell's new format ('' = General).
 */
export function updateWorksheetRange(
  wb: ExcelJS.Workbook,
  sheet: string,
  address: string,
  values: (CellValue | null)[][] | null,
  numberFormat: (string | null)[][] | null = null,
): Result<void, string> {
  const worksheet = findSheet(wb, sheet)
  if (!worksheet) return err(`There is no worksheet named ${sheet}.`)
  const box = parseBox(splitAddress(address).ref)
  if (!box || !inGrid(box)) return err(`"${address}" is not a range address.`)
  const rows = box.bottom - box.top + 1
  const columns = box.right - box.left + 1
  for (const [what, grid] of [['values', values], ['number formats', numberFormat]] as const) {
    if (grid !== null && (grid.length !== rows || grid.some((row) => row.length !== columns))) {
      return err(`The range ${address} is ${rows} × ${columns} cells, but the ${what} given are ${grid.length} × ${grid[0]?.length ?? 0}.`)
    }
  }
  for (const grid of [values, numberFormat]) {
    for (let r = 0; r < (grid?.length ?? 0); r += 1) {
      const row = grid?.[r] ?? []
      for (let c = 0; c < row.length; c += 1) {
        const problem = cellValueProblem(row[c] ?? '')
        if (problem !== null) return err(`Cannot write cell ${cellAddressOf(worksheet.name, box.top + r, box.left + c)}: the text ${describeCellTextProblem(problem)}.`)
      }
    }
  }
  numberFormat?.forEach((row, r) =>
    row.forEach((format, c) => {
      if (format !== null) worksheet.getCell(box.top + r, box.left + c).numFmt = format === '' ? 'General' : format
    }),
  )
  values?.forEach((row, r) =>
    row.forEach((value, c) => {
      if (value !== null) writeCell(worksheet.getCell(box.top + r, box.left + c), value)
    }),
  )
  return ok(undefined)
}

function widthError(t: LocatedTable, given: number): string {
  return `The ${t.model.name} table has ${t.model.columns.length} columns but ${given} values were given.`
}

function missingTable(name: string): string {
  return `There is no table named ${name} in the workbook.`
}

/** Changes a data row (0-based); a null leaves its cell alone (GRAPH.md §3). */
export function updateTableRow(wb: ExcelJS.Workbook, name: string, index: number, values: (CellValue | null)[]): Result<void, string> {
  const t = locateTable(wb, name)
  if (!t) return err(missingTable(name))
  const rowCount = t.lastBodyRow - t.firstBodyRow + 1
  if (!Number.isInteger(index) || index < 0 || index >= rowCount) return err(`Row ${index} is outside the ${t.model.name} table, which has ${rowCount} rows.`)
  if (values.length !== t.model.columns.length) return err(widthError(t, values.length))
  const refused = refusedTableValue(t, [values], t.firstBodyRow + index, true)
  if (refused !== null) return err(refused)
  const row = t.worksheet.getRow(t.firstBodyRow + index)
  values.forEach((value, i) => {
    if (value !== null) writeCell(row.getCell(t.box.left + i), value)
  })
  return ok(undefined)
}

function firstNonEmptyBelow(t: LocatedTable, count: number): string | null {
  for (let row = t.box.bottom + 1; row <= t.box.bottom + count; row += 1) {
    for (let col = t.box.left; col <= t.box.right; col += 1) {
      const cell = t.worksheet.getCell(row, col)
      if (!isEmptyCell(cell)) return cell.address
    }
  }
  const other = allTables(t.worksheet.workbook).find(
    (o) => o.model !== t.model && o.worksheet === t.worksheet && o.box.top > t.box.bottom && o.box.top <= t.box.bottom + count && o.box.left <= t.box.right && o.box.right >= t.box.left,
  )
  return other ? `${columnLetters(other.box.left)}${other.box.top}` : null
}

/**
 * Appends (index null/undefined) or inserts data rows. Only the table's own columns move, so a
 * table beside it is untouched; the rows below the table must be free, since shifting whatever
 * sits there (another table, merged cells) could break it.
 */
export function addTableRows(wb: ExcelJS.Workbook, name: string, rows: (CellValue | null)[][], index?: number | null): Result<{ index: number }, string> {
  const t = locateTable(wb, name)
  if (!t) return err(missingTable(name))
  const rowCount = Math.max(0, t.lastBodyRow - t.firstBodyRow + 1)
  const at = index ?? rowCount
  if (!Number.isInteger(at) || at < 0 || at > rowCount) return err(`Row ${at} is outside the ${t.model.name} table, which has ${rowCount} rows.`)
  const bad = rows.find((r) => r.length !== t.model.columns.length)
  if (bad) return err(widthError(t, bad.length))
  if (rows.length === 0) return ok({ index: at })
  const refused = refusedTableValue(t, rows, t.firstBodyRow + at, false)
  if (refused !== null) return err(refused)
  const blocked = firstNonEmptyBelow(t, rows.length)
  if (blocked) return err(`Cannot add rows to the ${t.model.name} table: ${quoteSheet(t.worksheet.name)}!${blocked} below it is not empty.`)
  const { worksheet, box } = t
  const firstNew = t.firstBodyRow + at
  shiftBandDown(worksheet, box.left, box.right, firstNew, box.bottom, rows.length)
  // New rows look like their neighbour above (or below, when inserting at the top), as in Excel.
  const styleRow = at > 0 ? firstNew - 1 : rowCount > 0 ? firstNew + rows.length : null
  rows.forEach((values, i) => {
    const sheetRow = firstNew + i
    values.forEach((value, j) => {
      const col = box.left + j
      const cell = worksheet.getCell(sheetRow, col)
      if (styleRow !== null) {
        const model = worksheet.getCell(styleRow, col)
        copyCell(worksheet, model, cell)
      }
      cell.value = null
      if (value !== null) writeCell(cell, value)
    })
  })
  setBottom(t, box.bottom + rows.length)
  return ok({ index: at })
}

/** Deletes a data row; the rows below it within the table move up. The last row is emptied, not removed: an Excel table keeps one body row. */
export function deleteTableRow(wb: ExcelJS.Workbook, name: string, index: number): Result<void, string> {
  const t = locateTable(wb, name)
  if (!t) return err(missingTable(name))
  const rowCount = Math.max(0, t.lastBodyRow - t.firstBodyRow + 1)
  if (!Number.isInteger(index) || index < 0 || index >= rowCount) return err(`Row ${index} is outside the ${t.model.name} table, which has ${rowCount} rows.`)
  const { worksheet, box } = t
  if (rowCount === 1) {
    const row = worksheet.getRow(t.firstBodyRow)
    for (let col = box.left; col <= box.right; col += 1) row.getCell(col).value = null
    return ok(undefined)
  }
  const target = t.firstBodyRow + index
  if (target < box.bottom) shiftBandUp(worksheet, box.left, box.right, target + 1, box.bottom)
  else for (let col = box.left; col <= box.right; col += 1) clearCell(worksheet, worksheet.getCell(target, col))
  setBottom(t, box.bottom - 1)
  return ok(undefined)
}

/** Excel's default style for a new table (res/workbooktable.md lists the styles). */
export const DEFAULT_TABLE_STYLE = 'TableStyleMedium2'

const TABLE_STYLE = /^TableStyle(?:Light|Medium|Dark)\d{1,2}$/

/** Excel's rule for a table name: a letter, underscore or backslash, then letters, digits, periods and underscores; never a cell reference. */
export function tableNameProblem(name: string): string | null {
  if (name.length === 0 || name.length > 255) return 'must have 1 to 255 characters'
  if (!/^[A-Za-z_\\][A-Za-z0-9_.\\]*$/.test(name)) return 'must start with a letter, underscore or backslash and hold only letters, digits, periods and underscores'
  if (/^(?:[A-Z]{1,3}\d+|R\d*|C\d*|R\d*C\d*)$/i.test(name)) return 'must not read as a cell reference'
  return null
}

const overlaps = (a: Box, b: Box): boolean => a.left <= b.right && b.left <= a.right && a.top <= b.bottom && b.top <= a.bottom

/** The header names a new table takes: each cell's text, `ColumnN` for a blank one, a number added to a repeated one (as Excel does). */
function headerNames(texts: readonly string[]): string[] {
  const names: string[] = []
  texts.forEach((text, i) => {
    const base = text.trim() === '' ? `Column${i + 1}` : text
    let name = base
    for (let n = 2; names.some((other) => other.toLowerCase() === name.toLowerCase()); n += 1) name = `${base}${n}`
    names.push(name)
  })
  return names
}

export type AddTableRefusal = { kind: 'noSheet' } | { kind: 'invalid'; message: string }

/**
 * A table over a range of a sheet (api/worksheet-post-tables.md, api/tablecollection-add.md),
 * named `TableN` like Excel's own. With `hasHeaders` the first row holds the column names (as
 * text); without, the range moves down a row under generated `Column1`… headers. A table keeps
 * at least one data row: a one-row range with headers takes the row below, which must be empty,
 * as must the row the cells move into. A range overlapping a table is refused.
 */
export function addTableAt(wb: ExcelJS.Workbook, sheet: string, address: string, hasHeaders: boolean): Result<TableInfo, AddTableRefusal> {
  const worksheet = findSheet(wb, sheet)
  if (!worksheet) return err({ kind: 'noSheet' })
  const invalid = (message: string): Result<TableInfo, AddTableRefusal> => err({ kind: 'invalid', message })
  const { sheet: prefix, ref } = splitAddress(address)
  if (prefix !== null && prefix.toLowerCase() !== worksheet.name.toLowerCase()) return invalid(`"${address}" is not on the sheet ${worksheet.name}.`)
  const box = parseBox(ref)
  if (!box || !inGrid(box)) return invalid(`"${address}" is not a range address.`)
  const tableBox: Box = hasHeaders ? { ...box, bottom: Math.max(box.bottom, box.top + 1) } : { ...box, bottom: box.bottom + 1 }
  if (!inGrid(tableBox)) return invalid(`A table over ${address} would run past the last row.`)
  const other = allTables(wb).find((t) => t.worksheet === worksheet && overlaps(t.box, tableBox))
  if (other) return invalid(`A table over ${address} would overlap the table ${other.model.name}.`)
  if (tableBox.bottom > box.bottom) {
    for (let col = box.left; col <= box.right; col += 1) {
      const cell = worksheet.findRow(tableBox.bottom)?.findCell(col)
      if (cell && !isEmptyCell(cell)) return invalid(`The table needs row ${tableBox.bottom} under ${address}, but ${quoteSheet(worksheet.name)}!${cell.address} is not empty.`)
    }
  }
  const width = box.right - box.left + 1
  let texts: string[]
  if (hasHeaders) {
    texts = []
    for (let col = box.left; col <= box.right; col += 1) {
      const cell = worksheet.findRow(box.top)?.findCell(col)
      const value = cell === undefined ? '' : plainValue(cell.value)
      texts.push(cell === undefined || value === '' ? '' : displayText(value, cellNumberFormat(cell)))
    }
  } else {
    shiftBandDown(worksheet, box.left, box.right, box.top, box.bottom, 1)
    texts = Array.from({ length: width }, () => '')
  }
  const names = headerNames(texts)
  let name = ''
  for (let n = 1; name === ''; n += 1) if (!locateTable(wb, `Table${n}`)) name = `Table${n}`
  names.forEach((header, i) => {
    worksheet.getCell(box.top, box.left + i).value = header
  })
  // exceljs writes every cell of a new table from `rows`: hand it the cells as they are.
  const rows: ExcelJS.CellValue[][] = []
  for (let row = tableBox.top + 1; row <= tableBox.bottom; row += 1) {
    const cells: ExcelJS.CellValue[] = []
    for (let col = box.left; col <= box.right; col += 1) cells.push(worksheet.findRow(row)?.findCell(col)?.value ?? null)
    rows.push(cells)
  }
  worksheet.addTable({
    name,
    displayName: name,
    ref: `${columnLetters(box.left)}${box.top}`,
    headerRow: true,
    totalsRow: false,
    style: { theme: DEFAULT_TABLE_STYLE, showRowStripes: true },
    columns: names.map((header) => ({ name: header, filterButton: true })),
    rows,
  })
  const made = findTable(wb, name)
  if (!made) throw new Error(`The new table ${name} is not in the workbook`)
  return ok(made)
}

/** What a table update may change (api/table-update.md); showHeaders and showTotals only as they are. */
export type TableUpdate = {
  name?: string
  style?: string
  showBandedRows?: boolean
  showBandedColumns?: boolean
  highlightFirstColumn?: boolean
  highlightLastColumn?: boolean
  showHeaders?: boolean
  showTotals?: boolean
  showFilterButton?: boolean
}

export type UpdateTableRefusal = { kind: 'noTable' } | { kind: 'exists'; name: string } | { kind: 'invalid'; message: string }

/**
 * Renames or restyles a table, by name or id (api/table-update.md). A name another table has
 * (ignoring case) is refused, as is one Excel would refuse. Formulas that name the table by its
 * old name are not rewritten (DIFFERENCES.md).
 */
export function updateTable(wb: ExcelJS.Workbook, nameOrId: string, update: TableUpdate): Result<TableInfo, UpdateTableRefusal> {
  const t = locateTable(wb, nameOrId)
  if (!t) return err({ kind: 'noTable' })
  const invalid = (message: string): Result<TableInfo, UpdateTableRefusal> => err({ kind: 'invalid', message })
  if (update.showHeaders !== undefined && update.showHeaders !== t.hasHeader) return invalid('This server does not show or hide a table\'s header row.')
  if (update.showTotals !== undefined && update.showTotals !== t.hasTotals) return invalid('This server does not add or remove a Total row.')
  if (update.showFilterButton === false) return invalid('This server does not hide filter buttons.')
  if (update.style !== undefined && !TABLE_STYLE.test(update.style)) return invalid(`"${update.style}" is not a table style (TableStyleLight1 … TableStyleDark11).`)
  if (update.name !== undefined) {
    const problem = tableNameProblem(update.name)
    if (problem !== null) return invalid(`The table name "${update.name}" ${problem}.`)
    const holder = locateTable(wb, update.name)
    if (holder && holder.model !== t.model && holder.model.name.toLowerCase() === update.name.toLowerCase()) return err({ kind: 'exists', name: update.name })
  }
  const style = (t.model.style ??= {})
  if (update.style !== undefined) style.theme = update.style
  if (update.showBandedRows !== undefined) style.showRowStripes = update.showBandedRows
  if (update.showBandedColumns !== undefined) style.showColumnStripes = update.showBandedColumns
  if (update.highlightFirstColumn !== undefined) style.showFirstColumn = update.highlightFirstColumn
  if (update.highlightLastColumn !== undefined) style.showLastColumn = update.highlightLastColumn
  if (update.name !== undefined && update.name !== t.model.name) {
    // exceljs keeps a sheet's tables by name: move the entry too.
    const tables = (t.worksheet as unknown as { tables: Record<string, { table?: unknown }> }).tables
    const key = Object.keys(tables).find((k) => tables[k]?.table === t.model)
    const entry = key === undefined ? undefined : tables[key]
    if (key !== undefined && entry) {
      delete tables[key]
      tables[update.name] = entry
    }
    t.model.name = update.name
    t.model.displayName = update.name
  }
  const info = findTable(wb, update.name ?? t.model.name)
  if (!info) throw new Error(`The table ${update.name ?? t.model.name} is not in the workbook`)
  return ok(info)
}
