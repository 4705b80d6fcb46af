import { err, ok, type Result } from '../../domain/result.ts'
import type { TableName } from '../contract.ts'
import type { RawWorkbook } from '../raw.ts'
import type { StoreError } from '../store.ts'
import { readRawWorkbook } from './raw-read.ts'
import { readZipFile, unzippedLimit, workbookFromBytes, zipSizeError, type LoadOptions } from './workbook-file.ts'
import { MAX_TABLE_CELLS, readRawTables, TableTooLarge } from './xlsx/read-tables.ts'
import { Unmodeled } from './xlsx/unmodeled.ts'
import { checkDeclaredSize, checkUnzippedSize } from './zip-size.ts'

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
  const bytes = read.value
  const limit = unzippedLimit(options)
  const declared = checkDeclaredSize(bytes, limit)
  if (!declared.ok) return err(zipSizeError(declared.error, path))
  let direct: ReturnType<typeof readRawTables> | null = null
  try {
    direct = readRawTables(bytes, tables)
  } catch (error) {
    if (error instanceof TableTooLarge) {
      return err({ kind: 'unreadable', reason: 'tooLarge', path, size: { table: error.table, address: error.address, cells: error.cells, limit: MAX_TABLE_CELLS, measured: 'tableCells' } })
    }
    if (!(error instanceof Unmodeled)) throw error
  }
  const size = await checkUnzippedSize(bytes, limit, direct?.inflated)
  if (!size.ok) return err(zipSizeError(size.error, path))
  if (direct) return ok(direct.workbook)
  const wb = await workbookFromBytes(bytes, path)
  return wb.ok ? ok(readRawWorkbook(wb.value, tables)) : err(wb.error)
}
