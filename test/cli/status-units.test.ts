import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StatusReport, WigSummary } from '../../src/app/status-report.ts'
import { runCli } from './run-cli.ts'

/**
 * `pm-workbook status` on a small workbook with the three kinds of goal issue 8 names:
 * a percent goal stored as fractions in percent-formatted cells, a plain unit (days), and a
 * decreasing percent goal. Each runs 2025-01-01 → 2025-04-11 (100 days); the check-ins are on
 * day 50, so the expected value is halfway.
 */
type Cell = string | number | Date | { value: number | string; numFmt: string }
const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`)
const pct = (value: number | string): Cell => ({ value, numFmt: '0%' })

const TABLES: { name: string; headers: string[]; rows: Cell[][] }[] = [
  {
    name: 'WIGs',
    headers: ['WigId', 'Title', 'Unit', 'Baseline', 'Target', 'StartDate', 'TargetDate'],
    rows: [
      ['W-3', 'Algebra I pass rate from 55% to 72%', '%', pct(0.55), pct(0.72), day('2025-01-01'), day('2025-04-11')],
      ['W-4', 'Days to fill a vacancy from 60 to 40', 'days', 60, 40, day('2025-01-01'), day('2025-04-11')],
      ['W-10', 'Chronic absenteeism from 22% to 15%', '%', pct(0.22), pct(0.15), day('2025-01-01'), day('2025-04-11')],
    ],
  },
  {
    name: 'CheckIns',
    headers: ['CheckInId', 'WigId', 'Date', 'Value'],
    rows: [
      // Typed as 0.615 into a General cell: the fraction the percent goal keeps.
      ['C-1', 'W-3', day('2025-02-20'), 0.615],
      ['C-2', 'W-4', day('2025-02-20'), 43.2],
      // Typed as 18% into the cell, which Excel then formats as a percent.
      ['C-3', 'W-10', day('2025-02-20'), pct(0.18)],
    ],
  },
]

async function writeWorkbook(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook()
  for (const t of TABLES) {
    const sheet = workbook.addWorksheet(t.name)
    const plain = (c: Cell) => (c instanceof Date || typeof c !== 'object' ? c : c.value)
    sheet.addTable({ name: t.name, ref: 'A1', headerRow: true, columns: t.headers.map((name) => ({ name })), rows: t.rows.map((r) => r.map(plain)) })
    t.rows.forEach((row, r) =>
      row.forEach((c, col) => {
        const cell = sheet.getCell(r + 2, col + 1)
        if (c instanceof Date) cell.numFmt = 'yyyy-mm-dd'
        else if (typeof c === 'object') cell.numFmt = c.numFmt
      }),
    )
  }
  await workbook.xlsx.writeFile(path)
}

let dir: string
let file: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-units-'))
  file = join(dir, 'units.xlsx')
  await writeWorkbook(file)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let parsed: Promise<Record<string, WigSummary>> | undefined
/** Run once: every case reads the same report. */
const json = (): Promise<Record<string, WigSummary>> => (parsed ??= readJson())

async function readJson(): Promise<Record<string, WigSummary>> {
  const run = await runCli(['status', file, '--as-of', '2025-02-20', '--json'])
  expect(run.code).toBe(0)
  const report = JSON.parse(run.stdout) as StatusReport
  return Object.fromEntries(report.wigs.map((w) => [w.id, w]))
}

describe('pm-workbook status --json: values in their units, progress two ways', () => {
  it('a percent goal stored as fractions: numbers on the stored scale, text in percent, 38% of the way at 76% pace', async () => {
    const w3 = (await json())['W-3']
    expect(w3).toMatchObject({ scale: 'percentFraction', unit: '%', baseline: 0.55, target: 0.72, latest: { date: '2025-02-20', value: 0.615 } })
    expect(w3).toMatchObject({ baselineText: '55%', targetText: '72%', latestText: '61.5%', expectedText: '63.5%', status: 'At risk' })
    expect(w3?.expected).toBeCloseTo(0.635, 9)
    expect(w3?.progress).toBeCloseTo(0.065 / 0.17, 6)
    expect(w3?.pace).toBeCloseTo(0.065 / 0.085, 6)
  })

  it('a plain unit: 43.2 days, a decreasing goal 84% of the way', async () => {
    const w4 = (await json())['W-4']
    expect(w4).toMatchObject({ scale: 'plain', latestText: '43.2 days', expected: 50, expectedText: '50 days', status: 'On track' })
    expect(w4?.progress).toBeCloseTo(0.84, 6)
    expect(w4?.pace).toBeCloseTo(1.68, 6)
  })

  it('a decreasing percent goal: 22% → 15%, at 18% it is 4/7 of the way', async () => {
    const w10 = (await json())['W-10']
    expect(w10).toMatchObject({ scale: 'percentFraction', latest: { value: 0.18 }, latestText: '18%', expectedText: '18.5%' })
    expect(w10?.progress).toBeCloseTo(4 / 7, 6)
    expect(w10?.pace).toBeCloseTo(0.04 / 0.035, 6)
  })
})

describe('pm-workbook status (text): progress, pace, latest and expected in their units', () => {
  it('shows each in its own column, with the goal from baseline to target', async () => {
    const run = await runCli(['status', file, '--as-of', '2025-02-20'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/WIG\s+Status\s+Progress\s+Pace\s+Latest\s+Expected\s+Goal/)
    const line = (id: string) => run.stdout.split('\n').find((l) => l.startsWith(`${id} `)) ?? ''
    expect(line('W-3')).toMatch(/At risk\s+38%\s+76%\s+61\.5% on 2025-02-20\s+63\.5%\s+55% → 72% by 2025-04-11/)
    expect(line('W-4')).toMatch(/On track\s+84%\s+168%\s+43\.2 days on 2025-02-20\s+50 days\s+60 → 40 days by 2025-04-11/)
    expect(line('W-10')).toMatch(/On track\s+57%\s+114%\s+18% on 2025-02-20\s+18\.5%\s+22% → 15% by 2025-04-11/)
    expect(run.stdout).not.toContain('0.615%')
  })
})
