import { crc32, deflateRawSync } from 'node:zlib'
import { boxRef, parseBox, type Box } from '../../a1.ts'
import { findColumn, type TableName } from '../../contract.ts'
import type { CellValue, RawTable } from '../../raw.ts'
import type { ChangeLogSnapshot } from '../../write-plan.ts'
import { writeZip, type ZipEntry } from '../../../ooxml/zip-writer.ts'
import { typeLikeExcel, type TypedCell } from '../type-like-excel.ts'
import { partData, zipParts } from '../zip-size.ts'
import { bodyRowsOf, cellContext, openXlsx, placeTable, readPlacedTable, type OpenedXlsx, type TablePlace } from '../xlsx/read-tables.ts'
import { emptyGrid, scanRows } from '../xlsx/sheet-rows.ts'
import { readBook } from '../xlsx/book.ts'
import { xlsxParts } from '../xlsx/zip-entries.ts'
import { unmodeled } from '../xlsx/unmodeled.ts'
import { cellXml } from './cell-xml.ts'
import { cellAddress, covers, dimensionEdit, grownBoxes, listCells, listRows, listValidations, newRow, rowWithCells, spliced, sqrefOf, type Edit, type RowTag, type WrittenRow } from './sheet-xml.ts'

/**
 * A table write (a row changed, rows appended, ChangeLog rows appended) made by editing the
 * workbook's parts in place: the table's sheet and the log's sheet get their new rows, the two
 * table parts their new ranges, and every other part is copied into the new zip byte for byte.
 * Only the target table is read; the ChangeLog is appended, never parsed: its header row gives
 * the columns, and a text search of its sheet and of the shared strings shows the write's
 * ChangeId is not there. A write this cannot make exactly as tables.ts makes it through exceljs
 * (cells below the table, a totals row, a value needing a new number format, a ChangeId that
 * may be logged…) is unmodeled (xlsx/unmodeled.ts), and the caller makes it through exceljs.
 */

export type TableEdit =
  | { kind: 'update'; index: number; values: readonly (CellValue | null)[] }
  | { kind: 'append'; rows: readonly (readonly (CellValue | null)[])[] }
  | { kind: 'none' }

export type PatchedWrite = {
  bytes: Buffer
  /** What a read of the written file shows that differs from what was meant, or null: the save's read-back. */
  differences(written: Buffer): string | null
}

export type WritePatcher = {
  /** The target table as every other read gives it. */
  target: RawTable
  /** The log's headers, and no ChangeIds: the write's own is known not to be logged. */
  log: ChangeLogSnapshot
  write(edit: TableEdit, logRows: readonly (readonly CellValue[])[]): PatchedWrite
  /** Archive names of the parts inflated to read it, each within its declared size (zip-size.ts need not inflate them again). */
  inflated: ReadonlySet<string>
}

/** A cell as a read will give it back. */
type Expected = { value: CellValue; numberFormat: string }
type Spot = { place: TablePlace; firstBody: number; rows: RowTag[] }

const DAY_MS = 86_400_000

