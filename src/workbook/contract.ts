import { decodeDate, decodeDirection, decodeKind, decodeMeasureType, decodeNumber, decodePercentComplete, decodeStepStatus, decodeWigStatus, type CellResult, type ChoiceDecoder } from './cells.ts'
import type { CellValue } from './raw.ts'

/**
 * The workbook contract as data: one column table per contract table, the single home of each
 * column's name, whether it is required, what it holds and the closed vocabulary it takes. The
 * codec, the checks and the `init` template writer (layout.ts) all read it, so they cannot drift.
 */

export const TABLE_NAMES = ['Strategies', 'WIGs', 'Measures', 'CheckIns', 'ActionSteps', 'People', 'ChangeLog', 'Settings', 'Reminders'] as const
export type TableName = (typeof TABLE_NAMES)[number]

/**
 * Tables a workbook may lack without a problem being reported: `Reminders` (what update reminders
 * sent, issue 15) is needed only to send them, and `pm-workbook remind` says how to add it
 * (Set up in the task pane creates the tables a workbook lacks) instead of sending without it.
 */
export const OPTIONAL_TABLES: readonly TableName[] = ['Reminders']

export const isOptionalTable = (name: TableName): boolean => OPTIONAL_TABLES.includes(name)

/** What a column holds: the writer formats by it (dates, wrapping, drop-downs), and a `choice` column always has `choices`. */
export type ColumnKind = 'id' | 'text' | 'longText' | 'date' | 'number' | 'percentComplete' | 'choice'

type CellDecoder<T> = (v: CellValue, numberFormat?: string) => CellResult<T>

type ColumnDef = {
  kind: ColumnKind
  required: boolean
  /** The row's key (at most one per table); always required. */
  key?: true
  /** The closed vocabulary: the drop-down the template offers, and exactly what `decode` accepts. */
  choices?: readonly string[]
  /** The cell decoder the codec reads the column with, where one decoder serves the whole column. */
  decode?: CellDecoder<unknown>
}

export type Column = ColumnDef & { name: string }

const optional = <K extends ColumnKind>(kind: K) => ({ kind, required: false }) as const
const id = optional('id')
const text = optional('text')
const longText = optional('longText')
const number = optional('number')
const date = { ...optional('date'), decode: decodeDate } as const
const choice = <T extends string>(decode: ChoiceDecoder<T>) => ({ kind: 'choice', required: false, choices: decode.choices, decode }) as const
const required = <D extends ColumnDef>(column: D): Omit<D, 'required'> & { readonly required: true } => ({ ...column, required: true })
const key = <D extends ColumnDef>(column: D): Omit<D, 'required'> & { readonly required: true; readonly key: true } => ({ ...column, required: true, key: true })

/**
 * Every contract column, table by table: required columns first, then optional ones, each in the
 * order the contract lists them (the order problems are reported in). Not annotated, so the codec
 * sees each column's own decoder type (`COLUMNS.WIGs.Kind.decode` yields a WigKind).
 */
export const COLUMNS = {
  Strategies: { StrategyId: key(id), Pillar: required(text), Strategy: required(longText), PriorityId: id, Priority: longText, KeyLevers: longText, PerformanceMeasures: longText, CollaboratingDepartments: longText },
  WIGs: {
    WigId: key(id),
    Title: required(longText),
    TargetDate: required(date),
    StrategyId: id,
    Department: text,
    Kind: choice(decodeKind),
    Unit: text,
    Direction: choice(decodeDirection),
    Baseline: number,
    Target: number,
    StartDate: date,
    Owner: text,
    StatusOverride: choice(decodeWigStatus),
    StatusNote: longText,
  },
  Measures: { MeasureId: key(id), WigId: required(id), Type: required(choice(decodeMeasureType)), Name: required(longText), Unit: text, Baseline: number, Target: number, DueDate: date, Owner: text, Cadence: text },
  CheckIns: { CheckInId: key(id), WigId: required(id), Date: required(date), Value: required(number), MeasureId: id, Note: longText, EnteredBy: text, EnteredAt: text },
  ActionSteps: {
    StepId: key(id),
    WigId: required(id),
    Title: required(longText),
    Owner: required(text),
    DueDate: required(date),
    Status: required(choice(decodeStepStatus)),
    MeasureId: id,
    Sequence: { ...number, decode: decodeNumber },
    Support: longText,
    StartDate: date,
    PercentComplete: { ...optional('percentComplete'), decode: decodePercentComplete },
    Notes: longText,
    UpdatedBy: text,
    UpdatedAt: text,
  },
  People: { Email: key(text), Name: required(text), Department: text, Role: text },
  ChangeLog: { At: required(text), By: required(text), Source: required(text), Table: required(text), Key: required(id), Column: required(text), OldValue: required(longText), NewValue: required(longText), ChangeId: id },
  Settings: { Key: key(text), Value: required(text) },
  // One row per reminder sent (WORKBOOK.md "Reminders"): the key is generated from the run's ChangeId, so a retried append lands once.
  Reminders: { ReminderId: key(id), Date: required(date), Owner: required(text), Kind: required(text), Count: required({ ...number, decode: decodeNumber }), Items: longText },
} as const satisfies Readonly<Record<TableName, Readonly<Record<string, ColumnDef>>>>

/** The contract's name of a column of `table`. */
export type ColumnName<T extends TableName> = keyof (typeof COLUMNS)[T] & string

export type TableSpec = {
  name: TableName
  /** Column holding each row's key, or null for tables without one (ChangeLog). */
  key: string | null
  /** Derived from `columns`. */
  required: readonly string[]
  optional: readonly string[]
  columns: readonly Column[]
}

function tableSpec(name: TableName): TableSpec {
  const columns: Column[] = Object.entries(COLUMNS[name]).map(([column, def]: [string, ColumnDef]) => ({ name: column, ...def }))
  return {
    name,
    key: columns.find((c) => c.key)?.name ?? null,
    required: columns.filter((c) => c.required).map((c) => c.name),
    optional: columns.filter((c) => !c.required).map((c) => c.name),
    columns,
  }
}

export const CONTRACT: Readonly<Record<TableName, TableSpec>> = Object.fromEntries(TABLE_NAMES.map((name) => [name, tableSpec(name)])) as Record<TableName, TableSpec>

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
