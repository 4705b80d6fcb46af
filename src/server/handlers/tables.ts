import { err, exhaustiveSwitchError, ok, type Result } from '../../domain/result.ts'
import { parseBox, splitAddress } from '../../workbook/a1.ts'
import type { CellValue } from '../../workbook/raw.ts'
import {
  addTableAt,
  addTableRows,
  deleteTableRow,
  findTable,
  listTables,
  tableBlock,
  tableBodyRows,
  tableColumn,
  tableColumnBlock,
  updateTable,
  updateTableRow,
  updateWorksheetRange,
  worksheetBlock,
  type CellBlock,
  type TableInfo,
} from '../../workbook/file/tables.ts'
import { findWorksheet } from '../../workbook/file/sheets.ts'
import { noteRangeUpdate, noteRowsAppended, noteRowUpdate, type ChangeJournal } from '../../workbook/file/patch/model-save.ts'
import { invalidArgument, itemAlreadyExists, itemNotFound, responsePayloadSizeLimitExceeded, type GraphError } from '../errors.ts'
import { parseAddTable, parseCount, parseRangeUpdate, parseRowsAdd, parseRowUpdate, parseTableUpdate } from '../protocol/bodies.ts'
import { empty, json, type GraphRequest, type GraphResponse } from '../protocol/messages.ts'
import type { TableAddress, TablePart } from '../protocol/route.ts'
import type { Workbook } from '../persistence/workbook-host.ts'
import { minimumRangeBytes, rangeJson, selectedRangeProperties } from './ranges.ts'

/** Table, row, column and range semantics (api/table-*.md, tablerow*.md, tablecolumn-*.md, range-get.md). */

export type Target = {
  wb: Workbook
  /**
   * Called after the workbook changed, so the job saves before it answers; `note` says what
   * changed (model-save.ts), and without it the next save writes the whole workbook.
   */
  wrote: (note?: (journal: ChangeJournal) => void) => void
}

type Reply = Result<GraphResponse, GraphError>

/** Table names are case-insensitive; a worksheet-scoped address must name the table's own sheet. */
function table(wb: Workbook, address: TableAddress): Result<TableInfo, GraphError> {
  const found = findTable(wb, address.table)
  if (!found || (address.sheet !== null && findWorksheet(wb, address.sheet)?.name !== found.sheet)) {
    return err(itemNotFound(`The table ${address.table}`))
  }
  return ok(found)
}

/** res/workbooktable.md: every property; the filter buttons are always shown here. */
const tableJson = (t: TableInfo) => ({
  id: t.id,
  name: t.name,
  legacyId: t.id,
  showHeaders: true,
  showTotals: t.showTotals,
  style: t.style.name,
  highlightFirstColumn: t.style.firstColumn,
  highlightLastColumn: t.style.lastColumn,
  showBandedColumns: t.style.bandedColumns,
  showBandedRows: t.style.bandedRows,
  showFilterButton: true,
})

/** res/workbooktablerow.md: `{ index, values: [[…]] }`. */
const rowJson = (index: number, values: CellValue[]) => ({ index, values: [values] })


/** Data rows `from`… of a table, `count` of them at most, reading no other row. */
function bodyRows(wb: Workbook, t: TableInfo, from = 0, count = t.rowCount): CellValue[][] {
  return tableBodyRows(wb, t.name, from, Math.min(count, t.rowCount - from)) ?? []
}

/** api/workbook-list-tables.md, or with a sheet api/worksheet-list-tables.md (404 when there is no such sheet). */
export function listTablesReply(wb: Workbook, sheet: string | null = null): Reply {
  const worksheet = sheet === null ? null : findWorksheet(wb, sheet)
  if (sheet !== null && !worksheet) return err(itemNotFound(`The worksheet ${sheet}`))
  const tables = listTables(wb).filter((t) => worksheet === null || t.sheet === worksheet.name)
  return ok(json(200, { value: tables.map(tableJson) }))
}

/**
 * A table over a range: `worksheets/{id|name}/tables/add` answers 201 (api/worksheet-post-tables.md),
 * `tables/add` 200 (api/tablecollection-add.md, whose address must then name the sheet: there is
 * no active sheet here). Overlapping a table, or a range that is no address, is invalidArgument.
 */
export function addTable(target: Target, sheet: string | null, request: GraphRequest, status: 200 | 201): Reply {
  const body = parseAddTable(request.body)
  if (!body.ok) return err(invalidArgument(body.error))
  const on = sheet ?? splitAddress(body.value.address).sheet
  if (on === null) return err(invalidArgument(`"${body.value.address}" must name its sheet (Sheet1!A1:D5): this server has no active sheet.`))
  const made = addTableAt(target.wb, on, body.value.address, body.value.hasHeaders)
  if (!made.ok) return err(made.error.kind === 'noSheet' ? itemNotFound(`The worksheet ${on}`) : invalidArgument(made.error.message))
  target.wrote()
  return ok(json(status, tableJson(made.value)))
}

