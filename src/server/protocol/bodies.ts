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

/** A range update: the values and number formats to write, each a 2-D array or absent. */
export type RangeUpdate = { values: CellInput[][] | null; numberFormat: (string | null)[][] | null }

function formatRows(value: unknown): Result<(string | null)[][], string> {
  const rows = cellRows(value)
  if (!rows.ok) return err(rows.error.replace('"values"', '"numberFormat"'))
  if (rows.value.some((row) => row.some((cell) => cell !== null && typeof cell !== 'string'))) return err('Number formats must be strings or null.')
  return ok(rows.value as (string | null)[][])
}

/**
 * `PATCH …/range(address=…)` body (api/range-update.md): `values` and/or `numberFormat`, each a
 * 2-D array the size of the range; a null cell is left alone (res/excel.md). Formulas, hidden
 * rows and columns are not served.
 */
export function parseRangeUpdate(body: unknown): Result<RangeUpdate, string> {
  if (!isRecord(body)) return err('The body must be a JSON object with "values".')
  const unsupported = Object.keys(body).filter((k) => k !== 'values' && k !== 'numberFormat')
  if (unsupported.length > 0) return err(`This server updates a range's values and number formats only, not ${unsupported.join(', ')}.`)
  if (body['values'] === undefined && body['numberFormat'] === undefined) return err('The body must have "values" or "numberFormat".')
  const values = body['values'] === undefined ? ok(null) : cellRows(body['values'])
  if (!values.ok) return values
  const numberFormat = body['numberFormat'] === undefined ? ok(null) : formatRows(body['numberFormat'])
  if (!numberFormat.ok) return numberFormat
  return ok({ values: values.value, numberFormat: numberFormat.value })
}

/** `POST …/worksheets/add` body (api/worksheetcollection-add.md): `{ "name": "…" }`, the name optional. */
export function parseAddWorksheet(body: unknown): Result<{ name: string | null }, string> {
  if (body === undefined) return ok({ name: null })
  if (!isRecord(body)) return err('The body must be a JSON object like {"name": "Sheet2"}.')
  const name = body['name']
  if (name === undefined || name === null) return ok({ name: null })
  if (typeof name !== 'string') return err('"name" must be a string.')
  return ok({ name })
}

/**
 * `POST …/tables/add` body (api/tablecollection-add.md, api/worksheet-post-tables.md, which spells
 * it `Address`): `{ "address": "A1:D8", "hasHeaders": true }`.
 */
export function parseAddTable(body: unknown): Result<{ address: string; hasHeaders: boolean }, string> {
  if (!isRecord(body)) return err('The body must be a JSON object like {"address": "A1:D8", "hasHeaders": true}.')
  const address = body['address'] ?? body['Address']
  if (typeof address !== 'string' || address.trim() === '') return err('"address" must be a range address such as "A1:D8".')
  const hasHeaders = body['hasHeaders']
  if (typeof hasHeaders !== 'boolean') return err('"hasHeaders" must be true or false.')
  return ok({ address: address.trim(), hasHeaders })
}

const TABLE_UPDATE_TEXT = ['name', 'style'] as const
const TABLE_UPDATE_FLAGS = ['showBandedRows', 'showBandedColumns', 'highlightFirstColumn', 'highlightLastColumn', 'showHeaders', 'showTotals', 'showFilterButton'] as const

/** `PATCH …/tables/{id|name}` body (api/table-update.md; res/workbooktable.md for the flags). */
export function parseTableUpdate(body: unknown): Result<Partial<Record<(typeof TABLE_UPDATE_TEXT)[number], string> & Record<(typeof TABLE_UPDATE_FLAGS)[number], boolean>>, string> {
  if (!isRecord(body)) return err('The body must be a JSON object like {"name": "Plan"}.')
  const known = new Set<string>([...TABLE_UPDATE_TEXT, ...TABLE_UPDATE_FLAGS])
  const unknown = Object.keys(body).filter((k) => !known.has(k))
  if (unknown.length > 0) return err(`A table update takes ${[...known].join(', ')}; not ${unknown.join(', ')}.`)
  const update: Record<string, string | boolean> = {}
  for (const key of TABLE_UPDATE_TEXT) {
    const value = body[key]
    if (value === undefined) continue
    if (typeof value !== 'string') return err(`"${key}" must be a string.`)
    update[key] = value
  }
  for (const key of TABLE_UPDATE_FLAGS) {
    const value = body[key]
    if (value === undefined) continue
    if (typeof value !== 'boolean') return err(`"${key}" must be true or false.`)
    update[key] = value
  }
  return ok(update)
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
