import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { missingTables, readForSetUp, setUpWorkbook, SET_UP_TABLES, type SetUpContent } from '../../src/app/set-up.ts'
import { loadPlan } from '../../src/app/load-plan.ts'
import type { ActionMeta } from '../../src/app/update-step.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { sampleDistrict } from '../../src/sample/district.ts'
import { missingTableProblem } from '../../src/workbook/check.ts'
import { decodePlan } from '../../src/workbook/codec.ts'
import { CONTRACT, findColumn, TABLE_NAMES, type TableName } from '../../src/workbook/contract.ts'
import { worksheetRange } from '../../src/workbook/file/tables.ts'
import { loadWorkbook } from '../../src/workbook/file/workbook-file.ts'
import { headersOf, TABLE_LAYOUTS } from '../../src/workbook/layout.ts'
import { formatProblem, type Problem } from '../../src/workbook/problem.ts'
import type { CellValue, RawTable, RawWorkbook } from '../../src/workbook/raw.ts'
import type { Audit, WorkbookStore } from '../../src/workbook/store.ts'
import { describeError } from '../../src/messages/errors.ts'
import { sampleRawWorkbook } from '../fixtures/sample-raw.ts'

/**
 * Set up (issue 11) over every backend: `setUpWorkbook` makes the contract tables a workbook
 * lacks through `WorkbookStore.createTables`, each on a new sheet, and never touches a sheet that
 * was there. Each backend registers the suite in a few lines, as store-contract.ts does.
 */

export type SetUpBackend = {
  store: WorkbookStore
  /** A fresh store on the same workbook, to check what persisted. */
  reopen(): WorkbookStore
  cleanup(): Promise<void>
}

const AS_OF = '2026-11-24' as IsoDate
const BY = 'ana@district.org'
const meta = (changeId: string): ActionMeta => ({ by: BY, source: 'set-up-suite', changeId, at: new Date('2026-11-24T09:30:00Z') })
const audit = (changeId: string): Audit => ({ changeId, at: '2026-11-24T09:30:00.000Z', by: BY, source: 'set-up-suite' })

/** A district's own sheet the set-up must leave exactly as it is: text, numbers, a date, a formula. */
const BUDGET: readonly (readonly (string | number | boolean | Date | { formula: string; result: number } | null)[])[] = [
  ['Line', 'Amount', 'Approved', 'On', 'Total'],
  ['Tutoring', 125000, true, new Date(Date.UTC(2026, 7, 1)), { formula: 'B2*2', result: 250000 }],
  ['Buses', 98000.5, false, null, { formula: 'B3*2', result: 196001 }],
  ['=not a formula', '0042', 'TRUE', '2026-13-45', 'notes'],
]

type Shape = 'empty' | 'partial'

/**
 * `empty`: one blank sheet, no table. `partial`: the district's Budget sheet, a sheet already
 * called WIGs holding notes (no table), and People and ChangeLog tables on sheets of their own.
 */
async function writeWorkbook(path: string, shape: Shape): Promise<void> {
  const wb = new ExcelJS.Workbook()
  if (shape === 'empty') {
    wb.addWorksheet('Sheet1')
    await wb.xlsx.writeFile(path)
    return
  }
  const budget = wb.addWorksheet('Budget')
  BUDGET.forEach((row, r) => row.forEach((value, c) => (budget.getCell(r + 1, c + 1).value = value as ExcelJS.CellValue)))
  budget.getCell('D2').numFmt = 'yyyy-mm-dd'
  budget.getCell('B2').numFmt = '#,##0.00'
  const notes = wb.addWorksheet('wigs')
  notes.getCell('A1').value = 'Ideas for next year'
  notes.getCell('A2').value = 'More tutors'
  const staff = wb.addWorksheet('Staff')
  staff.addTable({
    name: 'People',
    ref: 'A1',
    headerRow: true,
    columns: ['Email', 'Name', 'Department', 'Role'].map((name) => ({ name })),
    rows: [[BY, 'Ana Ruiz', 'Strategy', 'Planner']],
  })
  const audit = wb.addWorksheet('Audit')
  audit.addTable({
    name: 'ChangeLog',
    ref: 'B2',
    headerRow: true,
    columns: ['At', 'By', 'Source', 'Table', 'Key', 'Column', 'OldValue', 'NewValue', 'ChangeId'].map((name) => ({ name })),
    rows: [['2026-01-05T10:00:00Z', BY, 'cli', 'People', BY, 'Name', '', 'Ana Ruiz', 'c-0']],
  })
  await wb.xlsx.writeFile(path)
}

