import { escapeXstring } from '../ooxml/xstring.ts'
import { zipParts, type ZipPart } from './xlsx-zip.ts'

/**
 * A small SpreadsheetML writer (ECMA-376 Part 1) for the board packet: rows written in order, straight
 * to XML, with shared strings and interned cell formats. It writes what the packet needs and nothing
 * else: column widths, frozen panes, a filter, row heights, print setup (landscape, one page wide,
 * repeated title row, header and footer, margins), fonts, solid fills, a bottom border, number
 * formats, alignment and Excel's quote prefix. exceljs built a model of every cell first and then
 * serialised it, the larger part of the packet's time and memory; this writes each row once.
 */

/** Colours as Excel writes them: alpha then RGB, e.g. `FFD9E1F2`. */
export type Argb = string

export type CellFormat = {
  font: { name: string; size: number; bold?: boolean; color?: Argb }
  fill?: Argb
  /** A thin line under the cell. */
  bottomBorder?: Argb
  numFmt?: string
  horizontal?: 'left' | 'center' | 'right'
  vertical?: 'top' | 'bottom'
  wrapText?: boolean
  shrinkToFit?: boolean
  indent?: number
  /**
   * Text a person typed after an apostrophe: the Text format (built-in 49, which keeps an edit as
   * text) and `quotePrefix="1"` (§18.8.45 xf), so editing the cell never turns it into a formula.
   */
  typedAsText?: boolean
}

/** A date is written as its serial day number (the 1900 date system); it should be midnight UTC. */
export type CellValue = string | number | Date

export type Cell = { value: CellValue; style: number }

export type SheetSetup = {
  name: string
  /** Widths of columns A, B, … in Excel's units (characters of the default font). */
  columnWidths: readonly number[]
  defaultRowHeight: number
  /** Columns and rows kept on screen while scrolling. */
  frozen: { columns: number; rows: number }
  /** The row printed at the top of every page, and where the filter buttons sit. */
  headerRow: number
  print: {
    margins: { left: number; right: number; top: number; bottom: number; header: number; footer: number }
    /** Header and footer in Excel's codes (`&L`, `&P`…); a literal `&` already doubled. */
    oddHeader: string
    oddFooter: string
  }
}

export type BookProperties = { creator: string; title: string; created: Date }

/** Excel's built-in number formats the packet uses (§18.8.30); any other gets an id from 164. */
const BUILT_IN_FORMATS: Readonly<Record<string, number>> = { General: 0, '0': 1, '0.00': 2, '#,##0': 3, '#,##0.00': 4, '0%': 9, '0.00%': 10, '@': 49 }
const FIRST_CUSTOM_FORMAT = 164
const TEXT_FORMAT = '@'
const MS_PER_DAY = 86_400_000
/** Serial day number of 1970-01-01 in the 1900 date system. */
const UNIX_EPOCH_SERIAL = 25_569

const NS = {
  main: 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
  rel: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  pkgRel: 'http://schemas.openxmlformats.org/package/2006/relationships',
} as const
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

export class XlsxBook {
  private readonly sheets: SheetWriter[] = []
  private readonly strings = new SharedStrings()
  private readonly styles = new StyleTable()

  constructor(private readonly properties: BookProperties) {}

  /** The id of a cell format, the same id for the same format. */
  style(format: CellFormat): number {
    return this.styles.id(format)
  }

  addSheet(setup: SheetSetup): SheetWriter {
    const sheet = new SheetWriter(setup, this.sheets.length, this.strings)
    this.sheets.push(sheet)
    return sheet
  }

