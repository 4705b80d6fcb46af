import { boxAddress } from './a1.ts'
import { cellValueProblem } from './cell-text.ts'
import { CONTRACT, findColumn, normalizeHeader, type TableName } from './contract.ts'
import { DATE_FORMAT, TABLE_LAYOUTS } from './layout.ts'
import type { CellValue } from './raw.ts'
import type { Audit, CreatedTable, CreateTables, NewTable, WriteError } from './store.ts'
import { changeLogRow, checkColumns, keyText } from './write-plan.ts'

/**
 * The rules both backends follow when `createTables` makes the contract's tables in a workbook
 * that lacks them (the task pane's Set up): where each goes, what its cells hold, what is refused
 * before anything is written, and the ChangeLog rows that record it.
 */

/** Excel's limit on a sheet name. */
export const MAX_SHEET_NAME = 31

/**
 * The sheet a new table goes on: the name `init` gives it (layout.ts), or when a sheet has that
 * name (Excel compares sheet names ignoring case), the first free `Name 2`, `Name 3`…. Not
 * Excel's `Name (2)`: Graph addresses a sheet by name in the URL path (`worksheets/{name}/…`),
 * where parentheses could read as OData syntax. `taken` holds the workbook's sheets and those
 * already chosen.
 */
export function freeSheetName(table: TableName, taken: Iterable<string>): string {
  const used = new Set([...taken].map((s) => s.toLowerCase()))
  const base = TABLE_LAYOUTS[table].sheet
  if (!used.has(base.toLowerCase())) return base
  for (let n = 2; ; n += 1) {
    const suffix = ` ${n}`
    const name = `${base.slice(0, MAX_SHEET_NAME - suffix.length)}${suffix}`
    if (!used.has(name.toLowerCase())) return name
  }
}

/** The ChangeLog last: its rows record the others, so it is made once they are. */
export function creationOrder(tables: readonly NewTable[]): NewTable[] {
  return [...tables.filter((t) => t.name !== 'ChangeLog'), ...tables.filter((t) => t.name === 'ChangeLog')]
}

/** A new table's data rows on the sheet: the rows given, or the one blank row an Excel table keeps. */
export function bodyRows(rows: number): number {
  return Math.max(1, rows)
}

/** `'Check-ins'!A1:H2`: the whole range of a new table at A1 of its sheet. */
export function newTableAddress(sheet: string, columns: number, rows: number): string {
  return boxAddress(sheet, { top: 1, left: 1, bottom: 1 + bodyRows(rows), right: columns })
}

/**
 * The number format of each column's data cells, from what the contract column holds (as `init`
 * formats them): dates as real dates, percent complete as a whole number; '' leaves General.
 */
export function dataFormats(table: TableName, headers: readonly string[]): string[] {
  return headers.map((header) => {
    const column = CONTRACT[table].columns.find((c) => findColumn([header], c.name) === 0)
    if (column?.kind === 'date') return DATE_FORMAT
    if (column?.kind === 'percentComplete') return '0'
    return ''
  })
}

/** The ChangeLog row recording one table made: its Table, and its range as NewValue. */
export function creationLogRow(logHeaders: readonly string[], audit: Audit, created: Pick<CreatedTable, 'table' | 'address'>): CellValue[] {
  return changeLogRow(logHeaders, audit, created.table, '', '', '', created.address)
}

function auditRefused(audit: Audit): WriteError | null {
  for (const [field, value] of [['By', audit.by], ['Source', audit.source], ['ChangeId', audit.changeId], ['At', audit.at]] as const) {
    const problem = cellValueProblem(value)
    if (problem !== null) return { kind: 'badCell', table: 'ChangeLog', column: field, key: null, audit: field, ...problem }
  }
  return null
}

/**
 * What is refused before the workbook is looked at: a header row without a required column
 * (badColumns), text a cell cannot hold (badCell, naming the row by its key where it has one).
 * Broken invariants (a table named twice, blank, repeated or unstorable headers, a row of another width)
 * are the caller's bug and throw: the app passes the layout's headers.
 */
export function newTablesRefused(command: CreateTables): WriteError | null {
  const names = command.tables.map((t) => t.name)
  const twice = names.find((n, i) => names.indexOf(n) !== i)
  if (twice !== undefined) throw new RangeError(`createTables names ${twice} twice`)
  for (const table of command.tables) {
    const normalized = table.headers.map(normalizeHeader)
    const unfit = normalized.some((h, i) => h === '' || normalized.indexOf(h) !== i) || table.headers.some((h) => cellValueProblem(h) !== null)
    if (unfit) throw new RangeError(`The ${table.name} headers are blank or repeated: ${table.headers.join(', ')}`)
    const width = table.rows.findIndex((row) => row.length !== table.headers.length)
    if (width >= 0) throw new RangeError(`Row ${width + 1} of the new ${table.name} table has ${table.rows[width]?.length} cells for ${table.headers.length} headers`)
    const columns = checkColumns(table.name, table.headers, [])
    if (!columns.ok) return columns.error
    const keyColumn = CONTRACT[table.name].key
    const keyIndex = keyColumn === null ? -1 : findColumn(table.headers, keyColumn)
    for (const [r, row] of table.rows.entries()) {
      for (const [c, value] of row.entries()) {
        const problem = cellValueProblem(value)
        if (problem === null) continue
        const key = keyIndex < 0 ? '' : keyText(row[keyIndex])
        const place = key === '' ? { key: null, row: r + 1 } : { key }
        return { kind: 'badCell', table: table.name, column: table.headers[c] ?? '', ...place, ...problem }
      }
    }
  }
  return auditRefused(command.audit)
}