function readBack(typed: TypedCell, numFmt: string | undefined): Expected {
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

/** A value typed into a cell of format `styleId`, refused when the typing would change the cell's number format. */
function typedInto(opened: OpenedXlsx, address: string, styleId: number, value: CellValue): { xml: string; expected: Expected } {
  const numFmt = opened.styles.format(styleId).numFmt
  const typed = typeLikeExcel(value, numFmt)
  if (typed.numFmt !== undefined && typed.numFmt !== numFmt) unmodeled('a value that needs another number format')
  return { xml: cellXml(address, styleId, typed, opened.book.date1904), expected: readBack(typed, numFmt) }
}

function spotOf(opened: OpenedXlsx, place: TablePlace, firstBody: number): Spot {
  if (place.def.totalsRow) unmodeled('a table with a totals row')
  const { text } = place.xml
  return { place, firstBody, rows: listRows(text, place.structure.rowsFrom, place.structure.rowsTo) }
}

/** The log's header row, read alone (tables.ts reads the same cells). */
function logHeaders(opened: OpenedXlsx, spot: Omit<Spot, 'firstBody'>): { headers: string[]; firstBody: number } {
  const { place } = spot
  const header = spot.rows.find((row) => row.r === place.box.top)
  if (header === undefined || place.xml.text.slice(header.start, header.end).includes('<f')) unmodeled('a ChangeLog header row without plain cells')
  const grid = emptyGrid({ ...place.box, bottom: place.box.top })
  scanRows(place.xml, header.start, header.end, [grid], cellContext(opened, place.structure))
  const { first } = bodyRowsOf(place.def, place.box, grid)
  if (first !== place.box.top + 1) unmodeled('a ChangeLog without a header row')
  return { headers: (grid.values[0] ?? grid.blankValues).map((h) => String(h)), firstBody: first }
}

/**
 * Whether the ChangeId may be in the log. A text search proves it is not only for an id spelled
 * the same in every form a cell may hold it (no entities, escapes or number forms), in a sheet
 * without rich-text runs that could split it.
 */
function mayBeLogged(opened: OpenedXlsx, log: TablePlace, changeId: string): boolean {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:{}-]*$/.test(changeId) || /^[\d.eE+-]+$/.test(changeId) || /^(true|false)$/i.test(changeId)) return true
  const text = log.xml.text
  if (text.includes(changeId) || text.includes('<r>') || text.includes('<r ') || text.includes('&#')) return true
  const strings = opened.sharedStrings
  if (strings !== null) for (let i = 0; i < strings.count; i += 1) if (strings.text(i)?.trim() === changeId) return true
  return false
}

function tablePartEdit(opened: OpenedXlsx, place: TablePlace, box: Box): { part: string; bytes: Buffer } {
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
      if (tag === '<table ') unmodeled('a table part without <table>')
      continue
    }
    const m = /\sref="([^"]*)"/.exec(text.slice(open, text.indexOf('>', open)))
    if (!m || m.index === undefined || m[1] !== old) unmodeled(`a ${tag.trim()} ref other than the table's`)
    const at = open + m.index + m[0].indexOf('"') + 1
    edits.push({ at, end: at + old.length, with: boxRef(box) })
  }
  return { part, bytes: spliced(xml.bytes, edits).bytes }
}

