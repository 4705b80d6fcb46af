import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '../../../src/domain/model.ts'
import { decodePlan } from '../../../src/workbook/codec.ts'
import type { Problem } from '../../../src/workbook/problem.ts'
import type { RawTable, RawWorkbook } from '../../../src/workbook/raw.ts'
import { changeLog, checkIns, fullWorkbook, measures, people, serial, settings, steps, strategies, table, wigs, workbook } from './raw-builder.ts'

const without = (wb: RawWorkbook, ...names: (keyof RawWorkbook['tables'])[]): RawWorkbook => {
  const tables = { ...wb.tables }
  for (const n of names) delete tables[n]
  return { tables, missing: [...wb.missing, ...names] }
}

const withTable = (wb: RawWorkbook, t: RawTable): RawWorkbook => ({ tables: { ...wb.tables, [t.name]: t }, missing: wb.missing.filter((n) => n !== t.name) })

const problem = (p: Partial<Problem> & Pick<Problem, 'table' | 'message'>): Problem => ({ row: null, column: null, cell: null, key: null, ...p })

describe('decodePlan on a complete workbook', () => {
  const { plan, problems } = decodePlan(fullWorkbook())

  it('reports no problems', () => {
    expect(problems).toEqual([])
  })

  it('reads a numeric WIG with its percent-formatted fractions, dates and owner resolved by email', () => {
    expect(plan.wigs[0]).toEqual({
      id: 'W-1',
      title: 'PM understanding from 18% to 75%',
      targetDate: '2025-06-30',
      strategyId: 'Oe 4.001',
      department: '',
      kind: 'Numeric',
      unit: '%',
      scale: 'percentFraction',
      direction: null,
      baseline: 0.18,
      target: 0.75,
      startDate: null,
      owner: { text: 'maria.lopez@district.org', email: 'maria.lopez@district.org', name: 'Maria Lopez' },
      statusOverride: null,
      statusNote: '',
    })
  })

  it('reads a milestone WIG with a text ISO date and an owner matched by name', () => {
    expect(plan.wigs[1]).toMatchObject({ id: 'W-2', kind: 'Milestone', targetDate: '2025-07-31', target: null, owner: { text: 'Sam Chen', email: 'sam.chen@district.org', name: 'Sam Chen' } })
  })

  it('keeps check-ins in table order with their positions, whatever their dates', () => {
    expect(plan.checkIns.map((c) => [c.id, c.date, c.value, c.measureId, c.position])).toEqual([
      ['C-2', '2025-03-31', 0.41, null, 0],
      ['C-1', '2024-12-15', 0.3, null, 1],
      ['C-3', '2025-01-10', 4, 'M-1', 2],
    ])
  })

  it('reads percent-formatted PercentComplete as 0-100', () => {
    expect(plan.steps.map((s) => [s.id, s.status, s.percentComplete, s.position])).toEqual([
      ['S-1', 'Done', 100, 0],
      ['S-2', 'In progress', 40, 1],
    ])
  })

  it('fills settings not in the table with the defaults', () => {
    expect(plan.settings).toEqual({ ...DEFAULT_SETTINGS, districtName: 'Example County Schools' })
  })

  it('reads strategies, measures and people', () => {
    expect(plan.strategies.map((s) => s.id)).toEqual(['Oe 4.001'])
    expect(plan.measures[0]).toMatchObject({ id: 'M-1', wigId: 'W-1', type: 'Lead', owner: { email: 'sam.chen@district.org' } })
    expect(plan.people.map((p) => p.email)).toEqual(['maria.lopez@district.org', 'sam.chen@district.org'])
  })
})

