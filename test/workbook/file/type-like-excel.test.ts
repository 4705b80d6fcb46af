import { describe, expect, it } from 'vitest'
import { typeLikeExcel } from '../../../src/workbook/file/tables.ts'

describe('strings written to a cell are typed as Excel would', () => {
  it.each([
    ["'=1+1", '=1+1'],
    ["'2025-06-30", '2025-06-30'],
    ["'42", '42'],
    ['plain words', 'plain words'],
    ['June 2025', 'June 2025'],
  ])('%s stays text: %s', (input, stored) => {
    expect(typeLikeExcel(input)).toEqual({ value: stored })
  })

  it('makes a formula of text starting with =', () => {
    expect(typeLikeExcel('=SUM(A1:A3)')).toEqual({ value: { formula: 'SUM(A1:A3)' } })
  })

  it('makes a date of ISO text, keeping a date format the cell already has', () => {
    expect(typeLikeExcel('2025-06-30')).toEqual({ value: new Date('2025-06-30T00:00:00Z'), numFmt: 'yyyy-mm-dd' })
    expect(typeLikeExcel('2025-06-30', 'm/d/yyyy')).toEqual({ value: new Date('2025-06-30T00:00:00Z'), numFmt: 'm/d/yyyy' })
    expect(typeLikeExcel('2025-02-30')).toEqual({ value: '2025-02-30' })
  })

  it('makes numbers, percentages and booleans of their text', () => {
    expect(typeLikeExcel('49')).toEqual({ value: 49 })
    expect(typeLikeExcel(' -0.5 ')).toEqual({ value: -0.5 })
    expect(typeLikeExcel('75%')).toEqual({ value: 0.75, numFmt: '0%' })
    expect(typeLikeExcel('true')).toEqual({ value: true })
    expect(typeLikeExcel('FALSE')).toEqual({ value: false })
  })

  it('empties the cell for an empty string and keeps numbers and booleans as they are', () => {
    expect(typeLikeExcel('')).toEqual({ value: null })
    expect(typeLikeExcel(3.5)).toEqual({ value: 3.5 })
    expect(typeLikeExcel(false)).toEqual({ value: false })
  })

  it('keeps everything as text in a cell formatted as Text', () => {
    expect(typeLikeExcel('=1+1', '@')).toEqual({ value: '=1+1' })
    expect(typeLikeExcel('42', '@')).toEqual({ value: '42' })
  })
})
