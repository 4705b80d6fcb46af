import type ExcelJS from 'exceljs'
import { isoFromExcelSerial } from '../../domain/dates.ts'
import { isRecord } from '../../domain/records.ts'
import { isDateFormat, isPercentFormat } from '../number-format.ts'
import type { CellValue } from '../raw.ts'

/** A cell as Graph's workbookRange reports it: value, number format and displayed text. */
export type ReadCell = { value: CellValue; numberFormat: string; text: string }

const DAY_MS = 86_400_000
/** Days from Excel's 1900-system day zero to 1970-01-01. */
const UNIX_EPOCH_SERIAL = 25_569

/**
 * exceljs has already turned the stored number into a Date using the workbook's own date
 * system (1900 or 1904), so converting that Date to a 1900-system serial gives every backend
 * the same numbers for the same calendar dates. The time of day stays as the fraction.
 */
export function serialFromDate(date: Date): number {
  const serial = date.getTime() / DAY_MS + UNIX_EPOCH_SERIAL
  // Millisecond rounding in exceljs leaves float noise such as 45838.00000000001.
  return Math.round(serial * 1e9) / 1e9
}

function richText(value: unknown): string | null {
  if (!isRecord(value) || !Array.isArray(value['richText'])) return null
  return value['richText'].map((run: unknown) => (isRecord(run) && typeof run['text'] === 'string' ? run['text'] : '')).join('')
}

/** Plain value of anything exceljs keeps in `cell.value`; `unknown` because its types are looser than its data. */
export function plainValue(value: unknown): CellValue {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : '#NUM!'
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : serialFromDate(value)
  const rich = richText(value)
  if (rich !== null) return rich
  if (isRecord(value)) {
    if (typeof value['error'] === 'string') return value['error']
    // A formula cell reads as its cached result, as Graph's `values` does.
    if ('formula' in value || 'sharedFormula' in value) return plainValue(value['result'])
    if ('hyperlink' in value || 'text' in value) return plainValue(value['text'])
  }
  return ''
}

export function cellNumberFormat(cell: ExcelJS.Cell): string {
  const format = cell.numFmt
  return typeof format === 'string' && format !== '' ? format : 'General'
}

function decimals(format: string): number {
  const m = /\.(0+)/.exec(format)
  return m?.[1]?.length ?? 0
}

/** An approximation of Excel's displayed text: exact for the formats the contract uses (dates, percentages, General). */
export function displayText(value: CellValue, numberFormat: string): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (typeof value === 'string') return value
  if (isDateFormat(numberFormat)) {
    const iso = isoFromExcelSerial(value)
    if (iso) return iso
  }
  if (isPercentFormat(numberFormat)) return `${(value * 100).toFixed(decimals(numberFormat))}%`
  if (/^0(\.0+)?$/.test(numberFormat)) return value.toFixed(decimals(numberFormat))
  return String(value)
}

export function readCell(cell: ExcelJS.Cell): ReadCell {
  const value = plainValue(cell.value)
  const numberFormat = value === '' ? 'General' : cellNumberFormat(cell)
  return { value, numberFormat, text: displayText(value, numberFormat) }
}
