import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import ExcelJS from 'exceljs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadPlan } from '../../src/app/load-plan.ts'
import { statusReport, type WigSummary } from '../../src/app/status-report.ts'
import { listSteps, type StepLine } from '../../src/cli/commands/steps.ts'
import { todayIso } from '../../src/domain/dates.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { startServer, type RunningServer } from '../../src/server/server.ts'
import { openFileStore } from '../../src/workbook/file/file-store.ts'
import { runCli } from '../cli/run-cli.ts'
import { writeFixtureWorkbook } from '../fixtures/odd-workbook.ts'
import { launchChromium } from './browser.ts'
import { routeOfficeJs } from './office-cdn.ts'

/**
 * The Excel task pane (issue 11) as a staff member uses it in a browser against the local
 * server: every write goes through the Graph client to the .xlsx on disk, which the tests then
 * read straight from the file (the CLI, or the file backend), not through the page.
 */

const DIST = resolve(import.meta.dirname, '../../dist')
const TODAY = todayIso()

type Workbook = { name: string; path: string; server: RunningServer }
type Plan = { steps: StepLine[]; wigs: WigSummary[] }

let dir: string
let chromium: Awaited<ReturnType<typeof launchChromium>>
const workbooks: Workbook[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-pane-'))
  const sample = join(dir, 'sample.xlsx')
  const odd = join(dir, 'odd.xlsx')
  await Promise.all([writeSampleWorkbook(sample, TODAY), writeFixtureWorkbook(odd)])
  for (const [name, path] of [
    ['the sample', sample],
    ['a workbook laid out unlike the sample', odd],
  ] as const) {
    workbooks.push({ name, path, server: await startServer({ workbook: path, port: 0, staticDir: DIST }) })
  }
  chromium = await launchChromium()
  await routeOfficeJs(chromium.context)
})

afterAll(async () => {
  await chromium?.close()
  await Promise.all(workbooks.map((w) => w.server.close()))
  rmSync(dir, { recursive: true, force: true })
})

/**
 * What the .xlsx on disk now says, read once through the file backend and worded by the functions
 * behind `pm-workbook steps` and `status` (one parse, not one per command).
 */
async function plan(path: string): Promise<Plan> {
  const store = await openFileStore(path)
  try {
    const loaded = await loadPlan(store)
    if (!loaded.ok) throw new Error(loaded.error.kind)
    return {
      steps: listSteps(loaded.value.plan, TODAY, { overdue: false }),
      wigs: statusReport(loaded.value.plan, loaded.value.problems, TODAY, TODAY).wigs,
    }
  } finally {
    await store.close()
  }
}

/** The ChangeLog as the file holds it, one record per row, keyed by header. */
async function changeLog(path: string): Promise<Record<string, string>[]> {
  const store = await openFileStore(path)
  try {
    const read = await store.read(['ChangeLog'])
    if (!read.ok) throw new Error(read.error.kind)
    const table = read.value.tables.ChangeLog
    if (!table) return []
    return table.rows.map((row) => Object.fromEntries(table.headers.map((h, i) => [h.replace(/\s+/g, ''), String(row[i] ?? '')])))
  } finally {
    await store.close()
  }
}

async function openPane(page: Page, origin: string, as: string, hash = '#/'): Promise<void> {
  await page.goto(`${origin}/taskpane.html?as=${encodeURIComponent(as)}${hash}`)
  await page.locator('main[aria-busy="false"]').waitFor()
}

/** An open step (not Done, not Cancelled) whose owner is in People, with a known status and no percent yet beyond 0. */
function editableStep(p: Plan): StepLine {
  const step = p.steps.find((s) => s.id !== null && s.status === 'Not started' && s.owner.includes('@') && (s.percentComplete ?? 0) === 0)
  if (!step) throw new Error('no editable step in the workbook')
  return step
}

