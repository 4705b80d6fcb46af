import { describe, expect, it } from 'vitest'
import type { CellValue, RawTable } from '../../src/workbook/raw.ts'
import type { Audit } from '../../src/workbook/store.ts'
import { planAppend, planUpdate, type ChangeLogSnapshot } from '../../src/workbook/write-plan.ts'

const audit: Audit = { changeId: 'chg-1', at: '2026-11-24T10:00:00.000Z', by: 'ana.ruiz@riverbend.example', source: 'test' }
const LOG_HEADERS = ['At', 'By', 'Source', 'Table', 'Key', 'Column', 'OldValue', 'NewValue', 'ChangeId']
const log = (changeIds: string[] | null = []): ChangeLogSnapshot => ({ headers: LOG_HEADERS, changeIds })

// Headers deliberately spaced and shuffled, with an extra column, as a hand-made sheet would have them.
const steps = (rows: CellValue[][]): RawTable => ({
  name: 'ActionSteps',
  headers: ['Status', 'Step Id', 'WigId', 'Title', 'owner', 'Due Date', 'Extra'],
  rows,
  numberFormats: rows.map(() => ['General', 'General', 'General', 'General', 'General', 'yyyy-mm-dd', 'General']),
  origin: { sheet: 'Steps', row: 3, column: 2 },
})
const row = (id: string, status: CellValue = 'In progress', due: CellValue = 46000): CellValue[] => [status, id, 'W-1', 'Do it', 'Ana', due, 'keep me']

describe('planUpdate: WORKBOOK.md "Writing"', () => {
  it('writes only the changed cells of the row found by key, with null for every other cell', () => {
    const plan = planUpdate({ table: 'ActionSteps', key: 'S-2', changes: [{ column: 'Status', seen: 'In progress', value: 'Done' }], audit }, steps([row('S-1'), row('S-2')]), log())
    expect(plan).toEqual({ ok: true, value: expect.objectContaining({ kind: 'write', rowIndex: 1, values: ['Done', null, null, null, null, null, null] }) })
  })

  it('logs one ChangeLog row per changed cell with table, key, column, old and new value and the ChangeId', () => {
    const plan = planUpdate(
      { table: 'ActionSteps', key: 'S-1', changes: [{ column: 'Status', seen: 'In progress', value: 'Done' }, { column: 'DueDate', seen: 46000, value: '2026-12-01' }], audit },
      steps([row('S-1')]),
      log(),
    )
    if (!plan.ok || plan.value.kind !== 'write') throw new Error('expected a write')
    expect(plan.value.changeLogRows).toEqual([
      [audit.at, `'${audit.by}`, "'test", 'ActionSteps', "'S-1", 'Status', "'In progress", "'Done", "'chg-1"],
      [audit.at, `'${audit.by}`, "'test", 'ActionSteps', "'S-1", 'DueDate', "'2025-12-09", "'2026-12-01", "'chg-1"],
    ])
  })

  it('refuses a key that is not in the table and writes nothing', () => {
    const plan = planUpdate({ table: 'ActionSteps', key: 'S-9', changes: [{ column: 'Status', seen: '', value: 'Done' }], audit }, steps([row('S-1')]), log())
    expect(plan).toMatchObject({ ok: false, error: { kind: 'missingKey', key: 'S-9' } })
  })

  it('refuses a duplicated key, naming the sheet rows', () => {
    const plan = planUpdate({ table: 'ActionSteps', key: 'S-1', changes: [{ column: 'Status', seen: 'In progress', value: 'Done' }], audit }, steps([row('S-1'), row('S-1')]), log())
    expect(plan).toMatchObject({ ok: false, error: { kind: 'duplicateKey', rows: [4, 5] } })
  })

  it('returns both versions when the cell changed since the user read it', () => {
    const plan = planUpdate({ table: 'ActionSteps', key: 'S-1', changes: [{ column: 'Status', seen: 'Not started', value: 'Done' }], audit }, steps([row('S-1', 'Blocked')]), log())
    expect(plan).toMatchObject({ ok: false, error: { kind: 'conflict', conflicts: [{ column: 'Status', seen: 'Not started', now: 'Blocked', value: 'Done' }] } })
  })

  it('treats a retry whose ChangeId is already logged as applied, so nothing lands twice', () => {
    const plan = planUpdate({ table: 'ActionSteps', key: 'S-1', changes: [{ column: 'Status', seen: 'In progress', value: 'Done' }], audit }, steps([row('S-1', 'Done')]), log(['chg-1']))
    expect(plan).toEqual({ ok: true, value: { kind: 'alreadyApplied' } })
  })

  it('appends only the log when the cells landed but the ChangeLog rows did not', () => {
    const plan = planUpdate({ table: 'ActionSteps', key: 'S-1', changes: [{ column: 'Status', seen: 'In progress', value: 'Done' }], audit }, steps([row('S-1', 'Done')]), log([]), { mayHaveLanded: true })
    expect(plan).toMatchObject({ ok: true, value: { kind: 'logOnly', changeLogRows: [expect.arrayContaining(['Status', "'In progress", "'Done"])] } })
  })

  it('compares a date typed as ISO text with the serial number Excel stores', () => {
    const plan = planUpdate({ table: 'ActionSteps', key: 'S-1', changes: [{ column: 'DueDate', seen: 45000, value: '2025-12-09' }], audit }, steps([row('S-1', 'Done', 46000)]), log([]), { mayHaveLanded: true })
    expect(plan).toMatchObject({ ok: true, value: { kind: 'logOnly' } })
  })

  it('never writes to a table missing a required column', () => {
    const table = steps([row('S-1')])
    const broken: RawTable = { ...table, headers: table.headers.map((h) => (h === 'owner' ? 'Lead' : h)) }
    const plan = planUpdate({ table: 'ActionSteps', key: 'S-1', changes: [{ column: 'Status', seen: 'In progress', value: 'Done' }], audit }, broken, log())
    expect(plan).toMatchObject({ ok: false, error: { kind: 'badColumns', columns: ['Owner'] } })
  })

  it('refuses when the ChangeLog lacks a required column', () => {
    const plan = planUpdate(
      { table: 'ActionSteps', key: 'S-1', changes: [{ column: 'Status', seen: 'In progress', value: 'Done' }], audit },
      steps([row('S-1')]),
      { headers: LOG_HEADERS.filter((h) => h !== 'OldValue'), changeIds: [] },
    )
    expect(plan).toMatchObject({ ok: false, error: { kind: 'badColumns', table: 'ChangeLog' } })
  })
})

