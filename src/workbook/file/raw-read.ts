import type ExcelJS from 'exceljs'
import type { TableName } from '../contract.ts'
import { parseRangeAddress } from '../a1.ts'
import type { RawTable, RawWorkbook } from '../raw.ts'
import { tableRange } from './tables.ts'

/** The raw tables in the shape Graph gives them, so the codec cannot tell the backends apart. */
export function readRawTable(wb: ExcelJS.Workbook, name: TableName): RawTable | null {
  const header = tableRange(wb, name, 'header')
  const body = tableRange(wb, name, 'body')
  if (!header || !body) return null
  const origin = parseRangeAddress(header.address)
  return {
    name,
    headers: (header.values[0] ?? []).map((h) => String(h)),
    rows: body.values,
    numberFormats: body.numberFormat,
    ...(origin ? { origin } : {}),
  }
}

export function readRawWorkbook(wb: ExcelJS.Workbook, tables: readonly TableName[]): RawWorkbook {
  const result: RawWorkbook = { tables: {}, missing: [] }
  for (const name of new Set(tables)) {
    const table = readRawTable(wb, name)
    if (table) result.tables[name] = table
    else result.missing.push(name)
  }
  return result
}
