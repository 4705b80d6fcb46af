import { describe, expect, it } from 'vitest'
import { checkInUnits, formatRange, formatShare, formatValue, parseMeasureValue, type ValueError, type ValueUnits } from '../../src/domain/units.ts'
import { measure, wig } from './builders.ts'

/** A percent goal kept as fractions (55% → 72% in percent-formatted cells), a plain goal in days, one counted in percent points, one in dollars. */
const percentGoal: ValueUnits = { scale: 'percentFraction', unit: '%' }
const days: ValueUnits = { scale: 'plain', unit: 'days' }
const percentPoints: ValueUnits = { scale: 'plain', unit: '%' }
const dollars: ValueUnits = { scale: 'plain', unit: '$' }

const stored = (text: string, units: ValueUnits): number | ValueError => {
  const r = parseMeasureValue(text, units)
  return r.ok ? r.value : r.error
}

describe('check-in input on a percent goal kept as fractions', () => {
  it('stores 61.5% and 0.615 alike as 0.615, the fraction Excel keeps for 61.5%', () => {
    expect(stored('61.5%', percentGoal)).toBe(0.615)
    expect(stored('0.615', percentGoal)).toBe(0.615)
    expect(stored(' 61.5 % ', percentGoal)).toBe(0.615)
  })

  it('refuses a bare 61.5 (it would be 6150%) and suggests 61.5%', () => {
    expect(stored('61.5', percentGoal)).toEqual({ kind: 'percentSignMissing', text: '61.5', value: 61.5, suggestion: '61.5%', stored: 0.615 })
  })

  it('accepts negative values, as a percent or as a fraction', () => {
    expect(stored('-3%', percentGoal)).toBe(-0.03)
    expect(stored('-0.2', percentGoal)).toBe(-0.2)
    expect(stored('\u22125%', percentGoal)).toBe(-0.05)
  })

  it('reads 0 and 1 as the fractions 0% and 100%', () => {
    expect(stored('0', percentGoal)).toBe(0)
    expect(stored('1', percentGoal)).toBe(1)
    expect(stored('100%', percentGoal)).toBe(1)
  })
})

describe('check-in input on a plain goal', () => {
  it('accepts decimals, negatives, thousands separators and a leading plus', () => {
    expect(stored('43.2', days)).toBe(43.2)
    expect(stored('-3', days)).toBe(-3)
    expect(stored('1,250', days)).toBe(1250)
    expect(stored('+5', days)).toBe(5)
  })

  it('accepts the unit typed after the number', () => {
    expect(stored('43.2 days', days)).toBe(43.2)
    expect(stored('43.2 Days', days)).toBe(43.2)
    expect(stored('$1,250', dollars)).toBe(1250)
    expect(stored('-$3', dollars)).toBe(-3)
  })

  it('takes 61.5% as 61.5 when the goal counts percent points (48 → 62, Unit %)', () => {
    expect(stored('61.5%', percentPoints)).toBe(61.5)
    expect(stored('61.5', percentPoints)).toBe(61.5)
  })

  it('refuses a bare fraction on a percent-point goal with the percent it likely means, and takes 0.6% typed with its sign', () => {
    expect(parseMeasureValue('0.615', percentPoints)).toEqual({ ok: false, error: { kind: 'fractionOnPercentPoints', text: '0.615', suggestion: '61.5%' } })
    expect(stored('0.6%', percentPoints)).toBe(0.6)
    expect(stored('0', percentPoints)).toBe(0)
  })

  it('refuses a percent on a goal counted in days', () => {
    expect(stored('12%', days)).toEqual({ kind: 'percentNotExpected', text: '12%', unit: 'days' })
  })

  it('refuses a European decimal rather than reading 1,5 as 15', () => {
    expect(stored('1,5', days)).toEqual({ kind: 'notANumber', text: '1,5', expected: days })
  })
})

describe('check-in input that is not a number', () => {
  it('names the text and what was expected', () => {
    expect(stored('about sixty', percentGoal)).toEqual({ kind: 'notANumber', text: 'about sixty', expected: percentGoal })
    expect(stored('12 weeks', days)).toEqual({ kind: 'notANumber', text: '12 weeks', expected: days })
  })

  it('calls blank input blank', () => {
    expect(stored('  ', days)).toEqual({ kind: 'blank' })
  })
})