describe('planAppend', () => {
  const checkIns = (rows: CellValue[][]): RawTable => ({ name: 'CheckIns', headers: ['CheckInId', 'WigId', 'Date', 'Value', 'Note'], rows })
  const record = { CheckInId: 'CI-1', WigId: 'W-1', Date: '2026-11-20', Value: 42 }

  it('adds the row in header order and logs each filled cell', () => {
    const plan = planAppend({ table: 'CheckIns', rows: [record], audit }, checkIns([]), log())
    if (!plan.ok || plan.value.kind !== 'write') throw new Error('expected a write')
    expect(plan.value.rows).toEqual([['CI-1', 'W-1', '2026-11-20', 42, '']])
    expect(plan.value.changeLogRows.map((r) => r[5])).toEqual(['CheckInId', 'WigId', 'Date', 'Value'])
  })

  it('does not add a row whose key is already there (a retried append)', () => {
    const plan = planAppend({ table: 'CheckIns', rows: [record], audit }, checkIns([['CI-1', 'W-1', 46000, 42, '']]), log(['chg-1']))
    expect(plan).toEqual({ ok: true, value: { kind: 'alreadyApplied' } })
  })

  it('refuses a new row without its key', () => {
    const plan = planAppend({ table: 'CheckIns', rows: [{ WigId: 'W-1', Date: '2026-11-20', Value: 1 }], audit }, checkIns([]), log())
    expect(plan).toMatchObject({ ok: false, error: { kind: 'missingKey' } })
  })

  it('leaves out an ifPresent column the table lacks, and writes it where the table has it', () => {
    const stamped = { ...record, EnteredBy: "'ana@riverbend.example" }
    const without = planAppend({ table: 'CheckIns', rows: [stamped], audit, ifPresent: ['EnteredBy'] }, checkIns([]), log())
    if (!without.ok || without.value.kind !== 'write') throw new Error('expected a write')
    expect(without.value.rows).toEqual([['CI-1', 'W-1', '2026-11-20', 42, '']])
    expect(without.value.changeLogRows.map((r) => r[5])).toEqual(['CheckInId', 'WigId', 'Date', 'Value'])
    const table = { ...checkIns([]), headers: ['CheckInId', 'WigId', 'Date', 'Value', 'Note', 'EnteredBy'] }
    const withColumn = planAppend({ table: 'CheckIns', rows: [stamped], audit, ifPresent: ['EnteredBy'] }, table, log())
    if (!withColumn.ok || withColumn.value.kind !== 'write') throw new Error('expected a write')
    expect(withColumn.value.rows).toEqual([['CI-1', 'W-1', '2026-11-20', 42, '', "'ana@riverbend.example"]])
  })

  it('refuses a column the table does not have', () => {
    const plan = planAppend({ table: 'CheckIns', rows: [{ ...record, EnteredBy: 'x' }], audit }, checkIns([]), log())
    expect(plan).toMatchObject({ ok: false, error: { kind: 'badColumns', columns: ['EnteredBy'] } })
  })
})
