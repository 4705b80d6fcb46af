import { boxAddress, parseBox, parseRangeAddress, type Box } from '../../a1.ts'
import type { TableName } from '../../contract.ts'
import type { CellValue, RawTable, RawWorkbook } from '../../raw.ts'
import { readBook, type Book, type SheetDef } from './book.ts'
import type { CellContext } from './cell-value.ts'
import { readSharedStrings, type SharedStrings } from './shared-strings.ts'
import type { Xml } from './xml-text.ts'
import { mergesTouch, sheetStructure, type SheetStructure } from './sheet-structure.ts'
import { emptyGrid, scanRows, type Grid } from './sheet-rows.ts'
import { NO_STYLES, readStyles, type Styles } from './styles.ts'
import type { TableDef } from './table-part.ts'
import { xlsxParts, type XlsxParts } from './zip-entries.ts'
import { unmodeled } from './unmodeled.ts'

/**
 * The requested tables of an .xlsx, read from its parts: the workbook's own structure, styles
 * and shared strings, and only the worksheets that hold those tables. The result equals
 * raw-read.ts `readRawWorkbook` on the exceljs-loaded workbook; anything this reader does not
 * reproduce exactly throws `Unmodeled` (unmodeled.ts), and the caller reads with exceljs instead.
 */

/**
 * The most cells one table may span: 250,000 rows of 20 columns, far past any district's plan.
 * A range over whole columns or a whole sheet (valid in Excel) would otherwise be read cell by
 * cell, blank ones included, until memory ran out, by this reader and by exceljs alike.
 */
export const MAX_TABLE_CELLS = 5_000_000

/** A table whose range spans more than MAX_TABLE_CELLS: refused with its name, never read. */
export class TableTooLarge extends Error {
  constructor(
    readonly table: string,
    readonly address: string,
    readonly cells: number,
  ) {
    super(`table ${table} spans ${cells} cells`)
    this.name = 'TableTooLarge'
  }
}

type Located = { requested: TableName; def: TableDef; box: Box }

/** The first sheet, in exceljs's order, whose relationships name a table of this name with a usable range. */
function sheetOf(book: Book, wanted: string): SheetDef | null {
  for (const sheet of book.sheets) {
    for (const def of sheet.tables.values()) {
      if (def.name?.toLowerCase() === wanted && def.ref !== undefined && parseBox(def.ref) !== null) return sheet
    }
  }
  return null
}

/**
 * The sheet's tables as exceljs keys them (by name: a repeated name keeps its first place and
 * its last definition), and the first of them table-model.ts `locateTable` would pick.
 */
function locateIn(sheet: SheetDef, structure: SheetStructure, book: Book, requested: TableName): Located {
  const byName = new Map<string, TableDef>()
  for (const rId of structure.tableParts) {
    // exceljs fails to load a sheet whose table part it cannot follow.
    if (!sheet.relationships.has(rId)) unmodeled('a table part without its relationship')
    const def = book.tables.get(sheet.relationships.get(rId) ?? '')
    if (!def) unmodeled('a table part that is not a table')
    if (def.name === undefined) continue
    // A name that is an array index would change exceljs's key order.
    if (/^(0|[1-9]\d*)$/.test(def.name)) unmodeled('a table named by a number')
    byName.set(def.name, def)
  }
  const wanted = requested.trim().toLowerCase()
  for (const def of byName.values()) {
    const box = def.ref === undefined ? null : parseBox(def.ref)
    if (def.name?.toLowerCase() === wanted && box) return { requested, def, box }
  }
  // The relationships promised the table here; exceljs would look further.
  return unmodeled('a table named in relationships but not in the sheet')
}

function sameText(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase()
}

/** table-model.ts `detectHeader`: a header row unless declared is one whose plain-string cells spell the column names. */
function hasHeader(def: TableDef, grid: Grid): boolean {
  if (def.headerRow) return true
  const width = grid.box.right - grid.box.left + 1
  if (def.columns.length > width) unmodeled('more table columns than the range is wide')
  const top = grid.values[0]
  return def.columns.every((name, i) => {
    if (!grid.topPlain[i]) return false
    if (name === undefined) unmodeled('a table column without a name')
    return sameText(String(top?.[i] ?? ''), name)
  })
}

function rowsOf(grid: Grid, first: number, last: number): { values: CellValue[][]; formats: string[][] } {
  const values: CellValue[][] = []
  const formats: string[][] = []
  for (let row = first; row <= last; row += 1) {
    const r = row - grid.box.top
    values.push(grid.values[r] ?? grid.blankValues.slice())
    formats.push(grid.formats[r] ?? grid.blankFormats.slice())
  }
  return { values, formats }
}

function rawTable(sheet: SheetDef, located: Located, grid: Grid): RawTable {
  const { box, def } = located
  const { first: firstBody, last: lastBody } = bodyRowsOf(def, box, grid)
  const headerRow = rowsOf(grid, box.top, box.top).values[0] ?? []
  const body = rowsOf(grid, firstBody, lastBody)
  const origin = parseRangeAddress(boxAddress(sheet.name, { ...box, bottom: box.top }))
  return {
    name: located.requested,
    headers: headerRow.map((h) => String(h)),
    rows: body.values,
    numberFormats: body.formats,
    ...(origin ? { origin } : {}),
  }
}

