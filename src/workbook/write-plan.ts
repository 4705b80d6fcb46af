import { excelSerialFromIso, isoFromExcelSerial, parseIsoDate } from '../domain/dates.ts'
import { err, ok, type Result } from '../domain/result.ts'
import { CONTRACT, findColumn, type TableName } from './contract.ts'
import { isDateFormat } from './number-format.ts'
import type { CellValue, RawTable } from './raw.ts'
import type { AppendRows, AssignKey, AssignKeyError, Audit, Conflict, UpdateRow, WriteError } from './store.ts'
import { asTypedText, typedTextValue } from './typed-text.ts'

/**
 * The write rules every backend shares (WORKBOOK.md, "Writing"): find the row by key just
 * before writing, refuse missing or duplicate keys, compare what the user saw with what is
 * there, and let a retried action (same ChangeId, or a row whose key already exists) land once.
 * Backends read the target table and the ChangeLog, call a planner, and move the cells it returns.
 */

/** The ChangeLog as a write needs it: its headers, and the ChangeIds already logged (null when it has no ChangeId column). */
export type ChangeLogSnapshot = { headers: string[]; changeIds: readonly string[] | null }

export type UpdatePlan =
  /** `compared`: the columns whose cells the user saw (not the stamps), by index. */
  | { kind: 'write'; rowIndex: number; values: (CellValue | null)[]; changeLogRows: CellValue[][]; compared: number[] }
  /** The cells already hold the new values but the ChangeLog lacks them: append the log only. */
  | { kind: 'logOnly'; changeLogRows: CellValue[][] }
  | { kind: 'alreadyApplied' }

export type AppendPlan =
  | { kind: 'write'; rows: CellValue[][]; changeLogRows: CellValue[][] }
  | { kind: 'logOnly'; changeLogRows: CellValue[][] }
  | { kind: 'alreadyApplied' }

export type AssignKeyPlan =
  /** `values`: the row's PATCH, null everywhere but the key cell at `keyIndex`. */
  | { kind: 'write'; keyIndex: number; values: (CellValue | null)[]; changeLogRows: CellValue[][] }
  | { kind: 'logOnly'; changeLogRows: CellValue[][] }
  | { kind: 'alreadyApplied' }

const LOG_COLUMNS = ['At', 'By', 'Source', 'Table', 'Key', 'Column', 'OldValue', 'NewValue', 'ChangeId'] as const

export function keyText(value: CellValue | undefined): string {
  return value === undefined ? '' : String(value).trim()
}

/** Fails when the table lacks a required column or one of `columns`. */
export function checkColumns(table: TableName, headers: readonly string[], columns: readonly string[]): Result<number[], WriteError> {
  const needed = [...new Set([...CONTRACT[table].required, ...columns])]
  const absent = needed.filter((c) => findColumn(headers, c) < 0)
  if (absent.length > 0) {
    return err({ kind: 'badColumns', table, columns: absent })
  }
  return ok(columns.map((c) => findColumn(headers, c)))
}

/** Whether a cell now holds `value` as it would read back after being typed into Excel. */
export function cellHolds(now: CellValue | undefined, value: CellValue, format?: string): boolean {
  const typed = typedTextValue(value)
  if (now === undefined) return typed === ''
  if (now === typed) return true
  if (typeof now === 'number' && typeof typed === 'string') {
    const iso = parseIsoDate(typed)
    if (iso && (isDateFormat(format) || excelSerialFromIso(iso) === now)) return Math.floor(now) === excelSerialFromIso(iso)
    if (typed.trim() !== '' && Number(typed) === now) return true
  }
  if (typeof now === 'string' && typeof typed === 'number') return now.trim() !== '' && Number(now) === typed
  if (typeof now === 'boolean' && typeof typed === 'string') return String(now).toUpperCase() === typed.toUpperCase()
  return false
}

/** How a cell's value is written into the ChangeLog: as text, dates as ISO. */
export function logText(value: CellValue | undefined, format?: string): string {
  if (value === undefined) return ''
  const plain = typedTextValue(value)
  if (typeof plain === 'number' && isDateFormat(format)) return isoFromExcelSerial(plain) ?? String(plain)
  return String(plain)
}

export function changeLogRow(headers: readonly string[], audit: Audit, table: TableName, key: string, column: string, oldValue: string, newValue: string): CellValue[] {
  const byColumn: Record<(typeof LOG_COLUMNS)[number], CellValue> = {
    At: audit.at,
    By: asTypedText(audit.by),
    Source: asTypedText(audit.source),
    Table: table,
    Key: asTypedText(key),
    Column: column,
    OldValue: asTypedText(oldValue),
    NewValue: asTypedText(newValue),
    ChangeId: asTypedText(audit.changeId),
  }
  const row: CellValue[] = headers.map(() => '')
  for (const column of LOG_COLUMNS) {
    const index = findColumn(headers, column)
    if (index >= 0) row[index] = byColumn[column]
  }
  return row
}

