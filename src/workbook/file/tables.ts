import type ExcelJS from 'exceljs'
import { err, exhaustiveSwitchError, ok, type Result } from '../../domain/result.ts'
import { CONTRACT, findColumn, TABLE_NAMES } from '../contract.ts'
import { boxAddress, cellAddressOf, columnLetters, inGrid, parseBox, quoteSheet, splitAddress, type Box } from '../a1.ts'
import type { CellValue } from '../raw.ts'
import { cellNumberFormat, displayText, plainValue } from './cell-read.ts'
import { clearCell, copyCell, isEmptyCell, shiftBandDown, shiftBandUp } from './cell-moves.ts'
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

function findSheet(wb: ExcelJS.Workbook, sheet: string): ExcelJS.Worksheet | null {
  const wanted = sheet.toLowerCase()
  return wb.worksheets.find((ws) => ws.name.toLowerCase() === wanted) ?? null
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
 * (res/excel.md). The array must have the range's size (api/range-update.md).
 */
export function updateWorksheetRange(wb: ExcelJS.Workbook, sheet: string, address: string, values: (CellValue | null)[][]): Result<void, string> {
  const worksheet = findSheet(wb, sheet)
  if (!worksheet) return err(`There is no worksheet named ${sheet}.`)
  const box = parseBox(splitAddress(address).ref)
  if (!box || !inGrid(box)) return err(`"${address}" is not a range address.`)
  const rows = box.bottom - box.top + 1
  const columns = box.right - box.left + 1
  if (values.length !== rows || values.some((row) => row.length !== columns)) {
    return err(`The range ${address} is ${rows} × ${columns} cells, but the values given are ${values.length} × ${values[0]?.length ?? 0}.`)
  }
  for (let r = 0; r < values.length; r += 1) {
    const row = values[r] ?? []
    for (let c = 0; c < row.length; c += 1) {
      const problem = cellValueProblem(row[c])
      if (problem !== null) return err(`Cannot write cell ${cellAddressOf(worksheet.name, box.top + r, box.left + c)}: the text ${describeCellTextProblem(problem)}.`)
    }
  }
  values.forEach((row, r) =>
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
