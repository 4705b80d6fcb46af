import { isRecord } from '../../domain/records.ts'
import { err, ok, type Result } from '../../domain/result.ts'
import type { CellValue } from '../../workbook/raw.ts'

/** Request bodies parsed once, where they enter (DESIGN.md "Parse, don't validate"). */

export type CellInput = CellValue | null

function cellRows(values: unknown): Result<CellInput[][], string> {
  if (!Array.isArray(values) || values.length === 0) return err('"values" must be a non-empty 2-dimensional array.')
  const rows: CellInput[][] = []
  for (const row of values) {
    if (!Array.isArray(row) || row.length === 0) return err('Each row of "values" must be a non-empty array.')
    for (const cell of row) {
      const t = typeof cell
      if (cell !== null && t !== 'string' && t !== 'number' && t !== 'boolean') return err('Cells must be strings, numbers, booleans or null.')
      if (t === 'number' && !Number.isFinite(cell)) return err('Numbers must be finite.')
    }
    rows.push(row as CellInput[])
  }
  if (rows.some((r) => r.length !== rows[0]?.length)) return err('All rows of "values" must have the same length.')
  return ok(rows)
}

/**
 * `PATCH …/range(address=…)` body (api/range-update.md): `values` as a 2-D array the size of the
 * range; a null cell is left alone (res/excel.md). Only `values` is served.
 */
export function parseRangeUpdate(body: unknown): Result<CellInput[][], string> {
  if (!isRecord(body)) return err('The body must be a JSON object with "values".')
  const unsupported = Object.keys(body).filter((k) => k !== 'values')
  if (unsupported.length > 0) return err(`This server updates a range's values only, not ${unsupported.join(', ')}.`)
  return cellRows(body['values'])
}

/** `PATCH …/rows/itemAt(index=N)` body: `{ "values": [[…]] }` (api/tablerow-update.md). */
export function parseRowUpdate(body: unknown): Result<CellInput[], string> {
  if (!isRecord(body)) return err('The body must be a JSON object with "values".')
  const rows = cellRows(body['values'])
  if (!rows.ok) return rows
  if (rows.value.length !== 1) return err('A table row update takes exactly one row of values.')
  return ok(rows.value[0] ?? [])
}

/** `POST …/rows/add` and `POST …/rows` body: `{ "index": n | null, "values": [[…], …] }` (api/tablerowcollection-add.md). */
export function parseRowsAdd(body: unknown): Result<{ index: number | null; rows: CellInput[][] }, string> {
  if (!isRecord(body)) return err('The body must be a JSON object with "values".')
  const index = body['index'] ?? null
  if (index !== null && (typeof index !== 'number' || !Number.isInteger(index) || index < 0)) return err('"index" must be null or a zero-based row position.')
  const rows = cellRows(body['values'])
  if (!rows.ok) return rows
  return ok({ index, rows: rows.value })
}

/** `createSession` body: `{ "persistChanges": bool }`; v1.0 takes a Boolean, beta a string (res/workbooksessioninfo.md). */
export function parseCreateSession(body: unknown): Result<{ persistChanges: boolean }, string> {
  if (body === undefined) return ok({ persistChanges: false })
  if (!isRecord(body)) return err('The body must be a JSON object like {"persistChanges": true}.')
  const value = body['persistChanges']
  if (value === undefined || value === null) return ok({ persistChanges: false })
  if (typeof value === 'boolean') return ok({ persistChanges: value })
  if (value === 'true' || value === 'false') return ok({ persistChanges: value === 'true' })
  return err('"persistChanges" must be true or false.')
}

/** `$top`/`$skip`: whole numbers ≥ 0, or absent. */
export function parseCount(text: string | null, name: string): Result<number | null, string> {
  if (text === null) return ok(null)
  if (!/^\d+$/.test(text.trim())) return err(`${name} must be a whole number.`)
  return ok(Number(text.trim()))
}
