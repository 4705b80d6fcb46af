import type { TableName } from '../../src/workbook/contract.ts'
import type { CellValue } from '../../src/workbook/raw.ts'
import type { SampleData } from '../../src/sample/district.ts'

/** A sample table's rows as objects keyed by header, for readable assertions. */
export function records(data: SampleData, table: TableName): Record<string, CellValue>[] {
  const { headers, rows } = data.tables[table]
  return rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i] ?? ''])))
}

export function text(value: CellValue | undefined): string {
  return value === undefined ? '' : String(value)
}

export function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>()
  return values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)))
}