describe('decodePlan on a hand-edited sheet', () => {
  it('matches shuffled, spaced and differently-cased headers and ignores extra columns', () => {
    const hand = table(
      'ActionSteps',
      [' due  date', 'Days Left', 'STATUS', 'step id', 'Wig Id', 'title', 'owner', 'Percent Complete'],
      [{ ' due  date': '2025-04-30', 'Days Left': 12, STATUS: 'WIP', 'step id': 'S-9', 'Wig Id': 'W-2', title: 'Pilot with two schools', owner: 'maria lopez', 'Percent Complete': '45%' }],
      { sheet: 'Steps' },
    )
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), hand))
    expect(problems).toEqual([])
    expect(plan.steps).toEqual([
      {
        id: 'S-9',
        wigId: 'W-2',
        measureId: null,
        title: 'Pilot with two schools',
        owner: { text: 'maria lopez', email: 'maria.lopez@district.org', name: 'Maria Lopez' },
        dueDate: '2025-04-30',
        status: 'In progress',
        rawStatus: 'WIP',
        sequence: null,
        support: '',
        startDate: null,
        percentComplete: 45,
        notes: '',
        updatedBy: '',
        updatedAt: '',
        position: 0,
      },
    ])
  })

  it('reads status synonyms and keeps an unknown status as written, reported at its cell', () => {
    const t = steps()
    const base = { WigId: 'W-2', Title: 'Step', Owner: 'Sam Chen', DueDate: serial('2025-05-01') }
    const hand = table(
      'ActionSteps',
      ['StepId', 'WigId', 'Title', 'Owner', 'DueDate', 'Status'],
      [
        { ...base, StepId: 'S-1', Status: 'Completed' },
        { ...base, StepId: 'S-2', Status: 'on hold' },
        { ...base, StepId: 'S-3', Status: 'Canceled' },
        { ...base, StepId: 'S-4', Status: 'Waiting on vendor' },
        { ...base, StepId: 'S-5', Status: '' },
      ],
      { sheet: t.origin?.sheet ?? 'Steps' },
    )
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), hand))
    expect(plan.steps.map((s) => [s.id, s.status, s.rawStatus])).toEqual([
      ['S-1', 'Done', 'Completed'],
      ['S-2', 'Blocked', 'on hold'],
      ['S-3', 'Cancelled', 'Canceled'],
      ['S-4', null, 'Waiting on vendor'],
      ['S-5', null, ''],
    ])
    expect(problems).toEqual([
      problem({
        table: 'ActionSteps',
        row: 5,
        column: 'Status',
        cell: 'Steps!F5',
        key: 'S-4',
        message: 'Status should be one of Not started, In progress, Blocked, Done or Cancelled; found "Waiting on vendor"',
      }),
      problem({ table: 'ActionSteps', row: 6, column: 'Status', cell: 'Steps!F6', key: 'S-5', message: 'Status is blank' }),
    ])
  })

  it('reports an unreadable date at its cell and still lists the step', () => {
    const t = steps()
    t.rows[1]![4] = 'June 2025'
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), t))
    expect(problems).toEqual([
      problem({
        table: 'ActionSteps',
        row: 3,
        column: 'DueDate',
        cell: 'Steps!E3',
        key: 'S-2',
        message: 'DueDate should be a date (an Excel date or YYYY-MM-DD); found "June 2025"',
      }),
    ])
    expect(plan.steps[1]).toMatchObject({ id: 'S-2', title: 'Build the dashboard', dueDate: null })
  })

  it('reports every repeat of a key, pointing at the first, and keeps both rows', () => {
    const t = steps()
    t.rows.push([...t.rows[0]!])
    t.rows[2]![2] = 'A second step typed with the same id'
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), t))
    expect(problems).toEqual([problem({ table: 'ActionSteps', row: 4, column: 'StepId', cell: 'Steps!A4', key: 'S-1', message: 'StepId S-1 also appears on row 2' })])
    expect(plan.steps.map((s) => s.id)).toEqual(['S-1', 'S-2', 'S-1'])
  })

  it('keeps rows without CheckInId or StepId so the task pane can assign one', () => {
    const c = checkIns()
    c.rows[0]![0] = ''
    const s = steps()
    s.rows[1]![0] = '  '
    const { plan, problems } = decodePlan(withTable(withTable(fullWorkbook(), c), s))
    expect(problems).toEqual([
      problem({ table: 'CheckIns', row: 2, column: 'CheckInId', cell: 'CheckIns!A2', message: 'no CheckInId: the task pane can assign one', fix: 'assignKey' }),
      problem({ table: 'ActionSteps', row: 3, column: 'StepId', cell: 'Steps!A3', message: 'no StepId: the task pane can assign one', fix: 'assignKey' }),
    ])
    expect(plan.checkIns[0]).toMatchObject({ id: null, wigId: 'W-1', value: 0.41 })
    expect(plan.steps[1]).toMatchObject({ id: null, title: 'Build the dashboard' })
  })

  it('keeps a check-in without a WigId and says it belongs to no WIG', () => {
    const c = checkIns()
    c.rows[1]![1] = ''
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), c))
    expect(plan.checkIns[1]).toMatchObject({ id: 'C-1', wigId: '' })
    expect(problems).toEqual([
      problem({ table: 'CheckIns', row: 3, column: 'WigId', cell: 'CheckIns!B3', key: 'C-1', message: 'no WigId, so this check-in belongs to no WIG' }),
    ])
  })

  it('leaves out a WIG without a WigId, and says so', () => {
    const w = wigs()
    w.rows[1]![0] = ''
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), w))
    expect(plan.wigs.map((x) => x.id)).toEqual(['W-1'])
    expect(problems).toContainEqual(
      problem({ table: 'WIGs', row: 3, column: 'WigId', cell: 'WIGs!A3', message: 'no WigId, so this WIG is not shown until it has one' }),
    )
  })

  it('reports an owner missing from People and still shows it', () => {
    const t = steps()
    t.rows[0]![3] = 'Pat Doe'
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), t))
    expect(problems).toEqual([problem({ table: 'ActionSteps', row: 2, column: 'Owner', cell: 'Steps!D2', key: 'S-1', message: 'owner "Pat Doe" is not in People' })])
    expect(plan.steps[0]?.owner).toEqual({ text: 'Pat Doe', email: null, name: null })
  })

  it('does not report owners one by one when there is no People table', () => {
    const { plan, problems } = decodePlan(without(fullWorkbook(), 'People'))
    expect(problems).toEqual([
      problem({ table: 'People', message: 'There is no People table, so owners are shown as written and not checked.' }),
    ])
    expect(plan.wigs[1]?.owner).toEqual({ text: 'Sam Chen', email: null, name: null })
  })

  it('skips blank rows, even with a calculated extra column filled, and counts them in row numbers', () => {
    const t = table(
      'CheckIns',
      ['CheckInId', 'WigId', 'Date', 'Value', 'Days Since'],
      [
        { CheckInId: 'C-1', WigId: 'W-1', Date: serial('2025-01-31'), Value: 0.2, 'Days Since': 100 },
        { CheckInId: '', WigId: '', Date: '', Value: '', 'Days Since': '#VALUE!' },
        { CheckInId: ' ', WigId: '', Date: '', Value: '' },
        { CheckInId: 'C-2', WigId: 'W-1', Date: 'next week', Value: 0.3 },
      ],
      { sheet: 'Log Sheet', at: { row: 4, column: 3 } },
    )
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), t))
    expect(plan.checkIns.map((c) => [c.id, c.position])).toEqual([
      ['C-1', 0],
      ['C-2', 3],
    ])
    expect(problems).toEqual([
      problem({
        table: 'CheckIns',
        row: 8,
        column: 'Date',
        cell: "'Log Sheet'!E8",
        key: 'C-2',
        message: 'Date should be a date (an Excel date or YYYY-MM-DD); found "next week"',
      }),
    ])
  })

  it('numbers rows as if the header were on row 1 when the backend gives no origin, without cell addresses', () => {
    const t = steps()
    delete t.origin
    t.rows[0]![5] = 'Maybe'
    const { problems } = decodePlan(withTable(fullWorkbook(), t))
    expect(problems).toEqual([
      problem({ table: 'ActionSteps', row: 2, column: 'Status', key: 'S-1', message: 'Status should be one of Not started, In progress, Blocked, Done or Cancelled; found "Maybe"' }),
    ])
  })
})

