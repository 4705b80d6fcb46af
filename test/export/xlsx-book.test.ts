import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { XlsxBook, type SheetSetup } from '../../src/export/xlsx-book.ts'
import { crc32 } from '../../src/export/xlsx-zip.ts'
import { seededRandom } from '../../src/server/faults.ts'

/**
 * The packet's own SpreadsheetML writer, read back by readers that are not ours: exceljs for
 * cells, styles and sheet settings, jszip (with CRC checks) for the zip and the parts as stored.
 * What is pinned is what ECMA-376 Part 1 says a reader sees: text exactly as given (§22.9.2.19
 * ST_Xstring escapes), dates as serial days of the 1900 system, the quote prefix (§18.8.45),
 * frozen panes, filter and print titles as defined names scoped to their sheet (§18.2.6).
 */

const setup = (name: string, headerRow = 3): SheetSetup => ({
  name,
  columnWidths: [12, 30, 9],
  defaultRowHeight: 15,
  frozen: { columns: 1, rows: headerRow },
  headerRow,
  print: { margins: { left: 0.4, right: 0.4, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 }, oddHeader: '&LRiverside && Sons&RSummary', oddFooter: '&CPage &P of &N' },
})

async function readBack(book: XlsxBook): Promise<{ workbook: ExcelJS.Workbook; zip: JSZip; bytes: Uint8Array }> {
  const bytes = await book.toBytes()
  const zip = await JSZip.loadAsync(bytes, { checkCRC32: true })
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer)
  return { workbook, zip, bytes }
}

const font = { name: 'Calibri', size: 10 }

