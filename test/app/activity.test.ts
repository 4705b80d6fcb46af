import { describe, expect, it } from 'vitest'
import { changeEntries, timestampDate } from '../../src/app/activity.ts'
import { excelSerialFromIso } from '../../src/domain/dates.ts'
import type { CellValue, RawTable, RawWorkbook } from '../../src/workbook/raw.ts'
import { d } from '../domain/builders.ts'

const HEADERS = ['At', 'By', 'Source', 'Table', 'Key', 'Column', 'OldValue', 'NewValue', 'ChangeId']

function log(rows: CellValue[][], headers: string[] = HEADERS): RawWorkbook {
  const table: RawTable = { name: 'ChangeLog', headers, rows }
  return { tables: { ChangeLog: table }, missing: [] }
}

describe('timestampDate: the day of an audit cell', () => {
  const cases: [string, CellValue, string | null][] = [
    ['ISO date', '2026-11-24', '2026-11-24'],
    ['what the app writes (toISOString)', '2026-11-24T21:05:07.123Z', '2026-11-24'],
    ['seconds, no fraction', '2026-11-24T14:05:00Z', '2026-11-24'],
    ['a space and minutes only', '2026-11-24 14:05', '2026-11-24'],
    ['an offset: the day as written', '2026-11-24T23:30:00-05:00', '2026-11-24'],
    ['spaces around', '  2026-11-24T10:00:00Z ', '2026-11-24'],
    ['an Excel date typed by hand', excelSerialFromIso(d('2026-11-20')), '2026-11-20'],
    ['an Excel date-time typed by hand', excelSerialFromIso(d('2026-11-20')) + 0.75, '2026-11-20'],
    ['not a day of the calendar', '2026-02-30T10:00:00Z', null],
    ['a US date is not guessed', '11/24/2026', null],
    ['words', 'last Tuesday', null],
    ['a date with trailing text', '2026-11-24 (approx)', null],
    ['blank', '', null],
    ['an error cell', '#N/A', null],
    ['a boolean', true, null],
  ]
  it.each(cases)('%s', (_name, value, expected) => {
    expect(timestampDate(value)).toBe(expected)
  })
})

describe('changeEntries: the ChangeLog decoded', () => {
  it('reads every column, oldest first, with the row index as position', () => {
    const entries = changeEntries(
      log([
        ['2026-11-01T09:00:00.000Z', 'ana@d.org', 'cli', 'ActionSteps', 'ST-0001', 'Status', 'Not started', 'In progress', 'c-1'],
        ['2026-11-02T10:30:00.000Z', 'ben@d.org', 'taskpane', 'CheckIns', 'CI-0009', 'Value', '', '42', 'c-2'],
      ]),
    )
    expect(entries).toEqual([
      { at: '2026-11-01T09:00:00.000Z', date: '2026-11-01', by: 'ana@d.org', source: 'cli', table: 'ActionSteps', key: 'ST-0001', column: 'Status', oldValue: 'Not started', newValue: 'In progress', changeId: 'c-1', position: 0 },
      { at: '2026-11-02T10:30:00.000Z', date: '2026-11-02', by: 'ben@d.org', source: 'taskpane', table: 'CheckIns', key: 'CI-0009', column: 'Value', oldValue: '', newValue: '42', changeId: 'c-2', position: 1 },
    ])
  })

  it('matches headers as the contract does, in any order, beside extra columns, without ChangeId', () => {
    const headers = ['Note', 'key', 'Table', 'new value', 'Old_Value', 'Column', 'SOURCE', 'By', 'at']
    const [entry] = changeEntries(log([['mine', ' ST-0002 ', 'Action Steps', 'Done', 'In progress', 'Status', 'excel', 'cy@d.org', '2026-10-05']], headers))
    expect(entry).toEqual({ at: '2026-10-05', date: '2026-10-05', by: 'cy@d.org', source: 'excel', table: 'Action Steps', key: 'ST-0002', column: 'Status', oldValue: 'In progress', newValue: 'Done', changeId: '', position: 0 })
  })

  it('an At typed as an Excel date reads as that day; numbers and booleans become text; logged values keep their spaces', () => {
    const serial = excelSerialFromIso(d('2026-09-15')) + 0.5
    const [entry] = changeEntries(log([[serial, 'dee@d.org', 'excel', 'ActionSteps', 41, 'PercentComplete', 25, true, ' x ']]))
    expect(entry).toMatchObject({ at: '2026-09-15T12:00:00', date: '2026-09-15', key: '41', oldValue: '25', newValue: 'TRUE', changeId: 'x' })
  })

  it('keeps a row whose At is not a date (date null), and skips blank rows without renumbering', () => {
    const entries = changeEntries(
      log([
        ['yesterday', 'a@d.org', 'excel', 'ActionSteps', 'ST-0001', 'Notes', '', 'hi', ''],
        ['', '', '', '', '', '', '', '', ''],
        ['#N/A', 'a@d.org', 'excel', 'ActionSteps', 'ST-0001', 'Notes', 'hi', 'ho', ''],
      ]),
    )
    expect(entries.map((e) => [e.position, e.at, e.date])).toEqual([
      [0, 'yesterday', null],
      [2, '#N/A', null],
    ])
  })

  const empty: [string, RawWorkbook][] = [
    ['the table is missing', { tables: {}, missing: ['ChangeLog'] }],
    ['the table was not asked for', { tables: {}, missing: [] }],
    ['a required column is missing', log([['2026-11-01', 'a@d.org', 'cli', 'ActionSteps', 'ST-0001', 'Status', 'x']], HEADERS.slice(0, 7))],
    ['a column is doubled', log([['2026-11-01', 'a@d.org', 'cli', 'ActionSteps', 'ST-0001', 'Status', 'x', 'y', 'z', '2026-11-02']], [...HEADERS, 'At'])],
    ['the table has no rows', log([])],
    ['a backend handed over garbage', { tables: { ChangeLog: 42 }, missing: 'no' } as unknown as RawWorkbook],
    ['rows that are not arrays', { tables: { ChangeLog: { name: 'ChangeLog', headers: HEADERS, rows: [null, 'x'] } }, missing: [] } as unknown as RawWorkbook],
  ]
  it.each(empty)('gives [] when %s, and never throws', (_name, raw) => {
    expect(changeEntries(raw)).toEqual([])
  })
})
