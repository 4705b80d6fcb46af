import type ExcelJS from 'exceljs'
import { boxRef, parseBox, type Box } from '../a1.ts'

/**
 * exceljs's own table API (`addRow`, `commit`) rewrites every cell of the table from its
 * in-memory `rows`, which a loaded workbook does not have, so it would wipe the data. We
 * therefore edit cells directly and keep only the table's XML model in step: `tableRef` and
 * `autoFilterRef` are what exceljs writes back to xl/tables/tableN.xml.
 */
export type TableModel = {
  name: string
  displayName?: string
  /** Whole table, header and totals included, e.g. `B3:F20`. */
  tableRef?: string
  /** Top-left cell; only on tables made with `addTable` in this process. */
  ref?: string
  autoFilterRef?: string
  headerRow?: boolean
  totalsRow?: boolean
  /** exceljs's `tableStyleInfo`: the style's name and its options. */
  style?: { theme?: string; showFirstColumn?: boolean; showLastColumn?: boolean; showRowStripes?: boolean; showColumnStripes?: boolean }
  columns: { name: string }[]
}

/** A table with where it sits: `headerRow` is the header's sheet row, body rows follow it. */
export type LocatedTable = {
  model: TableModel
  worksheet: ExcelJS.Worksheet
  /** 1-based position among all tables, in the order exceljs writes them (its table ids). */
  ordinal: number
  box: Box
  hasHeader: boolean
  hasTotals: boolean
  /** First and last body rows (last < first when the table has no body rows). */
  firstBodyRow: number
  lastBodyRow: number
}

function isTableModel(value: unknown): value is TableModel {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v['name'] === 'string' && Array.isArray(v['columns'])
}

function modelsOf(worksheet: ExcelJS.Worksheet): TableModel[] {
  // exceljs keeps tables in a name-keyed object; its typings describe something else.
  const tables = (worksheet as unknown as { tables?: Record<string, { table?: unknown }> }).tables ?? {}
  return Object.values(tables)
    .map((t) => t.table)
    .filter(isTableModel)
}

function sameText(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase()
}

/**
 * exceljs reads a missing `headerRowCount` attribute (Excel's default: one header row) as
 * "no header", and would then write `headerRowCount="0"`. We decide from the sheet instead:
 * a header row holds the column names.
 */
function detectHeader(worksheet: ExcelJS.Worksheet, model: TableModel, box: Box): boolean {
  if (model.headerRow === true) return true
  const row = worksheet.getRow(box.top)
  const matches = model.columns.every((c, i) => sameText(row.getCell(box.left + i).value, c.name))
  if (matches) model.headerRow = true
  return matches
}

function locate(worksheet: ExcelJS.Worksheet, model: TableModel, ordinal: number): LocatedTable | null {
  let box = model.tableRef ? parseBox(model.tableRef) : null
  if (!box && model.ref) {
    const tl = parseBox(model.ref)
    if (tl) box = { ...tl, right: tl.left + model.columns.length - 1 }
  }
  if (!box) return null
  const hasHeader = detectHeader(worksheet, model, box)
  const hasTotals = model.totalsRow === true
  // exceljs writes <autoFilter> for every table, without a ref when the file had none: Excel then repairs the file.
  if (hasHeader && !model.autoFilterRef) model.autoFilterRef = boxRef({ ...box, bottom: box.bottom - (hasTotals ? 1 : 0) })
  return {
    model,
    worksheet,
    ordinal,
    box,
    hasHeader,
    hasTotals,
    firstBodyRow: box.top + (hasHeader ? 1 : 0),
    lastBodyRow: box.bottom - (hasTotals ? 1 : 0),
  }
}

export function allTables(wb: ExcelJS.Workbook): LocatedTable[] {
  const found: LocatedTable[] = []
  let ordinal = 0
  for (const worksheet of wb.worksheets) {
    for (const model of modelsOf(worksheet)) {
      ordinal += 1
      const located = locate(worksheet, model, ordinal)
      if (located) found.push(located)
    }
  }
  return found
}

/** Table names are case-insensitive in Excel; the id is accepted too, as Graph paths take `{id|name}`. */
export function locateTable(wb: ExcelJS.Workbook, nameOrId: string): LocatedTable | null {
  const wanted = nameOrId.trim().toLowerCase()
  const tables = allTables(wb)
  return tables.find((t) => t.model.name.toLowerCase() === wanted) ?? tables.find((t) => String(t.ordinal) === wanted) ?? null
}

/** Moves the table's bottom edge; the header and columns stay where they are. */
export function setBottom(table: LocatedTable, bottom: number): void {
  const box = { ...table.box, bottom }
  table.model.tableRef = boxRef(box)
  const filterBottom = bottom - (table.hasTotals ? 1 : 0)
  // The filter covers header and body; Excel wants it present on tables with a header row.
  if (table.hasHeader) table.model.autoFilterRef = boxRef({ ...box, bottom: filterBottom })
}
