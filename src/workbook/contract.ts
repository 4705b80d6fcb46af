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

/**
 * Headers match ignoring case, spaces, hyphens, underscores and periods (`Due Date`, `Step_ID`,
 * `Check-in Id`, `Dept.`); nothing else is forgiven.
 */
export function normalizeHeader(header: string): string {
  return header.replace(/[\s\-_.]+/g, '').toLowerCase()
}

/**
 * Every header that reads as `column`. One that differs from the contract's spelling only in case
 * and spaces wins over one that needs hyphens, underscores or periods ignored too, so a decoy
 * `E-mail` beside `Email` leaves the table readable, while `Target Date` beside `TargetDate` is
 * still two columns read as one.
 */
export function columnMatches(headers: readonly string[], column: string): number[] {
  const spaced = (h: string) => h.replace(/\s+/g, '').toLowerCase()
  const close = headers.flatMap((h, i) => (spaced(String(h)) === spaced(column) ? [i] : []))
  if (close.length > 0) return close
  const wanted = normalizeHeader(column)
  return headers.flatMap((h, i) => (normalizeHeader(String(h)) === wanted ? [i] : []))
}

/** Index of `column` among `headers`, matching as the contract says; -1 when absent. */
export function findColumn(headers: readonly string[], column: string): number {
  return columnMatches(headers, column)[0] ?? -1
}

export function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name)
}
