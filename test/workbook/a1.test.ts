import { describe, expect, it } from 'vitest'
import { boxAddress, cellAddressOf, columnLetters, columnNumber, parseBox, parseRangeAddress, quoteSheet, splitAddress, unquoteSheet } from '../../src/workbook/a1.ts'

describe('A1 addresses', () => {
  it('turns column numbers into letters and back', () => {
    for (const [n, letters] of [[1, 'A'], [26, 'Z'], [27, 'AA'], [702, 'ZZ'], [703, 'AAA'], [16_384, 'XFD']] as const) {
      expect(columnLetters(n)).toBe(letters)
      expect(columnNumber(letters)).toBe(n)
    }
  })

  it('quotes a sheet name as Excel does: bare only for a plain identifier that is not a reference', () => {
    expect(quoteSheet('Steps')).toBe('Steps')
    expect(quoteSheet('Plan_2026.v2')).toBe('Plan_2026.v2')
    expect(quoteSheet('My Sheet')).toBe("'My Sheet'")
    expect(quoteSheet("Bob's")).toBe("'Bob''s'")
    expect(quoteSheet('2026')).toBe("'2026'")
    expect(quoteSheet('AB12')).toBe("'AB12'")
    expect(quoteSheet('R2C3')).toBe("'R2C3'")
    expect(quoteSheet('Año')).toBe("'Año'")
    for (const name of ['Steps', "Bob's", 'My Sheet', "''", 'a!b']) expect(unquoteSheet(quoteSheet(name))).toBe(name)
  })

  it('reads addresses with and without a sheet, quoted or not', () => {
    expect(splitAddress('B3:C4')).toEqual({ sheet: null, ref: 'B3:C4' })
    expect(splitAddress("'a!b'!B3")).toEqual({ sheet: 'a!b', ref: 'B3' })
    expect(parseRangeAddress("'Bob''s'!$B$3:F20")).toEqual({ sheet: "Bob's", row: 3, column: 2 })
    expect(parseRangeAddress('Steps!C2')).toEqual({ sheet: 'Steps', row: 2, column: 3 })
    expect(parseRangeAddress('C2')).toBeNull()
    expect(parseBox('F20:B3')).toEqual({ top: 3, left: 2, bottom: 20, right: 6 })
    expect(parseBox('B')).toBeNull()
  })

  it('writes addresses with the sheet quoted', () => {
    expect(boxAddress('My Sheet', { top: 3, left: 2, bottom: 20, right: 6 })).toBe("'My Sheet'!B3:F20")
    expect(boxAddress('Steps', { top: 3, left: 2, bottom: 3, right: 2 })).toBe('Steps!B3')
    expect(cellAddressOf('Steps', 14, 5)).toBe('Steps!E14')
  })
})
