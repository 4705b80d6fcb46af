import { describe, expect, it } from 'vitest'
import { checkTables } from '../../../src/workbook/check.ts'
import { changeLog, fullWorkbook, table, workbook, wigs } from './raw-builder.ts'

describe('checkTables', () => {
  it('finds nothing wrong in a complete workbook', () => {
    expect(checkTables(fullWorkbook())).toEqual([])
  })

  it('reports each missing table once, with what the user loses', () => {
    const problems = checkTables(workbook(wigs(), changeLog()))
    expect(problems.map((p) => p.table)).toEqual(['Strategies', 'Measures', 'CheckIns', 'ActionSteps', 'People', 'Settings'])
    expect(problems).toContainEqual({ table: 'Settings', row: null, column: null, cell: null, key: null, message: 'There is no Settings table, so the default settings are used.' })
    expect(problems).toContainEqual({ table: 'People', row: null, column: null, cell: null, key: null, message: 'There is no People table, so owners are shown as written and not checked.' })
  })

  it('names each missing required column but not missing optional ones', () => {
    const steps = table('ActionSteps', ['StepId', 'WigId', 'Title', 'Owner'], [], { sheet: 'Steps', at: { row: 3, column: 2 } })
    const problems = checkTables({ tables: { ActionSteps: steps }, missing: [] })
    expect(problems).toEqual([
      { table: 'ActionSteps', row: 3, column: 'DueDate', cell: null, key: null, message: 'The ActionSteps table has no DueDate column, so it cannot be read.' },
      { table: 'ActionSteps', row: 3, column: 'Status', cell: null, key: null, message: 'The ActionSteps table has no Status column, so it cannot be read.' },
    ])
  })

  it('reports two headers that both read as one contract column, at the second one', () => {
    const t = table('WIGs', ['WigId', 'Title', 'Target Date', 'TargetDate', 'Notes', 'notes'], [], { sheet: 'WIGs' })
    expect(checkTables({ tables: { WIGs: t }, missing: [] })).toEqual([
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
    expect(checkTables({ tables: { ChangeLog: log }, missing: [] })).toEqual([
      { table: 'ChangeLog', row: 1, column: 'NewValue', cell: null, key: null, message: 'The ChangeLog table has no NewValue column, so changes cannot be saved.' },
    ])
  })
})