  async toBytes(): Promise<Uint8Array<ArrayBuffer>> {
    const encode = (text: string) => new TextEncoder().encode(text)
    const parts: ZipPart[] = [
      { name: '[Content_Types].xml', data: encode(this.contentTypes()) },
      { name: '_rels/.rels', data: encode(packageRelationships()) },
      { name: 'docProps/core.xml', data: encode(coreProperties(this.properties)) },
      { name: 'docProps/app.xml', data: encode(`${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>${escapeText(this.properties.creator)}</Application></Properties>`) },
      { name: 'xl/workbook.xml', data: encode(this.workbook()) },
      { name: 'xl/_rels/workbook.xml.rels', data: encode(this.workbookRelationships()) },
      ...this.sheets.map((sheet, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: encode(sheet.xml()) })),
      { name: 'xl/styles.xml', data: encode(this.styles.xml()) },
      { name: 'xl/sharedStrings.xml', data: encode(this.strings.xml()) },
    ]
    return zipParts(parts)
  }

  private contentTypes(): string {
    const override = (part: string, type: string) => `<Override PartName="/${part}" ContentType="application/vnd.openxmlformats-${type}"/>`
    return (
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      override('xl/workbook.xml', 'officedocument.spreadsheetml.sheet.main+xml') +
      this.sheets.map((_, i) => override(`xl/worksheets/sheet${i + 1}.xml`, 'officedocument.spreadsheetml.worksheet+xml')).join('') +
      override('xl/styles.xml', 'officedocument.spreadsheetml.styles+xml') +
      override('xl/sharedStrings.xml', 'officedocument.spreadsheetml.sharedStrings+xml') +
      override('docProps/core.xml', 'package.core-properties+xml') +
      override('docProps/app.xml', 'officedocument.extended-properties+xml') +
      '</Types>'
    )
  }

  private workbook(): string {
    const sheets = this.sheets.map((s, i) => `<sheet name="${escapeAttribute(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')
    // The filter's range and the printed title row are workbook-level names scoped to their sheet (§18.2.6, §18.17.4).
    const names = this.sheets.flatMap((s, i) => {
      const quoted = `'${s.name.replace(/'/g, "''")}'`
      const filter = s.filterRange()
      return [
        ...(filter ? [`<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${escapeText(`${quoted}!${filter}`)}</definedName>`] : []),
        `<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${escapeText(`${quoted}!$${s.headerRow}:$${s.headerRow}`)}</definedName>`,
      ]
    })
    return `${XML_HEAD}<workbook xmlns="${NS.main}" xmlns:r="${NS.rel}"><bookViews><workbookView activeTab="0"/></bookViews><sheets>${sheets}</sheets>${names.length > 0 ? `<definedNames>${names.join('')}</definedNames>` : ''}</workbook>`
  }

  private workbookRelationships(): string {
    const type = (name: string) => `http://schemas.openxmlformats.org/officeDocument/2006/relationships/${name}`
    const n = this.sheets.length
    return (
      `${XML_HEAD}<Relationships xmlns="${NS.pkgRel}">` +
      this.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${type('worksheet')}" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
      `<Relationship Id="rId${n + 1}" Type="${type('styles')}" Target="styles.xml"/>` +
      `<Relationship Id="rId${n + 2}" Type="${type('sharedStrings')}" Target="sharedStrings.xml"/>` +
      '</Relationships>'
    )
  }
}

export class SheetWriter {
  private readonly rows: string[] = []
  private lastRow = 0
  private lastColumn = 0
  private filter: { lastRow: number; columns: number } | null = null
  private readonly letters: string[] = []

  constructor(
    private readonly setup: SheetSetup,
    private readonly index: number,
    private readonly strings: SharedStrings,
  ) {}

  get name(): string {
    return this.setup.name
  }

  get headerRow(): number {
    return this.setup.headerRow
  }