describe('decodePlan with tables or columns missing', () => {
  it('reports a missing table once and reads everything else', () => {
    const { plan, problems } = decodePlan(without(fullWorkbook(), 'Measures'))
    // The check-in naming M-1 is not reported again: the missing table already says it all.
    expect(problems).toEqual([problem({ table: 'Measures', message: 'There is no Measures table, so no measures can be shown.' })])
    expect(plan.measures).toEqual([])
    expect(plan.wigs).toHaveLength(2)
    expect(plan.checkIns).toHaveLength(3)
  })

  it('uses the default settings when there is no Settings table', () => {
    const { plan, problems } = decodePlan(without(fullWorkbook(), 'Settings'))
    expect(plan.settings).toEqual(DEFAULT_SETTINGS)
    expect(problems).toEqual([problem({ table: 'Settings', message: 'There is no Settings table, so the default settings are used.' })])
  })

  it('treats a table the read did not return as missing', () => {
    const wb = fullWorkbook()
    delete wb.tables.Strategies
    const { problems } = decodePlan({ tables: wb.tables, missing: [] })
    expect(problems).toEqual([problem({ table: 'Strategies', message: 'There is no Strategies table, so no strategies can be shown.' })])
  })

  it('does not read a table missing a required column, names the column, and reads the rest', () => {
    const t = table('ActionSteps', ['StepId', 'WigId', 'Title', 'Owner', 'DueDate'], [{ StepId: 'S-1', WigId: 'W-2', Title: 'x', Owner: 'Sam Chen', DueDate: '2025-05-01' }], { sheet: 'Steps' })
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), t))
    expect(problems).toEqual([
      problem({ table: 'ActionSteps', row: 1, column: 'Status', message: 'The ActionSteps table has no Status column, so it cannot be read.' }),
    ])
    expect(plan.steps).toEqual([])
    expect(plan.wigs).toHaveLength(2)
    expect(plan.checkIns).toHaveLength(3)
  })

  it('reads a plan without a ChangeLog when the read did not ask for one, and reports it when it did', () => {
    const wb = fullWorkbook()
    delete wb.tables.ChangeLog
    expect(decodePlan({ tables: wb.tables, missing: [] }).problems).toEqual([])
    expect(decodePlan({ tables: wb.tables, missing: ['ChangeLog'] }).problems).toEqual([
      problem({ table: 'ChangeLog', message: 'There is no ChangeLog table, so changes cannot be saved.' }),
    ])
  })
})

