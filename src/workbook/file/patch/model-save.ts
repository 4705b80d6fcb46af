import type ExcelJS from 'exceljs'
import type { Box } from '../../a1.ts'
import { TABLE_NAMES, type TableName } from '../../contract.ts'
import { allTables, locateTable } from '../table-model.ts'
import { placeTable, type OpenedXlsx } from '../xlsx/read-tables.ts'
import { unmodeled } from '../xlsx/unmodeled.ts'
import { cellXml } from './cell-xml.ts'
import { patchedWrite, sheetOf, type PartChange, type PatchedWrite } from './patched-zip.ts'
import { appendEdits, readBack, rowEdit, spotOf, type Made } from './sheet-edits.ts'
import { spliced, type Edit } from './sheet-xml.ts'
import type { DeflateCache } from './segments.ts'

/**
 * The save of a workbook held in memory (the local server's) as an edit of the file it was
 * loaded from or last saved as: only the cells the writes since then changed are written, taken
 * from memory, and every other part is copied. Writes say what they changed through a
 * `ChangeJournal`; the sheets' deflated segments are kept from save to save (segments.ts). A change it cannot describe (a table made or renamed, rows deleted or
 * inserted, a range outside a table) marks the journal whole, and the workbook is then written
 * through exceljs as before. So is anything the edit cannot make exactly (unmodeled).
 */

/** What the writes since the last save changed, by table: data rows rewritten (their columns, by offset) and rows appended. */
export type ChangeJournal = {
  /** A change the journal cannot describe: the next save writes the whole workbook. */
  whole: boolean
  tables: Map<TableName, { updated: Map<number, Set<number>>; appended: number }>
}

export const emptyJournal = (): ChangeJournal => ({ whole: false, tables: new Map() })

function entry(journal: ChangeJournal, table: string): { updated: Map<number, Set<number>>; appended: number } | null {
  const name = TABLE_NAMES.find((n) => n.toLowerCase() === table.toLowerCase())
  if (name === undefined) {
    journal.whole = true
    return null
  }
  const found = journal.tables.get(name) ?? { updated: new Map(), appended: 0 }
  journal.tables.set(name, found)
  return found
}

/** Data row `index` of `table` had the cells at `columns` (offsets from its left) written. */
export function noteRowUpdate(journal: ChangeJournal, table: string, index: number, columns: readonly number[]): void {
  const found = entry(journal, table)
  if (!found) return
  const cells = found.updated.get(index) ?? new Set<number>()
  for (const column of columns) cells.add(column)
  found.updated.set(index, cells)
}

/**
 * Cells of a worksheet range were written (null: a cell left alone, as in api/range-update.md).
 * Within one table's data rows they are that table's rows; anywhere else the change is whole.
 */
export function noteRangeUpdate(journal: ChangeJournal, wb: ExcelJS.Workbook, sheet: string, box: Box, values: readonly (readonly unknown[])[]): void {
  const t = allTables(wb).find((table) => table.worksheet.name.toLowerCase() === sheet.toLowerCase() && table.box.left <= box.left && box.right <= table.box.right && table.firstBodyRow <= box.top && box.bottom <= table.lastBodyRow)
  if (!t) {
    journal.whole = true
    return
  }
  values.forEach((row, i) => {
    const columns = row.flatMap((value, j) => (value === null ? [] : [box.left + j - t.box.left]))
    if (columns.length > 0) noteRowUpdate(journal, t.model.name, box.top + i - t.firstBodyRow, columns)
  })
}

/** `count` rows were appended at the end of `table`. */
export function noteRowsAppended(journal: ChangeJournal, table: string, count: number): void {
  const found = entry(journal, table)
  if (found) found.appended += count
}

/**
 * The server saves after every group of writes, and a save's time is a writer's wait: its
 * edited sheets are deflated fast rather than small (about a third larger). Excel deflates
 * the whole file again at its own next save.
 */
const SAVE_DEFLATE_LEVEL = 1

/** A cell as memory holds it, written with the file's style `styleId`, which must give it the number format memory gives it. */
function cellFromMemory(opened: OpenedXlsx, worksheet: ExcelJS.Worksheet, row: number, column: number, address: string, styleId: number): Made {
  const cell = worksheet.findRow(row)?.findCell(column)
  const fileFormat = opened.styles.format(styleId).numFmt
  const memoryFormat = cell !== undefined && typeof cell.numFmt === 'string' && cell.numFmt !== '' ? cell.numFmt : undefined
  if ((memoryFormat ?? 'General') !== (fileFormat ?? 'General')) unmodeled('a cell whose number format changed')
  const value: unknown = cell?.value ?? null
  if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean' && !(value instanceof Date)) unmodeled('a formula, rich text or link in a written cell')
  const typed = { value: value as ExcelJS.CellValue }
  return { xml: cellXml(address, styleId, typed, opened.book.date1904), expected: readBack(typed, fileFormat) }
}

/**
 * The file `original` (read as `opened`) with the journal's changes taken from `wb`. Memory must
 * hold what the file holds plus exactly the journal's changes: the group committer keeps it so
 * (a failed write reloads the file and clears the journal).
 */
export function saveFromMemory(opened: OpenedXlsx, original: Buffer, wb: ExcelJS.Workbook, journal: ChangeJournal, cache: DeflateCache): PatchedWrite {
  if (journal.whole) unmodeled('a change the journal cannot describe')
  const changed = new Map<string, PartChange>()
  const boxes = new Map<TableName, Box>()
  for (const [table, { updated, appended }] of journal.tables) {
    const place = placeTable(opened, table) ?? unmodeled(`no ${table} table in the file`)
    const memory = locateTable(wb, table) ?? unmodeled(`no ${table} table in memory`)
    const { box } = place
    const same = memory.box.top === box.top && memory.box.left === box.left && memory.box.right === box.right && memory.box.bottom === box.bottom + appended
    if (!same || memory.hasTotals || !memory.hasHeader || memory.worksheet.name.toLowerCase() !== place.sheet.name.toLowerCase()) unmodeled('a table that moved in memory')
    if (changed.has(place.sheet.part)) unmodeled('two written tables on one sheet')
    const spot = spotOf(place, memory.firstBodyRow)
    const edits: Edit[] = []
    const expected = new Map<number, { cells: ReturnType<typeof rowEdit>['expected'] }>()
    for (const [index, columns] of updated) {
      const r = memory.firstBodyRow + index
      // A row appended in this same save is written whole below.
      if (r > box.bottom) continue
      const made = rowEdit(spot, r, columns, (j, address, styleId) => cellFromMemory(opened, memory.worksheet, r, box.left + j, address, styleId))
      edits.push(made.sheet)
      // Cells left alone were copied as bytes: only the written ones are read back.
      expected.set(r, { cells: made.expected })
    }
    if (appended > 0) {
      const made = appendEdits(opened, spot, appended, (i, j, address, styleId) => cellFromMemory(opened, memory.worksheet, box.bottom + 1 + i, box.left + j, address, styleId))
      edits.push(...made.sheet)
      made.expected.forEach((cells, i) => expected.set(box.bottom + 1 + i, { cells }))
      changed.set(made.table.part, { bytes: made.table.bytes, xml: made.table.xml, rows: [] })
    }
    changed.set(place.sheet.part, { ...spliced(place.xml, edits), sheet: sheetOf(place), expected })
    boxes.set(table, memory.box)
  }
  return patchedWrite(opened, original, changed, boxes, SAVE_DEFLATE_LEVEL, cache)
}
