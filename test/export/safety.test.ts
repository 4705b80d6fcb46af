import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDashboard } from '../../src/app/dashboard.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { buildBoardPacket, PACKET_MIME } from '../../src/export/index.ts'
import { numberFormatFor } from '../../src/export/packet.ts'
import { openFileStore } from '../../src/workbook/file/file-store.ts'
import { looksLikeFormula } from '../../src/export/format.ts'
import { runCli } from '../cli/run-cli.ts'
import { ODD_AS_OF, writeFixtureWorkbook } from '../fixtures/odd-workbook.ts'
import { RISKY, riskyTables } from './risky-workbook.ts'
import { packetParts, readPacket, sheetRows } from './packet-reader.ts'

/**
 * Issue 12, Safety: text that begins with =, +, -, @, tab or CR lands in the packet as text, never
 * as a formula (stored as a shared string with no <f>, given the Text format and Excel's quote
 * prefix, ECMA-376 Part 1 §18.8.45), and every value in the report is escaped (script-looking text
 * is text, not markup).
 */

let dir: string
let source: string
let packet: string
let report: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-export-safety-'))
  source = join(dir, 'risky.xlsx')
  await writeFixtureWorkbook(source, riskyTables())
  packet = join(dir, 'risky-packet.xlsx')
  report = join(dir, 'risky.html')
  for (const out of [packet, report]) {
    const run = await runCli(['export', source, '--out', out, '--as-of', ODD_AS_OF])
    expect(run.stderr).toBe('')
  }
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('formula-looking text in the packet', () => {
  it('reads back with exceljs as the same text, in string cells with no formula', async () => {
    const workbook = await readPacket(packet)
    const found: string[] = []
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (typeof cell.value === 'string' && looksLikeFormula(cell.value)) {
            found.push(cell.value)
            expect(cell.type, `${sheet.name}!${cell.address}`).toBe(ExcelJS.ValueType.String)
            expect(cell.formula, `${sheet.name}!${cell.address}`).toBeUndefined()
            expect(cell.numFmt, `${sheet.name}!${cell.address}`).toBe('@')
          }
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)
        }),
      ),
    )
    const risky = [RISKY.pillar, RISKY.w1, RISKY.w2, RISKY.w3, RISKY.w4, RISKY.w5, RISKY.step, RISKY.department, RISKY.measure, RISKY.note]
    expect(risky.filter((text) => !found.includes(text))).toEqual([])
    const summary = sheetRows(workbook, 'Summary', 'Pillar')
    expect(summary.rows.find((r) => r['WIG'] === 'W1')?.['Goal']).toBe(RISKY.w1)
  })

  it('through the API too, with a leading tab or CR (the codec trims cells, a snapshot from elsewhere may not)', async () => {
    const store = openFileStore(source)
    const loaded = await loadDashboard(store, ODD_AS_OF as IsoDate, ODD_AS_OF as IsoDate, '2026-03-01T12:00:00Z')
    if (!loaded.ok) throw new Error('unreadable')
    const dashboard = loaded.value
    const titles = ['\t=cmd|calc', '\r=1+1', '\n@x']
    titles.forEach((title, i) => Object.assign(dashboard.wigs[i] ?? {}, { title }))
    const bytes = await buildBoardPacket(dashboard, { sheets: ['summary'] })
    // What the tab does with it: a Blob to download.
    const blob = new Blob([bytes], { type: PACKET_MIME })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await blob.arrayBuffer())
    const goals = sheetRows(workbook, 'Summary', 'Pillar').cells.map((row) => row[2])
    for (const title of titles) {
      const cell = goals.find((c) => typeof c?.value === 'string' && c.value.endsWith(title.slice(1)))
      expect(cell?.type, JSON.stringify(title)).toBe(ExcelJS.ValueType.String)
      expect(cell?.numFmt, JSON.stringify(title)).toBe('@')
    }
  })

  it('is stored as shared strings: no sheet of the file has a formula element', async () => {
    const parts = await packetParts(packet)
    const sheets = [...parts.entries()].filter(([path]) => /^xl\/worksheets\/sheet\d+\.xml$/.test(path))
    expect(sheets.length).toBe(3)
    for (const [path, xml] of sheets) expect(xml, path).not.toMatch(/<f[\s>/]/)
    expect(parts.get('xl/sharedStrings.xml')).toContain('=1+2')
  })

  it('has Excel\'s quote prefix on each such cell, as if typed after an apostrophe', async () => {
    const parts = await packetParts(packet)
    const styles = parts.get('xl/styles.xml') ?? ''
    const cellXfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? ''
    const xfs = [...cellXfs.matchAll(/<xf\b[^>]*>/g)].map((m) => m[0])
    const strings = [...(parts.get('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, ''))
    const summary = parts.get('xl/worksheets/sheet1.xml') ?? ''
    // The Summary's W1 title cell: a shared string whose style has quotePrefix="1".
    const index = strings.indexOf('=1+2')
    const cell = new RegExp(`<c r="([A-Z]+\\d+)" s="(\\d+)" t="s"><v>${index}</v></c>`).exec(summary)
    expect(cell, 'the W1 title cell').not.toBeNull()
    expect(xfs[Number(cell?.[2])]).toMatch(/numFmtId="49"[^>]* quotePrefix="1"/)
    // Only Text-format cells carry it: ordinary text keeps a plain style.
    expect(xfs.filter((xf) => xf.includes('quotePrefix')).every((xf) => xf.includes('numFmtId="49"'))).toBe(true)
  })

  it('Excel and LibreOffice headers and footers show the district name as text (a literal & is doubled)', async () => {
    const sheet = (await readPacket(packet)).getWorksheet('Summary')
    expect(sheet?.headerFooter.oddHeader).toContain('=Riverside && <b>Sons</b>')
  })
})

describe('script-looking text in the report', () => {
  it('is escaped: it shows as text and never becomes markup', () => {
    const html = readFileSync(report, 'utf8')
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<b>Sons')
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; tutoring')
    expect(html).toContain('=HYPERLINK(&quot;http://evil.example&quot;,&quot;Student Success&quot;)')
  })
})

describe('the pieces', () => {
  it('numberFormatFor shows each value exactly as its text in the unit', () => {
    expect(numberFormatFor(0.49, '49%')).toBe('#,##0%')
    expect(numberFormatFor(0.615, '61.5%')).toBe('#,##0.0%')
    expect(numberFormatFor(48, '48%')).toBe('#,##0"%"')
    expect(numberFormatFor(43.2, '43.2 days')).toBe('#,##0.0" days"')
    expect(numberFormatFor(1250, '$1,250')).toBe('"$"#,##0')
    expect(numberFormatFor(-3, '-$3')).toBe('"$"#,##0')
    expect(numberFormatFor(0.49, '49% of students')).toBe('#,##0%" of students"')
    expect(numberFormatFor(2, '2 "big" rooms')).toBe('#,##0\\ \\"\\b\\i\\g\\"\\ \\r\\o\\o\\m\\s')
    expect(numberFormatFor(5, 'five')).toBeNull()
    expect(numberFormatFor(5, '6 days')).toBeNull()
  })

  it('looksLikeFormula flags the leading characters of issue 12 and their full-width forms, and nothing else', () => {
    for (const text of ['=A1', '+1', '-1', '@x', '\tx', '\rx', '\nx', '  =A1', '＝A1']) expect(looksLikeFormula(text), JSON.stringify(text)).toBe(true)
    for (const text of ['A=1', 'Plan', '', '1-2', 'x@y.example']) expect(looksLikeFormula(text), JSON.stringify(text)).toBe(false)
  })


})
