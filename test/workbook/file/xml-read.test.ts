import { createRequire } from 'node:module'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { TableName } from '../../../src/workbook/contract.ts'
import { openFileStore } from '../../../src/workbook/file/file-store.ts'
import { readRawWorkbook } from '../../../src/workbook/file/raw-read.ts'
import { loadWorkbook, saveWorkbookAtomically } from '../../../src/workbook/file/workbook-file.ts'
import { readRawTables } from '../../../src/workbook/file/xlsx/read-tables.ts'
import { BUILTIN_FORMATS } from '../../../src/workbook/file/xlsx/styles.ts'
import { Unmodeled } from '../../../src/workbook/file/xlsx/unmodeled.ts'
import { readWorkbookTables } from '../../../src/workbook/file/xml-read.ts'
import { writeContractWorkbook } from '../../fixtures/contract-workbook.ts'
import { writeFixtureWorkbook } from '../../fixtures/odd-workbook.ts'
import { deflatedZeros, rawParts, storedZip, zipOf } from './unzip.ts'
import { handXlsx, row, si, stylesXml, type HandBook } from './xlsx-parts.ts'
import { expectSame } from './xml-read-compare.ts'
import { describeError } from '../../../src/messages/errors.ts'

/**
 * Issue 14 item 2: the file backend reads a table straight from the .xlsx parts that hold it
 * (src/workbook/file/xlsx/). The contract is equality: for every workbook here, the direct
 * reader's RawWorkbook is exactly raw-read.ts `readRawWorkbook` on the exceljs-loaded workbook,
 * down to exceljs's own quirks. Workbooks the direct reader leaves to exceljs (`Unmodeled`)
 * still give the same answer through `readWorkbookTables`, which falls back. The sample and
 * scaled districts are in xml-read-districts.test.ts.
 */

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmw-xml-read-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

let fileCount = 0
async function fileOf(bytes: Buffer): Promise<string> {
  fileCount += 1
  const path = join(dir, `book-${fileCount}.xlsx`)
  await writeFile(path, bytes)
  return path
}

/** The direct reader declines, and the file store's read still answers as exceljs does (data or error). */
async function expectFallback(bytes: Buffer, tables: readonly TableName[] = ['ActionSteps']) {
  expect(() => readRawTables(bytes, tables)).toThrow(Unmodeled)
  const path = await fileOf(bytes)
  const read = await readWorkbookTables(path, tables)
  const loaded = await loadWorkbook(path)
  expect(read.ok ? read.value : read.error).toStrictEqual(loaded.ok ? readRawWorkbook(loaded.value, tables) : loaded.error)
}

async function written(write: (path: string) => Promise<unknown>): Promise<Buffer> {
  fileCount += 1
  const path = join(dir, `written-${fileCount}.xlsx`)
  await write(path)
  return readFile(path)
}

/** One ActionSteps table at B2 of sheet "Steps", over the given rows. */
type StepsOptions = Partial<HandBook> & { ref?: string; columns?: string[]; attributes?: string; columnsXml?: string; before?: string; after?: string; relationships?: string }

function stepsBook(rows: string, more: StepsOptions = {}): Buffer {
  const { ref = 'B2:E6', columns = ['StepId', 'Title', 'Value', 'Note'], attributes, columnsXml, before, after, relationships, ...book } = more
  return handXlsx({
    sheets: [
      {
        name: 'Steps',
        rows,
        tables: [{ name: 'ActionSteps', ref, columns, ...(attributes ? { attributes } : {}), ...(columnsXml ? { columnsXml } : {}) }],
        ...(before ? { before } : {}),
        ...(after ? { after } : {}),
        ...(relationships ? { relationships } : {}),
      },
    ],
    ...book,
  })
}

const HEADER = row(2, [['B2', 't="s"', '<v>0</v>'], ['C2', 't="s"', '<v>1</v>'], ['D2', 't="s"', '<v>2</v>'], ['E2', 't="s"', '<v>3</v>']])
const HEADER_STRINGS = [si('StepId'), si('Title'), si('Value'), si('Note')]

