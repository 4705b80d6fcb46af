import { xmlEvents } from './xml-tags.ts'
import type { Xml } from './xml-text.ts'
import { unmodeled } from './unmodeled.ts'

/**
 * xl/tables/tableN.xml as exceljs reads it (its TableXform): the name, the range, whether
 * header and totals rows are declared (only the exact text "1" declares one), and the
 * column names. exceljs's column list ends after the first column holding an element (a
 * calculated column's formula): that shortened list is what it compares a header row with.
 */
export type TableDef = {
  name: string | undefined
  ref: string | undefined
  headerRow: boolean
  totalsRow: boolean
  columns: (string | undefined)[]
  /** Whether a column refers to a differential format (exceljs looks it up while loading). */
  usesDxf: boolean
  /** The part it was read from (book.ts fills it in). */
  part?: string
}

export function readTablePart(xml: Xml): TableDef {
  let table: TableDef | null = null
  let columns: (string | undefined)[] | null = null
  let listOpen = false
  let columnOpen = false
  let usesDxf = false
  let inFilter = false
  let filterColumns = 0
  let depth = 0
  for (const event of xmlEvents(xml)) {
    if (event.kind === 'text') continue
    if (event.kind === 'close') {
      depth -= 1
      if (event.name === 'tableColumns' && depth === 1) listOpen = false
      if (columnOpen && depth === 2) columnOpen = false
      if (event.name === 'autoFilter' && depth === 1) inFilter = false
      continue
    }
    depth += 1
    const { name, attributes } = event.tag
    if (depth === 1) {
      if (name !== 'table') unmodeled('a table part that is not a <table>')
      table = {
        name: attributes['name'],
        ref: attributes['ref'],
        headerRow: attributes['headerRowCount'] === '1',
        totalsRow: attributes['totalsRowCount'] === '1',
        columns: [],
        usesDxf: false,
      }
    } else if (depth === 2) {
      if (name === 'tableColumns') {
        columns = []
        listOpen = true
      } else if (name === 'autoFilter') {
        inFilter = true
        filterColumns = 0
      } else if (name === 'tableColumn' || name === 'filterColumn') {
        unmodeled(`<${name}> out of place in a table part`)
      }
    } else if (depth === 3 && inFilter) {
      // exceljs writes a bare filterColumn per column; a filter in use goes through parsers that throw on what they do not know.
      if (name !== 'filterColumn' || !event.tag.selfClosing) unmodeled('a filter in use')
      filterColumns += 1
    } else if (depth === 3 && listOpen && name === 'tableColumn') {
      columns?.push(attributes['name'])
      if (attributes['dxfId'] !== undefined) usesDxf = true
      columnOpen = true
    } else if (depth === 4 && columnOpen) {
      // exceljs's column parser stops at this element's end, and its list with it.
      listOpen = false
    } else if (name === 'tableColumns' || name === 'autoFilter' || name === 'tableStyleInfo') {
      unmodeled(`<${name}> out of place in a table part`)
    }
  }
  if (table === null) unmodeled('an empty table part')
  // exceljs reads the columns' formats while loading: a table without a column list fails to load.
  if (columns === null) unmodeled('a table without columns')
  // exceljs copies each filter column's button onto the column of the same position.
  if (filterColumns > columns.length) unmodeled('more filter columns than table columns')
  return { ...table, columns, usesDxf }
}
