import { isRecord } from '../domain/records.ts'
import { exhaustiveSwitchError } from '../domain/result.ts'
import { CONTRACT, TABLE_NAMES, columnMatches, findColumn, type TableName } from './contract.ts'
import { decodeText, toCellValue } from './cells.ts'
import type { Problem } from './problem.ts'
import { cellAddress, type CellValue, type RawTable, type RawWorkbook } from './raw.ts'

/**
 * Structural checks: is each table there, with every required column exactly once? A table that
 * fails is unreadable: reported, never guessed. Inputs are re-shaped defensively first, because a
 * decoder must survive whatever a backend (or a test) hands it.
 */

export type TableCheck = { problems: Problem[]; readable: boolean }

/** Sheet row of a data row (`index` 0-based; -1 is the header row): as Excel shows it when the origin is known. */
export function sheetRow(table: RawTable, index: number): number {
  return table.origin ? table.origin.row + 1 + index : index + 2
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0
}

const isCellValue = (v: unknown): v is CellValue => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))

/**
 * An array that is already well formed is used as it is (a backend's 100,000-row table would
 * otherwise be copied row by row on every read); anything else is re-shaped. Nothing downstream
 * writes to these arrays.
 */
function wellFormed<T>(value: unknown[], is: (v: unknown) => v is T, reshape: (v: unknown) => T): T[] {
  for (let i = 0; i < value.length; i += 1) if (!is(value[i])) return Array.from(value, reshape)
  return value as T[]
}

function cells(value: unknown): CellValue[] {
  return Array.isArray(value) ? wellFormed(value, isCellValue, toCellValue) : []
}

const isString = (v: unknown): v is string => typeof v === 'string'

function formats(value: unknown): string[] {
  return Array.isArray(value) ? wellFormed(value, isString, (f) => (typeof f === 'string' ? f : 'General')) : []
}

/** A well-formed RawTable from whatever claims to be one. */
export function sanitizeTable(name: TableName, value: unknown): RawTable {
  if (!isRecord(value)) return { name, headers: [], rows: [] }
  const headers = cells(value['headers']).map(decodeText)
  const rows = Array.isArray(value['rows']) ? Array.from(value['rows'], cells) : []
  const table: RawTable = { name, headers, rows }
  if (Array.isArray(value['numberFormats'])) table.numberFormats = Array.from(value['numberFormats'], formats)
  const origin = value['origin']
  if (isRecord(origin) && typeof origin['sheet'] === 'string' && isPositiveInteger(origin['row']) && isPositiveInteger(origin['column'])) {
    table.origin = { sheet: origin['sheet'], row: origin['row'], column: origin['column'] }
  }
  return table
}

/** A well-formed RawWorkbook: only contract tables, each sanitized. */
export function sanitizeWorkbook(value: unknown): RawWorkbook {
  const tables: Partial<Record<TableName, RawTable>> = {}
  const given = isRecord(value) && isRecord(value['tables']) ? value['tables'] : {}
  for (const name of TABLE_NAMES) {
    if (Object.hasOwn(given, name) && given[name] !== undefined) tables[name] = sanitizeTable(name, given[name])
  }
  const listed = isRecord(value) && Array.isArray(value['missing']) ? value['missing'] : []
  const missing = TABLE_NAMES.filter((name) => listed.includes(name) && tables[name] === undefined)
  return { tables, missing }
}

function consequence(name: TableName): string {
  switch (name) {
    case 'Strategies':
      return 'no strategies can be shown'
    case 'WIGs':
      return 'no WIGs can be shown'
    case 'Measures':
      return 'no measures can be shown'
    case 'CheckIns':
      return 'no check-ins can be shown'
    case 'ActionSteps':
      return 'no action steps can be shown'
    case 'People':
      return 'owners are shown as written and not checked'
    case 'ChangeLog':
      return 'changes cannot be saved'
    case 'Settings':
      return 'the default settings are used'
    case 'Reminders':
      return 'reminders cannot be sent, since what was sent could not be recorded'
    default:
      return exhaustiveSwitchError(name, 'table')
  }
}

export function missingTableProblem(name: TableName): Problem {
  return { table: name, row: null, column: null, cell: null, key: null, message: `There is no ${name} table, so ${consequence(name)}.` }
}

/** Required columns present exactly once, and contract columns not duplicated (which one would we read?). */
export function checkTable(table: RawTable): TableCheck {
  const { name } = table
  const spec = CONTRACT[name]
  const problems: Problem[] = []
  const headerRow = sheetRow(table, -1)
  const unreadable = name === 'ChangeLog' ? 'changes cannot be saved' : 'it cannot be read'
  for (const column of spec.required) {
    if (findColumn(table.headers, column) < 0) {
      problems.push({ table: name, row: headerRow, column, cell: null, key: null, message: `The ${name} table has no ${column} column, so ${unreadable}.` })
    }
  }
  for (const { name: column } of spec.columns) {
    const matches = columnMatches(table.headers, column)
    const second = matches[1]
    if (second === undefined) continue
    const names = matches.map((i) => `"${table.headers[i] ?? ''}"`).join(', ')
    problems.push({
      table: name,
      row: headerRow,
      column,
      cell: cellAddress(table, -1, second) ?? null,
      key: null,
      message: `The ${name} table has ${matches.length} columns that read as ${column} (${names}), so ${unreadable}; rename or remove all but one.`,
    })
  }
  return { problems, readable: problems.length === 0 }
}