describe('decodePlan cross-table checks', () => {
  it('reports references to strategies, WIGs and measures that do not exist', () => {
    const w = wigs()
    w.rows[0]![3] = 'Oe 9.999'
    const c = checkIns()
    c.rows[1]![1] = 'W-7'
    c.rows[2]![2] = 'M-404'
    const { problems } = decodePlan(withTable(withTable(fullWorkbook(), w), c))
    expect(problems).toEqual([
      problem({ table: 'WIGs', row: 2, column: 'StrategyId', cell: 'WIGs!D2', key: 'W-1', message: 'StrategyId Oe 9.999 is not in the Strategies table' }),
      problem({ table: 'CheckIns', row: 3, column: 'WigId', cell: 'CheckIns!B3', key: 'C-1', message: 'WigId W-7 is not in the WIGs table' }),
      problem({ table: 'CheckIns', row: 4, column: 'MeasureId', cell: 'CheckIns!C4', key: 'C-3', message: 'MeasureId M-404 is not in the Measures table' }),
    ])
  })

  it('reports a check-in whose measure belongs to another WIG', () => {
    const c = checkIns()
    c.rows[2]![1] = 'W-2'
    const { problems } = decodePlan(withTable(fullWorkbook(), c))
    expect(problems).toEqual([
      problem({ table: 'CheckIns', row: 4, column: 'MeasureId', cell: 'CheckIns!C4', key: 'C-3', message: 'MeasureId M-1 belongs to WIG W-1, not W-2' }),
    ])
  })

  it('asks for an email when two people share the owner name', () => {
    const p = people()
    p.rows.push(['sam.chen2@district.org', 'sam  chen', '', ''])
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), p))
    expect(plan.wigs[1]?.owner).toEqual({ text: 'Sam Chen', email: null, name: null })
    expect(problems).toContainEqual(
      problem({
        table: 'WIGs',
        row: 3,
        column: 'Owner',
        cell: 'WIGs!H3',
        key: 'W-2',
        message: 'owner "Sam Chen" matches 2 people in People (sam.chen@district.org, sam.chen2@district.org); write their email instead',
      }),
    )
  })
})