describe('the packet writer, read back by exceljs and jszip', () => {
  it('keeps text exactly: line ends, CR, controls, a literal _xHHHH_, spaces at the ends, markup characters', async () => {
    const texts = ['line one\nline two', 'with CR\r\nand LF', 'bell \u0007 and NUL \u0000', 'typed _x0041_ literally', '  padded  ', '<b>&amp; "quoted" \'single\'</b>', 'tab\tinside', 'emoji 🎓 and é', '_x005F_']
    const book = new XlsxBook({ creator: 'pm-workbook', title: 'T', created: new Date('2026-12-01T10:00:00Z') })
    const sheet = book.addSheet(setup('Texts'))
    const style = book.style({ font })
    texts.forEach((text, i) => sheet.row(i + 1, [{ value: text, style }]))
    const { workbook } = await readBack(book)
    const ws = workbook.getWorksheet('Texts')
    expect(texts.map((_, i) => ws?.getCell(i + 1, 1).value)).toEqual(texts)
  })

  it('keeps 500 random texts exactly, whatever they hold (controls, CR, lone surrogates, U+FFFE, _xHHHH_, markup, spaces at the ends)', async () => {
    const random = seededRandom(20261207)
    const pieces = ['a', 'Z', ' ', '  ', '\t', '\n', '\r', '\r\n', '\u0000', '\u0001', '\u000B', '\u001F', '\u007F', '\uFFFE', '\uFFFF', '\uD800', '\uDFFF', '🎓', 'é', '中', '_x0041_', '_x005F_', '_x00', '&', '<', '>', '"', "'", '=1+2', '-', '@']
    const texts = Array.from({ length: 500 }, () => Array.from({ length: 1 + Math.floor(random() * 8) }, () => pieces[Math.floor(random() * pieces.length)] ?? '').join(''))
    const book = new XlsxBook({ creator: 'pm-workbook', title: 'T', created: new Date('2026-12-01T10:00:00Z') })
    const sheet = book.addSheet(setup('Random'))
    const style = book.style({ font })
    texts.forEach((text, i) => sheet.row(i + 1, [{ value: text, style }]))
    const { workbook } = await readBack(book)
    const ws = workbook.getWorksheet('Random')
    texts.forEach((text, i) => expect(ws?.getCell(i + 1, 1).value, JSON.stringify(text)).toBe(text))
  })

  it('writes numbers as numbers and dates as the serial day exceljs reads back as that date', async () => {
    const book = new XlsxBook({ creator: 'pm-workbook', title: 'T', created: new Date('2026-12-01T10:00:00Z') })
    const sheet = book.addSheet(setup('Values'))
    const date = book.style({ font, numFmt: 'mmm d, yyyy' })
    const percent = book.style({ font, numFmt: '0%' })
    sheet.row(1, [{ value: new Date('2027-06-30T00:00:00Z'), style: date }, { value: 0.385, style: percent }, { value: -1250.5, style: book.style({ font, numFmt: '"$"#,##0.00' }) }])
    sheet.row(2, [undefined, { value: Number.NaN, style: percent }, { value: 42, style: book.style({ font }) }])
    const { workbook, zip } = await readBack(book)
    const ws = workbook.getWorksheet('Values')
    expect(ws?.getCell('A1').value).toEqual(new Date('2027-06-30T00:00:00Z'))
    expect(ws?.getCell('A1').numFmt).toBe('mmm d, yyyy')
    expect(ws?.getCell('B1').value).toBe(0.385)
    expect(ws?.getCell('B1').numFmt).toBe('0%')
    expect(ws?.getCell('C1').value).toBe(-1250.5)
    expect(ws?.getCell('C1').numFmt).toBe('"$"#,##0.00')
    // A hole stays empty, and a value no cell can hold (NaN) is left out rather than written as text.
    expect(ws?.getCell('A2').value).toBeNull()
    expect(ws?.getCell('B2').value).toBeNull()
    expect(ws?.getCell('C2').value).toBe(42)
    expect(await zip.file('xl/worksheets/sheet1.xml')?.async('string')).toContain('<dimension ref="A1:C2"/>')
  })

  it('gives fonts, fills, borders and alignment, one format per distinct look, and the quote prefix only to text typed as text', async () => {
    const book = new XlsxBook({ creator: 'pm-workbook', title: 'T', created: new Date('2026-12-01T10:00:00Z') })
    const sheet = book.addSheet(setup('Styles'))
    const header = book.style({ font: { ...font, bold: true }, fill: 'FFD9E1F2', bottomBorder: 'FF8EA9DB', vertical: 'bottom', horizontal: 'center', wrapText: true, indent: 1 })
    expect(book.style({ font: { ...font, bold: true }, fill: 'FFD9E1F2', bottomBorder: 'FF8EA9DB', vertical: 'bottom', horizontal: 'center', wrapText: true, indent: 1 })).toBe(header)
    const typed = book.style({ font, typedAsText: true, vertical: 'top' })
    const status = book.style({ font: { ...font, bold: true, color: 'FF006100' }, fill: 'FFC6EFCE', shrinkToFit: true })
    sheet.row(1, [{ value: 'Header', style: header }, { value: '=1+2', style: typed }, { value: 'On track', style: status }], 30)
    const { workbook, zip } = await readBack(book)
    const ws = workbook.getWorksheet('Styles')
    const a1 = ws?.getCell('A1')
    expect(a1?.font).toMatchObject({ bold: true, size: 10, name: 'Calibri' })
    expect(a1?.fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } })
    expect(a1?.border?.bottom).toMatchObject({ style: 'thin', color: { argb: 'FF8EA9DB' } })
    expect(a1?.alignment).toMatchObject({ vertical: 'bottom', horizontal: 'center', wrapText: true, indent: 1 })
    expect(ws?.getRow(1).height).toBe(30)
    expect(ws?.getCell('B1').value).toBe('=1+2')
    expect(ws?.getCell('B1').type).toBe(ExcelJS.ValueType.String)
    expect(ws?.getCell('B1').numFmt).toBe('@')
    expect(ws?.getCell('C1').font).toMatchObject({ bold: true, color: { argb: 'FF006100' } })
    expect(ws?.getCell('C1').alignment).toMatchObject({ shrinkToFit: true })
    const styles = (await zip.file('xl/styles.xml')?.async('string')) ?? ''
    const xfs = [...(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '').matchAll(/<xf\b[^>]*>/g)].map((m) => m[0])
    expect(xfs.filter((xf) => xf.includes('quotePrefix="1"'))).toEqual([expect.stringContaining('numFmtId="49"')])
    expect(xfs).toHaveLength(4)
  })

  it('freezes panes, filters the header row and repeats it on every printed page, on a sheet whose name needs quoting', async () => {
    const book = new XlsxBook({ creator: 'pm-workbook', title: 'Riverside: board packet', created: new Date('2026-12-01T10:00:00Z') })
    book.addSheet(setup('Summary', 2)).row(1, [{ value: 'first', style: 0 }])
    const sheet = book.addSheet(setup("Measures & O'Brien's", 4))
    const style = book.style({ font })
    sheet.row(4, [{ value: 'WIG', style }, { value: 'Goal', style }, { value: 'Due', style }])
    for (let r = 5; r <= 9; r++) sheet.row(r, [{ value: `WIG-0${r}`, style }, { value: 'g', style }, { value: r, style }])
    sheet.autoFilter(9, 3)
    expect(() => sheet.row(8, [])).toThrow(/row 8 .* after row 9/)
    const { workbook, zip } = await readBack(book)
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Summary', "Measures & O'Brien's"])
    expect(workbook.title).toBe('Riverside: board packet')
    expect(workbook.creator).toBe('pm-workbook')
    const ws = workbook.getWorksheet("Measures & O'Brien's")
    expect(ws?.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 4, topLeftCell: 'B5' })
    expect(ws?.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '4:4', horizontalCentered: true })
    expect(ws?.pageSetup.margins).toEqual({ left: 0.4, right: 0.4, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 })
    expect(ws?.headerFooter).toMatchObject({ oddHeader: '&LRiverside && Sons&RSummary', oddFooter: '&CPage &P of &N' })
    expect(String(ws?.autoFilter)).toBe('A4:C9')
    expect([1, 2, 3].map((c) => ws?.getColumn(c).width)).toEqual([12, 30, 9])
    const names = (await zip.file('xl/workbook.xml')?.async('string')) ?? ''
    expect(names).toContain(`<definedName name="_xlnm.Print_Titles" localSheetId="1">'Measures &amp; O''Brien''s'!$4:$4</definedName>`)
    expect(names).toContain(`<definedName name="_xlnm._FilterDatabase" localSheetId="1" hidden="1">'Measures &amp; O''Brien''s'!$A$4:$C$9</definedName>`)
  })

  it('drops characters XML cannot carry from a title, a header and a number format, so every part still reads', async () => {
    const book = new XlsxBook({ creator: 'pm-workbook', title: 'Dist\u0001rict\u000B: board packet', created: new Date('2026-12-01T10:00:00Z') })
    const sheet = book.addSheet({ ...setup('Odd'), print: { ...setup('Odd').print, oddHeader: '&LRiver\u000Bside\uFFFE && Sons' } })
    sheet.row(1, [{ value: 12, style: book.style({ font, numFmt: '#,##0" work\u0001 orders"' }) }, { value: 'bell \u0007', style: 0 }])
    const { workbook } = await readBack(book)
    expect(workbook.title).toBe('District: board packet')
    const ws = workbook.getWorksheet('Odd')
    expect(ws?.headerFooter.oddHeader).toBe('&LRiverside && Sons')
    expect(ws?.getCell('A1').numFmt).toBe('#,##0" work orders"')
    // A cell keeps the character, escaped as Excel escapes it.
    expect(ws?.getCell('B1').value).toBe('bell \u0007')
  })

  it('zips every part deflated with correct CRCs, the same bytes for the same content', async () => {
    const build = async () => {
      const book = new XlsxBook({ creator: 'pm-workbook', title: 'T', created: new Date('2026-12-01T10:00:00Z') })
      book.addSheet(setup('One')).row(1, [{ value: 'x'.repeat(5000), style: 0 }])
      return book.toBytes()
    }
    const first = await build()
    expect(Buffer.from(await build()).equals(Buffer.from(first))).toBe(true)
    const zip = await JSZip.loadAsync(first, { checkCRC32: true })
    expect(Object.keys(zip.files).sort()).toEqual(['[Content_Types].xml', '_rels/.rels', 'docProps/app.xml', 'docProps/core.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml'])
    expect(first.length).toBeLessThan(5000)
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
  })
})
