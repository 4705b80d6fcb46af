import { isoFromExcelSerial, parseIsoDate, utcMs, type IsoDate } from '../domain/dates.ts'
import {
  DIRECTIONS,
  MEASURE_TYPES,
  STEP_STATUSES,
  WIG_KINDS,
  WIG_STATUSES,
  type Direction,
  type MeasureType,
  type StepStatus,
  type WigKind,
  type WigStatus,
} from '../domain/model.ts'
import { err, exhaustiveSwitchError, ok, type Result } from '../domain/result.ts'
import { parseNumberText, tidy } from '../domain/units.ts'
import { isPercentFormat } from './number-format.ts'
import type { CellValue } from './raw.ts'
import { EXCEL_ERRORS } from './excel-errors.ts'

/**
 * Single-cell decoders. Each returns the value, null for a blank cell, or a reason written
 * for a district coordinator ("should be …; found …") that the codec prefixes with the column.
 */

export type CellResult<T> = Result<T | null, string>


/**
 * Anything that is not a Graph cell value (only possible when a backend hands us garbage) is
 * read as Excel's own "#VALUE!" error, so it is reported like any broken cell instead of crashing.
 */
export function toCellValue(value: unknown): CellValue {
  const kind = typeof value
  switch (kind) {
    case 'string':
    case 'boolean':
      return value as string | boolean
    case 'number':
      return Number.isFinite(value) ? (value as number) : '#NUM!'
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : '#NUM!'
    case 'undefined':
      return ''
    case 'object':
      return value === null ? '' : '#VALUE!'
    case 'symbol':
    case 'function':
      return '#VALUE!'
    default:
      return exhaustiveSwitchError(kind, 'cell type')
  }
}

/** The Excel error a cell shows (`#N/A`, `#REF!`…), or null. */
export function excelError(v: CellValue): string | null {
  if (typeof v !== 'string') return null
  const text = v.trim().toUpperCase()
  return EXCEL_ERRORS.includes(text) ? text : null
}

export function isBlank(v: CellValue): boolean {
  return typeof v === 'string' && v.trim() === ''
}

export function decodeText(v: CellValue): string {
  const cell = toCellValue(v)
  // Excel shows booleans as TRUE/FALSE; a coordinator would not recognise "true".
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE'
  return String(cell).trim()
}

/** How a found value is quoted in messages: text in quotes, numbers and booleans as Excel shows them. */
export function shown(v: CellValue): string {
  const cell = toCellValue(v)
  const error = excelError(cell)
  if (error) return `the error ${error}`
  if (typeof cell === 'string') return `"${cell.trim().length > 60 ? `${cell.trim().slice(0, 57)}...` : cell.trim()}"`
  return decodeText(cell)
}

function problem(expected: string, v: CellValue): { ok: false; error: string } {
  return err(`should be ${expected}; found ${shown(v)}`)
}

const DATE = 'a date (an Excel date or YYYY-MM-DD)'

/**
 * Graph gives dates as serials whatever the cell's format, so a number is always a serial and the
 * format is not consulted; text must be ISO, because "06/07/2025" means different days to different people.
 */
export function decodeDate(v: CellValue, _numberFormat?: string): CellResult<IsoDate> {
  const cell = toCellValue(v)
  if (isBlank(cell)) return ok(null)
  if (typeof cell === 'number') {
    // Serials 1900-2100 are days of 1905: no plan date, but exactly what typing "2025" into a date cell gives.
    if (Number.isInteger(cell) && cell >= 1900 && cell <= 2100) return err(`should be ${DATE}; found ${cell}, which is a year, not a day`)
    const iso = isoFromExcelSerial(cell)
    return iso ? ok(iso) : problem(`${DATE} from 1900 to 9999`, cell)
  }
  if (typeof cell === 'string') {
    const iso = parseIsoDate(cell)
    if (iso) return ok(iso)
    if (/^\s*\d{4}-\d{2}-\d{2}\s*$/.test(cell)) return err(`should be ${DATE}; found "${cell.trim()}", which is not a day of the calendar`)
  }
  return problem(DATE, cell)
}

