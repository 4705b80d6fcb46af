import { describe, expect, it } from 'vitest'
import { excelSerialFromIso, type IsoDate } from '../../../src/domain/dates.ts'
import {
  decodeDate,
  decodeDirection,
  decodeKind,
  decodeMeasureType,
  decodeNumber,
  decodePercentComplete,
  decodeStepStatus,
  decodeText,
  decodeThreshold,
  decodeTimestampText,
  decodeWholeDays,
  decodeWigStatus,
} from '../../../src/workbook/cells.ts'
import type { CellValue } from '../../../src/workbook/raw.ts'

const serial = (iso: string): number => excelSerialFromIso(iso as IsoDate)

describe('decodeText', () => {
  it.each<[CellValue, string]>([
    ['  Close the gap  ', 'Close the gap'],
    [2025, '2025'],
    [0.5, '0.5'],
    [true, 'TRUE'],
    ['', ''],
  ])('reads %j as %j', (cell, text) => {
    expect(decodeText(cell)).toBe(text)
  })
})

describe('decodeDate', () => {
  it.each<[CellValue, string | undefined, string | null]>([
    [serial('2025-06-30'), 'm/d/yyyy', '2025-06-30'],
    [serial('2025-06-30') + 0.75, 'm/d/yyyy h:mm', '2025-06-30'],
    // Graph returns serials whatever the format, so a General-formatted serial is still a date.
    [serial('2025-01-15'), 'General', '2025-01-15'],
    [' 2025-06-30 ', undefined, '2025-06-30'],
    ['', undefined, null],
    ['   ', undefined, null],
  ])('reads %j (format %j) as %j', (cell, format, expected) => {
    expect(decodeDate(cell, format)).toEqual({ ok: true, value: expected })
  })

  it.each<[CellValue, string]>([
    ['June 2025', 'should be a date (an Excel date or YYYY-MM-DD); found "June 2025"'],
    ['31/06/2025', 'should be a date (an Excel date or YYYY-MM-DD); found "31/06/2025"'],
    ['06/30/2025', 'should be a date (an Excel date or YYYY-MM-DD); found "06/30/2025"'],
    ['2025-02-30', 'should be a date (an Excel date or YYYY-MM-DD); found "2025-02-30", which is not a day of the calendar'],
    ['#N/A', 'should be a date (an Excel date or YYYY-MM-DD); found the error #N/A'],
    [true, 'should be a date (an Excel date or YYYY-MM-DD); found TRUE'],
    [12, 'should be a date (an Excel date or YYYY-MM-DD) from 1900 to 9999; found 12'],
    [2025, 'should be a date (an Excel date or YYYY-MM-DD); found 2025, which is a year, not a day'],
  ])('does not guess a date from %j', (cell, reason) => {
    expect(decodeDate(cell)).toEqual({ ok: false, error: reason })
  })
})

describe('decodeNumber', () => {
  it.each<[CellValue, number | null]>([
    [42, 42],
    [-3.5, -3.5],
    [' 18 ', 18],
    ['1,250', 1250],
    ['1,250,000.5', 1250000.5],
    ['.5', 0.5],
    // As Excel stores "75%" when typed.
    ['75%', 0.75],
    ['', null],
  ])('reads %j as %j', (cell, expected) => {
    expect(decodeNumber(cell)).toEqual({ ok: true, value: expected })
  })

  it('keeps a percent-formatted fraction as the fraction Excel stores', () => {
    expect(decodeNumber(0.18, '0%')).toEqual({ ok: true, value: 0.18 })
  })

  it.each<[CellValue, string]>([
    ['1,5', 'should be a number; found "1,5"'],
    ['12,34', 'should be a number; found "12,34"'],
    ['about 40', 'should be a number; found "about 40"'],
    ['#DIV/0!', 'should be a number; found the error #DIV/0!'],
    [false, 'should be a number; found FALSE'],
  ])('reports %j', (cell, reason) => {
    expect(decodeNumber(cell)).toEqual({ ok: false, error: reason })
  })
})

describe('decodePercentComplete', () => {
  it.each<[CellValue, string | undefined, number | null]>([
    [45, 'General', 45],
    [45, undefined, 45],
    [0.45, '0%', 45],
    [0.125, '0.0%', 12.5],
    [1, '0%', 100],
    [0, '0%', 0],
    // Without a percent format, 0.5 is half a percent, as the cell shows.
    [0.5, 'General', 0.5],
    ['45%', undefined, 45],
    ['45 %', undefined, 45],
    ['60', undefined, 60],
    ['', '0%', null],
  ])('reads %j (format %j) as %j', (cell, format, expected) => {
    expect(decodePercentComplete(cell, format)).toEqual({ ok: true, value: expected })
  })

  it.each<[CellValue, string | undefined, string]>([
    [120, 'General', 'should be a percentage from 0 to 100; found 120%'],
    [-5, undefined, 'should be a percentage from 0 to 100; found -5%'],
    [1.5, '0%', 'should be a percentage from 0 to 100; found 150%'],
    ['half', undefined, 'should be a percentage from 0 to 100; found "half"'],
  ])('reports %j (format %j)', (cell, format, reason) => {
    expect(decodePercentComplete(cell, format)).toEqual({ ok: false, error: reason })
  })
})

