import { excelSerialFromIso, parseIsoDate } from '../domain/dates.ts'
import { TABLE_NAMES, type TableName } from '../workbook/contract.ts'
import type { CellValue, RawTable, RawWorkbook } from '../workbook/raw.ts'
import type { SampleTable } from './district.ts'
import { DATE_FORMAT, TABLE_LAYOUTS, type ColumnKind } from './layout.ts'

/**
 * The sample as a backend would read it after `pm-workbook init`: date columns as Excel serials
 * with a date format, everything else as written. Lets in-memory stores and tests start from
 * the same district the file holds, without a file.
 */

/** The kind of each header of `table`, by the layout (a header the layout lacks is plain text). */
export function columnKinds(table: TableName, headers: readonly string[]): ColumnKind[] {
  const columns = TABLE_LAYOUTS[table].columns
  return headers.map((h) => columns.find((c) => c.header === h)?.kind ?? 'text')
}

/** A date column's ISO text as the Date it stands for; anything else unchanged. */
export function cellAsWritten(kind: ColumnKind, value: CellValue): CellValue | Date {
  if (kind !== 'date' || typeof value !== 'string') return value
  const iso = parseIsoDate(value)
  return iso ? new Date(`${iso}T00:00:00Z`) : value
}

function rawTable(name: TableName, sample: SampleTable): RawTable {
  const kinds = columnKinds(name, sample.headers)
  const rows = sample.rows.map((row) =>
    row.map((value, i) => {
      const iso = kinds[i] === 'date' && typeof value === 'string' ? parseIsoDate(value) : null
      return iso ? excelSerialFromIso(iso) : value
    }),
  )
  const numberFormats = sample.rows.map(() => kinds.map((k) => (k === 'date' ? DATE_FORMAT : 'General')))
  return { name, headers: [...sample.headers], rows, numberFormats, origin: { sheet: TABLE_LAYOUTS[name].sheet, row: 1, column: 1 } }
}

export function sampleRawWorkbook(tables: Record<TableName, SampleTable>): RawWorkbook {
  const raw: Partial<Record<TableName, RawTable>> = {}
  for (const name of TABLE_NAMES) raw[name] = rawTable(name, tables[name])
  return { tables: raw, missing: [] }
}
