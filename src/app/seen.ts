import { err, ok, type Result } from '../domain/result.ts'
import { CONTRACT, findColumn, type TableName } from '../workbook/contract.ts'
import type { CellValue, RawWorkbook } from '../workbook/raw.ts'
import type { StoreError, WorkbookStore, WriteError } from '../workbook/store.ts'
import { keyText } from '../workbook/write-plan.ts'

/**
 * A row as the user saw it: its cells and where it was. A page keeps the snapshot it showed and
 * hands this to a write, so a colleague's edit made while the page was open is a conflict, not a
 * silent overwrite. A one-shot command reads it just before writing.
 */
export type SeenRow = {
  table: TableName
  key: string
  /** 0-based data row where it was seen, when known. */
  index: number | null
  headers: readonly string[]
  values: readonly CellValue[]
  numberFormats?: readonly string[]
}

export type SeenError = { kind: 'unknownRow'; table: TableName; keyColumn: string; key: string } | { kind: 'missingTable'; table: TableName }

/** The row `key` of `table` in a snapshot a page loaded (`loadPlan(...).raw`). */
export function seenIn(raw: RawWorkbook, table: TableName, key: string): Result<SeenRow, SeenError> {
  const t = raw.tables[table]
  if (!t) return err({ kind: 'missingTable', table })
  const keyIndex = findColumn(t.headers, CONTRACT[table].key ?? '')
  const index = keyIndex < 0 ? -1 : t.rows.findIndex((row) => keyText(row[keyIndex]) === key)
  const values = t.rows[index]
  if (!values) return err({ kind: 'unknownRow', table, keyColumn: CONTRACT[table].key ?? '', key })
  const formats = t.numberFormats?.[index]
  return ok({ table, key, index, headers: t.headers, values, ...(formats ? { numberFormats: formats } : {}) })
}

/** The row as it is now, for a command that showed nothing before (header row, key column, the row). */
export async function readSeen(store: WorkbookStore, table: TableName, key: string): Promise<Result<SeenRow, StoreError | WriteError>> {
  const read = await store.readRow(table, key)
  if (!read.ok) return read
  return ok({ table, key, index: null, headers: read.value.headers, values: read.value.values, ...(read.value.numberFormats ? { numberFormats: read.value.numberFormats } : {}) })
}

export function seenCell(seen: SeenRow, column: string): CellValue {
  const index = findColumn(seen.headers, column)
  return index >= 0 ? (seen.values[index] ?? '') : ''
}

export function seenFormat(seen: SeenRow, column: string): string | undefined {
  const index = findColumn(seen.headers, column)
  return index >= 0 ? seen.numberFormats?.[index] : undefined
}

export function hasColumn(seen: SeenRow, column: string): boolean {
  return findColumn(seen.headers, column) >= 0
}