/** The edits that append `rows` below the table, as tables.ts `addTableRows` makes them, and what a read will give for each new cell. */
function appendEdits(opened: OpenedXlsx, spot: Spot, rows: readonly (readonly (CellValue | null)[])[]): { sheet: Edit[]; table: { part: string; bytes: Buffer }; expected: Expected[][] } {
  const { place } = spot
  const { box, structure, sheet } = place
  const text = place.xml.text
  const width = box.right - box.left + 1
  if (rows.some((row) => row.length !== width)) unmodeled('a row of another width')
  const firstNew = box.bottom + 1
  const lastNew = box.bottom + rows.length
  const band: Box = { top: firstNew, bottom: lastNew, left: box.left, right: box.right }
  const overlaps = (other: Box) => other.left <= band.right && band.left <= other.right && other.top <= band.bottom && band.top <= other.bottom
  if (structure.merges.some(overlaps)) unmodeled('merged cells below the table')
  for (const def of sheet.tables.values()) {
    const other = def.ref === undefined ? null : parseBox(def.ref)
    if (def !== place.def && other !== null && overlaps(other)) unmodeled('a table below the table')
  }
  const byNumber = new Map(spot.rows.map((row) => [row.r, row]))
  for (let r = firstNew; r <= lastNew; r += 1) if (byNumber.get(r)?.selfClosing === false) unmodeled('cells below the table')

  // New cells look like the last row's (tables.ts copies its cells), or like their column when the table has no rows.
  const styleRow = spot.firstBody <= box.bottom ? box.bottom : null
  const styleCells = styleRow === null ? [] : listCells(text, byNumber.get(styleRow) ?? { r: styleRow, start: 0, openEnd: 0, end: 0, selfClosing: true, attributes: '' })
  const styles: number[] = []
  for (let column = box.left; column <= box.right; column += 1) {
    const cell = styleCells.find((c) => c.column === column)
    if (cell) styles.push(styleIdOf(cell.attributes.get('s')))
    else if ((styleRow !== null && rowStyled(byNumber.get(styleRow))) || columnStyled(text, structure.rowsFrom, column)) unmodeled('a new cell that takes its row or column style')
    else styles.push(0)
  }

  const edits: Edit[] = []
  const expected: Expected[][] = []
  rows.forEach((values, i) => {
    const r = firstNew + i
    const cells = new Map<number, string>()
    const read: Expected[] = []
    values.forEach((value, j) => {
      const column = box.left + j
      const styleId = styles[j] ?? 0
      const typed = value === null ? { xml: cellXml(cellAddress(r, column), styleId, { value: null }, false), expected: readBack({ value: null }, undefined) } : typedInto(opened, cellAddress(r, column), styleId, value)
      if (typed.xml !== '') cells.set(column, typed.xml)
      read.push(typed.expected)
    })
    expected.push(read)
    const existing = byNumber.get(r)
    if (existing) edits.push({ at: existing.start, end: existing.end, with: rowWithCells(text, existing, cells), row: r })
    else {
      const next = spot.rows.find((row) => row.r > r)
      const at = next?.start ?? structure.rowsTo
      edits.push({ at, end: at, with: newRow(r, cells), row: r })
    }
  })

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

/** The edit that writes `values` (null: leave the cell) into a data row, as tables.ts `updateTableRow` does, and what a read will give. */
function updateEdit(opened: OpenedXlsx, spot: Spot, index: number, values: readonly (CellValue | null)[]): { sheet: Edit; expected: (Expected | null)[] } {
  const { place } = spot
  const { box, structure } = place
  const text = place.xml.text
  if (values.length !== box.right - box.left + 1) unmodeled('a row of another width')
  const r = spot.firstBody + index
  if (!(r >= spot.firstBody && r <= box.bottom)) unmodeled('a row outside the table')
  const row = spot.rows.find((tag) => tag.r === r)
  const existing = row ? listCells(text, row) : []
  const cells = new Map<number, string>()
  const expected = values.map((value, j): Expected | null => {
    if (value === null) return null
    const column = box.left + j
    const address = cellAddress(r, column)
    const cell = existing.find((c) => c.column === column)
    let styleId = 0
    if (cell) {
      if ([...cell.attributes.keys()].some((name) => name !== 'r' && name !== 's' && name !== 't') || cell.body.includes('<f') || structure.hyperlinks.has(address)) {
        unmodeled('a cell holding more than a value')
      }
      styleId = styleIdOf(cell.attributes.get('s'))
    } else if (rowStyled(row) || columnStyled(text, structure.rowsFrom, column)) {
      unmodeled('a new cell that takes its row or column style')
    }
    const typed = typedInto(opened, address, styleId, value)
    // An emptied cell without a style leaves the row: exceljs writes no element for it.
    cells.set(column, typed.xml)
    return typed.expected
  })
  if (row) return { sheet: { at: row.start, end: row.end, with: rowWithCells(text, row, cells), row: r }, expected }
  const at = spot.rows.find((tag) => tag.r > r)?.start ?? structure.rowsTo
  return { sheet: { at, end: at, with: newRow(r, new Map([...cells].filter(([, xml]) => xml !== ''))), row: r }, expected }
}

/** The zip again with `changed` parts (name → bytes) deflated anew and every other part copied as it is. */
function rezip(buf: Buffer, changed: ReadonlyMap<string, Buffer>): Buffer {
  const listed = zipParts(buf)
  if (!listed.ok) unmodeled(listed.error)
  const used = new Set<string>()
  const entries = listed.value.map((part): ZipEntry => {
    const name = part.name.startsWith('/') ? part.name.slice(1) : part.name
    const data = changed.get(name)
    if (data !== undefined) {
      used.add(name)
      return { name: part.name, method: 8, crc: crc32(data), size: data.length, data: deflateRawSync(data) }
    }
    const stored = partData(buf, part)
    if (stored === null || (part.method !== 0 && part.method !== 8)) unmodeled(`part ${part.name} cannot be copied`)
    return { name: part.name, method: part.method, crc: part.crc, size: part.size, data: stored }
  })
  if (used.size !== changed.size) unmodeled('a changed part missing from the zip')
  const zip = writeZip(entries)
  return Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength)
}

