import type { TableName } from '../../contract.ts'
import { err, ok, type Result } from '../../../domain/result.ts'
import { parseRangeAddress, type CellValue, type RawTable } from '../../raw.ts'

/** Graph JSON (`unknown`) → the raw shapes the store speaks; parsed once, here at the boundary. */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

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

/**
 * A table's `range` (api/table-range.md) → RawTable: row 0 is the header row, the rest its
 * data, and a Total row when the table shows one; `dataBody` (api/table-databodyrange.md),
 * when given, is the data alone and wins.
 */
export function parseTableRange(name: TableName, range: unknown, dataBody?: unknown): Result<RawTable, string> {
  if (!isRecord(range)) return err(`the ${name} range is not an object`)
  const values = grid(range.values)
  if (!values || values.length === 0) return err(`the ${name} range has no values`)
  const [headerRow = [], ...rangeRows] = values
  const bodyRows = isRecord(dataBody) ? grid(dataBody.values) : null
  const rows = bodyRows && bodyRows.length <= rangeRows.length ? bodyRows : rangeRows
  const table: RawTable = { name, headers: headerRow.map((h) => String(h)), rows }
  const bodyFormats = isRecord(dataBody) ? grid(dataBody.numberFormat) : null
  const rangeFormats = grid(range.numberFormat)?.slice(1) ?? null
  const formats = bodyFormats && bodyFormats.length === rows.length ? bodyFormats : rangeFormats?.slice(0, rows.length)
  if (formats && formats.length === rows.length) table.numberFormats = formats.map((r) => r.map((f) => String(f)))
  if (typeof range.address === 'string') {
    const origin = parseRangeAddress(range.address)
    if (origin) table.origin = origin
  }
  return ok(table)
}

/** A `headerRowRange` (api/table-headerrowrange.md) → header strings. */
export function parseHeaderRow(body: unknown): Result<string[], string> {
  const values = isRecord(body) ? grid(body.values) : null
  const first = values?.[0]
  if (!first) return err('the header row has no values')
  return ok(first.map((h) => String(h)))
}

/** A workbookTableColumn (api/tablecolumn-get.md): `values` starts with the header cell. */
export function parseColumnValues(body: unknown): Result<CellValue[], string> {
  const values = isRecord(body) ? grid(body.values) : null
  if (!values) return err('the column has no values')
  return ok(values.slice(1).map((row) => row[0] ?? ''))
}

/** createSession's 201 body (api/workbook-createsession.md): `{id, persistChanges}`. */
export function parseSessionId(body: unknown): Result<string, string> {
  const id = isRecord(body) ? body.id : undefined
  return typeof id === 'string' && id !== '' ? ok(id) : err('the session has no id')
}
