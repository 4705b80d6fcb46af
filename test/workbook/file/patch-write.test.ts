import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IsoDate } from '../../../src/domain/dates.ts'
import { writeScaledSampleWorkbook } from '../../../src/sample/scale.ts'
import { writeSampleWorkbook } from '../../../src/sample/write.ts'
import { findColumn } from '../../../src/workbook/contract.ts'
import { openFileStore } from '../../../src/workbook/file/file-store.ts'
import { partData, zipParts } from '../../../src/workbook/file/zip-size.ts'
import { writeContractWorkbook } from '../../fixtures/contract-workbook.ts'
import { rewriteParts } from './xlsx-rewrite.ts'
import { audit, tablesOf, writesFor } from './random-writes.ts'

/**
 * Issue 14 item 2 for writes: a write edits the table's sheet and appends to the ChangeLog's
 * without exceljs loading (or our reader parsing) the log. Every write here goes to two copies
 * of one workbook, one edited in place and one through exceljs (the reference), and both must
 * then read the same, table by table and cell by cell, with the same validations on new cells.
 */

const AS_OF = '2026-12-07' as IsoDate
const NOW = () => new Date('2026-12-07T10:00:00Z')

let dir = ''
let sampleBytes = Buffer.alloc(0)
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmw-patch-'))
  await writeSampleWorkbook(join(dir, 'sample.xlsx'), AS_OF)
  sampleBytes = await readFile(join(dir, 'sample.xlsx'))
})

/** The sample district, written once for every test here. */
const sample = (path: string) => writeFile(path, sampleBytes)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function pair(name: string, write: (path: string) => Promise<unknown>): Promise<{ inPlace: string; reference: string; original: Buffer }> {
  const inPlace = join(dir, `${name}-in-place.xlsx`)
  const reference = join(dir, `${name}-reference.xlsx`)
  await write(inPlace)
  await copyFile(inPlace, reference)
  return { inPlace, reference, original: await readFile(inPlace) }
}

/** Every cell's data validation in each table's range and the rows just below it, by address. */
async function validations(path: string): Promise<Record<string, unknown>> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(path)
  const found: Record<string, unknown> = {}
  for (const ws of wb.worksheets) {
    for (const table of Object.values((ws as unknown as { tables: Record<string, { table: { tableRef?: string; ref?: string } }> }).tables)) {
      const ref = table.table.tableRef ?? table.table.ref ?? ''
      const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(ref)
      if (!m) continue
      const [left, right] = [ws.getColumn(m[1] ?? 'A').number, ws.getColumn(m[3] ?? 'A').number]
      for (let row = Number(m[2]); row <= Number(m[4]) + 2; row += 1) {
        for (let col = left; col <= right; col += 1) {
          const cell = ws.findRow(row)?.findCell(col)
          const rule = cell?.dataValidation
          if (rule && Object.keys(rule).length > 0) found[`${ws.name}!${cell.address}`] = rule
        }
      }
    }
  }
  return found
}

/** The part's bytes as stored in the zip: equal only when the part was copied, not written again. */
function storedPart(zip: Buffer, name: string): Buffer | null {
  const listed = zipParts(zip)
  const part = listed.ok ? listed.value.find((p) => p.name === name) : undefined
  return part ? partData(zip, part) : null
}

/** Runs the writes on both copies; returns how many saves there were, and how many edited the file in place. */
async function expectSameWrites(files: { inPlace: string; reference: string }, seed: number, count: number): Promise<{ changed: number; inPlace: number }> {
  const tally = { changed: 0, inPlace: 0 }
  const onSave = (stage: 'written' | 'renamed', how: 'edited' | 'whole') => {
    if (stage !== 'renamed') return
    tally.changed += 1
    if (how === 'edited') tally.inPlace += 1
  }
  const inPlace = openFileStore(files.inPlace, { now: NOW, onSave })
  const reference = openFileStore(files.reference, { now: NOW, editInPlace: false })
  for (const write of await writesFor(reference, seed, count)) {
    const [a, b] = [await write.run(inPlace), await write.run(reference)]
    expect(a, write.describe).toEqual(b)
  }
  expect(await tablesOf(inPlace)).toEqual(await tablesOf(reference))
  expect(await validations(files.inPlace)).toEqual(await validations(files.reference))
  return tally
}