// One reading of typed numbers for cells and for check-in input (domain/units.ts), so "1,250" means the same in both.
const numberFromText = parseNumberText
export { tidy }

/**
 * Numbers, and numeric text as Excel would read it if typed: "1,250" is 1250 and "75%" is 0.75
 * (the value Excel stores for 75%). The number format does not change a number's value.
 */
export function decodeNumber(v: CellValue, _numberFormat?: string): CellResult<number> {
  const cell = toCellValue(v)
  if (isBlank(cell)) return ok(null)
  if (typeof cell === 'number') return ok(cell)
  if (typeof cell === 'string') {
    const parsed = numberFromText(cell)
    if (parsed) return ok(parsed.percent ? tidy(parsed.value / 100) : parsed.value)
  }
  return problem('a number', cell)
}

/**
 * A number and what its cell says about its scale: `percent` is true when the cell shows a
 * percent (a percent number format, or text ending in "%"), false when it shows a plain number,
 * and null when the backend gave no number format, so nobody can tell. The value is what Excel
 * stores ("75%" is 0.75).
 */
export type ScaledNumber = { value: number; percent: boolean | null }

/** Like decodeNumber, keeping whether the cell shows a percent; `numberFormat` undefined means "not known". */
export function decodeScaledNumber(v: CellValue, numberFormat?: string): CellResult<ScaledNumber> {
  const cell = toCellValue(v)
  if (isBlank(cell)) return ok(null)
  if (typeof cell === 'number') return ok({ value: cell, percent: numberFormat === undefined ? null : isPercentFormat(numberFormat) })
  if (typeof cell === 'string') {
    const parsed = numberFromText(cell)
    // Text says itself whether it is a percent, whatever the cell's format.
    if (parsed) return ok(parsed.percent ? { value: tidy(parsed.value / 100), percent: true } : { value: parsed.value, percent: false })
  }
  return problem('a number', cell)
}

/** 0-100. A 0-1 value shown as a percentage (format `0%`) is the fraction Excel stores for it. */
export function decodePercentComplete(v: CellValue, numberFormat?: string): CellResult<number> {
  const cell = toCellValue(v)
  if (isBlank(cell)) return ok(null)
  let percent: number | null = null
  if (typeof cell === 'number') percent = isPercentFormat(numberFormat) ? tidy(cell * 100) : cell
  if (typeof cell === 'string') {
    const parsed = numberFromText(cell)
    if (parsed) percent = parsed.value
  }
  if (percent === null) return problem('a percentage from 0 to 100', cell)
  if (percent < 0 || percent > 100) return err(`should be a percentage from 0 to 100; found ${percent}%`)
  return ok(percent)
}

/** Case, spaces, hyphens and underscores do not matter: "In-progress" = "in progress" = "InProgress". */
function choiceKey(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, '')
}

function decodeChoice<T extends string>(v: CellValue, values: readonly T[], synonyms: Readonly<Record<string, T>>): CellResult<T> {
  const cell = toCellValue(v)
  if (isBlank(cell)) return ok(null)
  if (typeof cell === 'string') {
    const key = choiceKey(cell)
    const exact = values.find((value) => choiceKey(value) === key)
    // hasOwn, so text like "constructor" is not found on Object.prototype.
    const found = exact ?? (Object.hasOwn(synonyms, key) ? synonyms[key] : undefined)
    if (found) return ok(found)
  }
  const list = `${values.slice(0, -1).join(', ')} or ${values[values.length - 1] ?? ''}`
  return problem(`one of ${list}`, cell)
}

/** A decoder of one closed vocabulary that carries the vocabulary, so the contract's column table offers exactly what it accepts. */
export type ChoiceDecoder<T extends string> = ((v: CellValue) => CellResult<T>) & { readonly choices: readonly T[] }