/** api/table-update.md: 200 with the table; a name another table has is 409 itemAlreadyExists. */
export function patchTable(target: Target, address: TableAddress, request: GraphRequest): Reply {
  const t = table(target.wb, address)
  if (!t.ok) return t
  const update = parseTableUpdate(request.body)
  if (!update.ok) return err(invalidArgument(update.error))
  const done = updateTable(target.wb, t.value.id, update.value)
  if (!done.ok) {
    const refusal = done.error
    switch (refusal.kind) {
      case 'noTable':
        return err(itemNotFound(`The table ${address.table}`))
      case 'exists':
        return err(itemAlreadyExists(`A table named ${refusal.name}`))
      case 'invalid':
        return err(invalidArgument(refusal.message))
      default:
        return exhaustiveSwitchError(refusal, 'table update refusal')
    }
  }
  target.wrote()
  return ok(json(200, tableJson(done.value)))
}

export function getTable(wb: Workbook, address: TableAddress): Reply {
  const t = table(wb, address)
  return t.ok ? ok(json(200, tableJson(t.value))) : t
}

const PARTS: Readonly<Record<TablePart, 'range' | 'header' | 'body'>> = { range: 'range', headerRowRange: 'header', dataBodyRange: 'body' }

/** How a range is asked for: its `$select`, and the response limit it must fit (protocol/response-size.ts). */
export type RangeRequest = { select: string | null; maxResponseBytes: number }

/**
 * A workbookRange reply built with only the `$select`ed properties. One that cannot fit the
 * response limit is refused before its cells are read; the rest are measured when serialized.
 */
function rangeReply(block: CellBlock, view: RangeRequest): Reply {
  const properties = selectedRangeProperties(view.select)
  if (minimumRangeBytes(block, properties) > view.maxResponseBytes) return err(responsePayloadSizeLimitExceeded(view.maxResponseBytes))
  return ok(json(200, rangeJson(block, properties)))
}

/** api/table-range.md, table-headerrowrange.md, table-databodyrange.md. */
export function getTablePart(wb: Workbook, address: TableAddress, part: TablePart, view: RangeRequest): Reply {
  const t = table(wb, address)
  if (!t.ok) return t
  const block = tableBlock(wb, t.value.name, PARTS[part])
  return block ? rangeReply(block, view) : err(itemNotFound(`The table ${address.table}`))
}

/** api/tablecolumn-range.md, tablecolumn-headerrowrange.md, tablecolumn-databodyrange.md. */
export function getColumnPart(wb: Workbook, address: TableAddress, column: string, part: TablePart, view: RangeRequest): Reply {
  const t = table(wb, address)
  if (!t.ok) return t
  const block = tableColumnBlock(wb, t.value.name, column, PARTS[part])
  return block ? rangeReply(block, view) : err(itemNotFound(`The column ${column} of table ${t.value.name}`))
}

/** res/workbooktablecolumn.md; ids are 1-based positions as strings, like the service's. */
function columnJson(column: { index: number; name: string; values: CellValue[][] }) {
  return { id: String(column.index + 1), index: column.index, name: column.name, values: column.values }
}

export function listColumns(wb: Workbook, address: TableAddress): Reply {
  const t = table(wb, address)
  if (!t.ok) return t
  const columns = t.value.columns.map((name) => tableColumn(wb, t.value.name, name)).filter((c) => c !== null)
  return ok(json(200, { value: columns.map(columnJson) }))
}

export function getColumn(wb: Workbook, address: TableAddress, column: string): Reply {
  const t = table(wb, address)
  if (!t.ok) return t
  const found = tableColumn(wb, t.value.name, column)
  return found ? ok(json(200, columnJson(found))) : err(itemNotFound(`The column ${column} of table ${t.value.name}`))
}

/** api/table-list-rows.md with `$top`/`$skip`; no `@odata.nextLink`, as the service (GRAPH.md §2). */
export function listRows(wb: Workbook, address: TableAddress, request: GraphRequest): Reply {
  const t = table(wb, address)
  if (!t.ok) return t
  const top = parseCount(request.query.get('$top'), '$top')
  const skip = parseCount(request.query.get('$skip'), '$skip')
  if (!top.ok) return err(invalidArgument(top.error))
  if (!skip.ok) return err(invalidArgument(skip.error))
  const from = skip.value ?? 0
  const rows = bodyRows(wb, t.value, from, top.value ?? t.value.rowCount).map((values, i) => rowJson(from + i, values))
  return ok(json(200, { value: rows }))
}

