import { excelSerialFromIso, type IsoDate } from '../../../src/domain/dates.ts'
import { TABLE_NAMES, type TableName } from '../../../src/workbook/contract.ts'
import type { CellValue, RawTable, RawWorkbook } from '../../../src/workbook/raw.ts'

/** Builds the raw shape every backend returns, so codec tests need no .xlsx. */

export const serial = (iso: string): number => excelSerialFromIso(iso as IsoDate)

/** Rows given as records by header; headers may be spelled and ordered however a district did. */
export function table(
  name: TableName,
  headers: string[],
  rows: Record<string, CellValue>[],
  extra: { sheet?: string; at?: { row: number; column: number }; formats?: Record<string, string> } = {},
): RawTable {
  const raw: RawTable = { name, headers, rows: rows.map((r) => headers.map((h) => r[h] ?? '')) }
  if (extra.formats) {
    const formats = extra.formats
    raw.numberFormats = rows.map(() => headers.map((h) => formats[h] ?? 'General'))
  }
  if (extra.sheet) raw.origin = { sheet: extra.sheet, row: extra.at?.row ?? 1, column: extra.at?.column ?? 1 }
  return raw
}

/** A workbook of the given tables; every other contract table is reported missing by the read. */
export function workbook(...tables: RawTable[]): RawWorkbook {
  const byName: Partial<Record<TableName, RawTable>> = {}
  for (const t of tables) byName[t.name] = t
  return { tables: byName, missing: TABLE_NAMES.filter((n) => !byName[n]) }
}

export const people = (): RawTable =>
  table(
    'People',
    ['Email', 'Name', 'Department', 'Role'],
    [
      { Email: 'maria.lopez@district.org', Name: 'Maria Lopez', Department: 'Operations', Role: 'Director' },
      { Email: 'sam.chen@district.org', Name: 'Sam Chen', Department: 'Testing', Role: 'Coordinator' },
    ],
    { sheet: 'People' },
  )

export const strategies = (): RawTable =>
  table(
    'Strategies',
    ['StrategyId', 'Pillar', 'Strategy', 'PriorityId'],
    [{ StrategyId: 'Oe 4.001', Pillar: 'Operational Excellence', Strategy: 'Establish project management excellence', PriorityId: 'Oe4' }],
    { sheet: 'Plan' },
  )

export const wigs = (): RawTable =>
  table(
    'WIGs',
    ['WigId', 'Title', 'TargetDate', 'StrategyId', 'Kind', 'Baseline', 'Target', 'Owner', 'Unit'],
    [
      { WigId: 'W-1', Title: 'PM understanding from 18% to 75%', TargetDate: serial('2025-06-30'), StrategyId: 'Oe 4.001', Baseline: 0.18, Target: 0.75, Owner: 'maria.lopez@district.org', Unit: '%' },
      { WigId: 'W-2', Title: 'Control tower in Power BI', TargetDate: '2025-07-31', StrategyId: 'Oe 4.001', Kind: 'Milestone', Owner: 'Sam Chen' },
    ],
    { sheet: 'WIGs', formats: { TargetDate: 'm/d/yyyy', Baseline: '0%', Target: '0%' } },
  )

export const measures = (): RawTable =>
  table('Measures', ['MeasureId', 'WigId', 'Type', 'Name', 'Owner'], [{ MeasureId: 'M-1', WigId: 'W-1', Type: 'Lead', Name: 'Training sessions held', Owner: 'Sam Chen' }], {
    sheet: 'Measures',
  })

export const checkIns = (): RawTable =>
  table(
    'CheckIns',
    ['CheckInId', 'WigId', 'MeasureId', 'Date', 'Value', 'Note'],
    [
      { CheckInId: 'C-2', WigId: 'W-1', Date: serial('2025-03-31'), Value: 0.41 },
      { CheckInId: 'C-1', WigId: 'W-1', Date: serial('2024-12-15'), Value: 0.3 },
      { CheckInId: 'C-3', WigId: 'W-1', MeasureId: 'M-1', Date: '2025-01-10', Value: 4 },
    ],
    { sheet: 'CheckIns', formats: { Date: 'yyyy-mm-dd' } },
  )

export const steps = (): RawTable =>
  table(
    'ActionSteps',
    ['StepId', 'WigId', 'Title', 'Owner', 'DueDate', 'Status', 'PercentComplete'],
    [
      { StepId: 'S-1', WigId: 'W-2', Title: 'Draft the data model', Owner: 'sam.chen@district.org', DueDate: serial('2025-02-28'), Status: 'Done', PercentComplete: 1 },
      { StepId: 'S-2', WigId: 'W-2', Title: 'Build the dashboard', Owner: 'Maria Lopez', DueDate: serial('2025-05-30'), Status: 'In progress', PercentComplete: 0.4 },
    ],
    { sheet: 'Steps', formats: { DueDate: 'm/d/yyyy', PercentComplete: '0%' } },
  )

export const settings = (rows: Record<string, CellValue>[], formats?: Record<string, string>): RawTable =>
  table('Settings', ['Key', 'Value'], rows, { sheet: 'Settings', ...(formats ? { formats } : {}) })

export const changeLog = (): RawTable => table('ChangeLog', ['At', 'By', 'Source', 'Table', 'Key', 'Column', 'OldValue', 'NewValue', 'ChangeId'], [], { sheet: 'Log' })

export const reminders = (): RawTable =>
  table('Reminders', ['ReminderId', 'Date', 'Owner', 'Kind', 'Count', 'Items'], [{ ReminderId: 'RM-1-01', Date: serial('2025-05-26'), Owner: 'sam.chen@district.org', Kind: 'Mail', Count: 1, Items: 'S-2' }], {
    sheet: 'Reminders',
    formats: { Date: 'yyyy-mm-dd' },
  })

export const fullWorkbook = (): RawWorkbook =>
  workbook(people(), strategies(), wigs(), measures(), checkIns(), steps(), settings([{ Key: 'DistrictName', Value: 'Example County Schools' }]), changeLog(), reminders())
