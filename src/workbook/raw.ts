import { cellAddressOf } from './a1.ts'
import type { TableName } from './contract.ts'

/**
 * Cells as Microsoft Graph returns them in a workbookRange's `values`: strings, numbers,
 * booleans; dates are Excel serial numbers, empty cells are "" and error cells their text.
 */
export type CellValue = string | number | boolean

/** One table as read from any backend: the header row and data rows of its range. */
export type RawTable = {
  name: TableName
  headers: string[]
  rows: CellValue[][]
  /** Same shape as `rows` (Graph's `numberFormat` minus the header row), when the backend has it. Rows formatted alike may share one array, so none is written to. */
  numberFormats?: (readonly string[])[]
  /** Where the header row's first cell sits, for cell addresses in messages (1-based). */
  origin?: { sheet: string; row: number; column: number }
}

/** What a read returns: the tables found, and the asked-for ones that are not in the workbook. */
export type RawWorkbook = {
  tables: Partial<Record<TableName, RawTable>>
  missing: TableName[]
}


/** Sheet-qualified address of a data cell (`rowIndex` 0-based; -1 is the header row), e.g. `Steps!E14`. */
export function cellAddress(table: RawTable, rowIndex: number, columnIndex: number): string | undefined {
  if (!table.origin) return undefined
  const { sheet, row, column } = table.origin
  return cellAddressOf(sheet, row + 1 + rowIndex, column + columnIndex)
}