function rowIndexIn(t: TableInfo, index: number): Result<number, GraphError> {
  return index < t.rowCount ? ok(index) : err(invalidArgument(`Row ${index} is outside the ${t.name} table, which has ${t.rowCount} rows.`))
}

export function getRow(wb: Workbook, address: TableAddress, index: number): Reply {
  const t = table(wb, address)
  if (!t.ok) return t
  const at = rowIndexIn(t.value, index)
  if (!at.ok) return at
  return ok(json(200, rowJson(index, bodyRows(wb, t.value, index, 1)[0] ?? [])))
}

/** api/tablerow-update.md: 200 with the row; a null cell is left alone (res/excel.md). */
export function updateRow(target: Target, address: TableAddress, index: number, request: GraphRequest): Reply {
  const t = table(target.wb, address)
  if (!t.ok) return t
  const at = rowIndexIn(t.value, index)
  if (!at.ok) return at
  const values = parseRowUpdate(request.body)
  if (!values.ok) return err(invalidArgument(values.error))
  const done = updateTableRow(target.wb, t.value.name, index, values.value)
  if (!done.ok) return err(invalidArgument(done.error))
  const columns = values.value.flatMap((value, column) => (value === null ? [] : [column]))
  target.wrote((journal) => noteRowUpdate(journal, t.value.name, index, columns))
  return ok(json(200, rowJson(index, bodyRows(target.wb, t.value, index, 1)[0] ?? [])))
}

/** api/tablerow-delete.md: 200 and no body (res/excel.md says 204; the API page wins). */
export function deleteRow(target: Target, address: TableAddress, index: number): Reply {
  const t = table(target.wb, address)
  if (!t.ok) return t
  const at = rowIndexIn(t.value, index)
  if (!at.ok) return at
  const done = deleteTableRow(target.wb, t.value.name, index)
  if (!done.ok) return err(invalidArgument(done.error))
  target.wrote()
  return ok(empty(200))
}

/**
 * `rows/add` → 200 (api/tablerowcollection-add.md), `POST rows` → 201 (api/table-post-rows.md).
 * The pages show one workbookTableRow for a two-row add without saying which; we answer the
 * `index` of the first new row and `values` holding every new row as it reads back (typed),
 * so a client can check all it added.
 */
export function addRows(target: Target, address: TableAddress, request: GraphRequest, status: 200 | 201): Reply {
  const t = table(target.wb, address)
  if (!t.ok) return t
  const body = parseRowsAdd(request.body)
  if (!body.ok) return err(invalidArgument(body.error))
  const added = addTableRows(target.wb, t.value.name, body.value.rows, body.value.index)
  if (!added.ok) return err(invalidArgument(added.error))
  const count = body.value.rows.length
  // Rows inserted above others move them: only an append is an edit of the rows written.
  target.wrote(added.value.index === t.value.rowCount ? (journal) => noteRowsAppended(journal, t.value.name, count) : undefined)
  const after = findTable(target.wb, t.value.name) ?? t.value
  const first = added.value.index
  return ok(json(status, { index: first, values: bodyRows(target.wb, after, first, body.value.rows.length) }))
}

/** api/range-get.md: `worksheets/{name}/range(address='A1:C3')`, reading only the cells of the address. */
/** api/range-update.md: 200 with the range as it now reads (every property). */
export function patchWorksheetRange(target: Target, sheet: string, address: string, request: GraphRequest, view: RangeRequest): Reply {
  const update = parseRangeUpdate(request.body)
  if (!update.ok) return err(invalidArgument(update.error))
  if (!worksheetBlock(target.wb, sheet, address)) return getWorksheetRange(target.wb, sheet, address, view)
  const done = updateWorksheetRange(target.wb, sheet, address, update.value.values, update.value.numberFormat)
  if (!done.ok) return err(invalidArgument(done.error))
  const box = parseBox(splitAddress(address).ref)
  const values = update.value.values
  // Number formats change cells' styles, which only a whole save writes.
  target.wrote(box && values && update.value.numberFormat === null ? (journal) => noteRangeUpdate(journal, target.wb, sheet, box, values) : undefined)
  return getWorksheetRange(target.wb, sheet, address, { ...view, select: null })
}

export function getWorksheetRange(wb: Workbook, sheet: string, address: string, view: RangeRequest): Reply {
  const block = worksheetBlock(wb, sheet, address)
  if (block) return rangeReply(block, view)
  const sheetExists = findWorksheet(wb, sheet) !== null
  return err(sheetExists ? invalidArgument(`"${address}" is not a range address this server reads.`) : itemNotFound(`The worksheet ${sheet}`))
}
