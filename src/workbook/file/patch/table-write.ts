import type { Box } from '../../a1.ts'
import { findColumn, type TableName } from '../../contract.ts'
import type { CellValue, RawTable } from '../../raw.ts'
import type { ChangeLogSnapshot } from '../../write-plan.ts'
import { bodyRowsOf, cellContext, openXlsx, placeTable, readPlacedTable, type OpenedXlsx, type TablePlace } from '../xlsx/read-tables.ts'
import { emptyGrid, scanRows } from '../xlsx/sheet-rows.ts'
import { unmodeled } from '../xlsx/unmodeled.ts'
import { patchedWrite, sheetOf, type PartChange, type PatchedWrite } from './patched-zip.ts'
import { appendEdits, emptyCell, rowEdit, spotOf, typedInto, type Expected, type Made, type Spot } from './sheet-edits.ts'
import { listRows, spliced } from './sheet-xml.ts'

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

export type { PatchedWrite }

export type WritePatcher = {
  /** The target table as every other read gives it. */
  target: RawTable
  /** The log's headers, and no ChangeIds: the write's own is known not to be logged. */
  log: ChangeLogSnapshot
  write(edit: TableEdit, logRows: readonly (readonly CellValue[])[]): PatchedWrite
  /** Archive names of the parts inflated to read it, each within its declared size (zip-size.ts need not inflate them again). */
  inflated: ReadonlySet<string>
}

/** Rows of values as new cells, typed as Excel types them; a null is an empty cell. */
function typedRows(opened: OpenedXlsx, rows: readonly (readonly (CellValue | null)[])[], width: number): (i: number, j: number, address: string, styleId: number) => Made {
  if (rows.some((row) => row.length !== width)) unmodeled('a row of another width')
  return (i, j, address, styleId) => {
    const value = rows[i]?.[j] ?? null
    return value === null ? emptyCell(address, styleId) : typedInto(opened, address, styleId, value)
  }
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
const SPLIT_TEXT = /<\/[tv]>\s*<[tv][\s>]/

function mayBeLogged(opened: OpenedXlsx, log: TablePlace, changeId: string): boolean {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:{}-]*$/.test(changeId) || /^[\d.eE+-]+$/.test(changeId) || /^(true|false)$/i.test(changeId)) return true
  const text = log.xml.text
  if (text.includes(changeId) || text.includes('<r>') || text.includes('<r ') || text.includes('&#')) return true
  // exceljs joins the text of every <t> and <v> of a cell, so an id may be split across them.
  if (SPLIT_TEXT.test(text)) return true
  const strings = opened.sharedStrings
  if (strings !== null) for (let i = 0; i < strings.count; i += 1) if (strings.text(i)?.trim() === changeId) return true
  return false
}

export function openPatcher(buf: Buffer, table: TableName, changeId: string): WritePatcher {
  const opened = openXlsx(buf)
  const targetPlace = placeTable(opened, table) ?? unmodeled(`no ${table} table`)
  const logPlace = placeTable(opened, 'ChangeLog') ?? unmodeled('no ChangeLog table')
  if (table === 'ChangeLog' || targetPlace.sheet === logPlace.sheet) unmodeled('the table and the log on one sheet')
  const target = readPlacedTable(opened, targetPlace)
  const targetSpot = spotOf(targetPlace, targetPlace.box.bottom - target.rows.length + 1)
  const logRowTags = listRows(logPlace.xml.text, logPlace.structure.rowsFrom, logPlace.structure.rowsTo)
  const { headers, firstBody } = logHeaders(opened, { place: logPlace, rows: logRowTags })
  const logSpot = spotOf(logPlace, firstBody)
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
        if (edit.values.length !== target.headers.length) unmodeled('a row of another width')
        const columns = new Set(edit.values.flatMap((v, j) => (v === null ? [] : [j])))
        const made = rowEdit(targetSpot, targetSpot.firstBody + edit.index, columns, (j, address, styleId) => typedInto(opened, address, styleId, edit.values[j] ?? ''))
        const r = targetSpot.firstBody + edit.index
        changed.set(targetPlace.sheet.part, { ...spliced(targetPlace.xml, [made.sheet]), sheet: sheetOf(targetPlace), expected: new Map([[r, { cells: made.expected, before: target.rows[edit.index] ?? [] }]]) })
      } else if (edit.kind === 'append' && edit.rows.length > 0) {
        const made = appendEdits(opened, targetSpot, edit.rows.length, typedRows(opened, edit.rows, target.headers.length))
        changed.set(targetPlace.sheet.part, { ...spliced(targetPlace.xml, made.sheet), sheet: sheetOf(targetPlace), expected: newRows(targetPlace.box.bottom + 1, made.expected) })
        changed.set(made.table.part, { bytes: made.table.bytes, xml: made.table.xml, rows: [] })
        boxes.set(table, { ...targetPlace.box, bottom: targetPlace.box.bottom + edit.rows.length })
      }
      if (logRows.length > 0) {
        const made = appendEdits(opened, logSpot, logRows.length, typedRows(opened, logRows, headers.length))
        changed.set(logPlace.sheet.part, { ...spliced(logPlace.xml, made.sheet), sheet: sheetOf(logPlace), expected: newRows(logPlace.box.bottom + 1, made.expected) })
        changed.set(made.table.part, { bytes: made.table.bytes, xml: made.table.xml, rows: [] })
        boxes.set('ChangeLog', { ...logPlace.box, bottom: logPlace.box.bottom + logRows.length })
      }
      return patchedWrite(opened, buf, changed, boxes)
    },
  }
}
