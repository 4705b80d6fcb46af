import type { TableName } from '../../contract.ts'

/**
 * URLs under `{item}/workbook`. Reads name the properties they need with `$select`
 * (api/range-get.md documents OData query parameters): a full range also carries text, formulas,
 * formulasLocal, formulasR1C1, valueTypes and more, about 7× the bytes (GRAPH.md §6).
 */
export function workbookPaths(itemPath: string) {
  const wb = `${itemPath}/workbook`
  const table = (name: TableName) => `${wb}/tables/${encodeURIComponent(name)}`
  return {
    createSession: `${wb}/createSession`,
    refreshSession: `${wb}/refreshSession`,
    closeSession: `${wb}/closeSession`,
    /** api/table-headerrowrange.md: the header cells and where the table sits. */
    headerRow: (name: TableName) => `${table(name)}/headerRowRange?$select=address,values`,
    /** api/table-databodyrange.md: the data rows, never a Total row. */
    dataBody: (name: TableName) => `${table(name)}/dataBodyRange?$select=address,values,numberFormat`,
    /** The data body's extent alone, to plan a chunked read. */
    dataBodyExtent: (name: TableName) => `${table(name)}/dataBodyRange?$select=address,rowCount,columnCount`,
    /** api/tablecolumn-databodyrange.md: one column's data cells, values only. */
    columnBody: (name: TableName, column: string) => `${table(name)}/columns/${encodeURIComponent(column)}/dataBodyRange?$select=values`,
    /** api/range-get.md, api/range-update.md: a rectangle of a worksheet by address, e.g. `B2:H4001`. */
    sheetRange: (sheet: string, address: string, select?: string) =>
      `${wb}/worksheets/${encodeURIComponent(sheet)}/range(address='${address}')${select ? `?$select=${select}` : ''}`,
    // rows/{index} answers ApiNotFound on the service (GRAPH.md §2): itemAt(index=N) is the form that works.
    rowAt: (name: TableName, index: number) => `${table(name)}/rows/itemAt(index=${index})`,
    addRows: (name: TableName) => `${table(name)}/rows/add`,
    /** api/worksheet-list.md: every sheet's name. */
    worksheets: `${wb}/worksheets?$select=name`,
    /** api/table-list.md: every table's id and name. */
    tables: `${wb}/tables?$select=id,name`,
    /** api/worksheet-list-tables.md: the tables on one sheet. */
    sheetTables: (sheet: string) => `${wb}/worksheets/${encodeURIComponent(sheet)}/tables?$select=id,name`,
    /** api/worksheetcollection-add.md: a new sheet after the others, `{ name }`. */
    addSheet: `${wb}/worksheets/add`,
    /** api/worksheet-post-tables.md: a table over a range of that sheet, `{ address, hasHeaders }` (no sheet prefix needed). */
    addTable: (sheet: string) => `${wb}/worksheets/${encodeURIComponent(sheet)}/tables/add`,
    /** api/table-update.md: a table by its id, which survives the rename the PATCH makes. */
    tableById: (id: string) => `${wb}/tables/${encodeURIComponent(id)}`,
  }
}

export type WorkbookPaths = ReturnType<typeof workbookPaths>