  /**
   * Row `r` (1-based, each after the last): `cells[i]` is column i + 1, a hole is an empty cell.
   * `height` in points, when the row needs more than the default.
   */
  row(r: number, cells: readonly (Cell | undefined)[], height?: number): void {
    if (r <= this.lastRow) throw new Error(`row ${r} of ${this.name} written after row ${this.lastRow}`)
    this.lastRow = r
    let xml = `<row r="${r}"${height === undefined ? '' : ` ht="${height}" customHeight="1"`}>`
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i]
      if (cell === undefined) continue
      const ref = `${this.letter(i + 1)}${r}`
      const { value, style } = cell
      if (typeof value === 'string') xml += `<c r="${ref}" s="${style}" t="s"><v>${this.strings.id(value)}</v></c>`
      else {
        const number = typeof value === 'number' ? value : value.getTime() / MS_PER_DAY + UNIX_EPOCH_SERIAL
        if (!Number.isFinite(number)) continue
        xml += `<c r="${ref}" s="${style}"><v>${number}</v></c>`
      }
      if (i + 1 > this.lastColumn) this.lastColumn = i + 1
    }
    this.rows.push(`${xml}</row>`)
  }

  /** Filter buttons on the header row over `columns` columns, down to `lastRow`. */
  autoFilter(lastRow: number, columns: number): void {
    this.filter = { lastRow: Math.max(lastRow, this.headerRow), columns }
  }

  filterRange(): string | null {
    if (this.filter === null) return null
    return `$A$${this.headerRow}:$${this.letter(this.filter.columns)}$${this.filter.lastRow}`
  }

  xml(): string {
    const { setup } = this
    const { columns, rows } = setup.frozen
    const topLeft = `${this.letter(columns + 1)}${rows + 1}`
    const pane = columns > 0 && rows > 0 ? 'bottomRight' : columns > 0 ? 'topRight' : 'bottomLeft'
    const view =
      `<sheetView workbookViewId="0"${this.index === 0 ? ' tabSelected="1"' : ''}>` +
      (columns > 0 || rows > 0
        ? `<pane${columns > 0 ? ` xSplit="${columns}"` : ''}${rows > 0 ? ` ySplit="${rows}"` : ''} topLeftCell="${topLeft}" activePane="${pane}" state="frozen"/><selection pane="${pane}" activeCell="${topLeft}" sqref="${topLeft}"/>`
        : '') +
      '</sheetView>'
    const cols = setup.columnWidths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('')
    const dimension = this.lastRow > 0 ? `A1:${this.letter(Math.max(1, this.lastColumn))}${this.lastRow}` : 'A1'
    const filter = this.filter ? `<autoFilter ref="A${this.headerRow}:${this.letter(this.filter.columns)}${this.filter.lastRow}"/>` : ''
    const m = setup.print.margins
    // Element order is the schema's (CT_Worksheet): Excel refuses a part whose children are out of order.
    return (
      `${XML_HEAD}<worksheet xmlns="${NS.main}" xmlns:r="${NS.rel}">` +
      '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' +
      `<dimension ref="${dimension}"/>` +
      `<sheetViews>${view}</sheetViews>` +
      `<sheetFormatPr defaultRowHeight="${setup.defaultRowHeight}"/>` +
      (cols ? `<cols>${cols}</cols>` : '') +
      `<sheetData>${this.rows.join('')}</sheetData>` +
      filter +
      '<printOptions horizontalCentered="1"/>' +
      `<pageMargins left="${m.left}" right="${m.right}" top="${m.top}" bottom="${m.bottom}" header="${m.header}" footer="${m.footer}"/>` +
      '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>' +
      `<headerFooter><oddHeader>${escapeText(setup.print.oddHeader)}</oddHeader><oddFooter>${escapeText(setup.print.oddFooter)}</oddFooter></headerFooter>` +
      '</worksheet>'
    )
  }

  private letter(column: number): string {
    let letters = this.letters[column]
    if (letters === undefined) {
      letters = ''
      for (let x = column; x > 0; x = Math.floor((x - 1) / 26)) letters = String.fromCharCode(65 + ((x - 1) % 26)) + letters
      this.letters[column] = letters
    }
    return letters
  }
}

class SharedStrings {
  private readonly ids = new Map<string, number>()
  private readonly items: string[] = []
  private uses = 0

  id(text: string): number {
    this.uses += 1
    let id = this.ids.get(text)
    if (id === undefined) {
      id = this.items.length
      this.ids.set(text, id)
      this.items.push(`<si>${textElement(text)}</si>`)
    }
    return id
  }

  xml(): string {
    return `${XML_HEAD}<sst xmlns="${NS.main}" count="${this.uses}" uniqueCount="${this.items.length}">${this.items.join('')}</sst>`
  }
}

class StyleTable {
  private readonly ids = new Map<string, number>()
  private readonly xfs: string[] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
  private readonly fonts = new Interned(['<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'])
  private readonly fills = new Interned(['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>'])
  private readonly borders = new Interned(['<border><left/><right/><top/><bottom/><diagonal/></border>'])
  private readonly formats = new Map<string, number>()

  id(format: CellFormat): number {
    const key = JSON.stringify(format)
    let id = this.ids.get(key)
    if (id === undefined) {
      id = this.xfs.length
      this.ids.set(key, id)
      this.xfs.push(this.xf(format))
    }
    return id
  }

