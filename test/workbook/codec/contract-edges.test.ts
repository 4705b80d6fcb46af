import { describe, expect, it } from 'vitest'
import { decodePlan } from '../../../src/workbook/codec.ts'
import { people, serial, table, wigs, workbook } from './raw-builder.ts'

describe('owners against an empty People table (WORKBOOK.md: unmatched owners are reported)', () => {
  it('reports every owner when People is there but has no rows', () => {
    const emptyPeople = { ...people(), rows: [] }
    const { problems, plan } = decodePlan(workbook(wigs(), emptyPeople))
    expect(problems.filter((p) => p.table === 'WIGs' && p.column === 'Owner').map((p) => p.key)).toEqual(['W-1', 'W-2'])
    expect(plan.wigs.map((w) => w.owner?.text)).toEqual(['maria.lopez@district.org', 'Sam Chen'])
  })

  it('does not report owners one by one when the People table is missing (the missing table is the problem)', () => {
    const { problems } = decodePlan(workbook(wigs()))
    expect(problems.some((p) => p.column === 'Owner')).toBe(false)
    expect(problems).toContainEqual(expect.objectContaining({ table: 'People', row: null }))
  })
})

describe('a WIG whose TargetDate is not after its StartDate', () => {
  it('is reported on TargetDate and still listed', () => {
    const odd = table('WIGs', ['WigId', 'Title', 'StartDate', 'TargetDate', 'Baseline', 'Target'], [
      { WigId: 'W-9', Title: 'Backwards goal', StartDate: serial('2025-06-30'), TargetDate: serial('2025-06-30'), Baseline: 1, Target: 2 },
    ], { sheet: 'WIGs' })
    const { problems, plan } = decodePlan(workbook(odd, people()))
    expect(problems).toContainEqual(expect.objectContaining({ table: 'WIGs', column: 'TargetDate', key: 'W-9', cell: 'WIGs!D2' }))
    expect(plan.wigs.map((w) => w.id)).toEqual(['W-9'])
  })
})
