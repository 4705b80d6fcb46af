import type ExcelJS from 'exceljs'
import { parseIsoDate, utcMs } from '../../domain/dates.ts'
import { isDateFormat, isPercentFormat } from '../number-format.ts'
import type { CellValue } from '../raw.ts'

/** What to store in a cell, and the number format the typing implies (absent: keep the cell's own). */
export type TypedCell = { value: ExcelJS.CellValue; numFmt?: string }

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i
const PERCENT = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%$/

/**
 * Graph parses written strings as if they were typed into the cell (GRAPH.md §3); the file
 * backend must do the same so both backends store the same thing for the same request.
 */
export function typeLikeExcel(value: CellValue, existingNumFmt?: string): TypedCell {
  if (typeof value !== 'string') return { value }
  if (value === '') return { value: null }
  // The apostrophe is Excel's "this is text" prefix: it is never part of the value.
  if (value.startsWith("'")) return { value: value.slice(1) }
  // A cell formatted as Text keeps whatever is typed as text.
  if (existingNumFmt === '@') return { value }
  if (value.length > 1 && value.startsWith('=')) return { value: { formula: value.slice(1) } }
  const trimmed = value.trim()
  const iso = parseIsoDate(trimmed)
  if (iso) {
    // exceljs stores a Date in the workbook's own date system, 1904 included.
    return { value: new Date(utcMs(iso)), numFmt: isDateFormat(existingNumFmt) ? (existingNumFmt ?? 'yyyy-mm-dd') : 'yyyy-mm-dd' }
  }
  if (NUMBER.test(trimmed)) return { value: Number(trimmed) }
  const percent = PERCENT.exec(trimmed)
  if (percent) return { value: Number(percent[1]) / 100, numFmt: isPercentFormat(existingNumFmt) ? (existingNumFmt ?? '0%') : '0%' }
  const upper = trimmed.toUpperCase()
  if (upper === 'TRUE' || upper === 'FALSE') return { value: upper === 'TRUE' }
  return { value }
}