describe('the task pane in Chromium, as a staff member', () => {
  it.each([0, 1])('changing status and percent complete puts them in the .xlsx, with one ChangeLog row per changed cell naming the person and the pane (%#)', async (index) => {
    const w = workbooks[index] as Workbook
    const step = editableStep(await plan(w.path))
    const before = (await changeLog(w.path)).length
    const page = await chromium.context.newPage()
    try {
      await openPane(page, w.server.origin, step.owner, `#/step/${encodeURIComponent(step.id ?? '')}`)
      await page.getByLabel('Status').selectOption('In progress')
      await page.getByLabel('Percent complete').fill('55')
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByText('Saved to the workbook').waitFor()
      const after = (await plan(w.path)).steps.find((s) => s.id === step.id)
      expect(after?.status).toBe('In progress')
      expect(after?.percentComplete).toBe(55)
      const rows = (await changeLog(w.path)).slice(before)
      expect(rows.map((r) => r.Column).sort()).toEqual(['PercentComplete', 'Status'])
      for (const row of rows) {
        expect(row.Key).toBe(step.id)
        expect(row.By?.toLowerCase()).toBe(step.owner.toLowerCase())
        expect(row.Source).toBe('taskpane')
      }
    } finally {
      await page.close()
    }
  })

  it.each([0, 1])("a new check-in lands in CheckIns and moves the WIG's status in `pm-workbook status` (%#)", async (index) => {
    const w = workbooks[index] as Workbook
    const before = await plan(w.path)
    // A numeric WIG short of its target with an owner in People: reaching the target makes it Achieved.
    const wig = before.wigs.find((x) => x.kind === 'Numeric' && x.status !== 'Achieved' && x.status !== 'Not started' && x.owner.includes('@') && x.targetText !== null) as WigSummary
    const page = await chromium.context.newPage()
    try {
      await openPane(page, w.server.origin, wig.owner, '#/checkin')
      await page.getByLabel('Check-in for').selectOption(wig.id)
      await page.getByLabel('Value').fill(wig.targetText ?? '')
      await page.getByLabel('Notes').fill('Reached the target')
      await page.getByRole('button', { name: 'Log check-in' }).click()
      await page.getByText('Saved to the workbook').waitFor()
      // As `pm-workbook status` prints it.
      const status = await runCli(['status', w.path, '--as-of', TODAY, '--json'], { now: new Date() })
      const after = (JSON.parse(status.stdout) as { wigs: WigSummary[] }).wigs.find((x) => x.id === wig.id)
      expect(after?.latest?.date).toBe(TODAY)
      expect(after?.latest?.value).toBe(wig.target)
      expect(after?.status).toBe('Achieved')
      await page.getByText(`${wig.id} is now Achieved`).waitFor()
    } finally {
      await page.close()
    }
  })

  it('two pages saving the same step: the second is shown both values and nothing is silently overwritten', async () => {
    const w = workbooks[0] as Workbook
    const step = editableStep(await plan(w.path))
    const [first, second] = [await chromium.context.newPage(), await chromium.context.newPage()]
    try {
      for (const page of [first, second]) await openPane(page, w.server.origin, step.owner, `#/step/${encodeURIComponent(step.id ?? '')}`)
      await first.getByLabel('Status').selectOption('Blocked')
      await first.getByRole('button', { name: 'Save' }).click()
      await first.getByText('Saved to the workbook').waitFor()
      await second.getByLabel('Status').selectOption('Done')
      await second.getByRole('button', { name: 'Save' }).click()
      const alert = second.getByRole('alert')
      await alert.waitFor()
      await expect(alert.innerText()).resolves.toMatch(/Status: yours “Done”, theirs “Blocked”/)
      expect((await plan(w.path)).steps.find((s) => s.id === step.id)?.status).toBe('Blocked')
      await alert.getByRole('button', { name: 'Keep mine' }).click()
      await second.getByText('Saved to the workbook').waitFor()
      expect((await plan(w.path)).steps.find((s) => s.id === step.id)?.status).toBe('Done')
    } finally {
      await first.close()
      await second.close()
    }
  })

  it('refuses a percent of 140 and a due date of 2027-02-31 with a message, before any write', async () => {
    const w = workbooks[0] as Workbook
    const step = editableStep(await plan(w.path))
    const before = (await changeLog(w.path)).length
    const page = await chromium.context.newPage()
    // Reads are POST $batch too; a write is a PATCH or a rows/add, alone or inside a batch.
    const writes: string[] = []
    page.on('request', (r) => {
      const body = r.postData() ?? ''
      if (r.method() === 'PATCH' || /"method":\s*"PATCH"|rows\/add/.test(body) || r.url().includes('rows/add')) writes.push(`${r.method()} ${r.url()}`)
    })
    try {
      await openPane(page, w.server.origin, step.owner, `#/step/${encodeURIComponent(step.id ?? '')}`)
      await page.getByLabel('Percent complete').fill('140')
      await page.getByLabel('Due date').fill('2027-02-31')
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByText('Percent complete is a number from 0 to 100, not 140.').waitFor()
      await page.getByText(/Give the due date as YYYY-MM-DD, a real day .*2027-02-31 is not one/).waitFor()
      expect(writes).toEqual([])
      expect((await changeLog(w.path)).length).toBe(before)
    } finally {
      await page.close()
    }
  })
})

