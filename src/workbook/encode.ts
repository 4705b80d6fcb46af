import type { IsoDate } from '../domain/dates.ts'
import type { StepStatus } from '../domain/model.ts'
import { tidy } from './cells.ts'
import { isPercentFormat } from './number-format.ts'
import type { CellValue } from './raw.ts'
import { asTypedText } from './typed-text.ts'

/**
 * Domain values → the cell values a port writes. Graph parses written strings as if typed
 * (GRAPH.md §3), so each encoder chooses what Excel should make of its value.
 */

/** The bare ISO string: typed into Excel (and our file backend) it becomes a real date in the cell's format. */
export function encodeDate(d: IsoDate): CellValue {
  return d
}

/** Kept as text even when it looks like a formula, number or date ('=cmd|…', '2025', '1/2'). */
export function encodeText(s: string): CellValue {
  return asTypedText(s)
}

/** The contract's own words, which Excel types as plain text, so the cell reads exactly as the list in WORKBOOK.md. */
export function encodeStepStatus(s: StepStatus): CellValue {
  return s
}

/** 0-100 in the domain; a percent-formatted cell stores the fraction Excel shows as that percentage. */
export function encodePercentComplete(n: number, numberFormat?: string): CellValue {
  return encodeNumber(isPercentFormat(numberFormat) ? tidy(n / 100) : n)
}

/** A NaN or Infinity here is a bug upstream; written through Graph it would silently become "leave alone". */
export function encodeNumber(n: number): CellValue {
  if (!Number.isFinite(n)) throw new RangeError(`Cannot write ${n} to a cell`)
  return n
}