function choiceDecoder<T extends string>(values: readonly T[], synonyms: Readonly<Record<string, T>>): ChoiceDecoder<T> {
  return Object.assign((v: CellValue) => decodeChoice(v, values, synonyms), { choices: values })
}

/**
 * The synonyms WORKBOOK.md names, plus the US spelling of Cancelled. Anything else is a problem
 * ("anything else is a problem; the row is still shown, with its raw status").
 */
const STEP_STATUS_SYNONYMS: Readonly<Record<string, StepStatus>> = {
  open: 'Not started',
  wip: 'In progress',
  started: 'In progress',
  onhold: 'Blocked',
  complete: 'Done',
  completed: 'Done',
  canceled: 'Cancelled',
}

export const decodeStepStatus: ChoiceDecoder<StepStatus> = choiceDecoder(STEP_STATUSES, STEP_STATUS_SYNONYMS)

export const decodeWigStatus: ChoiceDecoder<WigStatus> = choiceDecoder(WIG_STATUSES, {})

export const decodeKind: ChoiceDecoder<WigKind> = choiceDecoder(WIG_KINDS, { number: 'Numeric', numerical: 'Numeric', milestones: 'Milestone' })

export const decodeDirection: ChoiceDecoder<Direction> = choiceDecoder(DIRECTIONS, { up: 'Increase', increasing: 'Increase', higher: 'Increase', down: 'Decrease', decreasing: 'Decrease', lower: 'Decrease' })

/** Benchmarks are lead indicators in school improvement planning (WORKBOOK.md). */
export const decodeMeasureType: ChoiceDecoder<MeasureType> = choiceDecoder(MEASURE_TYPES, {
  lagindicator: 'Lag',
  lagmeasure: 'Lag',
  leadindicator: 'Lead',
  leadmeasure: 'Lead',
  benchmark: 'Lead',
})

/**
 * Thresholds are fractions (0.9). Accepts 0.9, "90%", 0.9 shown as 90%, and 90 (nobody means a
 * threshold of 9000%), so any number above 1 and up to 100 is read as a percentage.
 */
export function decodeThreshold(v: CellValue, _numberFormat?: string): CellResult<number> {
  const cell = toCellValue(v)
  if (isBlank(cell)) return ok(null)
  let fraction: number | null = null
  // A number above 1 is a percentage whatever the cell's format: 80 typed into a 0% cell still means 80%.
  if (typeof cell === 'number') fraction = cell <= 1 ? cell : tidy(cell / 100)
  if (typeof cell === 'string') {
    const parsed = numberFromText(cell)
    if (parsed) fraction = parsed.percent || parsed.value > 1 ? tidy(parsed.value / 100) : parsed.value
  }
  if (fraction === null || fraction < 0 || fraction > 1) return problem('a percentage from 0% to 100% (like 90% or 0.9)', cell)
  return ok(fraction)
}

export function decodeWholeDays(v: CellValue): CellResult<number> {
  const cell = toCellValue(v)
  if (isBlank(cell)) return ok(null)
  const n = typeof cell === 'number' ? cell : typeof cell === 'string' ? (numberFromText(cell)?.value ?? null) : null
  if (n === null || !Number.isInteger(n) || n < 0) return problem('a whole number of days (0 or more)', cell)
  return ok(n)
}

/**
 * Audit timestamps are text we write; a user-typed one that Excel turned into a date-time serial
 * is shown as its wall-clock time rather than as a bare number.
 */
export function decodeTimestampText(v: CellValue): string {
  const cell = toCellValue(v)
  const day = typeof cell === 'number' ? isoFromExcelSerial(cell) : null
  if (typeof cell !== 'number' || day === null) return decodeText(cell)
  const ms = utcMs(day) + Math.round((cell - Math.floor(cell)) * 86_400_000)
  const text = new Date(ms).toISOString()
  return text.endsWith('T00:00:00.000Z') ? text.slice(0, 10) : text.slice(0, 19)
}