describe('workbook health in the task pane', () => {
  it('gives a step typed without a StepId its own in one click, with its ChangeLog row, and the problem goes', async () => {
    const path = join(dir, 'keyless.xlsx')
    await writeSampleWorkbook(path, TODAY)
    // Someone typed a step straight into Excel and left its StepId blank.
    const book = new ExcelJS.Workbook()
    await book.xlsx.readFile(path)
    const sheet = book.worksheets.find((ws) => ws.getRow(1).values.toString().includes('StepId'))
    if (!sheet) throw new Error('no ActionSteps sheet')
    const column = (sheet.getRow(1).values as unknown[]).indexOf('StepId')
    const title = String(sheet.getRow(3).getCell((sheet.getRow(1).values as unknown[]).indexOf('Title')).value)
    sheet.getRow(3).getCell(column).value = null
    await book.xlsx.writeFile(path)
    const server = await startServer({ workbook: path, port: 0, staticDir: DIST })
    const page = await chromium.context.newPage()
    try {
      const someone = (await plan(path)).steps.find((x) => x.owner.includes('@'))?.owner ?? ''
      await openPane(page, server.origin, someone, '#/health')
      await page.getByRole('button', { name: 'Give it a StepId' }).click()
      await page.getByText(/Gave row 3 of ActionSteps the StepId ST-/).waitFor()
      const fixed = (await plan(path)).steps.find((x) => x.title === title)
      expect(fixed?.id).toMatch(/^ST-/)
      const log = (await changeLog(path)).filter((r) => r.Column === 'StepId')
      expect(log.map((r) => [r.Key, r.OldValue, r.NewValue, r.Source])).toEqual([[fixed?.id, '', fixed?.id, 'taskpane']])
      await expect.poll(() => page.getByRole('button', { name: 'Give it a StepId' }).count()).toBe(0)
    } finally {
      await page.close()
      await server.close()
    }
  })
})

describe('setting up a workbook that has no plan tables yet', () => {
  it("creates the contract's tables with the sample district on sheets of their own, leaving the district's own sheet as it was", async () => {
    const path = join(dir, 'blank.xlsx')
    const book = new ExcelJS.Workbook()
    const budget = book.addWorksheet('Budget')
    budget.addRows([['Line', 'Amount'], ['Tutoring', 125000], ['Buses', 98000]])
    await book.xlsx.writeFile(path)
    const server = await startServer({ workbook: path, port: 0, staticDir: DIST })
    const page = await chromium.context.newPage()
    try {
      await page.goto(`${server.origin}/taskpane.html#/setup`)
      await page.getByRole('button', { name: 'Create them with the sample district' }).waitFor()
      await page.getByLabel('Your email').fill('planning.office@riverbend.example')
      await page.getByRole('button', { name: 'Create them with the sample district' }).click()
      await page.getByText(/Created Strategies on Strategies!A1:/).waitFor({ timeout: 20_000 })
      await page.getByText('This workbook has every table the plan needs.').waitFor()
      const after = await plan(path)
      expect(after.wigs.length).toBeGreaterThan(10)
      const check = await runCli(['check', path])
      expect(check.code).toBe(0)
      const reread = new ExcelJS.Workbook()
      await reread.xlsx.readFile(path)
      expect(reread.getWorksheet('Budget')?.getSheetValues().slice(1).map((row) => (Array.isArray(row) ? row.slice(1) : row))).toEqual([['Line', 'Amount'], ['Tutoring', 125000], ['Buses', 98000]])
    } finally {
      await page.close()
      await server.close()
    }
  })
})

describe('the task pane when the server stops during a save', () => {
  it('keeps the edit on screen with a clear error, and saves it on retry once the server is back', async () => {
    const path = join(dir, 'outage.xlsx')
    await writeSampleWorkbook(path, TODAY)
    let server = await startServer({ workbook: path, port: 0, staticDir: DIST })
    const port = Number(new URL(server.origin).port)
    const step = editableStep(await plan(path))
    const page = await chromium.context.newPage()
    try {
      await openPane(page, server.origin, step.owner, `#/step/${encodeURIComponent(step.id ?? '')}`)
      await server.close()
      await page.getByLabel('Percent complete').fill('30')
      await page.getByRole('button', { name: 'Save' }).click()
      const alert = page.getByRole('alert')
      await alert.waitFor({ timeout: 20_000 })
      await expect(alert.innerText()).resolves.toMatch(/Not saved/)
      await expect(page.getByLabel('Percent complete').inputValue()).resolves.toBe('30')
      server = await startServer({ workbook: path, port, staticDir: DIST })
      await alert.getByRole('button', { name: 'Retry' }).click()
      await page.getByText('Saved to the workbook').waitFor({ timeout: 20_000 })
      expect((await plan(path)).steps.find((s) => s.id === step.id)?.percentComplete).toBe(30)
    } finally {
      await page.close()
      await server.close()
    }
  })
})
