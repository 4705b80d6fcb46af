import { parseIsoDate, type IsoDate } from '../domain/dates.ts'
import { decodeText, decodeTimestampText, toCellValue } from '../workbook/cells.ts'
import { sanitizeWorkbook } from '../workbook/check.ts'
import { decodeTable } from '../workbook/codec.ts'
import type { CellValue, RawWorkbook } from '../workbook/raw.ts'

/**
 * The ChangeLog as records: who changed which cell of which row, and when. The codec only checks
 * the ChangeLog's columns (writes need them); reading its rows is this module's job, because only
 * activity views (utilization, a step's history) need them.
 */

/**
 * One ChangeLog row. Text fields are the cells as text (trimmed, except the logged values, which
 * are kept as written). `at` is the At cell as text: the ISO timestamp we write, or a date typed
 * by hand shown as ISO; `date` is its calendar day, null when At is not a date at all.
 * `position` is the row's 0-based index among the table's data rows, blank rows included, so it
 * points at the sheet row whatever was skipped.
 */
export type ChangeEntry = {
  at: string
  date: IsoDate | null
  by: string
  source: string
  table: string
  key: string
  column: string
  oldValue: string
  newValue: string
  changeId: string
  position: number
}

/**
 * `2025-06-30`, `2025-06-30T14:05:00Z`, `2025-06-30 14:05`, `2025-06-30T14:05:00.123+02:00`.
 * The day is taken as written, not moved to UTC: the app writes UTC (`toISOString`), and a
 * hand-typed offset means the writer's own day, which is the day they would name.
 */
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i

/**
 * The calendar day of an audit timestamp (UpdatedAt, EnteredAt, ChangeLog At): a cell value as a
 * backend gives it (an Excel serial when someone typed a date into the cell) or text already
 * decoded by `decodeTimestampText`. Anything else is null: an audit cell is never guessed at.
 */
export function timestampDate(value: CellValue): IsoDate | null {
  const match = TIMESTAMP.exec(decodeTimestampText(value).trim())
  return match?.[1] === undefined ? null : parseIsoDate(match[1])
}

/** Logged values are kept as written (spaces included): they are what was in the cell. */
function loggedText(value: CellValue): string {
  const cell = toCellValue(value)
  return typeof cell === 'string' ? cell : decodeText(cell)
}

/**
 * The ChangeLog's rows, oldest first as the sheet has them (it is append-only). Never throws:
 * a missing or unreadable table (a required column missing or doubled, which `check` reports)
 * gives [], so a view falls back to what the other tables say. Blank rows are skipped.
 */
export function changeEntries(raw: RawWorkbook): ChangeEntry[] {
  // Whatever a backend handed over is reshaped first, as the codec does.
  const table = sanitizeWorkbook(raw).tables.ChangeLog
  if (table === undefined) return []
  const decoded = decodeTable<ChangeEntry>(table, (row) => {
    const at = decodeTimestampText(row.cell('At'))
    return {
      at,
      date: timestampDate(at),
      by: decodeText(row.cell('By')),
      source: decodeText(row.cell('Source')),
      table: decodeText(row.cell('Table')),
      key: decodeText(row.cell('Key')),
      column: decodeText(row.cell('Column')),
      oldValue: loggedText(row.cell('OldValue')),
      newValue: loggedText(row.cell('NewValue')),
      changeId: decodeText(row.cell('ChangeId')),
      position: row.index,
    }
  })
  return decoded.readable ? decoded.records : []
}