function rowsWithKey(target: RawTable, keyIndex: number, key: string): number[] {
  const found: number[] = []
  target.rows.forEach((row, index) => {
    if (keyText(row[keyIndex]) === key) found.push(index)
  })
  return found
}

export function sheetRow(target: Pick<RawTable, 'origin'>, index: number): number {
  return target.origin ? target.origin.row + 1 + index : index + 2
}

/**
 * The one data row holding `key` among `keys` (a table's key column, in order): missing and
 * duplicate keys are refused, naming the sheet rows of the duplicates.
 */
export function locateKey(table: TableName, keys: readonly string[], key: string, sheetRowOf: (index: number) => number): Result<number, WriteError> {
  const keyColumn = CONTRACT[table].key ?? ''
  const matches: number[] = []
  keys.forEach((k, i) => {
    if (k === key) matches.push(i)
  })
  if (matches.length === 0) return err({ kind: 'missingKey', table, keyColumn, key })
  if (matches.length > 1) {
    const rows = matches.map(sheetRowOf)
    return err({ kind: 'duplicateKey', table, keyColumn, key, rows })
  }
  return ok(matches[0] ?? 0)
}

/**
 * `mayHaveLanded`: an earlier try of this very action may have written its cells without its
 * ChangeLog rows (a Graph write whose answer was lost). Only then do cells that already hold the
 * new values get their log rows; otherwise nothing changed, so nothing is logged (a file save
 * writes cells and log together or not at all).
 */
export function planUpdate(command: UpdateRow, target: RawTable, log: ChangeLogSnapshot, options: { mayHaveLanded?: boolean } = {}): Result<UpdatePlan, WriteError> {
  const { table, key, changes, audit } = command
  const spec = CONTRACT[table]
  if (!spec.key) return err({ kind: 'badColumns', table, columns: [], keyless: true })
  const logColumns = checkColumns('ChangeLog', log.headers, [])
  if (!logColumns.ok) return logColumns
  const columns = checkColumns(table, target.headers, [spec.key, ...changes.map((c) => c.column)])
  if (!columns.ok) return columns
  const [keyIndex = -1, ...changeIndexes] = columns.value

  if (log.changeIds?.includes(audit.changeId)) return ok({ kind: 'alreadyApplied' })

  const found = locateKey(table, target.rows.map((row) => keyText(row[keyIndex])), key, (i) => sheetRow(target, i))
  if (!found.ok) return found
  const rowIndex = found.value
  const row = target.rows[rowIndex] ?? []
  const values: (CellValue | null)[] = target.headers.map(() => null)
  const conflicts: Conflict[] = []
  const changeLogRows: CellValue[][] = []
  const compared: number[] = []
  changes.forEach((change, i) => {
    const index = changeIndexes[i] ?? -1
    const format = target.numberFormats?.[rowIndex]?.[index]
    const now = row[index]
    const oldText = logText(change.seen, format)
    const newText = logText(change.value, format)
    if (cellHolds(now, change.value, format) && !cellHolds(now, change.seen, format)) {
      changeLogRows.push(changeLogRow(log.headers, audit, table, key, change.column, oldText, newText))
    } else if (cellHolds(now, change.seen, format) || now === change.seen) {
      values[index] = change.value
      compared.push(index)
      changeLogRows.push(changeLogRow(log.headers, audit, table, key, change.column, oldText, newText))
    } else {
      conflicts.push({ column: change.column, seen: change.seen, now: now ?? '', value: change.value })
    }
  })
  if (conflicts.length > 0) {
    return err({ kind: 'conflict', table, key, conflicts })
  }
  if (compared.length === 0) return ok(changeLogRows.length > 0 && options.mayHaveLanded === true ? { kind: 'logOnly', changeLogRows } : { kind: 'alreadyApplied' })
  for (const [column, value] of Object.entries(command.stamps ?? {})) {
    const index = findColumn(target.headers, column)
    if (index >= 0 && !compared.includes(index)) values[index] = value
  }
  return ok({ kind: 'write', rowIndex, values, changeLogRows, compared })
}

