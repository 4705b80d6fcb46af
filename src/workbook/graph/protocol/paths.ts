import type { TableName } from '../../contract.ts'

/** URLs under `{item}/workbook`, as the agreed Graph subset spells them (api/table-range.md, tablerowcollection-add.md, …). */
export function workbookPaths(itemPath: string) {
  const wb = `${itemPath}/workbook`
  const table = (name: TableName) => `${wb}/tables/${encodeURIComponent(name)}`
  return {
    createSession: `${wb}/createSession`,
    refreshSession: `${wb}/refreshSession`,
    closeSession: `${wb}/closeSession`,
    range: (name: TableName) => `${table(name)}/range`,
    dataBody: (name: TableName) => `${table(name)}/dataBodyRange`,
    headerRow: (name: TableName) => `${table(name)}/headerRowRange`,
    column: (name: TableName, column: string) => `${table(name)}/columns/${encodeURIComponent(column)}`,
    // No $select: the table-range pages document none, and an implementation of the documented API may not accept one.
    // rows/{index} answers ApiNotFound on the service (GRAPH.md §2): itemAt(index=N) is the form that works.
    rowAt: (name: TableName, index: number) => `${table(name)}/rows/itemAt(index=${index})`,
    addRows: (name: TableName) => `${table(name)}/rows/add`,
  }
}

export type WorkbookPaths = ReturnType<typeof workbookPaths>