describe('decodePlan WIG rules', () => {
  const wig = (row: Record<string, string | number>) =>
    table('WIGs', ['WigId', 'Title', 'TargetDate', 'Kind', 'Baseline', 'Target', 'Direction', 'StatusOverride'], [{ WigId: 'W-1', Title: 'Goal', TargetDate: '2025-06-30', ...row }], { sheet: 'WIGs' })
  const decodeWig = (row: Record<string, string | number>) => {
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), wig(row)))
    return { wig: plan.wigs[0], problems: problems.filter((p) => p.table === 'WIGs') }
  }

  it('infers Numeric from a numeric Target and Milestone without one', () => {
    expect(decodeWig({ Target: 80 }).wig?.kind).toBe('Numeric')
    expect(decodeWig({}).wig?.kind).toBe('Milestone')
  })

  it('reports a Numeric WIG without a Target', () => {
    expect(decodeWig({ Kind: 'Numeric' }).problems).toEqual([
      problem({ table: 'WIGs', row: 2, column: 'Target', cell: 'WIGs!F2', key: 'W-1', message: 'this WIG is Numeric but has no Target' }),
    ])
  })

  it('reports a WIG without a TargetDate', () => {
    expect(decodeWig({ TargetDate: '' }).problems).toEqual([
      problem({ table: 'WIGs', row: 2, column: 'TargetDate', cell: 'WIGs!C2', key: 'W-1', message: 'no TargetDate: when is this WIG due?' }),
    ])
  })

  it('reports unknown Kind, Direction and StatusOverride and falls back to the default, null and null', () => {
    const { wig: w, problems } = decodeWig({ Kind: 'Percent', Target: 75, Direction: 'Sideways', StatusOverride: 'Fine' })
    expect(w).toMatchObject({ kind: 'Numeric', direction: null, statusOverride: null, target: 75 })
    expect(problems.map((p) => [p.column, p.message])).toEqual([
      ['Kind', 'Kind should be one of Numeric or Milestone; found "Percent"'],
      ['Direction', 'Direction should be one of Increase or Decrease; found "Sideways"'],
      ['StatusOverride', 'StatusOverride should be one of On track, At risk, Off track, Achieved, Missed, No data or Not started; found "Fine"'],
    ])
  })

  it('reads a manual status and direction', () => {
    expect(decodeWig({ StatusOverride: 'at risk', Direction: 'decrease', Target: 5 }).wig).toMatchObject({ statusOverride: 'At risk', direction: 'Decrease' })
  })
})