export function planAppend(command: AppendRows, target: RawTable, log: ChangeLogSnapshot): Result<AppendPlan, WriteError> {
  const { table, rows, audit } = command
  const spec = CONTRACT[table]
  const logColumns = checkColumns('ChangeLog', log.headers, [])
  if (!logColumns.ok) return logColumns
  const present = (column: string) => findColumn(target.headers, column) >= 0
  const skipped = new Set((command.ifPresent ?? []).filter((column) => !present(column)))
  const given = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((column) => !skipped.has(column))
  const columns = checkColumns(table, target.headers, spec.key ? [spec.key, ...given] : given)
  if (!columns.ok) return columns
  if (log.changeIds?.includes(audit.changeId)) return ok({ kind: 'alreadyApplied' })

  const keyIndex = spec.key ? findColumn(target.headers, spec.key) : -1
  const newRows: CellValue[][] = []
  const changeLogRows: CellValue[][] = []
  for (const record of rows) {
    const key = spec.key ? keyText(record[spec.key]) : ''
    if (spec.key && key === '') {
      return err({ kind: 'missingKey', table, keyColumn: spec.key, key, newRow: true })
    }
    const landed = keyIndex >= 0 && rowsWithKey(target, keyIndex, key).length > 0
    const cells: CellValue[] = target.headers.map(() => '')
    for (const [column, value] of Object.entries(record)) {
      if (skipped.has(column)) continue
      const index = findColumn(target.headers, column)
      cells[index] = value
      if (logText(value) !== '') changeLogRows.push(changeLogRow(log.headers, audit, table, key, column, '', logText(value)))
    }
    if (!landed) newRows.push(cells)
  }
  if (newRows.length === 0) return ok(changeLogRows.length > 0 && log.changeIds !== null ? { kind: 'logOnly', changeLogRows } : { kind: 'alreadyApplied' })
  return ok({ kind: 'write', rows: newRows, changeLogRows })
}

/** The key column and the one row an assignment needs, as a backend read them now. */
export type KeySlot = {
  headers: readonly string[]
  /** The key column's texts (`keyText`), one per data row: the table's rows now. */
  keys: readonly string[]
  /** The data row at the command's index now; undefined when the table has no such row. */
  row: readonly CellValue[] | undefined
  sheetRowOf: (index: number) => number
}

function sameCell(a: CellValue | undefined, b: CellValue | undefined): boolean {
  return (a ?? '') === (b ?? '')
}

/** Headers of the cells (by position, the key cell left out) where `now` differs from `seen`. */
export function differingColumns(headers: readonly string[], seen: readonly CellValue[], now: readonly CellValue[], keyIndex: number): string[] {
  const columns: string[] = []
  for (let i = 0; i < Math.max(seen.length, now.length); i += 1) {
    if (i !== keyIndex && !sameCell(seen[i], now[i])) columns.push(headers[i] ?? `column ${i + 1}`)
  }
  return columns
}

/**
 * The rules for filling the blank key cell of a row found by position (`WorkbookStore.assignKey`):
 * the row there must still be the one the user saw, its key still blank, the key new to the table.
 * A retried action lands once: its ChangeId in the log, or the key already in that row, means done.
 * `mayHaveLanded` as for planUpdate: only then does a key already in place get its log row.
 */
export function planAssignKey(command: AssignKey, slot: KeySlot, log: ChangeLogSnapshot, options: { mayHaveLanded?: boolean } = {}): Result<AssignKeyPlan, AssignKeyError> {
  const { table, index, seen, audit } = command
  const keyColumn = CONTRACT[table].key
  if (!keyColumn) return err({ kind: 'badColumns', table, columns: [], keyless: true })
  const logColumns = checkColumns('ChangeLog', log.headers, [])
  if (!logColumns.ok) return logColumns
  const columns = checkColumns(table, slot.headers, [keyColumn])
  if (!columns.ok) return columns
  const keyIndex = columns.value[0] ?? -1
  const key = keyText(command.key)
  if (key === '') return err({ kind: 'missingKey', table, keyColumn, key, newRow: true })

  if (log.changeIds?.includes(audit.changeId)) return ok({ kind: 'alreadyApplied' })

  const row = Number.isInteger(index) && index >= 0 && index < slot.keys.length ? slot.row : undefined
  const sheetRow = slot.sheetRowOf(index)
  if (!row) return err({ kind: 'rowChanged', table, row: sheetRow, columns: [], gone: true })
  const changed = differingColumns(slot.headers, seen, row, keyIndex)
  if (changed.length > 0) return err({ kind: 'rowChanged', table, row: sheetRow, columns: changed })
  const now = keyText(row[keyIndex])
  if (now === key) {
    // An earlier try of this action put the key there; its log row may be missing only if its answer was lost.
    const changeLogRows = [changeLogRow(log.headers, audit, table, key, keyColumn, '', key)]
    return ok(options.mayHaveLanded === true && log.changeIds !== null ? { kind: 'logOnly', changeLogRows } : { kind: 'alreadyApplied' })
  }
  if (now !== '') return err({ kind: 'keyAlreadySet', table, keyColumn, row: sheetRow, key: now })
  const taken = slot.keys.flatMap((k, i) => (k === key ? [slot.sheetRowOf(i)] : []))
  if (taken.length > 0) return err({ kind: 'keyTaken', table, keyColumn, key, rows: taken })

  const values: (CellValue | null)[] = slot.headers.map(() => null)
  // Written as text: a key is never a date or a number, whatever it looks like.
  values[keyIndex] = asTypedText(key)
  // OldValue is what the cell held: '' unless it held only spaces.
  return ok({ kind: 'write', keyIndex, values, changeLogRows: [changeLogRow(log.headers, audit, table, key, keyColumn, logText(row[keyIndex]), key)] })
}