describe('the direct reader gives exactly what exceljs gives', () => {
  it('for the workbook laid out unlike the sample (tables off A1, two on a sheet, shuffled headers)', async () => {
    await expectSame(await written((path) => writeFixtureWorkbook(path)))
  })

  it.each([
    ['as generated', {}],
    ['without two tables', { omitTables: ['People', 'Settings'] as TableName[] }],
    ['without a required column', { dropColumns: { WIGs: ['Title'] } }],
    ['with a repeated key', { duplicateKey: true }],
  ])('for the contract suite workbook, %s', async (_label, options) => {
    const direct = await expectSame(await written((path) => writeContractWorkbook(path, options)))
    expect(direct.missing).toEqual(expect.arrayContaining('omitTables' in options ? options.omitTables : []))
    expect(direct.tables.WIGs?.rows.length).toBe(2)
  })

  it('for only some tables, in the order asked, with repeats and missing ones', async () => {
    const bytes = await written((path) => writeContractWorkbook(path, { omitTables: ['Settings'] }))
    const direct = await expectSame(bytes, ['People', 'Settings', 'WIGs', 'People'])
    expect(Object.keys(direct.tables)).toEqual(['People', 'WIGs'])
  })

  it('for what exceljs writes: 1904 dates, times, rich text, formulas, hyperlinks, errors, escapes', async () => {
    const wb = new ExcelJS.Workbook()
    wb.properties.date1904 = true
    const ws = wb.addWorksheet('Odd & Sundry')
    ws.addTable({
      name: 'CheckIns',
      ref: 'C3',
      headerRow: true,
      columns: ['CheckInId', 'Date', 'Value', 'Note'].map((name) => ({ name })),
      rows: [
        ['C-1', new Date('2025-06-30T00:00:00Z'), 0.25, { richText: [{ text: 'bold ', font: { bold: true } }, { text: 'plain' }] }],
        ['C-2', new Date('2025-07-01T12:00:00Z'), { formula: '1+1', result: 2 }, { text: 'site', hyperlink: 'https://example.org' }],
        ['C-3', new Date('1904-01-01T00:00:00Z'), { formula: 'A1*0', result: 0 }, { error: '#N/A' }],
        ['C-4', new Date('2025-01-01T00:00:00Z'), { formula: 'TRUE()', result: true }, 'literal _x0041_ and _x005F_x0042_ and _x00ff_'],
        ['C-5', null, { formula: 'FALSE()', result: false }, 'tab\there, line\nfeed'],
      ],
    })
    ws.getColumn(4).numFmt = 'yyyy-mm-dd hh:mm'
    for (const r of [4, 5, 6, 7, 8]) ws.getCell(r, 4).numFmt = r === 5 ? 'm/d/yyyy h:mm' : 'yyyy-mm-dd'
    ws.getCell('E4').numFmt = '0.0%'
    await expectSame(await written((path) => wb.xlsx.writeFile(path)), ['CheckIns'])
    // Saved the way the file store saves (CR and controls escaped as `_x000D_`), read back the same way by both.
    ws.getCell('F8').value = 'carriage\rreturn and bell \u0007 and _x0041_'
    await expectSame(await written((path) => saveWorkbookAtomically(wb, path)), ['CheckIns'])
  })

  it('for cells of every type exceljs knows, the odd ones included', async () => {
    const rows = [
      HEADER,
      // inline strings, plain and rich (a run without text, a phonetic run left out), `t="str"` decoded twice
      row(3, [['B3', 't="inlineStr"', '<is><t>in&amp;line _x0041_</t></is>'], ['C3', 't="inlineStr"', '<is><r><rPr><b/></rPr><t>ri</t></r><r><t>ch _x0041_</t></r><r></r></is>'], ['D3', 't="str"', '<v>&amp;lt;b&amp;gt; &amp;amp;</v>'], ['E3', 't="inlineStr"', '<is><t/></is>']]),
      // booleans as exceljs parses them ("true" is not 0), an error, numbers it parses leniently
      row(4, [['B4', 't="b"', '<v>1</v>'], ['C4', 't="b"', '<v>0</v>'], ['D4', 't="b"', '<v>true</v>'], ['E4', 't="e"', '<v>#DIV/0!</v>']]),
      row(5, [['B5', '', '<v> 12 </v>'], ['C5', 't="n"', '<v>1e999</v>'], ['D5', 't="d"', '<v>2025-06-30T00:00:00</v>'], ['E5', '', '<v>3.5abc</v>']]),
      // missing cells, an empty value, a styled empty cell, a cell past the table, `$` in an address
      row(6, [['C6', '', '<v></v>'], ['D6', 's="1"', ''], ['$E$6', '', '<v>-0</v>'], ['F6', '', '<v>9</v>']]),
    ].join('')
    await expectSame(stepsBook(rows, { sharedStrings: HEADER_STRINGS, styles: stylesXml({}, [0, 4]) }))
  })

  it('for rows out of order, repeated rows and repeated cells', async () => {
    const rows = [
      row(5, [['B5', '', '<v>5</v>']]),
      HEADER,
      row(4, [['B4', '', '<v>4</v>'], ['C4', '', '<v>1</v>'], ['C4', '', '<v>2</v>'], ['D4', 't="inlineStr"', '<is><t>kept</t></is>'], ['D4', '', '']]),
      row(3, [['B3', '', '<v>first</v>']]),
      row(3, [['C3', '', '<v>3</v>']]),
      '<row r="6"/>',
    ].join('')
    await expectSame(stepsBook(rows, { sharedStrings: HEADER_STRINGS, ref: 'B2:E7' }))
  })

  it('for shared strings: rich runs, phonetic runs, several texts, empty entries, entities and escapes', async () => {
    const strings = [
      ...HEADER_STRINGS,
      '<si><r><rPr><b/><sz val="11"/></rPr><t>Bold</t></r><r><t xml:space="preserve"> &amp; plain</t></r></si>',
      '<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh><phoneticPr fontId="1"/></si>',
      '<si><t>first</t><t>second</t></si>',
      '<si><r><t>run</t></r><t>text wins</t></si>',
      '<si/>',
      '<si><t/></si>',
      '<si><r><rPr><i/></rPr></r></si>',
      '<si><t>&#x41;&#66;&lt;&gt;&quot;&apos; _x005F_x0041_ _x0041_x _X0041_ _x00e9_ _x00E9_</t></si>',
      '<si><t>line\r\nends\rhere</t></si>',
    ]
    const cells = strings.slice(4).map((_, i) => `<c r="${'BCDE'[i % 4]}${3 + Math.floor(i / 4)}" t="s"><v>${i + 4}</v></c>`)
    const rows = [HEADER, `<row r="3">${cells.slice(0, 4).join('')}</row>`, `<row r="4">${cells.slice(4, 8).join('')}</row>`, `<row r="5">${cells.slice(8).join('')}</row>`].join('')
    await expectSame(stepsBook(rows, { sharedStrings: strings }))
  })

  it('for number formats: custom codes, built-in ids exceljs knows and does not, style 0, dates in 1904', async () => {
    const styles = stylesXml({ 164: 'yyyy\\-mm\\-dd', 165: '0.0\\%', 166: '[Red]"year"0', 167: '' }, [14, 164, 165, 166, 22, 27, 45, 49, 9, 167, 0])
    const cells = Array.from({ length: 12 }, (_, i) => [`${'BCDE'[i % 4]}${3 + Math.floor(i / 4)}`, `s="${i}"`, `<v>${45838.25 + i}</v>`] as [string, string, string])
    const rows = [HEADER, row(3, cells.slice(0, 4)), row(4, cells.slice(4, 8)), row(5, cells.slice(8))].join('')
    await expectSame(stepsBook(rows, { sharedStrings: HEADER_STRINGS, styles }))
    await expectSame(stepsBook(rows, { sharedStrings: HEADER_STRINGS, styles, workbookPr: 'date1904="1"' }))
    // exceljs takes only "1" as the 1904 flag.
    await expectSame(stepsBook(rows, { sharedStrings: HEADER_STRINGS, styles, workbookPr: 'date1904="true"' }))
  })

  it('for formulas: cached results of each type, falsy ones, shared and array formulas, dates', async () => {
    const styles = stylesXml({}, [0, 14])
    const rows = [
      HEADER,
      row(3, [['B3', '', '<f>1+1</f><v>2</v>'], ['C3', '', '<f>0*1</f><v>0</v>'], ['D3', 't="str"', '<f>"a"&amp;"b"</f><v>a&amp;amp;b</v>'], ['E3', 't="str"', '<f>""</f><v></v>']]),
      row(4, [['B4', 't="b"', '<f>TRUE()</f><v>1</v>'], ['C4', 't="b"', '<f>FALSE()</f><v>0</v>'], ['D4', 't="e"', '<f>1/0</f><v>#DIV/0!</v>'], ['E4', 's="1"', '<f>TODAY()</f><v>45838</v>']]),
      // a shared formula's dependent before its master reads "", after it its result; an array formula; an empty <f/>
      row(5, [['B5', '', '<f t="shared" si="0"/><v>7</v>'], ['C5', '', '<f t="shared" ref="C5:E5" si="0">B5+1</f><v>8</v>'], ['D5', '', '<f t="shared" si="0"/><v>9</v>'], ['E5', '', '<f t="array" ref="E5">SUM(1)</f><v>1</v>']]),
      row(6, [['B6', '', '<f/><v>6</v>'], ['C6', 's="1"', '<f t="str">x</f><v>text</v>'], ['D6', 't="e"', '<f>NA()</f><v>#N/A</v>'], ['E6', '', '<f>1</f>']]),
    ].join('')
    await expectSame(stepsBook(rows, { sharedStrings: HEADER_STRINGS, styles }))
  })

  it('for hyperlinks on formula cells and empty cells (exceljs keeps a linked result even when it is 0)', async () => {
    const rows = [HEADER, row(3, [['B3', '', '<f>0</f><v>0</v>'], ['C3', '', '<v>1</v>'], ['D3', '', '<f>1</f><v>0</v>']])].join('')
    const after = '<hyperlinks><hyperlink ref="B3" r:id="rIdH1"/><hyperlink ref="E3" r:id="rIdH1"/><hyperlink ref="C3" location="Steps!A1"/><hyperlink ref="D3" r:id="rIdH2"/></hyperlinks>'
    const relationships = '<Relationship Id="rIdH1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org" TargetMode="External"/><Relationship Id="rIdH2" Type="x" Target=""/>'
    await expectSame(stepsBook(rows, { sharedStrings: HEADER_STRINGS, after, relationships }))
  })

  it.each([
    ['declared header row', 'headerRowCount="1"', HEADER],
    ['header row found by its names (no headerRowCount)', '', HEADER],
    ['header row found despite headerRowCount="0"', 'headerRowCount="0"', HEADER],
    ['no header row (first row is data)', '', row(2, [['B2', 't="inlineStr"', '<is><t>S-0</t></is>']])],
    ['header of rich text is not a header to exceljs', '', row(2, [['B2', 't="inlineStr"', '<is><r><t>StepId</t></r></is>'], ['C2', 't="s"', '<v>1</v>'], ['D2', 't="s"', '<v>2</v>'], ['E2', 't="s"', '<v>3</v>']])],
    ['totals row', 'headerRowCount="1" totalsRowCount="1"', HEADER],
    ['totals row without a header', 'totalsRowCount="1"', row(2, [['B2', '', '<v>1</v>']])],
  ])('for tables with a %s', async (_label, attributes, header) => {
    const body = row(3, [['B3', 't="inlineStr"', '<is><t> stepid </t></is>']]) + row(6, [['E6', '', '<v>6</v>']])
    await expectSame(stepsBook(header + body, { sharedStrings: HEADER_STRINGS, attributes }))
  })

  it('for a calculated column: exceljs compares the header with the columns up to that one', async () => {
    const columnsXml = '<tableColumns count="4"><tableColumn id="1" name="StepId"/><tableColumn id="2" name="Title"><calculatedColumnFormula>1</calculatedColumnFormula></tableColumn><tableColumn id="3" name="Nope"/><tableColumn id="4" name="Nope2"/></tableColumns>'
    await expectSame(stepsBook(HEADER, { sharedStrings: HEADER_STRINGS, attributes: '', columnsXml }))
  })

  it('for sheets in another order than their parts, two tables on a sheet, quoted sheet names, names decoded twice', async () => {
    const book = handXlsx({
      sheets: [
        { name: 'Plan &amp;amp; Goals', part: 3, sheetId: 7, rows: row(3, [['B3', 't="inlineStr"', '<is><t>StrategyId</t></is>'], ['D3', 't="inlineStr"', '<is><t>WigId</t></is>']]) + row(4, [['B4', '', '<v>1</v>'], ['D4', '', '<v>2</v>']]), tables: [{ name: 'Strategies', ref: 'B3:C4', columns: ['StrategyId', 'Pillar'] }, { name: 'WIGs', ref: 'D3:D4', columns: ['WigId'] }] },
        { name: "O'Brien's", part: 1, sheetId: 2, rows: row(1, [['A1', 't="inlineStr"', '<is><t>Email</t></is>']]), tables: [{ name: 'people', ref: 'A1:A2', columns: ['Email'] }] },
        { name: 'Settings', part: 2, sheetId: 3, rows: '', tables: [{ name: 'Settings', ref: 'A1:B2', columns: ['Key', 'Value'] }] },
      ],
    })
    const direct = await expectSame(book)
    expect(direct.tables.People?.origin).toEqual({ sheet: "O'Brien's", row: 1, column: 1 })
  })

  it('for text beyond ASCII, short and long, in cells, shared strings, names and attributes', async () => {
    const book = handXlsx({
      sheets: [{ name: 'Übersicht – 2025', rows: HEADER + row(3, [['B3', 't="inlineStr"', '<is><t>é</t></is>'], ['C3', 't="inlineStr"', '<is><t>Zoë Ångström — “quoted” ✓ 日本</t></is>'], ['D3', 't="s"', '<v>4</v>'], ['E3', 't="str"', '<v>naïve &amp;amp; café, twice decoded</v>']]), tables: [{ name: 'ActionSteps', ref: 'B2:E3', columns: ['StepId', 'Title', 'Value', 'Note'] }] }],
      sharedStrings: [...HEADER_STRINGS, si('Owner: José Müller-Lüdenscheidt')],
    })
    const direct = await expectSame(book)
    expect(direct.tables.ActionSteps?.rows[0]?.[1]).toBe('Zoë Ångström — “quoted” ✓ 日本')
  })

  it('for text beyond ASCII and long ASCII text in parts over a megabyte (whose bytes the reader lets go)', async () => {
    // Rows below the table pad each part past 1 MB; the reader walks them but keeps none.
    const filler = Array.from({ length: 4000 }, (_, i) => row(10 + i, [['H' + (10 + i), 't="inlineStr"', `<is><t>${'padding text '.repeat(20)}</t></is>`]])).join('')
    const longAscii = 'A long plain note that is well past the short-string cut-off, '.repeat(3)
    const book = handXlsx({
      sheets: [{ name: 'Steps', rows: HEADER + row(3, [['B3', 't="inlineStr"', '<is><t>é</t></is>'], ['C3', 't="inlineStr"', '<is><t>Zoë Ångström — “quoted” ✓ 日本</t></is>'], ['D3', 't="s"', '<v>4</v>'], ['E3', 't="inlineStr"', `<is><t>${longAscii}</t></is>`]]) + filler, tables: [{ name: 'ActionSteps', ref: 'B2:E3', columns: ['StepId', 'Title', 'Value', 'Note'] }] }],
      sharedStrings: [...HEADER_STRINGS, si('Owner: José Müller-Lüdenscheidt'), ...Array.from({ length: 12000 }, (_, i) => si(`Entry ${i}: ${'ünïcödé filler '.repeat(6)}`))],
    })
    const direct = await expectSame(book)
    expect(direct.tables.ActionSteps?.rows[0]).toStrictEqual(['é', 'Zoë Ångström — “quoted” ✓ 日本', 'Owner: José Müller-Lüdenscheidt', longAscii])
  })

  it('for parts with a byte order mark, CRLF line ends and processing instructions', async () => {
    const bytes = stepsBook(HEADER + row(3, [['B3', 't="inlineStr"', '<is><t>a\r\nb</t></is>']]), {
      sharedStrings: HEADER_STRINGS,
      parts: { 'xl/_rels/workbook.xml.rels': '\ufeff<?xml version="1.0"?>\r\n<?pi x?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\r\n<Relationship Id="rId1" Type="t" Target="/xl/worksheets/sheet1.xml"/>\r\n</Relationships>' },
    })
    await expectSame(bytes)
  })
})

