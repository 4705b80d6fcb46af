import { describe, expect, it } from 'vitest'
import type { IsoDate } from '../../../src/domain/dates.ts'
import { STEP_STATUSES } from '../../../src/domain/model.ts'
import { decodeDate, decodePercentComplete, decodeStepStatus } from '../../../src/workbook/cells.ts'
import { encodeDate, encodeNumber, encodePercentComplete, encodeStepStatus, encodeText } from '../../../src/workbook/encode.ts'
import { typedTextValue } from '../../../src/workbook/typed-text.ts'

describe('encoding values to write', () => {
  it('writes a date as its ISO text, which Excel types into a real date and the codec reads back', () => {
    const written = encodeDate('2025-06-30' as IsoDate)
    expect(written).toBe('2025-06-30')
    expect(decodeDate(written)).toEqual({ ok: true, value: '2025-06-30' })
  })

  it.each(['=cmd|" /C calc"!A0', '2025', '1/2', '+1', 'Plain words'])('keeps %j as text rather than a formula, number or date', (text) => {
    const written = encodeText(text)
    expect(written).toBe(`'${text}`)
    expect(typedTextValue(written)).toBe(text)
  })

  it('writes an empty text as an empty cell', () => {
    expect(encodeText('')).toBe('')
  })

  it.each(STEP_STATUSES)('writes the status %j so that it reads back unchanged', (status) => {
    expect(decodeStepStatus(encodeStepStatus(status))).toEqual({ ok: true, value: status })
  })

  it('writes percent complete as a fraction into percent-formatted cells and as 0-100 elsewhere', () => {
    expect(encodePercentComplete(45, '0%')).toBe(0.45)
    expect(encodePercentComplete(45, 'General')).toBe(45)
    expect(encodePercentComplete(45)).toBe(45)
    for (const n of [0, 12.5, 33, 45, 100]) {
      expect(decodePercentComplete(encodePercentComplete(n, '0.0%'), '0.0%')).toEqual({ ok: true, value: n })
    }
  })

  it('writes numbers as numbers and refuses to write NaN, which Graph would take as "leave alone"', () => {
    expect(encodeNumber(0.75)).toBe(0.75)
    expect(() => encodeNumber(Number.NaN)).toThrow(RangeError)
  })
})
