import { boxRef, parseBox, type Box } from '../../a1.ts'
import type { CellValue } from '../../raw.ts'
import { typeLikeExcel, type TypedCell } from '../type-like-excel.ts'
import type { OpenedXlsx, TablePlace } from '../xlsx/read-tables.ts'
import { unmodeled } from '../xlsx/unmodeled.ts'
import type { Xml } from '../xlsx/xml-text.ts'
import { cellXml } from './cell-xml.ts'
import { cellAddress, covers, dimensionEdit, grownBoxes, listCells, listRows, listValidations, newRow, rowWithCells, spliced, sqrefOf, type Edit, type RowTag } from './sheet-xml.ts'

/**
 * The edits of a table write, made on a sheet's part as tables.ts makes them on exceljs's
 * model: rows appended below a table and cells of a row rewritten, each new cell styled and
 * validated as tables.ts would leave it, and the table part's new range. Cells come from the
 * caller (typed from a request, or taken from a workbook in memory); anything these edits cannot
 * make exactly is unmodeled, and the caller writes the workbook through exceljs.
 */

/** A cell as a read will give it back. */
export type Expected = { value: CellValue; numberFormat: string }
/** A cell's `<c>` (latin1; '' for none) and what a read of it will give. */
export type Made = { xml: string; expected: Expected }
/** A table's place with its first data row and the rows of its sheet. */
export type Spot = { place: TablePlace; firstBody: number; rows: RowTag[] }

const DAY_MS = 86_400_000

export function readBack(typed: TypedCell, numFmt: string | undefined): Expected {
  const value: unknown = typed.value
  const read: CellValue = value === null || value === undefined ? '' : value instanceof Date ? 25_569 + value.getTime() / DAY_MS : (value as CellValue)
  return { value: read, numberFormat: read === '' ? 'General' : (numFmt ?? 'General') }
}

function styleIdOf(attribute: string | undefined): number {
  const id = attribute === undefined ? 0 : parseInt(attribute, 10)
  return Number.isFinite(id) && id > 0 ? id : 0
}

/** Whether a `<col>` gives column `column` a style (exceljs gives it to every new cell there). */
function columnStyled(text: string, rowsFrom: number, column: number): boolean {
  const cols = text.lastIndexOf('<cols', rowsFrom)
  if (cols < 0) return false
  const close = text.indexOf('</cols>', cols)
  for (const m of text.slice(cols, close < 0 ? rowsFrom : close).matchAll(/<col\s([^>]*)>/g)) {
    const attributes = m[1] ?? ''
    const min = Number(/\bmin="(\d+)"/.exec(attributes)?.[1] ?? 0)
    const max = Number(/\bmax="(\d+)"/.exec(attributes)?.[1] ?? 0)
    if (min <= column && column <= max && styleIdOf(/\bstyle="(\d+)"/.exec(attributes)?.[1]) > 0) return true
  }
  return false
}

const rowStyled = (row: RowTag | undefined): boolean => row !== undefined && styleIdOf(/(?:^|\s)s="(\d+)"/.exec(row.attributes)?.[1]) > 0

/** An empty cell of format `styleId` ('' when it has none: exceljs writes no element for it). */
export function emptyCell(address: string, styleId: number): Made {
  return { xml: cellXml(address, styleId, { value: null }, false), expected: readBack({ value: null }, undefined) }
}

/** A value typed into a cell of format `styleId`, refused when the typing would change the cell's number format. */
export function typedInto(opened: OpenedXlsx, address: string, styleId: number, value: CellValue): Made {
  const numFmt = opened.styles.format(styleId).numFmt
  const typed = typeLikeExcel(value, numFmt)
  if (typed.numFmt !== undefined && typed.numFmt !== numFmt) unmodeled('a value that needs another number format')
  return { xml: cellXml(address, styleId, typed, opened.book.date1904), expected: readBack(typed, numFmt) }
}

export function spotOf(place: TablePlace, firstBody: number): Spot {
  if (place.def.totalsRow) unmodeled('a table with a totals row')
  // A self-closing <sheetData/> has no inside to put rows in.
  if (place.structure.rowsFrom === place.structure.rowsTo && place.xml.text.charCodeAt(place.structure.rowsFrom - 2) === 0x2f) unmodeled('a sheet without rows')
  const { text } = place.xml
  return { place, firstBody, rows: listRows(text, place.structure.rowsFrom, place.structure.rowsTo) }
}

