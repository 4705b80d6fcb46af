import { CONTRACT, TABLE_NAMES, type ColumnKind, type ColumnName, type TableName } from './contract.ts'

/**
 * How `pm-workbook init` lays out the contract tables: sheet, column order and width. What
 * each column holds (kind, drop-down choices) comes from the contract's column table, so the
 * writer gives dates a date format, long text wrapping and closed vocabularies the very list the
 * codec accepts. Headers are the contract's own names, so the codec needs no forgiveness.
 */

export type { ColumnKind }

export type ColumnLayout = {
  header: string
  kind: ColumnKind
  /** Excel column width in characters. */
  width: number
  /** A closed vocabulary, offered as a drop-down list. */
  choices?: readonly string[]
}

export type TableLayout = { table: TableName; sheet: string; columns: readonly ColumnLayout[] }

/** `widths` lists every contract column of `table` (the compiler checks it), in sheet order. */
function tableLayout<T extends TableName>(table: T, sheet: string, widths: Readonly<Record<ColumnName<T>, number>>): TableLayout {
  const columns = Object.entries<number>(widths).map(([header, width]): ColumnLayout => {
    const column = CONTRACT[table].columns.find((c) => c.name === header)
    if (!column) throw new Error(`The ${table} layout names ${header}, which is not a contract column`)
    return column.choices ? { header, kind: column.kind, width, choices: column.choices } : { header, kind: column.kind, width }
  })
  return { table, sheet, columns }
}

export const TABLE_LAYOUTS: Readonly<Record<TableName, TableLayout>> = {
  Strategies: tableLayout('Strategies', 'Strategies', { StrategyId: 12, Pillar: 34, PriorityId: 11, Priority: 36, Strategy: 50, KeyLevers: 50, PerformanceMeasures: 36, CollaboratingDepartments: 30 }),
  WIGs: tableLayout('WIGs', 'WIGs', { WigId: 10, StrategyId: 12, Department: 30, Title: 56, Kind: 11, Unit: 10, Direction: 11, Baseline: 10, Target: 10, StartDate: 12, TargetDate: 12, Owner: 30, StatusOverride: 15, StatusNote: 40 }),
  Measures: tableLayout('Measures', 'Measures', { MeasureId: 11, WigId: 10, Type: 8, Name: 50, Unit: 10, Baseline: 10, Target: 10, DueDate: 12, Owner: 30, Cadence: 11 }),
  CheckIns: tableLayout('CheckIns', 'Check-ins', { CheckInId: 11, WigId: 10, MeasureId: 11, Date: 12, Value: 10, Note: 44, EnteredBy: 30, EnteredAt: 21 }),
  ActionSteps: tableLayout('ActionSteps', 'Action Steps', { StepId: 10, WigId: 10, MeasureId: 11, Sequence: 10, Title: 52, Owner: 30, Support: 28, StartDate: 12, DueDate: 12, Status: 13, PercentComplete: 10, Notes: 40, UpdatedBy: 30, UpdatedAt: 21 }),
  People: tableLayout('People', 'People', { Email: 34, Name: 24, Department: 30, Role: 36 }),
  ChangeLog: tableLayout('ChangeLog', 'Change Log', { At: 21, By: 30, Source: 12, Table: 12, Key: 12, Column: 16, OldValue: 30, NewValue: 30, ChangeId: 38 }),
  Settings: tableLayout('Settings', 'Settings', { Key: 18, Value: 36 }),
  Reminders: tableLayout('Reminders', 'Reminders', { ReminderId: 16, Date: 12, Owner: 30, Kind: 8, Count: 8, Items: 40 }),
}

/** Tables in the order their sheets appear: the plan top-down, then the directory and the knobs. */
export const SHEET_ORDER: readonly TableName[] = TABLE_NAMES

export function headersOf(table: TableName): string[] {
  return TABLE_LAYOUTS[table].columns.map((c) => c.header)
}

/** Excel shows these as real dates; the contract also accepts ISO text, but a date cell sorts and filters properly. */
export const DATE_FORMAT = 'yyyy-mm-dd'

/** Rows below the data that still get the drop-downs, so rows typed in later are guided too. */
export const VALIDATION_HEADROOM = 500