/** A workbook's parts with what every table read needs: styles, sheets and their tables, shared strings. */
export type OpenedXlsx = { parts: XlsxParts; styles: Styles; book: Book; sharedStrings: SharedStrings | null }

export function openXlsx(buf: Buffer): OpenedXlsx {
  const parts = xlsxParts(buf)
  const stylesXml = parts.xml('xl/styles.xml')
  const styles = stylesXml === null ? NO_STYLES : readStyles(stylesXml)
  const book = readBook(parts, styles)
  // exceljs reads the shared strings whether or not a table needs them: a part it fails on fails the workbook.
  const sstXml = parts.xml('xl/sharedStrings.xml')
  const sharedStrings: SharedStrings | null = sstXml === null ? null : readSharedStrings(sstXml)
  return { parts, styles, book, sharedStrings }
}

/** Where a table is, found as exceljs finds it, with its sheet's part and structure; no row read yet. */
export type TablePlace = { requested: TableName; sheet: SheetDef; xml: Xml; structure: SheetStructure; def: TableDef; box: Box }

/** The table's place, or null when the workbook has no such table. */
export function placeTable(opened: OpenedXlsx, name: TableName): TablePlace | null {
  const sheet = sheetOf(opened.book, name.trim().toLowerCase())
  if (sheet === null) return null
  const xml = opened.parts.xml(sheet.part)
  if (xml === null) unmodeled('a worksheet part that vanished')
  const structure = sheetStructure(xml, sheet.relationships, opened.styles.checkStyleId)
  const located = locateIn(sheet, structure, opened.book, name)
  checkReadable(sheet, structure, located)
  return { requested: name, sheet, xml, structure, def: located.def, box: located.box }
}

function checkReadable(sheet: SheetDef, structure: SheetStructure, { box, requested }: Located): void {
  const cells = (box.bottom - box.top + 1) * (box.right - box.left + 1)
  if (cells > MAX_TABLE_CELLS) throw new TableTooLarge(requested, boxAddress(sheet.name, box), cells)
  if (mergesTouch(structure, box)) unmodeled('merged cells in a table')
}

export function cellContext(opened: OpenedXlsx, structure: SheetStructure): CellContext {
  return { styles: opened.styles, sharedStrings: opened.sharedStrings, date1904: opened.book.date1904, hyperlinks: structure.hyperlinks, sharedFormulas: new Map() }
}

/** The first body row and the last (before a totals row) of a table whose grid holds at least its top row. */
export function bodyRowsOf(def: TableDef, box: Box, grid: Grid): { first: number; last: number } {
  return { first: box.top + (hasHeader(def, grid) ? 1 : 0), last: box.bottom - (def.totalsRow ? 1 : 0) }
}

/** The table read whole, as `readRawTables` reads it. */
export function readPlacedTable(opened: OpenedXlsx, place: TablePlace): RawTable {
  const grid = emptyGrid(place.box)
  scanRows(place.xml, place.structure.rowsFrom, place.structure.rowsTo, [grid], cellContext(opened, place.structure))
  return rawTable(place.sheet, place, grid)
}

/** The tables, the workbook's sheet names in order, and the archive names of the parts inflated to read them (each within its declared size). */
export function readRawTables(buf: Buffer, tables: readonly TableName[]): { workbook: RawWorkbook; sheets: string[]; inflated: ReadonlySet<string> } {
  const opened = openXlsx(buf)
  const { parts, book } = opened

  const result: RawWorkbook = { tables: {}, missing: [] }
  const bySheet = new Map<SheetDef, TableName[]>()
  for (const name of new Set(tables)) {
    const sheet = sheetOf(book, name.trim().toLowerCase())
    if (sheet === null) result.missing.push(name)
    else bySheet.set(sheet, [...(bySheet.get(sheet) ?? []), name])
  }

  const found = new Map<TableName, RawTable>()
  for (const [sheet, names] of bySheet) {
    const xml = parts.xml(sheet.part)
    if (xml === null) unmodeled('a worksheet part that vanished')
    const structure = sheetStructure(xml, sheet.relationships, opened.styles.checkStyleId)
    const located = names.map((name) => locateIn(sheet, structure, book, name))
    for (const l of located) checkReadable(sheet, structure, l)
    const grids = located.map(({ box }) => emptyGrid(box))
    scanRows(xml, structure.rowsFrom, structure.rowsTo, grids, cellContext(opened, structure))
    located.forEach((l, i) => {
      const grid = grids[i]
      if (grid) found.set(l.requested, rawTable(sheet, l, grid))
    })
  }
  // In the order asked, as raw-read.ts fills them.
  for (const name of new Set(tables)) {
    const table = found.get(name)
    if (table) result.tables[name] = table
  }
  return { workbook: result, sheets: book.sheets.map((sheet) => sheet.name), inflated: parts.inflated }
}
