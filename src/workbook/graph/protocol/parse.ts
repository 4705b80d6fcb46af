import { err, ok, type Result } from '../../../domain/result.ts'
import { isRecord } from '../../../domain/records.ts'
import { parseRangeAddress } from '../../a1.ts'
import type { CellValue } from '../../raw.ts'

/** Graph JSON (`unknown`) → the raw shapes the store speaks; parsed once, here at the boundary. */

function cell(value: unknown): CellValue | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  // res/workbookrange.md: empty cells are "" — a null is read the same way, not as a failure.
  if (value === null) return ''
  return null
}

/** A 2-D array of cells; `null` when it isn't one. */
function grid(value: unknown): CellValue[][] | null {
  if (!Array.isArray(value)) return null
  const rows: CellValue[][] = []
  for (const row of value) {
    if (!Array.isArray(row)) return null
    const cells: CellValue[] = []
    for (const v of row) {
      const c = cell(v)
      if (c === null) return null
      cells.push(c)
    }
    rows.push(cells)
  }
  return rows
}

/** A workbookRange (res/workbookrange.md) as far as `$select` asked for it. */
export type RangeBody = {
  values: CellValue[][]
  numberFormat: string[][] | null
  /** Sheet and top-left cell, 1-based, when `address` was selected. */
  origin: { sheet: string; row: number; column: number } | null
}

export function parseRange(body: unknown): Result<RangeBody, string> {
  if (!isRecord(body)) return err('the range is not an object')
  const values = grid(body.values)
  if (!values) return err('the range has no values')
  const formats = grid(body.numberFormat)
  return ok({
    values,
    numberFormat: formats && formats.length === values.length ? formats.map((r) => r.map((f) => String(f))) : null,
    origin: typeof body.address === 'string' ? parseRangeAddress(body.address) : null,
  })
}

/** A range's extent (`$select=address,rowCount,columnCount`). */
export type RangeExtent = { origin: { sheet: string; row: number; column: number }; rowCount: number; columnCount: number }

export function parseExtent(body: unknown): Result<RangeExtent, string> {
  if (!isRecord(body)) return err('the range is not an object')
  const origin = typeof body.address === 'string' ? parseRangeAddress(body.address) : null
  const { rowCount, columnCount } = body
  if (!origin || typeof rowCount !== 'number' || typeof columnCount !== 'number' || rowCount < 0 || columnCount < 1) return err('the range has no extent')
  return ok({ origin, rowCount, columnCount })
}

/** createSession's 201 body (api/workbook-createsession.md): `{id, persistChanges}`. */
export function parseSessionId(body: unknown): Result<string, string> {
  const id = isRecord(body) ? body.id : undefined
  return typeof id === 'string' && id !== '' ? ok(id) : err('the session has no id')
}

/** One entry of a `value` collection of sheets or tables (api/worksheet-list.md, api/table-list.md), as `$select=id,name` gives it. */
export type NamedItem = { id: string | null; name: string }

export function parseNamedList(body: unknown): Result<NamedItem[], string> {
  const value = isRecord(body) ? body.value : undefined
  if (!Array.isArray(value)) return err('the list has no value array')
  const items: NamedItem[] = []
  for (const item of value) {
    if (!isRecord(item) || typeof item.name !== 'string') return err('a list entry has no name')
    items.push({ id: typeof item.id === 'string' ? item.id : typeof item.id === 'number' ? String(item.id) : null, name: item.name })
  }
  return ok(items)
}

/** The `id` of a created table (api/worksheet-post-tables.md: a workbookTable). */
export function parseTableId(body: unknown): Result<string, string> {
  const id = isRecord(body) ? body.id : undefined
  if (typeof id === 'string' && id !== '') return ok(id)
  if (typeof id === 'number') return ok(String(id))
  return err('the table has no id')
}
