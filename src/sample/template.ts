import { TABLE_NAMES, type TableName } from '../workbook/contract.ts'
import type { SampleTable } from './district.ts'
import { headersOf } from './layout.ts'
import { writeTablesWorkbook } from './xlsx.ts'

/** The eight contract tables with their headers and no rows: a district's blank starting point. */
export function emptyTables(): Record<TableName, SampleTable> {
  const tables = {} as Record<TableName, SampleTable>
  for (const name of TABLE_NAMES) tables[name] = { headers: headersOf(name), rows: [] }
  return tables
}

/** Writes an empty, styled workbook to `path`, replacing any file there (the CLI decides whether that is allowed). */
export async function writeTemplateWorkbook(path: string): Promise<void> {
  await writeTablesWorkbook(path, emptyTables())
}
