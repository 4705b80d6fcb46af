import { sheetNameProblem } from '../sheets.ts'
import { readRelationships } from './relationships.ts'
import { readTablePart, type TableDef } from './table-part.ts'
import type { Styles } from './styles.ts'
import { xmlDecodeAgain } from './xml-text.ts'
import { xmlEvents } from './xml-tags.ts'
import type { XlsxParts } from './zip-entries.ts'
import type { Xml } from './xml-text.ts'
import { unmodeled } from './unmodeled.ts'

/**
 * Which worksheets a workbook has, in exceljs's order, and the tables each sheet's
 * relationships point at: everything needed to know where a table is without reading any
 * worksheet. exceljs finds parts by these patterns (unanchored, as it matches them) and links a
 * sheet to its part through xl/_rels/workbook.xml.rels.
 */

export type SheetDef = {
  name: string
  /** The worksheet part, e.g. `xl/worksheets/sheet3.xml`. */
  part: string
  /** The sheet's relationship targets by id (its tables, hyperlinks). */
  relationships: Map<string, string | undefined>
  /** The tables the sheet's relationships name, by target (`../tables/table1.xml`). */
  tables: Map<string, TableDef>
}

export type Book = { sheets: SheetDef[]; date1904: boolean; tables: Map<string, TableDef> }

const WORKSHEET = /xl\/worksheets\/sheet(\d+)[.]xml/
const WORKSHEET_RELS = /xl\/worksheets\/_rels\/sheet(\d+)[.]xml.rels/
/** Patterns exceljs tries before the table one: a name matching one of them is never read as a table. */
const BEFORE_TABLES = [/xl\/theme\/([a-zA-Z0-9]+)[.]xml/, /xl\/media\/([a-zA-Z0-9]+[.][a-zA-Z0-9]{3,4})$/, /xl\/drawings\/([a-zA-Z0-9]+)[.]xml/, /xl\/(comments\d+)[.]xml/]
const TABLE = /xl\/tables\/(table\d+)[.]xml/
/** Parts exceljs reads by exact name before trying any pattern. */
const NAMED_PARTS = new Set(['_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml', 'docProps/app.xml', 'docProps/core.xml'])

type SheetEntry = { name: string | undefined; sheetId: string | undefined; rId: string | undefined }

/** xl/workbook.xml: its `<sheet>` entries and the 1904 flag (exceljs takes only the text "1"). */
function readWorkbookPart(xml: Xml): { sheets: SheetEntry[]; date1904: boolean } {
  const sheets: SheetEntry[] = []
  let date1904 = false
  let depth = 0
  let inSheets = false
  for (const event of xmlEvents(xml)) {
    if (event.kind === 'close') {
      depth -= 1
      if (event.name === 'sheets' && depth === 1) inSheets = false
    }
    if (event.kind !== 'open') continue
    depth += 1
    const { name, attributes } = event.tag
    if (depth === 2 && name === 'sheets') {
      inSheets = true
      sheets.length = 0
    } else if (depth === 3 && inSheets && name === 'sheet') {
      sheets.push({ name: attributes['name'], sheetId: attributes['sheetId'], rId: attributes['r:id'] })
    } else if (depth === 2 && name === 'workbookPr') {
      date1904 = attributes['date1904'] === '1'
    } else if (name === 'sheets' || name === 'sheet' || name === 'workbookPr') {
      unmodeled(`<${name}> out of place in the workbook part`)
    }
  }
  return { sheets, date1904 }
}

/** Checks exceljs makes when it names a worksheet (it throws, or shortens a long name). */
function checkSheetName(name: string, taken: Set<string>): void {
  // Stricter than exceljs (it allows a blank name, and shortens a long one): what is refused here exceljs reads itself.
  if (sheetNameProblem(name) !== null) unmodeled(`sheet name ${name}`)
  const lower = name.toLowerCase()
  // A worksheet part no sheet links is named `sheetundefined`; a sheet of that name would clash with it.
  if (taken.has(lower) || lower === 'sheetundefined') unmodeled(`sheet name ${name}`)
  taken.add(lower)
}

