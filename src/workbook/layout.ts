import { DIRECTIONS, MEASURE_TYPES, STEP_STATUSES, WIG_KINDS, WIG_STATUSES } from '../domain/model.ts'
import { TABLE_NAMES, type TableName } from './contract.ts'

/**
 * How `pm-workbook init` lays out the eight contract tables: sheet, column order, and what each
 * column holds, so the writer can give dates a date format, long text wrapping and closed
 * vocabularies a drop-down. Headers are the contract's own names, so the codec needs no forgiveness.
 */

export type ColumnKind = 'id' | 'text' | 'longText' | 'date' | 'number' | 'percentComplete'

export type ColumnLayout = {
  header: string
  kind: ColumnKind
  /** Excel column width in characters. */
  width: number
  /** A closed vocabulary, offered as a drop-down list. */
  choices?: readonly string[]
}

export type TableLayout = { table: TableName; sheet: string; columns: readonly ColumnLayout[] }

const col = (header: string, kind: ColumnKind, width: number, choices?: readonly string[]): ColumnLayout =>
  choices ? { header, kind, width, choices } : { header, kind, width }

export const TABLE_LAYOUTS: Readonly<Record<TableName, TableLayout>> = {
  Strategies: {
    table: 'Strategies',
    sheet: 'Strategies',
    columns: [
      col('StrategyId', 'id', 12),
      col('Pillar', 'text', 34),
      col('PriorityId', 'id', 11),
      col('Priority', 'longText', 36),
      col('Strategy', 'longText', 50),
      col('KeyLevers', 'longText', 50),
      col('PerformanceMeasures', 'longText', 36),
      col('CollaboratingDepartments', 'longText', 30),
    ],
  },
  WIGs: {
    table: 'WIGs',
    sheet: 'WIGs',
    columns: [
      col('WigId', 'id', 10),
      col('StrategyId', 'id', 12),
      col('Department', 'text', 30),
      col('Title', 'longText', 56),
      col('Kind', 'text', 11, WIG_KINDS),
      col('Unit', 'text', 10),
      col('Direction', 'text', 11, DIRECTIONS),
      col('Baseline', 'number', 10),
      col('Target', 'number', 10),
      col('StartDate', 'date', 12),
      col('TargetDate', 'date', 12),
      col('Owner', 'text', 30),
      col('StatusOverride', 'text', 15, WIG_STATUSES),
      col('StatusNote', 'longText', 40),
    ],
  },
  Measures: {
    table: 'Measures',
    sheet: 'Measures',
    columns: [
      col('MeasureId', 'id', 11),
      col('WigId', 'id', 10),
      col('Type', 'text', 8, MEASURE_TYPES),
      col('Name', 'longText', 50),
      col('Unit', 'text', 10),
      col('Baseline', 'number', 10),
      col('Target', 'number', 10),
      col('DueDate', 'date', 12),
      col('Owner', 'text', 30),
      col('Cadence', 'text', 11),
    ],
  },
  CheckIns: {
    table: 'CheckIns',
    sheet: 'Check-ins',
    columns: [
      col('CheckInId', 'id', 11),
      col('WigId', 'id', 10),
      col('MeasureId', 'id', 11),
      col('Date', 'date', 12),
      col('Value', 'number', 10),
      col('Note', 'longText', 44),
      col('EnteredBy', 'text', 30),
      col('EnteredAt', 'text', 21),
    ],
  },
  ActionSteps: {
    table: 'ActionSteps',
    sheet: 'Action Steps',
    columns: [
      col('StepId', 'id', 10),
      col('WigId', 'id', 10),
      col('MeasureId', 'id', 11),
      col('Sequence', 'number', 10),
      col('Title', 'longText', 52),
      col('Owner', 'text', 30),
      col('Support', 'longText', 28),
      col('StartDate', 'date', 12),
      col('DueDate', 'date', 12),
      col('Status', 'text', 13, STEP_STATUSES),
      col('PercentComplete', 'percentComplete', 10),
      col('Notes', 'longText', 40),
      col('UpdatedBy', 'text', 30),
      col('UpdatedAt', 'text', 21),
    ],
  },
  People: {
    table: 'People',
    sheet: 'People',
    columns: [col('Email', 'text', 34), col('Name', 'text', 24), col('Department', 'text', 30), col('Role', 'text', 36)],
  },
  ChangeLog: {
    table: 'ChangeLog',
    sheet: 'Change Log',
    columns: [
      col('At', 'text', 21),
      col('By', 'text', 30),
      col('Source', 'text', 12),
      col('Table', 'text', 12),
      col('Key', 'id', 12),
      col('Column', 'text', 16),
      col('OldValue', 'longText', 30),
      col('NewValue', 'longText', 30),
      col('ChangeId', 'id', 38),
    ],
  },
  Settings: {
    table: 'Settings',
    sheet: 'Settings',
    columns: [col('Key', 'text', 18), col('Value', 'text', 36)],
  },
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