function sameValue(a: CellValue | undefined, b: CellValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))
  return a === b
}

/** A part as edited, with what each row written whole must read as (null: a cell left as it was, whose old value is in `before`). */
type PartChange = { bytes: Buffer; rows: WrittenRow[]; place?: TablePlace; expected?: ReadonlyMap<number, { cells: readonly (Expected | null)[]; before: readonly CellValue[] }> }

/** The first written cell of a changed sheet that reads otherwise than meant, as a sentence; null when all read as meant. */
function rowDifference(again: OpenedXlsx, place: TablePlace, change: PartChange): string | null {
  const { box } = place
  for (const row of change.rows) {
    const want = change.expected?.get(row.r)
    if (!want) continue
    const grid = emptyGrid({ ...box, top: row.r, bottom: row.r })
    scanRows(place.xml, row.start, row.end, [grid], cellContext(again, place.structure))
    const values = grid.values[0] ?? grid.blankValues
    const formats = grid.formats[0] ?? grid.blankFormats
    for (let c = 0; c < want.cells.length; c += 1) {
      const cell = want.cells[c]
      const address = `${place.sheet.name}!${cellAddress(row.r, box.left + c)}`
      if (cell === null || cell === undefined) {
        if (!sameValue(values[c], want.before[c] ?? '')) return `${address} changed where nothing was written`
      } else if (!sameValue(values[c], cell.value) || formats[c] !== cell.numberFormat) {
        return `${address} reads ${JSON.stringify(values[c])} (${formats[c]}) where ${JSON.stringify(cell.value)} (${cell.numberFormat}) was written`
      }
    }
  }
  return null
}

/**
 * What a read of the written copy shows that differs from what was meant, or null. Every part
 * not edited must be the very bytes it was; every edited one must inflate to exactly the bytes
 * made; both tables must span their new ranges; and each row written must read cell by cell as
 * meant. Nothing else is parsed: the ChangeLog's old rows are bytes copied, not read again.
 */
