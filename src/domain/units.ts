import type { Measure, Plan, Wig } from './model.ts'
import { err, exhaustiveSwitchError, ok, type Result } from './result.ts'

/**
 * Values in their units (WORKBOOK.md, Status rules: "Values are shown in the WIG's unit").
 *
 * A value is kept as the workbook stores it. What changes is how it is read and shown:
 * - `percentFraction`: the WIG's Baseline/Target are percents stored as fractions, as Excel
 *   stores a percent-formatted cell (49% is 0.49). Shown as "49%"; input "49%" stores 0.49.
 * - `plain`: the number is the value in the unit ("43.2" days, "48" with Unit `%`).
 * The status rules are ratios of stored values, so they give the same result on either scale.
 */
export const VALUE_SCALES = ['percentFraction', 'plain'] as const
export type ValueScale = (typeof VALUE_SCALES)[number]

/** What a value of one WIG or measure means: its scale and the Unit as the district wrote it. */
export type ValueUnits = { scale: ValueScale; unit: string }

/** Why typed text is not a value of a WIG or measure. Data only: each surface words it. */
export type ValueError =
  | { kind: 'blank' }
  /** Not a number at all ("about 60", "1,5"); `expected` says what would have been read. */
  | { kind: 'notANumber'; text: string; expected: ValueUnits }
  /**
   * A bare number above 1 on a percent-fraction goal: "61.5" is either 61.5% or 6150%, so it
   * is refused. `suggestion` is the text to type instead ("61.5%"), `stored` what it would store.
   */
  | { kind: 'percentSignMissing'; text: string; value: number; suggestion: string; stored: number }
  /** A percent typed for a goal counted in something else ("12%" for days). */
  | { kind: 'percentNotExpected'; text: string; unit: string }
  /**
   * A bare fraction on a goal kept in percentage points (48 → 62, Unit %): "0.615" is almost
   * surely 61.5%, so it is refused; a real 0.6% is typed with its sign.
   */
  | { kind: 'fractionOnPercentPoints'; text: string; suggestion: string }

// ---------------------------------------------------------------- numbers in text

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i
/** Thousands separators only in their exact places, so "1,5" (a European decimal) is not read as 15. */
const GROUPED_NUMBER = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/

/** A number typed as text, the way Excel reads typed input: "1,250", "-3", "61.5%" (percent flagged, value 61.5). */
export function parseNumberText(text: string): { value: number; percent: boolean } | null {
  const trimmed = text.trim()
  const percent = trimmed.endsWith('%')
  const body = (percent ? trimmed.slice(0, -1) : trimmed).trim()
  if (!PLAIN_NUMBER.test(body) && !GROUPED_NUMBER.test(body)) return null
  const value = Number(body.replace(/,/g, ''))
  return Number.isFinite(value) ? { value, percent } : null
}

/** Drops binary noise such as 0.45 * 100 = 45.00000000000001. */
export function tidy(n: number): number {
  return Number.parseFloat(n.toPrecision(12))
}

// ---------------------------------------------------------------- units

const PERCENT_WORDS = new Set(['%', 'percent', 'percentage', 'per cent', 'pct'])

/** A Unit that counts in percent: `%`, `percent`, or `% of …` ("% of students"). */
export function isPercentUnit(unit: string): boolean {
  const u = unit.trim().toLowerCase()
  return PERCENT_WORDS.has(u) || u.startsWith('%')
}

/** The words after the percent sign in a Unit like "% of students", or the whole Unit when it does not count percents. */
function percentTail(unit: string): string {
  const u = unit.trim()
  if (PERCENT_WORDS.has(u.toLowerCase())) return ''
  return u.startsWith('%') ? u.slice(1).trim() : u
}

const CURRENCY_PREFIXES = new Set(['$'])

/** The units a WIG's values are read and shown in. */
export function wigUnits(wig: Pick<Wig, 'scale' | 'unit'>): ValueUnits {
  return { scale: wig.scale, unit: wig.unit }
}

/**
 * The units a measure's values are read and shown in: its own scale (decided from its own
 * Baseline/Target, as a WIG's) and its Unit, or its WIG's Unit when its own is blank and the
 * scales agree (a lead measure with a blank Unit on a percent goal still shows "%").
 */
export function measureUnits(measure: Pick<Measure, 'scale' | 'unit'>, wig?: Pick<Wig, 'scale' | 'unit'>): ValueUnits {
  const unit = measure.unit.trim() === '' && wig !== undefined && wig.scale === measure.scale ? wig.unit : measure.unit
  return { scale: measure.scale, unit }
}

/**
 * The units a check-in for `wigId` (and `measureId`, when it is for a measure) is typed and shown
 * in: the measure's when there is one, else the WIG's. null when the plan has no such WIG or measure.
 */
export function checkInUnits(plan: Pick<Plan, 'wigs' | 'measures'>, wigId: string, measureId: string | null): ValueUnits | null {
  const wig = plan.wigs.find((w) => w.id === wigId)
  if (measureId === null) return wig ? wigUnits(wig) : null
  const measure = plan.measures.find((m) => m.id === measureId)
  return measure ? measureUnits(measure, wig) : null
}

