import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IsoDate } from '../../src/domain/dates.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { runCli } from '../cli/run-cli.ts'
import { ODD_AS_OF, ODD_EXPECTED, writeFixtureWorkbook } from '../fixtures/odd-workbook.ts'
import { readTables } from '../fixtures/xlsx-tables.ts'
import { readPacket, sheetRows, statusJson, stepsJson } from './packet-reader.ts'

/**
 * Issue 12, "What it must show": `pm-workbook export` of the sample and of a workbook laid out
 * unlike it (test/fixtures/odd-workbook.ts), read back with exceljs. The Summary lists every WIG
 * with the status `pm-workbook status --json` gives at the same as-of date, and `Action steps`
 * every step `pm-workbook steps --json` lists. The packet is print-ready, and the export never
 * writes to the workbook it reads.
 */

const SAMPLE_AS_OF = '2026-11-24' as IsoDate
let dir: string
let sample: string
let odd: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-export-'))
  sample = join(dir, 'plan.xlsx')
  odd = join(dir, 'odd.xlsx')
  await Promise.all([writeSampleWorkbook(sample, SAMPLE_AS_OF), writeFixtureWorkbook(odd)])
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const fingerprint = (file: string) => ({ sha: createHash('sha256').update(readFileSync(file)).digest('hex'), mtime: statSync(file).mtimeMs })

