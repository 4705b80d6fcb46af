import { storedZip } from './unzip.ts'

/**
 * Hand-written .xlsx archives, part by part, for what exceljs never writes (inline strings,
 * phonetic runs, shared formulas, `t="str"` text, rows out of order…) but Excel and other
 * programs do. Stored (not deflated) so a test can read them; exceljs loads them like any other.
 */

export type HandTable = {
  name: string
  ref: string
  columns: string[]
  /** Extra attributes of `<table>`, e.g. `headerRowCount="1"`; exceljs's own writer always sets it. */
  attributes?: string
  /** Replaces the `<tableColumns>` element written from `columns`. */
  columnsXml?: string
  autoFilter?: string
}

export type HandSheet = {
  name: string
  /** The content of `<sheetData>`. */
  rows: string
  tables?: HandTable[]
  /** XML before `<sheetData>` (columns). */
  before?: string
  /** XML after `</sheetData>` and before `<tableParts>` (merges, hyperlinks). */
  after?: string
  /** Extra relationships of the sheet (hyperlink targets), as `<Relationship>` elements. */
  relationships?: string
  /** The part's number (`sheetN.xml`); the sheet's position by default. */
  part?: number
  sheetId?: number
}

export type HandBook = {
  sheets: HandSheet[]
  /** `<si>` elements; no shared strings part when absent. */
  sharedStrings?: string[]
  /** The content of `<styleSheet>`; no styles part when absent. */
  styles?: string
  /** Attributes of `<workbookPr>`, e.g. `date1904="1"`. */
  workbookPr?: string
  /** Parts to write as given, replacing or adding to the generated ones. */
  parts?: Record<string, string>
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

/** Cell styles: `formats` are custom `numFmt`s (id → code), `xfs` the `numFmtId` of each cellXfs entry. */
export function stylesXml(formats: Record<number, string>, xfs: number[]): string {
  const numFmts = Object.entries(formats).map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${code.replaceAll('"', '&quot;')}"/>`)
  return [
    numFmts.length > 0 ? `<numFmts count="${numFmts.length}">${numFmts.join('')}</numFmts>` : '',
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>',
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>',
    '<borders count="1"><border/></borders>',
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>',
    `<cellXfs count="${xfs.length}">${xfs.map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"/>`).join('')}</cellXfs>`,
  ].join('')
}

function tableXml(table: HandTable, id: number): string {
  const columns = table.columnsXml ?? `<tableColumns count="${table.columns.length}">${table.columns.map((c, i) => `<tableColumn id="${i + 1}" name="${c}"/>`).join('')}</tableColumns>`
  return `${DECL}<table ${NS} id="${id}" name="${table.name}" displayName="${table.name}" ref="${table.ref}" ${table.attributes ?? 'headerRowCount="1"'}>${table.autoFilter ?? `<autoFilter ref="${table.ref}"/>`}${columns}<tableStyleInfo name="TableStyleMedium2" showRowStripes="1"/></table>`
}

export function handXlsx(book: HandBook): Buffer {
  const parts: Record<string, string> = {}
  const workbookRels: string[] = []
  const sheets: string[] = []
  let tableId = 0
  book.sheets.forEach((sheet, i) => {
    const part = sheet.part ?? i + 1
    workbookRels.push(`<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${part}.xml"/>`)
    sheets.push(`<sheet name="${sheet.name}" sheetId="${sheet.sheetId ?? i + 1}" r:id="rId${i + 1}"/>`)
    const rels: string[] = []
    const tableParts: string[] = []
    for (const table of sheet.tables ?? []) {
      tableId += 1
      parts[`xl/tables/table${tableId}.xml`] = tableXml(table, tableId)
      rels.push(`<Relationship Id="rIdT${tableId}" Type="${REL}/table" Target="../tables/table${tableId}.xml"/>`)
      tableParts.push(`<tablePart r:id="rIdT${tableId}"/>`)
    }
    const tablePartsXml = tableParts.length > 0 ? `<tableParts count="${tableParts.length}">${tableParts.join('')}</tableParts>` : ''
    parts[`xl/worksheets/sheet${part}.xml`] = `${DECL}<worksheet ${NS}>${sheet.before ?? ''}<sheetData>${sheet.rows}</sheetData>${sheet.after ?? ''}${tablePartsXml}</worksheet>`
    if (rels.length > 0 || sheet.relationships) parts[`xl/worksheets/_rels/sheet${part}.xml.rels`] = `${DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}${sheet.relationships ?? ''}</Relationships>`
  })
  parts['xl/workbook.xml'] = `${DECL}<workbook ${NS}><workbookPr ${book.workbookPr ?? ''}/><sheets>${sheets.join('')}</sheets></workbook>`
  parts['xl/_rels/workbook.xml.rels'] = `${DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${workbookRels.join('')}</Relationships>`
  if (book.sharedStrings) parts['xl/sharedStrings.xml'] = `${DECL}<sst ${NS} count="${book.sharedStrings.length}" uniqueCount="${book.sharedStrings.length}">${book.sharedStrings.join('')}</sst>`
  if (book.styles !== undefined) parts['xl/styles.xml'] = `${DECL}<styleSheet ${NS}>${book.styles}</styleSheet>`
  return storedZip({ ...parts, ...book.parts })
}

/** A row of cells given as `[address, attributes, inner XML]`. */
export function row(number: number, cells: [string, string, string][]): string {
  return `<row r="${number}">${cells.map(([r, attributes, inner]) => (inner === '' ? `<c r="${r}" ${attributes}/>` : `<c r="${r}" ${attributes}>${inner}</c>`)).join('')}</row>`
}

/** A plain shared string. */
export const si = (text: string): string => `<si><t xml:space="preserve">${text}</t></si>`
