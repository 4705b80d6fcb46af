import { expect } from 'vitest'
import { TABLE_NAMES, type TableName } from '../../../src/workbook/contract.ts'
import { readRawWorkbook } from '../../../src/workbook/file/raw-read.ts'
import { workbookFromBytes } from '../../../src/workbook/file/workbook-file.ts'
import { readRawTables } from '../../../src/workbook/file/xlsx/read-tables.ts'
import type { RawWorkbook } from '../../../src/workbook/raw.ts'

/** What the file store read before issue 14: exceljs loads the whole workbook, raw-read.ts reads the tables from it. */
export async function exceljsRead(bytes: Buffer, tables: readonly TableName[]) {
  const wb = await workbookFromBytes(bytes, 'book.xlsx')
  return wb.ok ? readRawWorkbook(wb.value, tables) : wb.error
}

/** The direct reader reads the workbook (nothing unmodeled) and gives exactly what exceljs gives. */
export async function expectSame(bytes: Buffer, tables: readonly TableName[] = TABLE_NAMES): Promise<RawWorkbook> {
  const direct = readRawTables(bytes, tables).workbook
  expect(direct).toStrictEqual(await exceljsRead(bytes, tables))
  return direct
}
