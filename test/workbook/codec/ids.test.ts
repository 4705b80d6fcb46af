import { describe, expect, it } from 'vitest'
import { decodePlan } from '../../../src/workbook/codec.ts'
import type { RawTable, RawWorkbook } from '../../../src/workbook/raw.ts'
import { checkIns, fullWorkbook, people, wigs } from './raw-builder.ts'

const withTable = (wb: RawWorkbook, t: RawTable): RawWorkbook => ({ tables: { ...wb.tables, [t.name]: t }, missing: wb.missing.filter((n) => n !== t.name) })
const long = 'W'.repeat(101)

describe('decodePlan checks ids with the domain validators', () => {
  it('leaves out a WIG whose WigId is not an id, and says why', () => {
    const w = wigs()
    w.rows[1]![0] = long
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), w))
    expect(plan.wigs.map((x) => x.id)).toEqual(['W-1'])
    expect(problems).toContainEqual(
      expect.objectContaining({ table: 'WIGs', row: 3, column: 'WigId', message: 'WigId is 101 characters long, more than the 100 an id may have, so this WIG is not shown until it is fixed' }),
    )
  })

  it('keeps a check-in whose WigId is not an id, as belonging to no WIG', () => {
    const c = checkIns()
    c.rows[1]![1] = long
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), c))
    expect(plan.checkIns[1]).toMatchObject({ id: 'C-1', wigId: '' })
    expect(problems).toContainEqual(expect.objectContaining({ table: 'CheckIns', row: 3, column: 'WigId', message: expect.stringMatching(/^WigId is 101 characters long.*, so this check-in belongs to no WIG$/) }))
  })

  it('leaves out of People a row whose Email is not an address', () => {
    const p = people()
    p.rows[1]![0] = 'sam.chen'
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), p))
    expect(plan.people.map((x) => x.email)).toEqual(['maria.lopez@district.org'])
    expect(problems).toContainEqual(expect.objectContaining({ table: 'People', column: 'Email', message: 'Email "sam.chen" is not an email address, so this person is left out of the directory' }))
  })
})