function writtenDifference(opened: OpenedXlsx, original: Buffer, written: Buffer, changed: ReadonlyMap<string, PartChange>, boxes: ReadonlyMap<TableName, Box>): string | null {
  const before = zipParts(original)
  const after = zipParts(written)
  if (!before.ok || !after.ok) return 'the new copy is not a zip'
  const old = new Map(before.value.map((part) => [part.name, part]))
  for (const part of after.value) {
    if (changed.has(part.name.replace(/^\//, ''))) continue
    const was = old.get(part.name)
    const data = partData(written, part)
    if (!was || part.crc !== was.crc || data === null || !data.equals(partData(original, was) ?? Buffer.alloc(0))) return `part ${part.name} is not the part it was`
  }
  let again: OpenedXlsx
  try {
    // Styles and shared strings are the very bytes they were (checked above): what was read of them holds.
    const parts = xlsxParts(written)
    again = { ...opened, parts, book: readBook(parts, opened.styles) }
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
  const checked = new Set<string>()
  for (const [table, box] of boxes) {
    const place = placeTable(again, table)
    if (place === null) return `the ${table} table is gone`
    if (boxRef(place.box) !== boxRef(box)) return `the ${table} table spans ${boxRef(place.box)} where ${boxRef(box)} was meant`
    const change = changed.get(place.sheet.part)
    if (!change) continue
    if (!place.xml.bytes.equals(change.bytes)) return `part ${place.sheet.part} does not read back as written`
    checked.add(place.sheet.part)
    const differs = rowDifference(again, place, change)
    if (differs !== null) return differs
  }
  for (const [part, change] of changed) {
    if (!checked.has(part) && !again.parts.xml(part)?.bytes.equals(change.bytes)) return `part ${part} does not read back as written`
  }
  return null
}

export function openPatcher(buf: Buffer, table: TableName, changeId: string): WritePatcher {
  const opened = openXlsx(buf)
  const targetPlace = placeTable(opened, table) ?? unmodeled(`no ${table} table`)
  const logPlace = placeTable(opened, 'ChangeLog') ?? unmodeled('no ChangeLog table')
  if (table === 'ChangeLog' || targetPlace.sheet === logPlace.sheet) unmodeled('the table and the log on one sheet')
  const target = readPlacedTable(opened, targetPlace)
  const targetSpot = spotOf(opened, targetPlace, targetPlace.box.bottom - target.rows.length + 1)
  const logRowTags = listRows(logPlace.xml.text, logPlace.structure.rowsFrom, logPlace.structure.rowsTo)
  const { headers, firstBody } = logHeaders(opened, { place: logPlace, rows: logRowTags })
  const logSpot = spotOf(opened, logPlace, firstBody)
  if (mayBeLogged(opened, logPlace, changeId)) unmodeled('a ChangeId that may be logged already')
  const log: ChangeLogSnapshot = { headers, changeIds: findColumn(headers, 'ChangeId') < 0 ? null : [] }

  return {
    target,
    log,
    inflated: opened.parts.inflated,
    write(edit, logRows) {
      const changed = new Map<string, PartChange>()
      const boxes = new Map<TableName, Box>([[table, targetPlace.box], ['ChangeLog', logPlace.box]])
      const newRows = (first: number, expected: readonly (readonly Expected[])[]) => new Map(expected.map((cells, i) => [first + i, { cells, before: [] }]))
      if (edit.kind === 'update') {
        const made = updateEdit(opened, targetSpot, edit.index, edit.values)
        const r = targetSpot.firstBody + edit.index
        changed.set(targetPlace.sheet.part, { ...spliced(targetPlace.xml.bytes, [made.sheet]), expected: new Map([[r, { cells: made.expected, before: target.rows[edit.index] ?? [] }]]) })
      } else if (edit.kind === 'append' && edit.rows.length > 0) {
        const made = appendEdits(opened, targetSpot, edit.rows)
        changed.set(targetPlace.sheet.part, { ...spliced(targetPlace.xml.bytes, made.sheet), expected: newRows(targetPlace.box.bottom + 1, made.expected) })
        changed.set(made.table.part, { bytes: made.table.bytes, rows: [] })
        boxes.set(table, { ...targetPlace.box, bottom: targetPlace.box.bottom + edit.rows.length })
      }
      if (logRows.length > 0) {
        const made = appendEdits(opened, logSpot, logRows)
        changed.set(logPlace.sheet.part, { ...spliced(logPlace.xml.bytes, made.sheet), expected: newRows(logPlace.box.bottom + 1, made.expected) })
        changed.set(made.table.part, { bytes: made.table.bytes, rows: [] })
        boxes.set('ChangeLog', { ...logPlace.box, bottom: logPlace.box.bottom + logRows.length })
      }
      const bytes = rezip(buf, new Map([...changed].map(([part, change]) => [part, change.bytes])))
      return { bytes, differences: (written) => writtenDifference(opened, buf, written, changed, boxes) }
    },
  }
}
