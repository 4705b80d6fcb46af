import type { TableName } from '../contract.ts'
import { err, ok, type Result } from '../../domain/result.ts'
import { parseRangeAddress, type CellValue, type RawTable } from '../raw.ts'

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
 * A table read as its `headerRowRange` and `dataBodyRange` (api/table-headerrowrange.md,
 * api/table-databodyrange.md) → RawTable. Unlike `range`, these leave out a Total row.
 */
export function parseTableParts(name: TableName, header: unknown, body: unknown): Result<RawTable, string> {
  if (!isRecord(header) || !isRecord(body)) return err(`the ${name} ranges are not objects`)
  const headerRow = grid(header.values)?.[0]
  const rows = grid(body.values)
  if (!headerRow || !rows) return err(`the ${name} ranges have no values`)
  const table: RawTable = { name, headers: headerRow.map((h) => String(h)), rows }
  const formats = grid(body.numberFormat)
  if (formats && formats.length === rows.length) table.numberFormats = formats.map((r) => r.map((f) => String(f)))
  if (typeof header.address === 'string') {
    const origin = parseRangeAddress(header.address)
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
