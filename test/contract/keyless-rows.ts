import { CONTRACT, findColumn, type TableName } from '../../src/workbook/contract.ts'
import { findTable, tableColumn, updateTableRow } from '../../src/workbook/file/tables.ts'
import { loadWorkbook, saveWorkbookAtomically } from '../../src/workbook/file/workbook-file.ts'

/**
 * Empties the key cell of the given rows of a generated workbook, as someone typing a row straight
 * into Excel leaves it (WORKBOOK.md: a missing CheckInId/StepId is a problem, never a dropped row).
 * Done on the file before any backend opens it, so both backends start from the same bytes.
 */
export async function blankKeyCells(path: string, rows: readonly { table: TableName; key: string }[]): Promise<void> {
  const loaded = await loadWorkbook(path)
  if (!loaded.ok) throw new Error(`cannot load ${path}: ${loaded.error.kind}`)
  const wb = loaded.value
  for (const { table, key } of rows) {
    const info = findTable(wb, table)
    const keyColumn = CONTRACT[table].key
    if (!info || !keyColumn) throw new Error(`no keyed ${table} table`)
    const keyIndex = findColumn(info.columns, keyColumn)
    const column = tableColumn(wb, table, info.columns[keyIndex] ?? keyColumn)
    // values[0] is the header cell.
    const index = (column?.values ?? []).slice(1).findIndex((cell) => cell[0] === key)
    if (index < 0) throw new Error(`no ${table} row ${key}`)
    const blank = updateTableRow(wb, table, index, info.columns.map((_, i) => (i === keyIndex ? '' : null)))
    if (!blank.ok) throw new Error(blank.error)
  }
  await saveWorkbookAtomically(wb, path)
}
