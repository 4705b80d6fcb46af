import { describe, expect, it } from 'vitest'
import { decodePlan } from '../../../src/workbook/codec.ts'
import { steps, workbook } from './raw-builder.ts'

/** A backend may send values without `numberFormat` (it is optional in our raw shape). */
describe('PercentComplete when the backend sends no number formats', () => {
  const withoutFormats = (percents: number[]) => {
    const table = steps()
    delete table.numberFormats
    table.rows = table.rows.map((row, i) => row.map((cell, c) => (table.headers[c] === 'PercentComplete' ? (percents[i] ?? cell) : cell)))
    return decodePlan(workbook(table)).plan.steps.map((s) => s.percentComplete)
  }

  it('reads a column of fractions (all within 0-1, one strictly between) as percentages', () => {
    expect(withoutFormats([1, 0.4])).toEqual([100, 40])
  })

  it('leaves a column of 0-100 numbers as it is', () => {
    expect(withoutFormats([100, 40])).toEqual([100, 40])
    expect(withoutFormats([1, 0])).toEqual([1, 0])
  })
})