describe('a write edits the workbook in place, as exceljs would have written it', () => {
  it('on the sample district: 14 random writes read back exactly as the same writes through exceljs', async () => {
    const files = await pair('sample', (path) => sample(path))
    const tally = await expectSameWrites(files, 7, 14)
    // The odd values in TYPED go through exceljs; the usual ones (statuses, numbers, dates into date cells, notes) do not.
    expect(tally.inPlace).toBeGreaterThan(tally.changed / 2)
  })

  it('on a scaled district and on the test fixture', async () => {
    const scaled = await expectSameWrites(await pair('scaled', (path) => writeScaledSampleWorkbook(path, AS_OF, { wigs: 20, steps: 240, checkIns: 480 })), 11, 6)
    const fixture = await expectSameWrites(await pair('fixture', (path) => writeContractWorkbook(path)), 13, 6)
    expect(scaled.inPlace).toBeGreaterThan(0)
    expect(fixture.inPlace).toBeGreaterThan(0)
  })

  it('on the sample rewritten as Excel writes it (no headerRowCount, no spans, no dimension): the same writes, the same result', async () => {
    const asExcel = (path: string) =>
      sample(path).then(async () =>
        writeFile(
          path,
          rewriteParts(await readFile(path), (name, text) =>
            name.startsWith('xl/tables/') ? text.replace(/ headerRowCount="1"/, '') : name.startsWith('xl/worksheets/sheet') ? text.replace(/ spans="[^"]*"/g, '').replace(/<dimension ref="[^"]*"\/>/, '') : text,
          ),
        ),
      )
    const tally = await expectSameWrites(await pair('as-excel', asExcel), 17, 8)
    expect(tally.inPlace).toBeGreaterThan(0)
  })

  it('goes through exceljs, with the same answers, for writes to a table with a totals row', async () => {
    const withTotals = (path: string) =>
      sample(path).then(async () =>
        writeFile(path, rewriteParts(await readFile(path), (name, text) => (name.startsWith('xl/tables/') && text.includes('name="People"') ? text.replace(/headerRowCount="1"/, 'headerRowCount="1" totalsRowCount="1"') : text))),
      )
    const files = await pair('totals', withTotals)
    const tally = await expectSameWrites(files, 19, 4)
    expect(tally.changed).toBeGreaterThan(0)
    expect(tally.inPlace).toBeLessThan(tally.changed)
  })

  it('copies every part it does not change byte for byte, keeps the shared strings, and lists the new ChangeLog rows last', async () => {
    const files = await pair('copied', (path) => sample(path))
    const store = openFileStore(files.inPlace, { now: NOW })
    const result = await store.appendRows({ table: 'People', rows: [{ Email: 'new@district.org', Name: 'New Person' }], audit: audit(1) })
    // One ChangeLog row per cell written.
    expect(result).toEqual({ ok: true, value: { applied: true, changeLogRows: 2 } })
    const after = await readFile(files.inPlace)
    for (const part of ['xl/styles.xml', 'xl/sharedStrings.xml', 'xl/workbook.xml', 'xl/worksheets/sheet5.xml', 'xl/theme/theme1.xml']) {
      expect(storedPart(after, part), part).toEqual(storedPart(files.original, part))
    }
    const log = await store.read(['ChangeLog'])
    const rows = log.ok ? (log.value.tables.ChangeLog?.rows ?? []) : []
    expect(rows.at(-1)).toEqual(expect.arrayContaining(['People', 'new@district.org', 'Name', 'New Person', 'chg-1-4f1c9a']))
  })

  it('lands a retried write once, through exceljs, when its ChangeId is already logged', async () => {
    const files = await pair('retry', (path) => sample(path))
    const store = openFileStore(files.inPlace, { now: NOW })
    const row = { CheckInId: 'CI-RETRY', WigId: 'WIG-01', Date: '2026-12-01', Value: '5' }
    expect(await store.appendRows({ table: 'CheckIns', rows: [row], audit: audit(9) })).toEqual({ ok: true, value: { applied: true, changeLogRows: 4 } })
    const once = await readFile(files.inPlace)
    expect(await store.appendRows({ table: 'CheckIns', rows: [row], audit: audit(9) })).toEqual({ ok: true, value: { applied: false, changeLogRows: 0 } })
    expect(await readFile(files.inPlace)).toEqual(once)
  })

  it('refuses a change to a cell someone else changed first, without touching a byte of the file', async () => {
    const files = await pair('conflict', (path) => sample(path))
    const store = openFileStore(files.inPlace, { now: NOW })
    const refused = await store.updateRow({ table: 'ActionSteps', key: 'ST-0028', changes: [{ column: 'Status', seen: 'Not the status', value: 'Done' }], audit: audit(3) })
    expect(refused.ok ? null : refused.error.kind).toBe('conflict')
    expect(await readFile(files.inPlace)).toEqual(files.original)
  })
})

describe('the read-back of a write made in place', () => {
  it('names the first cell that does not read as written, so the copy never replaces the workbook', async () => {
    const { openPatcher } = await import('../../../src/workbook/file/patch/table-write.ts')
    const path = join(dir, 'read-back.xlsx')
    await sample(path)
    const original = await readFile(path)
    const patcher = openPatcher(original, 'ActionSteps', 'chg-read-back-1')
    const status = findColumn(patcher.target.headers, 'Status')
    const was = patcher.target.rows[0]?.[status]
    const now = was === 'Done' ? 'Blocked' : 'Done'
    const values = patcher.target.headers.map((_, i) => (i === status ? now : null))
    const written = patcher.write({ kind: 'update', index: 0, values }, [])
    expect(written.differences(written.zip())).toBeNull()
    expect(written.differences(original)).toBe('part xl/worksheets/sheet5.xml does not read back as written')
  })
})