export function tablePartEdit(opened: OpenedXlsx, place: TablePlace, box: Box): { part: string; bytes: Buffer; xml: Xml } {
  const part = place.def.part
  const xml = part === undefined ? null : opened.parts.xml(part)
  if (part === undefined || xml === null) return unmodeled('a table part that vanished')
  const text = xml.text
  if (text.includes('<sortState')) unmodeled('a table with a sort state')
  const old = boxRef(place.box)
  const edits: Edit[] = []
  for (const tag of ['<table ', '<autoFilter ']) {
    const open = text.indexOf(tag)
    if (open < 0) {
      // exceljs gives a table with a header row a filter when it has none (table-model.ts): left to it.
      unmodeled(`a table part without ${tag.trim()}`)
    }
    const m = /\sref="([^"]*)"/.exec(text.slice(open, text.indexOf('>', open)))
    if (!m || m.index === undefined || m[1] !== old) unmodeled(`a ${tag.trim()} ref other than the table's`)
    const at = open + m.index + m[0].indexOf('"') + 1
    edits.push({ at, end: at + old.length, with: boxRef(box) })
  }
  const made = spliced(xml, edits)
  return { part, bytes: made.bytes, xml: made.xml }
}

/**
 * The edits that append `count` rows below the table, as tables.ts `addTableRows` makes them
 * (each new cell styled as the last row's, with its validations), and what a read will give
 * for each new cell; `cellAt` makes new row `i`'s cell `j`.
 */
export function appendEdits(opened: OpenedXlsx, spot: Spot, count: number, cellAt: (i: number, j: number, address: string, styleId: number) => Made): { sheet: Edit[]; table: { part: string; bytes: Buffer; xml: Xml }; expected: Expected[][] } {
  const { place } = spot
  const { box, structure, sheet } = place
  const text = place.xml.text
  const width = box.right - box.left + 1
  const firstNew = box.bottom + 1
  const lastNew = box.bottom + count
  const band: Box = { top: firstNew, bottom: lastNew, left: box.left, right: box.right }
  const overlaps = (other: Box) => other.left <= band.right && band.left <= other.right && other.top <= band.bottom && band.top <= other.bottom
  if (structure.merges.some(overlaps)) unmodeled('merged cells below the table')
  for (const def of sheet.tables.values()) {
    const other = def.ref === undefined ? null : parseBox(def.ref)
    if (def !== place.def && other !== null && overlaps(other)) unmodeled('a table below the table')
  }
  const byNumber = new Map(spot.rows.map((row) => [row.r, row]))
  for (let r = firstNew; r <= lastNew; r += 1) {
    if (byNumber.get(r)?.selfClosing === false) unmodeled('cells below the table')
    for (let column = box.left; column <= box.right; column += 1) if (structure.hyperlinks.has(cellAddress(r, column))) unmodeled('a link on a cell below the table')
  }
  // Validations Excel keeps in the sheet's extensions (lists from another sheet): exceljs drops them, so the two would differ.
  if (text.includes('<x14:dataValidation')) unmodeled('validations in the sheet extensions')

  // New cells look like the last row's (tables.ts copies its cells), or like their column when the table has no rows.
  const styleRow = spot.firstBody <= box.bottom ? box.bottom : null
  const styleCells = styleRow === null ? [] : listCells(text, byNumber.get(styleRow) ?? { r: styleRow, start: 0, openEnd: 0, end: 0, selfClosing: true, attributes: '' })
  const styles: number[] = []
  for (let column = box.left; column <= box.right; column += 1) {
    const cell = styleCells.find((c) => c.column === column)
    if (cell) styles.push(styleIdOf(cell.attributes.get('s')))
    else if ((styleRow !== null && rowStyled(byNumber.get(styleRow))) || columnStyled(text, structure.rowsFrom, column)) unmodeled('a new cell that takes its row or column style')
    // Without a row to copy, a new cell takes the style of the row it lands in (exceljs's getCell).
    else if (styleRow === null && [...byNumber.values()].some((row) => row.r >= firstNew && row.r <= lastNew && rowStyled(row))) unmodeled('a new cell that takes its row style')
    else styles.push(0)
  }

  const edits: Edit[] = []
  const expected: Expected[][] = []
  for (let i = 0; i < count; i += 1) {
    const r = firstNew + i
    const cells = new Map<number, string>()
    const read: Expected[] = []
    for (let j = 0; j < width; j += 1) {
      const made = cellAt(i, j, cellAddress(r, box.left + j), styles[j] ?? 0)
      if (made.xml !== '') cells.set(box.left + j, made.xml)
      read.push(made.expected)
    }
    expected.push(read)
    const existing = byNumber.get(r)
    if (existing) edits.push({ at: existing.start, end: existing.end, with: rowWithCells(text, existing, cells), row: r })
    else {
      const next = spot.rows.find((row) => row.r > r)
      const at = next?.start ?? structure.rowsTo
      edits.push({ at, end: at, with: newRow(r, cells), row: r })
    }
  }

  if (styleRow !== null) {
    const columns = Array.from({ length: width }, (_, j) => box.left + j)
    for (const validation of listValidations(text)) {
      const copied = columns.filter((column) => validation.boxes.some((b) => covers(b, styleRow, column)))
      const strays = columns.some((column) => !copied.includes(column) && validation.boxes.some((b) => b.top <= lastNew && b.bottom >= firstNew && b.left <= column && column <= b.right))
      if (strays) unmodeled('a validation on new cells that the row above lacks')
      if (copied.length > 0) edits.push({ at: validation.at, end: validation.end, with: sqrefOf(grownBoxes(validation.boxes, copied, firstNew, lastNew)) })
    }
  }
  const dimension = dimensionEdit(text, structure.rowsFrom, band)
  if (dimension) edits.push(dimension)
  return { sheet: edits, table: tablePartEdit(opened, place, { ...box, bottom: lastNew }), expected }
}