describe('what the direct reader leaves to exceljs, which the file store then reads', () => {
  it.each([
    ['a CDATA section', HEADER + row(3, [['B3', 't="inlineStr"', '<is><t><![CDATA[x]]></t></is>']]), {}],
    ['an XML comment', HEADER + '<!-- note -->', {}],
    ['merged cells inside the table', HEADER, { after: '<mergeCells count="1"><mergeCell ref="B3:C3"/></mergeCells>' }],
    ['an element exceljs reads oddly inside a cell', HEADER + row(3, [['B3', '', '<v>1</v><extLst/>']]), {}],
    ['a cell without an address', HEADER + '<row r="3"><c><v>1</v></c></row>', {}],
    ['a shared string index past the end (exceljs: damaged)', HEADER + row(3, [['B3', 't="s"', '<v>99</v>']]), {}],
    ['an unknown entity (exceljs: damaged)', HEADER + row(3, [['B3', 't="inlineStr"', '<is><t>&nbsp;</t></is>']]), {}],
    ['a row without a number (exceljs: damaged)', HEADER + '<row><c r="B3"><v>1</v></c></row>', {}],
    ['a styled cell without cell formats (exceljs: damaged)', HEADER + row(3, [['B3', 's="1"', '<v>1</v>']]), { styles: '<fonts count="0"/>' }],
    ['a styled column without styles (exceljs: damaged)', HEADER, { before: '<cols><col min="1" max="1" style="1"/></cols>' }],
    ['a hyperlink without its relationship (exceljs: damaged)', HEADER, { after: '<hyperlinks><hyperlink ref="B3" r:id="rId9"/></hyperlinks>' }],
  ])('%s', async (_label, rows, more: StepsOptions) => {
    await expectFallback(stepsBook(rows, { sharedStrings: HEADER_STRINGS, ...more }))
  })

  it('a filter in use', async () => {
    const bytes = handXlsx({
      sheets: [{ name: 'Steps', rows: HEADER, tables: [{ name: 'ActionSteps', ref: 'B2:E6', columns: ['StepId', 'Title', 'Value', 'Note'], autoFilter: '<autoFilter ref="B2:E6"><filterColumn colId="0"><filters><filter val="S-1"/></filters></filterColumn></autoFilter>' }] }],
      sharedStrings: HEADER_STRINGS,
    })
    await expectFallback(bytes)
  })
})