// ---------------------------------------------------------------- input

/**
 * Typed text → the number to store in the cell, read in `units`:
 * - percent fraction: "61.5%" and "0.615" both store 0.615; a bare "61.5" is refused with the
 *   hint "61.5%" (a bare number from -1 to 1 is the fraction itself, as Excel stores it);
 * - plain: "43.2", "-3", "1,250", "+5"; "61.5%" stores 61.5 when the Unit counts percent, and is
 *   refused otherwise; the Unit typed after the number ("43.2 days", "$1,250" for `$`) is accepted.
 */
export function parseMeasureValue(text: string, units: ValueUnits): Result<number, ValueError> {
  const typed = text.trim()
  if (typed === '') return err({ kind: 'blank' })
  // The typographic minus (U+2212) comes in with text pasted from documents; a person means minus.
  const body = withoutUnit(typed.replace(/\u2212/g, '-'), units.unit)
  const parsed = parseNumberText(body)
  if (parsed === null) return err({ kind: 'notANumber', text: typed, expected: units })
  const { value, percent } = parsed
  switch (units.scale) {
    case 'percentFraction':
      if (percent) return ok(tidy(value / 100))
      if (Math.abs(value) <= 1) return ok(value)
      return err({ kind: 'percentSignMissing', text: typed, value, suggestion: `${body}%`, stored: tidy(value / 100) })
    case 'plain':
      if (!percent && isPercentUnit(units.unit) && value !== 0 && Math.abs(value) < 1) {
        return err({ kind: 'fractionOnPercentPoints', text: typed, suggestion: `${tidy(value * 100)}%` })
      }
      if (!percent) return ok(value)
      return isPercentUnit(units.unit) ? ok(value) : err({ kind: 'percentNotExpected', text: typed, unit: units.unit })
    default:
      return exhaustiveSwitchError(units.scale, 'value scale')
  }
}

/** "43.2 days" → "43.2" for Unit `days`; "$1,250" → "1,250" for Unit `$`; anything else as typed. */
function withoutUnit(typed: string, unit: string): string {
  const u = unit.trim()
  if (u === '' || isPercentUnit(u)) return typed
  if (CURRENCY_PREFIXES.has(u)) {
    // "-$3" and "$-3" both mean minus three dollars.
    const m = /^([+-]?)\s*\$\s*(.*)$/.exec(typed)
    return m ? `${m[1] ?? ''}${m[2] ?? ''}` : typed
  }
  return typed.toLowerCase().endsWith(u.toLowerCase()) ? typed.slice(0, typed.length - u.length).trim() : typed
}

// ---------------------------------------------------------------- display

const WHOLE_OR_CENTS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })
const SMALL = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 })

/**
 * A number as en-US shows it, whatever the machine's locale ("1,250", "43.2", "-3"): the same
 * workbook reads the same everywhere. Up to 2 decimals; a value under 1 keeps 3 significant
 * digits so 0.615 or 0.004 does not round away.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  // Arithmetic noise (E(t) landing at 1e-17 instead of 0) is zero, not "0.00000000000000001".
  if (Math.abs(n) < 1e-9) return '0'
  return Math.abs(n) < 1 ? SMALL.format(n) : WHOLE_OR_CENTS.format(n)
}

/** A value in its unit: "49%", "43.2 days", "370 work orders", "$1,250", "49% of students". */
export function formatValue(value: number, units: ValueUnits): string {
  switch (units.scale) {
    case 'percentFraction':
      return withTail(`${formatNumber(tidy(value * 100))}%`, percentTail(units.unit))
    case 'plain': {
      const unit = units.unit.trim()
      if (unit === '') return formatNumber(value)
      if (isPercentUnit(unit)) return withTail(`${formatNumber(value)}%`, percentTail(unit))
      if (CURRENCY_PREFIXES.has(unit)) return value < 0 ? `-${unit}${formatNumber(-value)}` : `${unit}${formatNumber(value)}`
      return `${formatNumber(value)} ${unit}`
    }
    default:
      return exhaustiveSwitchError(units.scale, 'value scale')
  }
}

const withTail = (shown: string, tail: string): string => (tail === '' ? shown : `${shown} ${tail}`)

/**
 * From one value to another, the unit said once when it is a word after the number:
 * "420 → 150 work orders", "48% → 62%", "$1,200 → $900".
 */
export function formatRange(from: number, to: number, units: ValueUnits): string {
  const end = formatValue(to, units)
  const start = formatValue(from, units)
  const unit = units.unit.trim()
  const wordUnit = units.scale === 'plain' && unit !== '' && !isPercentUnit(unit) && !CURRENCY_PREFIXES.has(unit)
  return `${wordUnit ? formatNumber(from) : start} → ${end}`
}

/** A share or ratio (progress, pace) as a whole percent: 0.38 → "38%". */
export function formatShare(ratio: number): string {
  const rounded = Math.round(ratio * 100)
  return `${rounded === 0 ? 0 : rounded}%`
}