  private xf(format: CellFormat): string {
    const { font } = format
    const fontId = this.fonts.id(`<font>${font.bold ? '<b/>' : ''}<sz val="${font.size}"/>${font.color ? `<color rgb="${font.color}"/>` : ''}<name val="${escapeAttribute(font.name)}"/><family val="2"/></font>`)
    const fillId = format.fill ? this.fills.id(`<fill><patternFill patternType="solid"><fgColor rgb="${format.fill}"/><bgColor indexed="64"/></patternFill></fill>`) : 0
    const borderId = format.bottomBorder ? this.borders.id(`<border><left/><right/><top/><bottom style="thin"><color rgb="${format.bottomBorder}"/></bottom><diagonal/></border>`) : 0
    const numFmt = format.typedAsText ? TEXT_FORMAT : format.numFmt
    const numFmtId = numFmt === undefined ? 0 : this.formatId(numFmt)
    const alignment = [
      format.horizontal ? ` horizontal="${format.horizontal}"` : '',
      format.vertical ? ` vertical="${format.vertical}"` : '',
      format.wrapText ? ' wrapText="1"' : '',
      format.indent ? ` indent="${format.indent}"` : '',
      format.shrinkToFit ? ' shrinkToFit="1"' : '',
    ].join('')
    return (
      `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="${fillId}" borderId="${borderId}" xfId="0"${format.typedAsText ? ' quotePrefix="1"' : ''}` +
      `${numFmtId ? ' applyNumberFormat="1"' : ''} applyFont="1"${fillId ? ' applyFill="1"' : ''}${borderId ? ' applyBorder="1"' : ''}` +
      (alignment ? ` applyAlignment="1"><alignment${alignment}/></xf>` : '/>')
    )
  }

  private formatId(code: string): number {
    const builtIn = BUILT_IN_FORMATS[code]
    if (builtIn !== undefined) return builtIn
    let id = this.formats.get(code)
    if (id === undefined) {
      id = FIRST_CUSTOM_FORMAT + this.formats.size
      this.formats.set(code, id)
    }
    return id
  }

  xml(): string {
    const numFmts = [...this.formats].map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${escapeAttribute(code)}"/>`).join('')
    return (
      `${XML_HEAD}<styleSheet xmlns="${NS.main}">` +
      (this.formats.size > 0 ? `<numFmts count="${this.formats.size}">${numFmts}</numFmts>` : '') +
      this.fonts.xml('fonts') +
      this.fills.xml('fills') +
      this.borders.xml('borders') +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${this.xfs.length}">${this.xfs.join('')}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
      '</styleSheet>'
    )
  }
}

/** Elements of one kind, each written once, referred to by position. */
class Interned {
  private readonly ids = new Map<string, number>()
  constructor(private readonly items: string[]) {
    items.forEach((item, i) => this.ids.set(item, i))
  }
  id(xml: string): number {
    let id = this.ids.get(xml)
    if (id === undefined) {
      id = this.items.length
      this.ids.set(xml, id)
      this.items.push(xml)
    }
    return id
  }
  xml(tag: string): string {
    return `<${tag} count="${this.items.length}">${this.items.join('')}</${tag}>`
  }
}

function packageRelationships(): string {
  const type = 'http://schemas.openxmlformats.org'
  return (
    `${XML_HEAD}<Relationships xmlns="${NS.pkgRel}">` +
    `<Relationship Id="rId1" Type="${type}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
    `<Relationship Id="rId2" Type="${type}/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
    `<Relationship Id="rId3" Type="${type}/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
    '</Relationships>'
  )
}

function coreProperties({ creator, title, created }: BookProperties): string {
  // W3CDTF without milliseconds, as Excel writes it.
  const when = `${created.toISOString().slice(0, 19)}Z`
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:title>${escapeText(title)}</dc:title><dc:creator>${escapeText(creator)}</dc:creator><cp:lastModifiedBy>${escapeText(creator)}</cp:lastModifiedBy>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    '</cp:coreProperties>'
  )
}

// ---------------------------------------------------------------- text

/** Characters XML 1.0 cannot carry at all. */
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * Text in markup. A cell's text keeps such characters as `_xHHHH_` (textElement); anywhere else
 * (a header, a number format's unit, the title) they are dropped, as exceljs dropped them: one
 * pasted from a word processor would otherwise make the part unreadable.
 */
function escapeText(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A `<t>` that keeps its text exactly: leading or trailing spaces, tabs and line ends included. */
function textElement(text: string): string {
  const body = escapeText(escapeXstring(text))
  return /^\s|\s$|[\t\n]/.test(text) ? `<t xml:space="preserve">${body}</t>` : `<t>${body}</t>`
}
