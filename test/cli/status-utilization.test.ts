import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StatusReport } from '../../src/app/status-report.ts'
import type { Share, Utilization } from '../../src/app/utilization.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { readTables, type Row } from '../fixtures/xlsx-tables.ts'
import { runCli } from './run-cli.ts'

/**
 * `pm-workbook status --json` carries `utilization` (issue 10). On the bundled sample, after one
 * CLI edit so the ChangeLog has rows, the figures must match a plain reading of the .xlsx with
 * exceljs (below, written apart from src/); on a workbook built here they must match the case.
 */

const AS_OF = '2026-11-24' as IsoDate
const DAY_MS = 86_400_000

type Json = StatusReport & { utilization: Utilization }

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-utilization-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function statusJson(file: string): Promise<Json> {
  const run = await runCli(['status', file, '--as-of', AS_OF, '--json'])
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  return JSON.parse(run.stdout) as Json
}

// ---------------------------------------------------------------- an independent reading



/** The day of a Date cell or of text starting with YYYY-MM-DD. */
function dayOf(value: unknown): string | null {
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  const match = typeof value === 'string' ? /^\s*(\d{4}-\d{2}-\d{2})/.exec(value) : null
  return match?.[1] ?? null
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value).trim())

type Figures = { owners: [number, number]; openSteps: [number, number] }

/** The rules of src/app/utilization.ts, read straight off the tables. */
function expectedUtilization(tables: Record<string, Row[]>): { overall: Figures; byDepartment: (Figures & { department: string })[] } {
  const stale = Number((tables['Settings'] ?? []).find((r) => text(r['key']) === 'StaleAfterDays')?.['value'] ?? 30)
  const recentDay = (day: string | null): boolean => day !== null && day <= AS_OF && (Date.parse(AS_OF) - Date.parse(day)) / DAY_MS <= stale
  const recentIds = new Set<string>()
  for (const change of tables['ChangeLog'] ?? []) if (text(change['table']) === 'ActionSteps' && recentDay(dayOf(change['at']))) recentIds.add(text(change['key']))
  const departmentOf = new Map((tables['People'] ?? []).map((p) => [text(p['email']).toLowerCase(), text(p['department'])]))
  const wigDepartment = new Map((tables['WIGs'] ?? []).map((w) => [text(w['wigid']), text(w['department'])]))

  type Tally = { owners: Map<string, boolean>; open: number; openRecent: number }
  const tallies = new Map<string, Tally>()
  const tally = (name: string): Tally => {
    const t = tallies.get(name) ?? { owners: new Map(), open: 0, openRecent: 0 }
    tallies.set(name, t)
    return t
  }
  for (const step of tables['ActionSteps'] ?? []) {
    const id = text(step['stepid'])
    if (id === '') continue
    const owner = text(step['owner']).toLowerCase()
    const open = !['done', 'cancelled'].includes(text(step['status']).toLowerCase())
    const recent = recentDay(dayOf(step['updatedat'])) || recentIds.has(id)
    const department = departmentOf.get(owner) || wigDepartment.get(text(step['wigid'])) || '(No department)'
    for (const t of [tally(''), tally(department)]) {
      if (open) t.open++
      if (open && recent) t.openRecent++
      if (owner !== '' && (open || recent)) t.owners.set(owner, (t.owners.get(owner) ?? false) || recent)
    }
  }
  const figures = (t: Tally): Figures => ({ owners: [[...t.owners.values()].filter(Boolean).length, t.owners.size], openSteps: [t.openRecent, t.open] })
  const byDepartment = [...tallies.entries()]
    .filter(([name, t]) => name !== '' && (t.owners.size > 0 || t.open > 0))
    .map(([department, t]) => ({ department, ...figures(t) }))
    .sort((a, b) => (a.department === '(No department)' ? 1 : b.department === '(No department)' ? -1 : a.department.localeCompare(b.department)))
  return { overall: figures(tally('')), byDepartment }
}

const pair = (s: Share): [number, number] => [s.count, s.total]

function shown(u: Utilization): ReturnType<typeof expectedUtilization> {
  return {
    overall: { owners: pair(u.overall.owners), openSteps: pair(u.overall.openSteps) },
    byDepartment: u.byDepartment.map((g) => ({ department: g.department, owners: pair(g.owners), openSteps: pair(g.openSteps) })),
  }
}

function expectShares(u: Utilization): void {
  for (const s of [u.overall.owners, u.overall.openSteps, ...u.byDepartment.flatMap((g) => [g.owners, g.openSteps])]) {
    expect(s.count).toBeLessThanOrEqual(s.total)
    expect(s.share).toBe(s.total === 0 ? null : s.count / s.total)
  }
}

// ---------------------------------------------------------------- the sample

