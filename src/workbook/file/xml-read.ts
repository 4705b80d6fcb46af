import { ok, type Result } from '../../domain/result.ts'
import type { TableName } from '../contract.ts'
import type { RawWorkbook } from '../raw.ts'
import type { StoreError } from '../store.ts'
import { readTablesOf, readZipFile, type LoadOptions } from './workbook-file.ts'

/**
 * Reading tables from a workbook file without loading all of it. At the sizes issue 14
 * measures, exceljs's whole-workbook model took seconds and most of a gigabyte for a `status`;
 * here only the parts holding the requested tables are parsed (xlsx/read-tables.ts). A
 * workbook the direct reader does not model exactly is read by exceljs, so the answer never
 * depends on which reader gave it.
 *
 * The file gets every check `loadWorkbook` makes, with the same errors: missing, folder, not a
 * zip, too large on disk, a directory declaring too much (all before anything is inflated),
 * and a part inflating past its declared size. That last check needs each part inflated; the
 * parts the reader inflated, bounded by their declared sizes, are not inflated again for it.
 */
export async function readWorkbookTables(path: string, tables: readonly TableName[], options: LoadOptions = {}): Promise<Result<RawWorkbook, StoreError>> {
  const read = await readZipFile(path, options)
  if (!read.ok) return read
  const tablesRead = await readTablesOf(read.value, path, tables, options)
  return tablesRead.ok ? ok(tablesRead.value.workbook) : tablesRead
}
