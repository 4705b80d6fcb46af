import type ExcelJS from 'exceljs'
import { err, exhaustiveSwitchError, ok, type Result } from '../../domain/result.ts'
import { columnLetters, type CellValue } from '../raw.ts'
import { readCell } from './cell-read.ts'
import { clearCell, copyCell, isEmptyCell, shiftBandDown, shiftBandUp } from './cell-moves.ts'
import { allTables, locateTable, parseBox, setBottom, type Box, type LocatedTable } from './table-model.ts'
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

/** Sheet names with anything but letters, digits and underscores are quoted, as Excel writes them. */
export function quoteSheet(sheet: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`
}

function boxAddress(sheet: string, box: Box): string {
  const tl = `${columnLetters(box.left)}${box.top}`
  const br = `${columnLetters(box.right)}${box.bottom}`
  return `${quoteSheet(sheet)}!${tl === br ? tl : `${tl}:${br}`}`
}

function readBox(worksheet: ExcelJS.Worksheet, box: Box): RangeData {
  const values: CellValue[][] = []
  const numberFormat: string[][] = []
  const text: string[][] = []
  for (let row = box.top; row <= box.bottom; row += 1) {
    const r = worksheet.getRow(row)
    const cells = []
    for (let col = box.left; col <= box.right; col += 1) cells.push(readCell(r.getCell(col)))
    values.push(cells.map((c) => c.value))
    numberFormat.push(cells.map((c) => c.numberFormat))
    text.push(cells.map((c) => c.text))
  }
  return {
    address: boxAddress(worksheet.name, box),
    values,
    numberFormat,
    text,
    rowCount: Math.max(0, box.bottom - box.top + 1),
    columnCount: box.right - box.left + 1,
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
  return t ? readBox(t.worksheet, partBox(t, part)) : null
}

/** Values as Graph's workbookTableColumn.values: the header cell first, then every cell below it in the table. */
export function tableColumn(wb: ExcelJS.Workbook, name: string, column: string): { index: number; name: string; values: CellValue[][] } | null {
  const t = locateTable(wb, name)
  if (!t) return null
  const wanted = column.trim().toLowerCase()
  const names = t.model.columns.map((c) => c.name)
  let index = names.findIndex((n) => n.trim().toLowerCase() === wanted)
  // Graph column ids are 1-based positions.
  if (index < 0 && /^\d+$/.test(wanted) && Number(wanted) >= 1 && Number(wanted) <= names.length) index = Number(wanted) - 1
  if (index < 0) return null
  const col = t.box.left + index
  const range = readBox(t.worksheet, { ...t.box, left: col, right: col })
  return { index, name: names[index] ?? '', values: range.values }
}

function findSheet(wb: ExcelJS.Workbook, sheet: string): ExcelJS.Worksheet | null {
  const wanted = sheet.toLowerCase()
  return wb.worksheets.find((ws) => ws.name.toLowerCase() === wanted) ?? null
}

/** Reads `A1:C3` (or one cell) of a sheet; a sheet prefix in the address, if any, must name the same sheet. */
export function worksheetRange(wb: ExcelJS.Workbook, sheet: string, address: string): RangeData | null {
  const worksheet = findSheet(wb, sheet)
  if (!worksheet) return null
  const bang = address.lastIndexOf('!')
  if (bang >= 0) {
    const prefix = address.slice(0, bang).replace(/^'(.*)'$/, '$1').replace(/''/g, "'")
    if (prefix.toLowerCase() !== worksheet.name.toLowerCase()) return null
  }
  const box = parseBox(bang >= 0 ? address.slice(bang + 1) : address)
  if (!box || box.top < 1 || box.left < 1 || box.bottom > 1_048_576 || box.right > 16_384) return null
  return readBox(worksheet, box)
}

function writeCell(cell: ExcelJS.Cell, value: CellValue): void {
  const typed = typeLikeExcel(value, typeof cell.numFmt === 'string' ? cell.numFmt : undefined)
  cell.value = typed.value
  if (typed.numFmt !== undefined) cell.numFmt = typed.numFmt
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
  const blocked = firstNonEmptyBelow(t, rows.length)
  if (blocked) return err(`Cannot add rows to the ${t.model.name} table: ${t.worksheet.name}!${blocked} below it is not empty.`)
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