/**
 * The edit that rewrites cells `columns` (offsets from the table's left) of sheet row `r`, as
 * tables.ts `updateTableRow` does (each keeps its style), and what a read will give, null for a
 * cell left alone; `cellAt` makes the cell at offset `j`.
 */
export function rowEdit(spot: Spot, r: number, columns: ReadonlySet<number>, cellAt: (j: number, address: string, styleId: number) => Made): { sheet: Edit; expected: (Expected | null)[] } {
  const { place } = spot
  const { box, structure } = place
  const text = place.xml.text
  if (!(r >= spot.firstBody && r <= box.bottom)) unmodeled('a row outside the table')
  const row = spot.rows.find((tag) => tag.r === r)
  const existing = row ? listCells(text, row) : []
  const cells = new Map<number, string>()
  const expected = Array.from({ length: box.right - box.left + 1 }, (_, j): Expected | null => {
    if (!columns.has(j)) return null
    const column = box.left + j
    const address = cellAddress(r, column)
    const cell = existing.find((c) => c.column === column)
    let styleId = 0
    if (cell) {
      if ([...cell.attributes.keys()].some((name) => name !== 'r' && name !== 's' && name !== 't') || cell.body.includes('<f') || structure.hyperlinks.has(address)) {
        unmodeled('a cell holding more than a value')
      }
      styleId = styleIdOf(cell.attributes.get('s'))
    } else if (rowStyled(row) || columnStyled(text, structure.rowsFrom, column) || structure.hyperlinks.has(address)) {
      unmodeled('a new cell that takes its row or column style')
    }
    const made = cellAt(j, address, styleId)
    // An emptied cell without a style leaves the row: exceljs writes no element for it.
    cells.set(column, made.xml)
    return made.expected
  })
  if (row) return { sheet: { at: row.start, end: row.end, with: rowWithCells(text, row, cells), row: r }, expected }
  const at = spot.rows.find((tag) => tag.r > r)?.start ?? structure.rowsTo
  return { sheet: { at, end: at, with: newRow(r, new Map([...cells].filter(([, xml]) => xml !== ''))), row: r }, expected }
}