describe('status --json on the bundled sample', () => {
  let file: string
  let json: Json
  let tables: Record<string, Row[]>
  let beforeEdit: Utilization
  beforeAll(async () => {
    file = join(dir, 'sample.xlsx')
    await writeSampleWorkbook(file, AS_OF)
    beforeEdit = (await statusJson(file)).utilization
    // One edit through the CLI, two days before as-of, on a step nobody has touched: the
    // ChangeLog then has rows, and that step's owner and the step itself count as updated.
    const untouched = (await readTables(file))['ActionSteps']?.find((s) => text(s['status']) === 'Not started' && text(s['updatedat']) === '')
    if (!untouched) throw new Error('the sample has no untouched step')
    const edit = await runCli(['step', file, text(untouched['stepid']), '--percent', '10', '--by', text(untouched['owner'])], { now: new Date('2026-11-22T16:00:00Z') })
    expect(edit.code).toBe(0)
    tables = await readTables(file)
    json = await statusJson(file)
  })

  it('keeps every field status --json had, and adds utilization', async () => {
    expect(Object.keys(json)).toEqual(['asOf', 'wigs', 'problems', 'utilization'])
    expect(json.asOf).toBe(AS_OF)
    expect(json.wigs.length).toBeGreaterThan(0)
    expect(json.utilization.asOf).toBe(AS_OF)
    expect(json.utilization.windowDays).toBe(30)
  })

  it('the figures match a plain reading of the workbook (UpdatedAt, ChangeLog, People, WIGs)', () => {
    expect((tables['ChangeLog'] ?? []).length).toBeGreaterThan(0)
    const expected = expectedUtilization(tables)
    // The sample must give the figures something to tell apart.
    expect(expected.overall.openSteps[0]).toBeGreaterThan(0)
    expect(expected.overall.openSteps[0]).toBeLessThan(expected.overall.openSteps[1])
    expect(expected.byDepartment.length).toBeGreaterThan(1)
    expect(shown(json.utilization)).toEqual(expected)
    expectShares(json.utilization)
  })

  it('the edited step now counts as updated: one more open step, the same total', () => {
    expect(json.utilization.overall.openSteps).toMatchObject({ count: beforeEdit.overall.openSteps.count + 1, total: beforeEdit.overall.openSteps.total })
  })

  it('the text view is unchanged: no utilization, and the same problems as the JSON', async () => {
    const run = await runCli(['status', file, '--as-of', AS_OF])
    expect(run.code).toBe(0)
    expect(run.stdout).not.toMatch(/utilization/i)
    expect(run.stdout.includes('problem')).toBe(json.problems.length > 0)
  })
})

// ---------------------------------------------------------------- a workbook built for the case

type Cell = string | number | Date
const daysAgo = (n: number): string => new Date(Date.parse(AS_OF) - n * DAY_MS).toISOString().slice(0, 10)
const dateCell = (n: number): Date => new Date(`${daysAgo(n)}T00:00:00Z`)

const LOG_HEADERS = ['At', 'By', 'Source', 'Table', 'Key', 'Column', 'OldValue', 'NewValue', 'ChangeId']
const logRow = (at: Cell, key: string): Cell[] => [at, 'ana@d.org', 'excel', 'ActionSteps', key, 'Notes', '', 'x', '']

const TABLES: { name: string; headers: string[]; rows: Cell[][] }[] = [
  { name: 'Settings', headers: ['Key', 'Value'], rows: [['StaleAfterDays', 10]] },
  {
    name: 'People',
    headers: ['Email', 'Name', 'Department'],
    rows: [
      ['ana@d.org', 'Ana', 'Finance'],
      ['ben@d.org', 'Ben', 'Academics'],
    ],
  },
  { name: 'WIGs', headers: ['WigId', 'Title', 'TargetDate', 'Department'], rows: [['W-1', 'Tool use from 0% to 95%', dateCell(-200), 'Operations']] },
  {
    name: 'ActionSteps',
    headers: ['StepId', 'WigId', 'Title', 'Owner', 'DueDate', 'Status', 'UpdatedAt'],
    rows: [
      // ChangeLog only.
      ['ST-1', 'W-1', 'Log-only', 'ana@d.org', dateCell(-30), 'In progress', ''],
      // UpdatedAt typed as an Excel date, exactly StaleAfterDays ago.
      ['ST-2', 'W-1', 'Edge', 'ana@d.org', dateCell(-30), 'In progress', dateCell(10)],
      // One day too old.
      ['ST-3', 'W-1', 'Too old', 'ben@d.org', dateCell(-30), 'Not started', `${daysAgo(11)}T09:00:00.000Z`],
      // Closed, logged (At typed as an Excel date) two days ago.
      ['ST-4', 'W-1', 'Closed', 'ben@d.org', dateCell(-30), 'Done', ''],
      // Unowned: counts among open steps only.
      ['ST-5', 'W-1', 'Unowned', '', dateCell(-30), 'Blocked', `${daysAgo(1)}T09:00:00.000Z`],
      // Not in People; its only log row is after as-of.
      ['ST-6', 'W-1', 'Later', 'cy@d.org', dateCell(-30), 'Not started', ''],
    ],
  },
  {
    name: 'ChangeLog',
    headers: LOG_HEADERS,
    rows: [logRow(`${daysAgo(3)}T10:00:00.000Z`, 'ST-1'), logRow(dateCell(2), 'ST-4'), logRow(`${daysAgo(-2)}T10:00:00.000Z`, 'ST-6')],
  },
]

