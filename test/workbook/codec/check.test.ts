import { describe, expect, it } from 'vitest'
import { checkTable } from '../../../src/workbook/check.ts'
import { decodePlan } from '../../../src/workbook/codec.ts'
import { TABLE_NAMES } from '../../../src/workbook/contract.ts'
import { changeLog, fullWorkbook, table, workbook, wigs } from './raw-builder.ts'

// The structural checks as the codec runs them: checkTable per table, missing tables in decodePlan.
describe('workbook structure', () => {
  it('finds nothing wrong in a complete workbook', () => {
    const full = fullWorkbook()
    for (const name of TABLE_NAMES) {
      const t = full.tables[name]
      expect(t && checkTable(t).problems, name).toEqual([])
    }
  })

  it('reports each missing table once, with what the user loses', () => {
    const problems = decodePlan(workbook(wigs(), changeLog())).problems.filter((p) => p.row === null && p.column === null)
    expect(problems.map((p) => p.table)).toEqual(['Strategies', 'Measures', 'CheckIns', 'ActionSteps', 'People', 'Settings'])
    expect(problems).toContainEqual({ table: 'Settings', row: null, column: null, cell: null, key: null, message: 'There is no Settings table, so the default settings are used.' })
    expect(problems).toContainEqual({ table: 'People', row: null, column: null, cell: null, key: null, message: 'There is no People table, so owners are shown as written and not checked.' })
  })

  it('names each missing required column but not missing optional ones', () => {
    const steps = table('ActionSteps', ['StepId', 'WigId', 'Title', 'Owner'], [], { sheet: 'Steps', at: { row: 3, column: 2 } })
    const problems = checkTable(steps).problems
    expect(problems).toEqual([
      { table: 'ActionSteps', row: 3, column: 'DueDate', cell: null, key: null, message: 'The ActionSteps table has no DueDate column, so it cannot be read.' },
      { table: 'ActionSteps', row: 3, column: 'Status', cell: null, key: null, message: 'The ActionSteps table has no Status column, so it cannot be read.' },
    ])
  })

  it('reports two headers that both read as one contract column, at the second one', () => {
    const t = table('WIGs', ['WigId', 'Title', 'Target Date', 'TargetDate', 'Notes', 'notes'], [], { sheet: 'WIGs' })
    expect(checkTable(t).problems).toEqual([
      {
        table: 'WIGs',
        row: 1,
        column: 'TargetDate',
        cell: 'WIGs!D1',
        key: null,
        message: 'The WIGs table has 2 columns that read as TargetDate ("Target Date", "TargetDate"), so it cannot be read; rename or remove all but one.',
      },
    ])
  })

  it('says a ChangeLog without its columns means changes cannot be saved', () => {
    const log = table('ChangeLog', ['At', 'By', 'Source', 'Table', 'Key', 'Column', 'OldValue'], [])
    expect(checkTable(log).problems).toEqual([
      { table: 'ChangeLog', row: 1, column: 'NewValue', cell: null, key: null, message: 'The ChangeLog table has no NewValue column, so changes cannot be saved.' },
    ])
  })
})