describe.each([
  { name: 'the sample district', file: () => sample, asOf: SAMPLE_AS_OF },
  { name: 'the workbook laid out unlike the sample', file: () => odd, asOf: ODD_AS_OF },
])('pm-workbook export of $name', ({ file, asOf }) => {
  let out: string
  let before: ReturnType<typeof fingerprint>
  let run: Awaited<ReturnType<typeof runCli>>

  beforeAll(async () => {
    out = join(dir, `packet-${asOf}.xlsx`)
    before = fingerprint(file())
    run = await runCli(['export', file(), '--out', out, '--as-of', asOf])
  })

  it('writes the packet and says what it holds', () => {
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^Wrote .*packet-.*\.xlsx: the board packet \(Summary, Measures & check-ins, Action steps\) of \d+ WIGs, \d+ action steps and \d+ check-ins, as of /)
  })

  it('puts Summary first, then the measures with their check-ins, then the action steps', async () => {
    const packet = await readPacket(out)
    expect(packet.worksheets.map((s) => s.name)).toEqual(['Summary', 'Measures & check-ins', 'Action steps'])
  })

  it('lists every WIG on the Summary with the status `status --json` gives at the same as-of date', async () => {
    const [packet, json] = await Promise.all([readPacket(out), statusJson(file(), asOf)])
    const summary = sheetRows(packet, 'Summary', 'Pillar')
    const shown = summary.rows.map((r) => ({ id: r['WIG'], title: r['Goal'], status: r['Status'] }))
    expect([...shown].sort((a, b) => String(a.id).localeCompare(String(b.id)))).toEqual(
      json.wigs.map((w) => ({ id: w.id, title: w.title, status: w.status })).sort((a, b) => a.id.localeCompare(b.id)),
    )
    // Manual statuses say what the rules would have said, and carry their note.
    for (const w of json.wigs.filter((w) => w.manual)) {
      const row = summary.rows.find((r) => r['WIG'] === w.id)
      expect(String(row?.['About the status'])).toMatch(/^Set by hand; the rules say /)
      if (w.note) expect(row?.['Status note']).toBe(w.note)
    }
  })

  it('groups the Summary by pillar: each pillar\'s WIGs are together', async () => {
    const summary = sheetRows(await readPacket(out), 'Summary', 'Pillar')
    const pillars = summary.rows.map((r) => String(r['Pillar']))
    const runs = pillars.filter((p, i) => i === 0 || pillars[i - 1] !== p)
    expect(runs).toEqual([...new Set(pillars)])
  })

  it('lists every action step on `Action steps`, with its WIG, owner, due date, status, percent complete and overdue flag', async () => {
    const [packet, steps] = await Promise.all([readPacket(out), stepsJson(file(), asOf)])
    const sheet = sheetRows(packet, 'Action steps', 'WIG')
    expect(sheet.headers).toEqual(expect.arrayContaining(['WIG', 'Action step', 'Owner', 'Due', 'Status', 'Complete', 'Overdue', 'Step id']))
    const key = (wig: unknown, title: unknown, status: unknown) => `${String(wig)} | ${String(title)} | ${String(status)}`
    expect(sheet.rows.map((r) => key(r['WIG'], r['Action step'], r['Status'])).sort()).toEqual(steps.map((s) => key(s.wigId, s.title, s.status)).sort())
    for (const row of sheet.rows) expect(['Yes', 'No']).toContain(row['Overdue'])
    for (const row of sheet.rows.filter((r) => r['Due'] !== null)) expect(row['Due']).toBeInstanceOf(Date)
  })

  it("lists each WIG's own check-ins up to the as-of date with the note each was logged with", async () => {
    const source = await readTables(file())
    const day = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v ?? ''))
    const own = (source['CheckIns'] ?? []).filter((c) => String(c['measureid'] ?? '').trim() === '' && typeof c['value'] === 'number' && day(c['date']) <= asOf && day(c['date']) !== '')
    const noted = own.filter((c) => String(c['note'] ?? '').trim() !== '')
    expect(noted.length, 'the workbook has WIG check-ins with notes').toBeGreaterThan(0)
    const sheet = sheetRows(await readPacket(out), 'Measures & check-ins', 'WIG')
    const shown = new Set(sheet.rows.filter((r) => r['Type'] === 'WIG').map((r) => `${String(r['WIG'])} ${day(r['Check-in date'])} ${String(r['Note'] ?? '')}`))
    for (const c of noted) expect(shown, `${String(c['wigid'])} on ${day(c['date'])}`).toContain(`${String(c['wigid']).trim()} ${day(c['date'])} ${String(c['note']).trim()}`)
  })

  it('is print-ready: landscape, one page wide, header row repeated, header and footer with title, as-of date and page numbers', async () => {
    const packet = await readPacket(out)
    for (const sheet of packet.worksheets) {
      const first = sheet.name === 'Summary' ? 'Pillar' : 'WIG'
      const { headerRow } = sheetRows(packet, sheet.name, first)
      expect(sheet.pageSetup, sheet.name).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${headerRow}:${headerRow}` })
      expect(sheet.headerFooter.oddHeader).toMatch(/&L.*\S.*&R\S/)
      expect(sheet.headerFooter.oddFooter).toContain('as of ')
      expect(sheet.headerFooter.oddFooter).toContain('Page &P of &N')
      // On screen: header row and ids frozen, a filter over the rows, readable widths.
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: headerRow })
      expect(String(sheet.autoFilter ?? '')).not.toBe('')
      for (let c = 1; c <= sheet.columnCount; c++) expect(sheet.getColumn(c).width ?? 0, `${sheet.name} column ${c} of ${sheet.columnCount}`).toBeGreaterThanOrEqual(6)
    }
  })

  it('never writes to the workbook it reads', () => {
    expect(fingerprint(file())).toEqual(before)
  })
})

describe('pm-workbook export: what it refuses and what it picks', () => {
  it('refuses to write the packet over the workbook it exports, and leaves it as it was', async () => {
    const before = fingerprint(odd)
    const run = await runCli(['export', odd, '--out', odd])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/is the workbook being exported; the export never writes to it/)
    expect(fingerprint(odd)).toEqual(before)
  })

  it('refuses an --out that is neither .xlsx nor .html, and a missing --out', async () => {
    expect((await runCli(['export', odd, '--out', join(dir, 'packet.pdf')])).stderr).toMatch(/--out must end in \.xlsx .* or \.html/)
    expect((await runCli(['export', odd])).stderr).toMatch(/^--out FILE is required/)
  })

  it('--sheets keeps the sheets asked for, Summary still first', async () => {
    const out = join(dir, 'two-sheets.xlsx')
    const run = await runCli(['export', odd, '--out', out, '--as-of', ODD_AS_OF, '--sheets', 'steps,summary'])
    expect(run.code).toBe(0)
    expect((await readPacket(out)).worksheets.map((s) => s.name)).toEqual(['Summary', 'Action steps'])
    expect((await runCli(['export', odd, '--out', out, '--sheets', 'charts'])).stderr).toMatch(/--sheets is a comma-separated list of summary, measures, steps/)
  })

  it('shows each WIG of the odd workbook with the status worked out by hand (test/fixtures/odd-workbook.ts)', async () => {
    const out = join(dir, 'odd-by-hand.xlsx')
    await runCli(['export', odd, '--out', out, '--as-of', ODD_AS_OF])
    const summary = sheetRows(await readPacket(out), 'Summary', 'Pillar')
    expect(Object.fromEntries(summary.rows.map((r) => [r['WIG'], r['Status']]))).toEqual(Object.fromEntries(Object.entries(ODD_EXPECTED).map(([id, e]) => [id, e.status])))
  })
})