async function writeWorkbook(path: string, options: { changeLog: boolean }): Promise<void> {
  const workbook = new ExcelJS.Workbook()
  for (const t of TABLES) {
    if (t.name === 'ChangeLog' && !options.changeLog) continue
    const sheet = workbook.addWorksheet(t.name)
    sheet.addTable({ name: t.name, ref: 'A1', headerRow: true, columns: t.headers.map((name) => ({ name })), rows: t.rows })
    t.rows.forEach((row, r) => row.forEach((c, col) => c instanceof Date && (sheet.getCell(r + 2, col + 1).numFmt = 'yyyy-mm-dd')))
  }
  await workbook.xlsx.writeFile(path)
}

describe('status --json on a workbook built for the rules (as of 2026-11-24, StaleAfterDays 10)', () => {
  let withLog: string
  let withoutLog: string
  beforeAll(async () => {
    withLog = join(dir, 'built.xlsx')
    withoutLog = join(dir, 'built-no-log.xlsx')
    await writeWorkbook(withLog, { changeLog: true })
    await writeWorkbook(withoutLog, { changeLog: false })
  })

  it('counts ChangeLog rows (text or Excel-date At) and UpdatedAt (text or Excel date), up to StaleAfterDays and not after as-of', async () => {
    const { utilization } = await statusJson(withLog)
    expect(utilization.windowDays).toBe(10)
    expect(shown(utilization)).toEqual({
      // Ana: ST-1 (log) and ST-2 (edge). Ben: ST-4 closed and logged. Cy: open, log row after as-of.
      overall: { owners: [2, 3], openSteps: [3, 5] },
      byDepartment: [
        { department: 'Academics', owners: [1, 1], openSteps: [0, 1] },
        { department: 'Finance', owners: [1, 1], openSteps: [2, 2] },
        { department: 'Operations', owners: [0, 1], openSteps: [1, 2] },
      ],
    })
    expectShares(utilization)
    // The plain reading agrees with the case as written.
    expect(shown(utilization)).toEqual(expectedUtilization(await readTables(withLog)))
  })

  it('without a ChangeLog: UpdatedAt alone, and no problem about the missing table', async () => {
    const json = await statusJson(withoutLog)
    expect(shown(json.utilization).overall).toEqual({ owners: [1, 3], openSteps: [2, 5] })
    expect(json.problems.filter((p) => p.table === 'ChangeLog')).toEqual([])
    // The same problems as the text view, which never read the ChangeLog.
    const text = await runCli(['status', withoutLog, '--as-of', AS_OF])
    expect(text.stdout).toContain(`${json.problems.length} problem${json.problems.length === 1 ? '' : 's'} in the workbook`)
    const withLogJson = await statusJson(withLog)
    expect(withLogJson.problems).toEqual(json.problems)
  })

  it('a ChangeLog that cannot be read counts as none, and is left to `check`', async () => {
    const broken = join(dir, 'built-broken-log.xlsx')
    copyFileSync(withoutLog, broken)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(broken)
    const sheet = workbook.addWorksheet('ChangeLog')
    // No Key column: the log cannot say which row changed.
    const headers = LOG_HEADERS.filter((h) => h !== 'Key')
    sheet.addTable({ name: 'ChangeLog', ref: 'A1', headerRow: true, columns: headers.map((name) => ({ name })), rows: [[`${daysAgo(1)}T10:00:00.000Z`, 'ana@d.org', 'excel', 'ActionSteps', 'Notes', '', 'x', '']] })
    await workbook.xlsx.writeFile(broken)
    const json = await statusJson(broken)
    expect(shown(json.utilization).overall).toEqual({ owners: [1, 3], openSteps: [2, 5] })
    expect(json.problems.filter((p) => p.table === 'ChangeLog')).toEqual([])
    const check = await runCli(['check', broken])
    expect(check.stdout).toMatch(/ChangeLog table has no Key column/)
  })
})