// Found by the malformed-workbook drill: a range over a whole sheet is valid in Excel, and reading
// it cell by cell ran `check` out of memory. It is refused, naming the table and how to fix it.
describe('a table whose range spans far more cells than any plan', () => {
  it.each([['the whole sheet', 'A1:XFD1048576'], ['whole columns', 'B2:O1048576']])('is refused with its name and range when it spans %s, in a moment', async (_label, ref) => {
    const bytes = handXlsx({ sheets: [{ name: 'Steps', rows: HEADER, tables: [{ name: 'ActionSteps', ref, columns: ['StepId', 'Title', 'Value', 'Note'] }] }], sharedStrings: HEADER_STRINGS })
    const read = await readWorkbookTables(await fileOf(bytes), ['ActionSteps'])
    expect(read.ok ? null : read.error).toMatchObject({ kind: 'unreadable', reason: 'tooLarge', size: { table: 'ActionSteps', measured: 'tableCells', limit: 5_000_000 } })
    expect(read.ok ? '' : describeError(read.error)).toMatch(/its table ActionSteps spans Steps!.*cells, more than the 5,000,000 this program reads\. In Excel, resize the table/)
  })
})

describe('reading a file gives the errors loading it gave', () => {
  async function expectSameError(path: string, maxUnzippedBytes?: number) {
    const options = maxUnzippedBytes === undefined ? {} : { maxUnzippedBytes }
    const read = await readWorkbookTables(path, ['ActionSteps'], options)
    const loaded = await loadWorkbook(path, options)
    expect(read.ok).toBe(false)
    expect(loaded.ok).toBe(false)
    expect(read.ok ? null : read.error).toStrictEqual(loaded.ok ? null : loaded.error)
    return read.ok ? null : read.error
  }

  it('for a missing file, a folder, a file that is not a zip, a damaged one, a zip without worksheets', async () => {
    expect(await expectSameError(join(dir, 'missing.xlsx'))).toMatchObject({ kind: 'notFound' })
    await mkdir(join(dir, 'folder.xlsx'))
    expect(await expectSameError(join(dir, 'folder.xlsx'))).toMatchObject({ reason: 'folder' })
    expect(await expectSameError(await fileOf(Buffer.from('StepId,Title\n')))).toMatchObject({ reason: 'notZip' })
    const good = stepsBook(HEADER, { sharedStrings: HEADER_STRINGS })
    expect(await expectSameError(await fileOf(good.subarray(0, good.length - 30)))).toMatchObject({ reason: 'damaged' })
    expect(await expectSameError(await fileOf(storedZip({ 'readme.txt': 'hello' })))).toMatchObject({ reason: 'noWorksheets' })
  })

  it('for a workbook over the unzipped limit, and a part that inflates past what it declares, needed or not', async () => {
    const wb = new ExcelJS.Workbook()
    wb.addWorksheet('Data').addTable({ name: 'ActionSteps', ref: 'A1', headerRow: true, columns: [{ name: 'StepId' }], rows: [['S-1']] })
    const parts = rawParts(Buffer.from(await wb.xlsx.writeBuffer()))
    const path = await fileOf(zipOf(parts))
    expect(await expectSameError(path, 1024)).toMatchObject({ reason: 'tooLarge' })
    const bomb = zipOf([...parts, { name: 'xl/media/zeros.bin', method: 8, data: deflatedZeros(4), declaredSize: 1024, crc: 0 }])
    expect(await expectSameError(await fileOf(bomb))).toMatchObject({ reason: 'tooLarge', size: { part: 'xl/media/zeros.bin', measured: 'partInflates' } })
    const sheet = parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')
    const lyingSheet = parts.map((p) => (p === sheet ? { ...p, declaredSize: p.declaredSize - 10 } : p))
    expect(await expectSameError(await fileOf(zipOf(lyingSheet)))).toMatchObject({ reason: 'tooLarge', size: { part: 'xl/worksheets/sheet1.xml', measured: 'partInflates' } })
  })
})