describe('values shown in their unit', () => {
  it('shows a stored fraction as a percent: 0.49 is 49%, never 0.49%', () => {
    expect(formatValue(0.49, percentGoal)).toBe('49%')
    expect(formatValue(0.615, percentGoal)).toBe('61.5%')
    expect(formatValue(0.4642, { scale: 'percentFraction', unit: '' })).toBe('46.42%')
  })

  it('keeps the words of a unit like "% of students"', () => {
    expect(formatValue(0.49, { scale: 'percentFraction', unit: '% of students' })).toBe('49% of students')
    expect(formatValue(49, { scale: 'plain', unit: '% of students' })).toBe('49% of students')
  })

  it('shows a plain value with its unit after it', () => {
    expect(formatValue(43.2, days)).toBe('43.2 days')
    expect(formatValue(370, { scale: 'plain', unit: 'work orders' })).toBe('370 work orders')
    expect(formatValue(48, percentPoints)).toBe('48%')
    expect(formatValue(43.2, { scale: 'plain', unit: '' })).toBe('43.2')
  })

  it('groups thousands the en-US way and puts $ before the number', () => {
    expect(formatValue(1250, days)).toBe('1,250 days')
    expect(formatValue(1_200_000, dollars)).toBe('$1,200,000')
    expect(formatValue(-3, dollars)).toBe('-$3')
  })

  it('rounds to two decimals, keeps small values readable, and never shows -0', () => {
    expect(formatValue(315.4137, { scale: 'plain', unit: 'work orders' })).toBe('315.41 work orders')
    expect(formatValue(0.004, { scale: 'plain', unit: 'ppm' })).toBe('0.004 ppm')
    expect(formatValue(-0, days)).toBe('0 days')
    expect(formatValue(-1e-17, { scale: 'percentFraction', unit: '%' })).toBe('0%')
    expect(formatValue(-3, days)).toBe('-3 days')
  })

  it('says the unit once in a range when it is a word', () => {
    expect(formatRange(420, 150, { scale: 'plain', unit: 'work orders' })).toBe('420 → 150 work orders')
    expect(formatRange(0.22, 0.15, percentGoal)).toBe('22% → 15%')
    expect(formatRange(48, 62, percentPoints)).toBe('48% → 62%')
  })

  it('shows progress and pace as whole percents', () => {
    expect(formatShare(0.3846)).toBe('38%')
    expect(formatShare(-0.004)).toBe('0%')
    expect(formatShare(1.04)).toBe('104%')
  })
})

describe('the units a check-in is typed in', () => {
  const plan = {
    wigs: [wig({ id: 'W-3', scale: 'percentFraction', unit: '%' })],
    measures: [
      measure({ id: 'M-1', wigId: 'W-3', type: 'Lead', name: 'Reteach cycles', unit: 'cycles', scale: 'plain', baseline: 0, target: 12 }),
      measure({ id: 'M-2', wigId: 'W-3', type: 'Lag', name: 'Unit 2 pass rate', unit: '', scale: 'percentFraction', baseline: 0.5, target: 0.7 }),
    ],
  }

  it("are the WIG's for its own check-ins and the measure's for a measure", () => {
    expect(checkInUnits(plan, 'W-3', null)).toEqual({ scale: 'percentFraction', unit: '%' })
    expect(checkInUnits(plan, 'W-3', 'M-1')).toEqual({ scale: 'plain', unit: 'cycles' })
  })

  it("take the WIG's Unit when a measure on the same scale has none", () => {
    expect(checkInUnits(plan, 'W-3', 'M-2')).toEqual({ scale: 'percentFraction', unit: '%' })
  })

  it('are unknown for a WIG or measure the plan does not have', () => {
    expect(checkInUnits(plan, 'W-9', null)).toBeNull()
    expect(checkInUnits(plan, 'W-3', 'M-9')).toBeNull()
  })
})