/** Every cell of a sheet's used range as values and number formats, read from the file on disk. */
async function sheetOnDisk(path: string, sheet: string): Promise<{ values: CellValue[][]; numberFormat: string[][]; formulas: (string | undefined)[] }> {
  const wb = await loadWorkbook(path)
  if (!wb.ok) throw new Error(describeError(wb.error))
  const ws = wb.value.getWorksheet(sheet)
  if (!ws) throw new Error(`no sheet ${sheet}`)
  const range = worksheetRange(wb.value, sheet, `A1:${ws.lastColumn?.letter ?? 'A'}${ws.rowCount}`)
  const formulas: (string | undefined)[] = []
  ws.eachRow((row) => row.eachCell((cell) => formulas.push(cell.formula)))
  return { values: range?.values ?? [], numberFormat: range?.numberFormat ?? [], formulas }
}

async function sheetsOnDisk(path: string): Promise<string[]> {
  const wb = await loadWorkbook(path)
  if (!wb.ok) throw new Error(describeError(wb.error))
  return wb.value.worksheets.map((ws) => ws.name)
}

function expectOk<T, E>(result: { ok: true; value: T } | { ok: false; error: E }): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`)
  return result.value
}

function table(raw: RawWorkbook, name: TableName): RawTable {
  const found = raw.tables[name]
  if (!found) throw new Error(`no ${name} table`)
  return found
}

/** Data rows that hold anything (an empty table keeps one blank row). */
const filled = (t: RawTable): CellValue[][] => t.rows.filter((row) => row.some((v) => v !== ''))

function logOf(raw: RawWorkbook): Record<string, CellValue | undefined>[] {
  const log = table(raw, 'ChangeLog')
  const columns = [...CONTRACT.ChangeLog.required, ...CONTRACT.ChangeLog.optional]
  return filled(log).map((row) => Object.fromEntries(columns.map((c) => [c, row[findColumn(log.headers, c)]])))
}

function expectNoMissingTable(problems: readonly Problem[]): void {
  for (const n of TABLE_NAMES) expect(problems).not.toContainEqual(missingTableProblem(n))
}

export function describeSetUp(name: string, open: (path: string) => Promise<SetUpBackend>): void {
  async function withWorkbook(shape: Shape, run: (backend: SetUpBackend, path: string) => Promise<void>): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'pmw-setup-'))
    const path = join(dir, 'District plan.xlsx')
    await writeWorkbook(path, shape)
    try {
      const backend = await open(path)
      try {
        await run(backend, path)
      } finally {
        await backend.store.close()
        await backend.cleanup()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  const empty: SetUpContent = { withSample: false }

  describe(`Set up over ${name}`, () => {
    it('makes every table of an empty workbook, each on its own sheet, and the plan then reads without a problem', async () => {
      await withWorkbook('empty', async (backend, path) => {
        const raw = expectOk(await readForSetUp(backend.store))
        expect(missingTables(raw)).toEqual([...TABLE_NAMES])
        const done = expectOk(await setUpWorkbook(backend.store, raw, empty, meta('setup-1')))
        if (done.kind !== 'created') throw new Error('nothing was created')
        expect(done.applied).toBe(true)
        expect(done.changeLogRows).toBe(TABLE_NAMES.length)
        // The ChangeLog is made last: its rows record the others.
        const order = [...TABLE_NAMES.filter((n) => n !== 'ChangeLog'), 'ChangeLog' as const]
        expect(done.tables.map((t) => [t.table, t.sheet])).toEqual(order.map((n) => [n, TABLE_LAYOUTS[n].sheet]))
        expect(await sheetsOnDisk(path)).toEqual(['Sheet1', ...order.map((n) => TABLE_LAYOUTS[n].sheet)])

        const loaded = expectOk(await loadPlan(backend.reopen(), SET_UP_TABLES))
        expect(loaded.raw.missing).toEqual([])
        expectNoMissingTable(loaded.problems)
        expect(loaded.problems.map(formatProblem)).toEqual([])
        for (const n of TABLE_NAMES) {
          expect(table(loaded.raw, n).headers).toEqual(headersOf(n))
          expect(table(loaded.raw, n).origin).toEqual({ sheet: TABLE_LAYOUTS[n].sheet, row: 1, column: 1 })
        }
        expect(filled(table(loaded.raw, 'WIGs'))).toEqual([])
        expect(filled(table(loaded.raw, 'Settings'))).toEqual([
          ['DistrictName', ''],
          ['PlanYear', ''],
          ['OnTrackAt', 0.9],
          ['AtRiskAt', 0.7],
          ['StaleAfterDays', 30],
          ['DueSoonDays', 7],
        ])
        expect(loaded.plan.settings).toMatchObject({ onTrackAt: 0.9, atRiskAt: 0.7, staleAfterDays: 30, dueSoonDays: 7 })
        // One ChangeLog row per table, naming where it was made.
        expect(logOf(loaded.raw)).toEqual(
          done.tables.map((t) =>
            expect.objectContaining({ Table: t.table, Key: '', Column: '', OldValue: '', NewValue: t.address, ChangeId: 'setup-1', By: BY, Source: 'set-up-suite' }),
          ),
        )
        expect(done.tables.find((t) => t.table === 'Settings')).toEqual({ table: 'Settings', sheet: 'Settings', address: 'Settings!A1:B7', rows: 6 })
        expect(done.tables.find((t) => t.table === 'CheckIns')?.address).toBe("'Check-ins'!A1:H2")
      })
    })

    it("makes only the missing tables beside a district's own sheets, which keep every value, and puts WIGs beside the sheet already called that", async () => {
      await withWorkbook('partial', async (backend, path) => {
        const budget = await sheetOnDisk(path, 'Budget')
        const notes = await sheetOnDisk(path, 'wigs')
        const raw = expectOk(await readForSetUp(backend.store))
        expect(missingTables(raw)).toEqual(['Strategies', 'WIGs', 'Measures', 'CheckIns', 'ActionSteps', 'Settings', 'Reminders'])
        const done = expectOk(await setUpWorkbook(backend.store, raw, empty, meta('setup-2')))
        if (done.kind !== 'created') throw new Error('nothing was created')
        // Excel compares sheet names ignoring case: "wigs" is taken, so WIGs goes on "WIGs 2".
        expect(done.tables.map((t) => t.sheet)).toEqual(['Strategies', 'WIGs 2', 'Measures', 'Check-ins', 'Action Steps', 'Settings', 'Reminders'])
        expect(await sheetsOnDisk(path)).toEqual(['Budget', 'wigs', 'Staff', 'Audit', 'Strategies', 'WIGs 2', 'Measures', 'Check-ins', 'Action Steps', 'Settings', 'Reminders'])
        expect(await sheetOnDisk(path, 'Budget')).toEqual(budget)
        expect(await sheetOnDisk(path, 'wigs')).toEqual(notes)

        const after = expectOk(await backend.reopen().read(SET_UP_TABLES))
        expect(after.missing).toEqual([])
        expect(table(after, 'People').rows).toEqual(table(raw, 'People').rows)
        expect(table(after, 'People').origin).toEqual({ sheet: 'Staff', row: 1, column: 1 })
        // The district's ChangeLog keeps its row and gets one per table made, below it.
        const log = logOf(after)
        expect(log).toHaveLength(1 + 7)
        expect(log[0]).toMatchObject({ ChangeId: 'c-0', NewValue: 'Ana Ruiz' })
        expect(log.slice(1).map((r) => [r.Table, r.NewValue, r.ChangeId])).toEqual(done.tables.map((t) => [t.table, t.address, 'setup-2']))
        expect(table(after, 'WIGs').origin).toEqual({ sheet: 'WIGs 2', row: 1, column: 1 })

        const loaded = expectOk(await loadPlan(backend.reopen(), SET_UP_TABLES))
        expectNoMissingTable(loaded.problems)
        expect(loaded.problems.map(formatProblem)).toEqual([])
      })
    })

    it("fills the missing tables with the sample district's rows, which read as the sample does", async () => {
      await withWorkbook('empty', async (backend) => {
        const sample = sampleDistrict(AS_OF)
        const raw = expectOk(await readForSetUp(backend.store))
        const done = expectOk(await setUpWorkbook(backend.store, raw, { withSample: true, sample: sample.tables }, meta('setup-3')))
        if (done.kind !== 'created') throw new Error('nothing was created')
        expect(done.tables.find((t) => t.table === 'CheckIns')?.rows).toBe(sample.tables.CheckIns.rows.length)

        const loaded = expectOk(await loadPlan(backend.reopen(), SET_UP_TABLES))
        const expected = decodePlan(sampleRawWorkbook(sample.tables))
        expect(loaded.plan.wigs).toEqual(expected.plan.wigs)
        expect(loaded.plan.steps).toEqual(expected.plan.steps)
        expect(loaded.plan.checkIns).toEqual(expected.plan.checkIns)
        expect(loaded.plan.settings).toEqual(expected.plan.settings)
        expect(loaded.problems.map((p) => p.message)).toEqual(expected.problems.map((p) => p.message))
        // Dates are real dates, text stays text (a PlanYear such as 2026-27 is not a date).
        const wigs = table(loaded.raw, 'WIGs')
        expect(typeof wigs.rows[0]?.[findColumn(wigs.headers, 'TargetDate')]).toBe('number')
        expect(filled(table(loaded.raw, 'Settings')).find((r) => r[0] === 'PlanYear')?.[1]).toBe(sample.planYear.label)
      })
    })

    it('lands once when the same action is sent again', async () => {
      await withWorkbook('empty', async (backend, path) => {
        const raw = expectOk(await readForSetUp(backend.store))
        expectOk(await setUpWorkbook(backend.store, raw, empty, meta('setup-4')))
        const sheets = await sheetsOnDisk(path)
        // The pane's Retry after an answer it never saw: same snapshot, same ChangeId.
        const again = expectOk(await setUpWorkbook(backend.store, raw, empty, meta('setup-4')))
        expect(again).toMatchObject({ kind: 'created', applied: false, changeLogRows: 0 })
        expect(await sheetsOnDisk(path)).toEqual(sheets)
        expect(logOf(expectOk(await backend.reopen().read(['ChangeLog'])))).toHaveLength(TABLE_NAMES.length)
      })
    })

    it('says there is nothing to do once every table is there', async () => {
      await withWorkbook('empty', async (backend) => {
        expectOk(await setUpWorkbook(backend.store, expectOk(await readForSetUp(backend.store)), empty, meta('setup-5')))
        const raw = expectOk(await readForSetUp(backend.reopen()))
        expect(missingTables(raw)).toEqual([])
        expect(expectOk(await setUpWorkbook(backend.store, raw, empty, meta('setup-6')))).toEqual({ kind: 'nothingToDo' })
      })
    })

    it('refuses a table the workbook already has, whatever its case, and makes nothing', async () => {
      await withWorkbook('partial', async (backend, path) => {
        const sheets = await sheetsOnDisk(path)
        const result = await backend.store.createTables({
          tables: [
            { name: 'Strategies', headers: headersOf('Strategies'), rows: [] },
            { name: 'People', headers: headersOf('People'), rows: [] },
          ],
          audit: audit('setup-7'),
        })
        expect(result.ok).toBe(false)
        if (!result.ok) {
          expect(result.error).toMatchObject({ kind: 'tableExists', table: 'People' })
          expect(describeError(result.error)).toMatch(/already has a People table/)
        }
        expect(await sheetsOnDisk(path)).toEqual(sheets)
        // A stale snapshot (People read as missing) is refused the same way.
        const stale: RawWorkbook = { tables: {}, missing: [...TABLE_NAMES] }
        const viaApp = await setUpWorkbook(backend.store, stale, empty, meta('setup-8'))
        expect(!viaApp.ok && viaApp.error.kind).toBe('tableExists')
        expect(await sheetsOnDisk(path)).toEqual(sheets)
      })
    })

    it('refuses to make tables without a ChangeLog to record them, and headers without a required column', async () => {
      await withWorkbook('empty', async (backend, path) => {
        const noLog = await backend.store.createTables({ tables: [{ name: 'WIGs', headers: headersOf('WIGs'), rows: [] }], audit: audit('setup-9') })
        expect(!noLog.ok && noLog.error).toEqual({ kind: 'missingTable', table: 'ChangeLog' })
        const bad = await backend.store.createTables({
          tables: [
            { name: 'WIGs', headers: ['WigId', 'Title'], rows: [] },
            { name: 'ChangeLog', headers: headersOf('ChangeLog'), rows: [] },
          ],
          audit: audit('setup-10'),
        })
        expect(!bad.ok && bad.error).toEqual({ kind: 'badColumns', table: 'WIGs', columns: ['TargetDate'] })
        expect(await sheetsOnDisk(path)).toEqual(['Sheet1'])
      })
    })
  })
}