it("knows the built-in number formats exceljs knows, and no others", () => {
  const exceljsFormats = createRequire(import.meta.url)('exceljs/lib/xlsx/defaultnumformats.js') as Record<string, { f?: string }>
  const known = Object.entries(exceljsFormats).flatMap(([id, entry]) => (entry.f === undefined ? [] : [[Number(id), entry.f] as const]))
  expect([...BUILTIN_FORMATS]).toEqual(known)
})

it('is what the file store reads with: exceljs is not even loaded for a workbook it models', async () => {
  const path = await fileOf(stepsBook(HEADER + row(3, [['B3', 't="inlineStr"', '<is><t>S-1</t></is>'], ['D3', '', '<v>5</v>']]), { sharedStrings: HEADER_STRINGS }))
  const unzip = vi.spyOn(JSZip, 'loadAsync')
  try {
    const read = await openFileStore(path).read(['ActionSteps'])
    expect(read.ok ? read.value.tables.ActionSteps?.headers : null).toEqual(['StepId', 'Title', 'Value', 'Note'])
    const one = await openFileStore(path).readRow('ActionSteps', 'S-1')
    expect(one.ok ? one.value.values : null).toEqual(['S-1', '', 5, ''])
    expect(unzip).not.toHaveBeenCalled()
  } finally {
    unzip.mockRestore()
  }
})