export function readBook(parts: XlsxParts, styles: Styles): Book {
  const worksheetParts = new Map<string, string>()
  const worksheetRels = new Map<string, string>()
  const tableParts = new Map<string, string>()
  for (const name of parts.names) {
    if (NAMED_PARTS.has(name)) continue
    const sheet = WORKSHEET.exec(name)
    if (sheet) {
      worksheetParts.set(name, sheet[1] ?? '')
      continue
    }
    const rels = WORKSHEET_RELS.exec(name)
    if (rels) {
      worksheetRels.set(rels[1] ?? '', name)
      continue
    }
    if (BEFORE_TABLES.some((pattern) => pattern.test(name))) continue
    const table = TABLE.exec(name)
    if (table) tableParts.set(`../tables/${table[1] ?? ''}.xml`, name)
  }

  // exceljs reads every table part while loading, so one it cannot read fails the whole workbook.
  const tables = new Map<string, TableDef>()
  for (const [target, part] of tableParts) {
    const xml = parts.xml(part)
    if (xml === null) continue
    const def = readTablePart(xml)
    if (def.usesDxf && !styles.hasDxfs) unmodeled('a table column format the styles do not have')
    tables.set(target, { ...def, part })
  }

  const workbookXml = parts.xml('xl/workbook.xml')
  // Without it exceljs finds no worksheets and says so itself.
  if (workbookXml === null) unmodeled('no workbook part')
  const workbook = readWorkbookPart(workbookXml)
  const links = readRelationships(parts.xml('xl/_rels/workbook.xml.rels'))

  type Linked = { entry: SheetEntry; part: string; id: number }
  const linked = new Map<string, Linked>()
  for (const entry of workbook.sheets) {
    // exceljs looks the id up in a plain object: a missing one is the key "undefined".
    const rId = String(entry.rId)
    if (!links.has(rId)) continue
    const target = links.get(rId)
    if (target === undefined) unmodeled('a sheet relationship without a target')
    const part = `xl/${target.replace(/^(\s|\/xl\/)+/, '')}`
    if (!worksheetParts.has(part)) continue
    if (linked.has(part)) unmodeled('two sheets on one worksheet part')
    const id = parseInt(entry.sheetId ?? '', 10)
    if (!(id >= 1)) unmodeled('a sheet without a usable sheetId')
    linked.set(part, { entry, part, id })
  }
  if (linked.size === 0) unmodeled('no worksheets')

  // exceljs creates the worksheets in archive order, naming each as it goes, then orders them by their place in <sheets>.
  const taken = new Set<string>()
  const ids = new Set<number>()
  const created: (Linked & { name: string; order: number })[] = []
  for (const part of worksheetParts.keys()) {
    const sheet = linked.get(part)
    if (!sheet) continue
    if (sheet.entry.name === undefined) unmodeled('a sheet without a name')
    const name = xmlDecodeAgain(sheet.entry.name)
    checkSheetName(name, taken)
    if (ids.has(sheet.id)) unmodeled('two sheets with one sheetId')
    ids.add(sheet.id)
    const order = workbook.sheets.findIndex((s) => parseInt(s.sheetId ?? '', 10) === sheet.id)
    created.push({ ...sheet, name, order })
  }
  created.sort((a, b) => a.order - b.order)

  const sheets = created.map((sheet): SheetDef => {
    const sheetNo = worksheetParts.get(sheet.part) ?? ''
    const relsPart = worksheetRels.get(sheetNo)
    const relationships = readRelationships(relsPart === undefined ? null : parts.xml(relsPart))
    const own = new Map<string, TableDef>()
    for (const target of relationships.values()) {
      const def = target === undefined ? undefined : tables.get(target)
      if (target !== undefined && def) own.set(target, def)
    }
    return { name: sheet.name, part: sheet.part, relationships, tables: own }
  })
  return { sheets, date1904: workbook.date1904, tables }
}