describe('decodeStepStatus', () => {
  it.each<[string, string]>([
    ['Not started', 'Not started'],
    ['not started', 'Not started'],
    ['Not Started', 'Not started'],
    ['  NOT   STARTED ', 'Not started'],
    ['Open', 'Not started'],
    ['In progress', 'In progress'],
    ['In-progress', 'In progress'],
    ['in_progress', 'In progress'],
    ['InProgress', 'In progress'],
    ['WIP', 'In progress'],
    ['Started', 'In progress'],
    ['Blocked', 'Blocked'],
    ['On hold', 'Blocked'],
    ['On-Hold', 'Blocked'],
    ['Done', 'Done'],
    ['Complete', 'Done'],
    ['Completed', 'Done'],
    ['Cancelled', 'Cancelled'],
    ['Canceled', 'Cancelled'],
  ])('reads %j as %j', (cell, status) => {
    expect(decodeStepStatus(cell)).toEqual({ ok: true, value: status })
  })

  it('reads a blank cell as no status', () => {
    expect(decodeStepStatus('')).toEqual({ ok: true, value: null })
  })

  // Only the synonyms WORKBOOK.md names are read: "anything else is a problem".
  it.each<[CellValue]>([['Waiting on vendor'], ['constructor'], [3], ['#N/A'], ['Finished'], ['To do'], ['Paused']])('reports %j with the statuses it accepts', (cell) => {
    const result = decodeStepStatus(cell)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toMatch(/^should be one of Not started, In progress, Blocked, Done or Cancelled; found /)
  })
})

describe('decodeWigStatus, decodeKind, decodeDirection, decodeMeasureType', () => {
  it.each<[(v: CellValue) => unknown, CellValue, unknown]>([
    [decodeWigStatus, 'on track', 'On track'],
    [decodeWigStatus, 'At-Risk', 'At risk'],
    [decodeWigStatus, 'achieved', 'Achieved'],
    [decodeKind, 'numeric', 'Numeric'],
    [decodeKind, ' Milestone ', 'Milestone'],
    [decodeDirection, 'DECREASE', 'Decrease'],
    [decodeDirection, 'up', 'Increase'],
    [decodeMeasureType, 'lead', 'Lead'],
    [decodeMeasureType, 'Lag indicator', 'Lag'],
    [decodeMeasureType, 'Benchmark', 'Lead'],
    [decodeKind, '', null],
  ])('%o reads %j as %j', (decoder, cell, expected) => {
    expect(decoder(cell)).toEqual({ ok: true, value: expected })
  })

  it.each<[(v: CellValue) => unknown, CellValue, string]>([
    [decodeWigStatus, 'Fine', 'should be one of On track, At risk, Off track, Achieved, Missed, No data or Not started; found "Fine"'],
    // The contract lists the seven statuses and no colour words.
    [decodeWigStatus, 'Green', 'should be one of On track, At risk, Off track, Achieved, Missed, No data or Not started; found "Green"'],
    [decodeKind, 'Percent', 'should be one of Numeric or Milestone; found "Percent"'],
    [decodeDirection, 'Sideways', 'should be one of Increase or Decrease; found "Sideways"'],
    [decodeMeasureType, 'Output', 'should be one of Lag or Lead; found "Output"'],
  ])('%o reports %j', (decoder, cell, reason) => {
    expect(decoder(cell)).toEqual({ ok: false, error: reason })
  })
})

describe('settings values', () => {
  it.each<[CellValue, string | undefined, number]>([
    [0.9, 'General', 0.9],
    [0.9, '0%', 0.9],
    ['90%', undefined, 0.9],
    ['0.85', undefined, 0.85],
    [90, 'General', 0.9],
    [80, '0%', 0.8],
    [1, 'General', 1],
    [0, 'General', 0],
  ])('reads the threshold %j (format %j) as %j', (cell, format, expected) => {
    expect(decodeThreshold(cell, format)).toEqual({ ok: true, value: expected })
  })

  it.each<[CellValue, string | undefined]>([[150, undefined], [150, '0%'], [-0.1, undefined], ['most', undefined]])('rejects the threshold %j (format %j)', (cell, format) => {
    expect(decodeThreshold(cell, format).ok).toBe(false)
  })

  it.each<[CellValue, number]>([[30, 30], ['14', 14], [0, 0]])('reads %j days', (cell, days) => {
    expect(decodeWholeDays(cell)).toEqual({ ok: true, value: days })
  })

  it.each<[CellValue]>([[-1], [2.5], ['a month']])('rejects %j as a number of days', (cell) => {
    expect(decodeWholeDays(cell)).toEqual({ ok: false, error: expect.stringMatching(/^should be a whole number of days \(0 or more\); found /) })
  })
})

describe('decodeTimestampText', () => {
  it('keeps written timestamps as they are and shows a typed date-time serial as its wall-clock time', () => {
    expect(decodeTimestampText('2025-06-30T10:15:00Z')).toBe('2025-06-30T10:15:00Z')
    expect(decodeTimestampText(serial('2025-06-30') + 0.5)).toBe('2025-06-30T12:00:00')
    expect(decodeTimestampText(serial('2025-06-30'))).toBe('2025-06-30')
  })
})