describe('decodePlan settings', () => {
  const read = (rows: Parameters<typeof settings>[0], formats?: Record<string, string>) => {
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), settings(rows, formats)))
    return { settings: plan.settings, problems }
  }

  it('reads other thresholds in the forms people type them, and ignores keys it does not know', () => {
    const { settings: s, problems } = read([
      { Key: 'District Name', Value: 'Example County Schools' },
      { Key: 'PlanYear', Value: 2025 },
      { Key: 'OnTrackAt', Value: '85%' },
      { Key: 'atriskat', Value: 60 },
      { Key: 'StaleAfterDays', Value: 14 },
      { Key: 'DueSoonDays', Value: '10' },
      { Key: 'Superintendent', Value: 'Dr. Rivera' },
    ])
    expect(problems).toEqual([])
    expect(s).toEqual({ districtName: 'Example County Schools', planYear: '2025', onTrackAt: 0.85, atRiskAt: 0.6, staleAfterDays: 14, dueSoonDays: 10 })
  })

  it('reads percent-formatted thresholds as the fraction they show', () => {
    expect(read([{ Key: 'OnTrackAt', Value: 0.8 }, { Key: 'AtRiskAt', Value: 0.5 }], { Value: '0%' }).settings).toMatchObject({ onTrackAt: 0.8, atRiskAt: 0.5 })
  })

  it('reports a bad value at its cell and uses the default', () => {
    const { settings: s, problems } = read([
      { Key: 'StaleAfterDays', Value: 'a month' },
      { Key: 'OnTrackAt', Value: 150 },
    ])
    expect(s).toEqual(DEFAULT_SETTINGS)
    expect(problems).toEqual([
      problem({
        table: 'Settings',
        row: 2,
        column: 'Value',
        cell: 'Settings!B2',
        key: 'StaleAfterDays',
        message: 'StaleAfterDays should be a whole number of days (0 or more); found "a month"; the default 30 is used',
      }),
      problem({
        table: 'Settings',
        row: 3,
        column: 'Value',
        cell: 'Settings!B3',
        key: 'OnTrackAt',
        message: 'OnTrackAt should be a percentage from 0% to 100% (like 90% or 0.9); found 150; the default 90% is used',
      }),
    ])
  })

  it('keeps thresholds set both ways round as given, and asks whether they were swapped', () => {
    const { settings: s, problems } = read([
      { Key: 'OnTrackAt', Value: 0.6 },
      { Key: 'AtRiskAt', Value: 0.8 },
    ])
    expect(s).toMatchObject({ onTrackAt: 0.6, atRiskAt: 0.8 })
    expect(problems).toEqual([
      problem({ table: 'Settings', row: 3, column: 'Value', cell: 'Settings!B3', key: 'AtRiskAt', message: 'AtRiskAt (80%) is above OnTrackAt (60%), so no goal can be At risk; were they swapped?' }),
    ])
  })

  it('keeps a lone OnTrackAt below the default AtRiskAt without a problem (the rules read them in order)', () => {
    const { settings: s, problems } = read([{ Key: 'OnTrackAt', Value: 0.6 }])
    expect(s).toMatchObject({ onTrackAt: 0.6, atRiskAt: 0.7 })
    expect(problems).toEqual([])
  })

  it('uses the first of a repeated key and reports the repeat', () => {
    const { settings: s, problems } = read([
      { Key: 'DueSoonDays', Value: 5 },
      { Key: 'Due Soon Days', Value: 9 },
    ])
    expect(s.dueSoonDays).toBe(5)
    expect(problems).toEqual([problem({ table: 'Settings', row: 3, column: 'Key', cell: 'Settings!A3', key: 'Due Soon Days', message: 'Key Due Soon Days also appears on row 2' })])
  })
})

describe('decodePlan keeps working on odd input', () => {
  it('reads rows shorter than the header row as blank cells', () => {
    const t = strategies()
    t.rows = [['Oe 4.002']]
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), t))
    expect(plan.strategies).toHaveLength(1)
    expect(problems.map((p) => p.message)).toEqual(['Pillar is blank', 'Strategy is blank', 'StrategyId Oe 4.001 is not in the Strategies table', 'StrategyId Oe 4.001 is not in the Strategies table'])
  })

  it('reports an Excel error in a text column but keeps the row', () => {
    const t = measures()
    t.rows[0]![3] = '#REF!'
    const { plan, problems } = decodePlan(withTable(fullWorkbook(), t))
    expect(plan.measures[0]?.name).toBe('#REF!')
    expect(problems).toEqual([problem({ table: 'Measures', row: 2, column: 'Name', cell: 'Measures!D2', key: 'M-1', message: 'Name shows the error #REF!' })])
  })

  it('reads a workbook with only a change log as an empty plan with every table reported', () => {
    const { plan, problems } = decodePlan(workbook(changeLog()))
    expect(plan.wigs).toEqual([])
    expect(problems.map((p) => p.table)).toEqual(['Strategies', 'WIGs', 'Measures', 'CheckIns', 'ActionSteps', 'People', 'Settings'])
  })
})
