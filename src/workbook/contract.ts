/** The workbook contract as data: table names, keys, required and optional columns. */

export const TABLE_NAMES = ['Strategies', 'WIGs', 'Measures', 'CheckIns', 'ActionSteps', 'People', 'ChangeLog', 'Settings'] as const
export type TableName = (typeof TABLE_NAMES)[number]

export type TableSpec = {
  name: TableName
  /** Column holding each row's key, or null for tables without one (ChangeLog). */
  key: string | null
  required: readonly string[]
  optional: readonly string[]
}

export const CONTRACT: Readonly<Record<TableName, TableSpec>> = {
  Strategies: {
    name: 'Strategies',
    key: 'StrategyId',
    required: ['StrategyId', 'Pillar', 'Strategy'],
    optional: ['PriorityId', 'Priority', 'KeyLevers', 'PerformanceMeasures', 'CollaboratingDepartments'],
  },
  WIGs: {
    name: 'WIGs',
    key: 'WigId',
    required: ['WigId', 'Title', 'TargetDate'],
    optional: ['StrategyId', 'Department', 'Kind', 'Unit', 'Direction', 'Baseline', 'Target', 'StartDate', 'Owner', 'StatusOverride', 'StatusNote'],
  },
  Measures: {
    name: 'Measures',
    key: 'MeasureId',
    required: ['MeasureId', 'WigId', 'Type', 'Name'],
    optional: ['Unit', 'Baseline', 'Target', 'DueDate', 'Owner', 'Cadence'],
  },
  CheckIns: {
    name: 'CheckIns',
    key: 'CheckInId',
    required: ['CheckInId', 'WigId', 'Date', 'Value'],
    optional: ['MeasureId', 'Note', 'EnteredBy', 'EnteredAt'],
  },
  ActionSteps: {
    name: 'ActionSteps',
    key: 'StepId',
    required: ['StepId', 'WigId', 'Title', 'Owner', 'DueDate', 'Status'],
    optional: ['MeasureId', 'Sequence', 'Support', 'StartDate', 'PercentComplete', 'Notes', 'UpdatedBy', 'UpdatedAt'],
  },
  People: { name: 'People', key: 'Email', required: ['Email', 'Name'], optional: ['Department', 'Role'] },
  ChangeLog: {
    name: 'ChangeLog',
    key: null,
    required: ['At', 'By', 'Source', 'Table', 'Key', 'Column', 'OldValue', 'NewValue'],
    optional: ['ChangeId'],
  },
  Settings: { name: 'Settings', key: 'Key', required: ['Key', 'Value'], optional: [] },
}

/** Headers match case- and space-insensitively (`Due Date` = `DueDate`); nothing else is forgiven. */
export function normalizeHeader(header: string): string {
  return header.replace(/\s+/g, '').toLowerCase()
}

/** Index of `column` among `headers`, matching as the contract says; -1 when absent. */
export function findColumn(headers: readonly string[], column: string): number {
  const wanted = normalizeHeader(column)
  return headers.findIndex((h) => normalizeHeader(String(h)) === wanted)
}

export function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name)
}
