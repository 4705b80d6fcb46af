import { describe, expect, it } from 'vitest'
import { headersOf } from '../../src/workbook/layout.ts'
import { creationOrder, dataFormats, freeSheetName, newTableAddress, newTablesRefused } from '../../src/workbook/new-tables.ts'
import type { Audit } from '../../src/workbook/store.ts'

/** The rules both backends follow when Set up makes the contract's tables (src/workbook/new-tables.ts). */

const audit: Audit = { changeId: 'c-1', at: '2026-11-24T09:30:00Z', by: 'ana@district.org', source: 'test' }

describe('new tables', () => {
  it("puts a table on init's sheet, or the first free numbered one, comparing names as Excel does (ignoring case)", () => {
    expect(freeSheetName('CheckIns', ['Sheet1'])).toBe('Check-ins')
    expect(freeSheetName('CheckIns', ['CHECK-INS', 'check-ins 2'])).toBe('Check-ins 3')
    expect(freeSheetName('ActionSteps', ['Action Steps'])).toBe('Action Steps 2')
  })

  it('keeps a numbered sheet name within Excel\'s 31 characters', () => {
    const taken = Array.from({ length: 12 }, (_, i) => (i === 0 ? 'Strategies' : `Strategies ${i + 1}`))
    const name = freeSheetName('Strategies', taken)
    expect(name).toBe('Strategies 13')
    expect(name.length).toBeLessThanOrEqual(31)
  })

  it('makes the ChangeLog last, and gives an empty table one blank data row', () => {
    const tables = ['ChangeLog', 'WIGs', 'Settings'].map((name) => ({ name: name as 'WIGs', headers: headersOf(name as 'WIGs'), rows: [] }))
    expect(creationOrder(tables).map((t) => t.name)).toEqual(['WIGs', 'Settings', 'ChangeLog'])
    expect(newTableAddress('Check-ins', 8, 0)).toBe("'Check-ins'!A1:H2")
    expect(newTableAddress('WIGs', 14, 3)).toBe('WIGs!A1:N4')
  })

  it('formats date columns as dates and percent complete as a whole number, by header as the contract matches it', () => {
    const formats = dataFormats('ActionSteps', ['Step Id', 'Due Date', 'PercentComplete', 'Budget Code'])
    expect(formats).toEqual(['', 'yyyy-mm-dd', '0', ''])
  })

  it('refuses headers without a required column, and text a cell cannot hold, naming the row by its key', () => {
    expect(newTablesRefused({ tables: [{ name: 'People', headers: ['Email'], rows: [] }], audit })).toEqual({ kind: 'badColumns', table: 'People', columns: ['Name'] })
    const bad = newTablesRefused({ tables: [{ name: 'People', headers: ['Email', 'Name'], rows: [['ana@district.org', 'Ana\u0000']] }], audit })
    expect(bad).toMatchObject({ kind: 'badCell', table: 'People', column: 'Name', key: 'ana@district.org', problem: 'invalidCharacter' })
    expect(newTablesRefused({ tables: [], audit: { ...audit, by: 'ana\u0001' } })).toMatchObject({ kind: 'badCell', audit: 'By' })
  })

  it("throws on a caller's bug: a table named twice, repeated headers, a row of another width", () => {
    const people = { name: 'People' as const, headers: ['Email', 'Name'], rows: [] }
    expect(() => newTablesRefused({ tables: [people, people], audit })).toThrow(RangeError)
    expect(() => newTablesRefused({ tables: [{ ...people, headers: ['Email', 'Name', 'E-mail'] }], audit })).toThrow(RangeError)
    expect(() => newTablesRefused({ tables: [{ ...people, rows: [['ana@district.org']] }], audit })).toThrow(RangeError)
  })
})
