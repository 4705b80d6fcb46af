import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import ExcelJS from 'exceljs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WigSummary } from '../../src/app/status-report.ts'
import type { StepLine } from '../../src/cli/commands/steps.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { WIG_STATUSES } from '../../src/domain/model.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { startServer, type RunningServer } from '../../src/server/server.ts'
import { ODD_AS_OF, writeFixtureWorkbook } from '../fixtures/odd-workbook.ts'
import { readTables } from '../fixtures/xlsx-tables.ts'
import { runCli } from '../cli/run-cli.ts'
import { launchChromium } from './browser.ts'

/**
 * The Teams tab (issue 10) in Chromium, read through the Graph client from the local server, and
 * checked against what `pm-workbook status`/`steps` say of the same .xlsx read straight from disk.
 */

const DIST = resolve(import.meta.dirname, '../../dist')
// The sample district is written around a date; every view and command below asks for that date.
const SAMPLE_AS_OF = '2026-11-24' as IsoDate
const SAMPLE_PAST = '2026-09-20'

type Workbook = { name: string; path: string; asOf: string; past: string; server: RunningServer }

let dir: string
let chromium: Awaited<ReturnType<typeof launchChromium>>
const workbooks: Workbook[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-tab-'))
  const sample = join(dir, 'sample.xlsx')
  const odd = join(dir, 'odd.xlsx')
  await Promise.all([writeSampleWorkbook(sample, SAMPLE_AS_OF), writeFixtureWorkbook(odd)])
  for (const [name, path, asOf, past] of [
    ['the sample', sample, SAMPLE_AS_OF, SAMPLE_PAST],
    ['a workbook laid out unlike the sample', odd, ODD_AS_OF, '2026-01-15'],
  ] as const) {
    workbooks.push({ name, path, asOf, past, server: await startServer({ workbook: path, port: 0, staticDir: DIST }) })
  }
  chromium = await launchChromium()
})

afterAll(async () => {
  await chromium?.close()
  await Promise.all(workbooks.map((w) => w.server.close()))
  rmSync(dir, { recursive: true, force: true })
})

// Nothing in this file writes to the workbooks, so each command's answer is read once.
const answers = new Map<string, Promise<unknown>>()

async function cli<T>(args: string[]): Promise<T> {
  const key = args.join('\u0000')
  let answer = answers.get(key)
  if (!answer) {
    answer = runCli(args).then((run) => {
      expect(run.stderr).toBe('')
      return JSON.parse(run.stdout) as unknown
    })
    answers.set(key, answer)
  }
  return (await answer) as T
}

const statusJson = (w: Workbook, asOf: string) => cli<{ wigs: WigSummary[] }>(['status', w.path, '--as-of', asOf, '--json'])
const stepsJson = (w: Workbook, ...args: string[]) => cli<{ steps: StepLine[] }>(['steps', w.path, '--as-of', w.asOf, '--json', ...args])

async function openTab(page: Page, w: Workbook, query: string, hash = ''): Promise<void> {
  await page.goto(`${w.server.origin}/tab.html?${query}${hash}`)
  await page.locator('main[aria-busy="false"]').waitFor()
}

const cards = (page: Page) => page.locator('article[data-wig-id]')

async function shownStatuses(page: Page): Promise<Record<string, string>> {
  return page.$$eval('article[data-wig-id]', (articles) =>
    Object.fromEntries(articles.map((a) => [a.getAttribute('data-wig-id') ?? '', a.querySelector('[data-status]')?.getAttribute('data-status') ?? ''])),
  )
}

/**
 * Each card's accessible name by its WIG id, as Playwright's accessibility engine computes it,
 * from one snapshot of the page (a role query per card costs a full-tree walk each).
 */
async function articleNames(page: Page): Promise<Record<string, string>> {
  const snapshot = await page.locator('main').ariaSnapshot()
  const names = [...snapshot.matchAll(/^\s*- article "((?:[^"\\]|\\.)*)"/gm)].map((m) => JSON.parse(`"${m[1] ?? ''}"`) as string)
  const ids = await page.$$eval('article[data-wig-id]', (articles) => articles.map((a) => a.getAttribute('data-wig-id') ?? ''))
  expect(names).toHaveLength(ids.length)
  return Object.fromEntries(ids.map((id, i) => [id, names[i] ?? '']))
}

const ownerKey = (owner: string): string => owner.trim().replace(/\s+/g, ' ').toLowerCase()

describe('the Teams tab in Chromium', () => {
  it.each([0, 1])('shows every WIG as an article named by its title, with the status `status --json` gives, today and in the past (%#)', async (index) => {
    const w = workbooks[index] as Workbook
    const page = await chromium.context.newPage()
    try {
      for (const asOf of [w.asOf, w.past]) {
        const expected = (await statusJson(w, asOf)).wigs
        await openTab(page, w, `asOf=${asOf}`)
        expect(await cards(page).count()).toBe(expected.length)
        expect(await articleNames(page)).toEqual(Object.fromEntries(expected.map((wig) => [wig.id, wig.title])))
        expect(await shownStatuses(page)).toEqual(Object.fromEntries(expected.map((wig) => [wig.id, wig.status])))
        for (const status of WIG_STATUSES) {
          const count = expected.filter((wig) => wig.status === status).length
          await expect(page.getByRole('list', { name: 'WIGs per status' }).locator(`button[data-status="${status}"]`).innerText()).resolves.toMatch(new RegExp(`^${count}\\s+${status}$`))
        }
      }
    } finally {
      await page.close()
    }
  })

  it('narrows the cards by status, pillar and search, keeps the filters in the URL through a reload, and says when nothing matches', async () => {
    const w = workbooks[0] as Workbook
    const expected = (await statusJson(w, w.asOf)).wigs
    const page = await chromium.context.newPage()
    try {
      await openTab(page, w, `asOf=${w.asOf}`)
      const status = WIG_STATUSES.find((s) => expected.filter((wig) => wig.status === s).length >= 2) ?? 'On track'
      await page.getByRole('list', { name: 'WIGs per status' }).locator(`button[data-status="${status}"]`).click()
      await expect.poll(() => cards(page).count()).toBe(expected.filter((wig) => wig.status === status).length)
      expect(new URL(page.url()).searchParams.get('status')).toBe(status)
      await page.reload()
      await page.locator('main[aria-busy="false"]').waitFor()
      expect(Object.values(await shownStatuses(page)).every((s) => s === status)).toBe(true)
      expect(await cards(page).count()).toBe(expected.filter((wig) => wig.status === status).length)
      await expect(page.locator(`button[data-status="${status}"]`).getAttribute('aria-pressed')).resolves.toBe('true')
      // Pressed again, the status filter clears.
      await page.locator(`button[data-status="${status}"]`).click()

      const pillar = expected[0]?.pillar ?? ''
      await page.getByLabel('Pillar', { exact: true }).selectOption(pillar)
      await expect.poll(() => cards(page).count()).toBe(expected.filter((wig) => wig.pillar === pillar).length)
      const target = expected[expected.length - 1] as WigSummary
      await page.getByLabel('Pillar', { exact: true }).selectOption('')
      await page.getByRole('searchbox', { name: 'Search' }).fill(target.id)
      await expect.poll(() => cards(page).count()).toBe(1)
      await page.reload()
      await page.locator('main[aria-busy="false"]').waitFor()
      await expect(page.getByRole('searchbox', { name: 'Search' }).inputValue()).resolves.toBe(target.id)
      expect(await cards(page).count()).toBe(1)
      await expect(page.getByRole('article', { name: target.title, exact: true }).count()).resolves.toBe(1)

      await page.getByRole('searchbox', { name: 'Search' }).fill('no goal says this zzz')
      await page.getByText('No WIG matches these filters').waitFor()
      expect(await cards(page).count()).toBe(0)
    } finally {
      await page.close()
    }
  })

  it.each([0, 1])("the detail view lists each of a WIG's steps under its owner, with its due date, and what its latest check-in notes say (%#)", async (index) => {
    const w = workbooks[index] as Workbook
    const wigs = (await statusJson(w, w.asOf)).wigs
    const newestNote = await newestWigNotes(w)
    expect(newestNote.size, 'the workbook has WIG check-ins with notes').toBeGreaterThan(0)
    const page = await chromium.context.newPage()
    try {
      const withSteps = wigs.filter((x) => x.steps.total > 0).slice(0, 3)
      const withNotes = wigs.find((x) => newestNote.has(x.id) && !withSteps.includes(x))
      for (const wig of [...withSteps, ...(withNotes ? [withNotes] : [])]) {
        const steps = (await stepsJson(w, '--wig', wig.id)).steps
        await openTab(page, w, `asOf=${w.asOf}`, `#/wig/${encodeURIComponent(wig.id)}`)
        await expect(page.getByRole('heading', { level: 2, name: wig.title }).count()).resolves.toBe(1)
        const note = newestNote.get(wig.id)
        if (note) await expect(page.getByRole('list', { name: 'Notes with the latest check-ins' }).getByRole('listitem').first().innerText()).resolves.toContain(note)
        expect(await page.locator('tr[data-step-id]').count()).toBe(steps.length)
        for (const step of steps) {
          const section = page.getByRole('region', { name: `Steps owned by ${step.ownerName || step.owner || '(No owner)'}`, exact: true })
          const row = section.locator(`tr[data-step-id="${step.id}"]`)
          await expect(row.count()).resolves.toBe(1)
          if (step.dueDate) await expect(row.locator('time').getAttribute('datetime')).resolves.toBe(step.dueDate)
        }
      }
    } finally {
      await page.close()
    }
  })

  it.each([0, 1])("the people view's overdue counts equal `steps --overdue` per owner (%#)", async (index) => {
    const w = workbooks[index] as Workbook
    const overdue = (await stepsJson(w, '--overdue')).steps
    const expected = new Map<string, number>()
    for (const s of overdue) expected.set(ownerKey(s.owner), (expected.get(ownerKey(s.owner)) ?? 0) + 1)
    const page = await chromium.context.newPage()
    try {
      await openTab(page, w, `asOf=${w.asOf}`, '#/people')
      const shown = await page.$$eval('article[data-owner]', (articles) =>
        articles.map((a) => [a.getAttribute('data-owner') ?? '', Number(a.querySelector('[data-count="overdue"]')?.textContent)] as const),
      )
      expect(shown.length).toBeGreaterThan(0)
      expect(Object.fromEntries(shown.filter(([, n]) => n > 0))).toEqual(Object.fromEntries(expected))
      // Most overdue first, so a leader sees who needs help.
      const counts = shown.map(([, n]) => n)
      expect(counts).toEqual([...counts].sort((a, b) => b - a))
    } finally {
      await page.close()
    }
  })

  it('works with the keyboard alone, with a visible focus on what is focused', async () => {
    const w = workbooks[0] as Workbook
    const page = await chromium.context.newPage()
    try {
      await openTab(page, w, `asOf=${w.asOf}`)
      const focusLooks = async (): Promise<[Buffer, Buffer]> => {
        const box = await page.evaluate(() => {
          const r = (document.activeElement as HTMLElement).getBoundingClientRect()
          return { x: Math.max(0, r.x - 4), y: Math.max(0, r.y - 4), width: r.width + 8, height: r.height + 8 }
        })
        const focused = await page.screenshot({ clip: box })
        await page.evaluate(() => (document.activeElement as HTMLElement).blur())
        const unfocused = await page.screenshot({ clip: box })
        return [focused, unfocused]
      }
      // Tab to the first status count, press it with Space.
      let guard = 0
      while (!(await page.evaluate(() => document.activeElement?.matches('button[data-status]') ?? false)) && guard++ < 40) await page.keyboard.press('Tab')
      const statusButton = await page.evaluate(() => document.activeElement?.getAttribute('data-status'))
      const [on, off] = await focusLooks()
      expect(on.equals(off)).toBe(false)
      await page.locator(`button[data-status="${statusButton}"]`).focus()
      await page.keyboard.press('Space')
      await expect.poll(() => new URL(page.url()).searchParams.get('status')).toBe(statusButton)
      await page.keyboard.press('Space')
      await expect.poll(() => new URL(page.url()).searchParams.get('status')).toBe(null)

      // On to the first WIG's title link, and Enter opens its detail.
      guard = 0
      while (!(await page.evaluate(() => Boolean(document.activeElement?.closest('article[data-wig-id]')))) && guard++ < 60) await page.keyboard.press('Tab')
      const wigId = await page.evaluate(() => document.activeElement?.closest('article')?.getAttribute('data-wig-id'))
      expect(wigId).toBeTruthy()
      const [linkOn, linkOff] = await focusLooks()
      expect(linkOn.equals(linkOff)).toBe(false)
      await page.locator(`article[data-wig-id="${wigId}"] h3 a, article[data-wig-id="${wigId}"] h4 a`).focus()
      await page.keyboard.press('Enter')
      await expect.poll(() => decodeURIComponent(new URL(page.url()).hash)).toBe(`#/wig/${wigId}`)
      await page.getByRole('heading', { level: 2 }).first().waitFor()

      // And back to the overview by keyboard.
      guard = 0
      while (!(await page.evaluate(() => (document.activeElement?.tagName === 'A' && document.activeElement.textContent?.includes('All WIGs')) ?? false)) && guard++ < 30) await page.keyboard.press('Tab')
      await page.keyboard.press('Enter')
      await expect.poll(() => new URL(page.url()).hash).toBe('#/')
    } finally {
      await page.close()
    }
  })
})

describe('exporting for the board from the tab', () => {
  it('downloads the same packet as `pm-workbook export`, built in the browser, and the dashboard never loads the packet writer up front', async () => {
    const w = workbooks[0] as Workbook
    const page = await chromium.context.newPage()
    try {
      await openTab(page, w, `asOf=${w.asOf}`)
      const downloading = page.waitForEvent('download')
      await page.getByRole('button', { name: 'Board packet (.xlsx)' }).click()
      const download = await downloading
      const fromTab = join(dir, 'tab-packet.xlsx')
      await download.saveAs(fromTab)
      await page.getByText(`Downloaded ${download.suggestedFilename()}`).waitFor()
      const fromCli = join(dir, 'cli-packet.xlsx')
      // The same day as the page's, so both say the same about steps being today's.
      const run = await runCli(['export', w.path, '--out', fromCli, '--as-of', w.asOf], { now: new Date() })
      expect(run.code).toBe(0)
      const [tab, cliPacket] = await Promise.all([sheetsOf(fromTab), sheetsOf(fromCli)])
      expect(Object.keys(tab)).toEqual(Object.keys(cliPacket))
      for (const name of ['Summary', 'Action steps']) expect(tab[name], name).toEqual(cliPacket[name])
    } finally {
      await page.close()
    }
    // The page's first load: its module script and what it preloads. The packet writer lives in the export chunk only.
    const html = readFileSync(join(DIST, 'tab.html'), 'utf8')
    const initial = [...html.matchAll(/<script[^>]+src="\.\/([^"]+)"|<link[^>]+rel="modulepreload"[^>]+href="\.\/([^"]+)"/g)].map((m) => m[1] ?? m[2] ?? '')
    expect(initial.length).toBeGreaterThan(0)
    for (const file of initial) expect(readFileSync(join(DIST, file), 'utf8').includes('xl/workbook.xml'), file).toBe(false)
  })
})

/** Per WIG, the note of its newest own check-in (no MeasureId, a number, dated by the as-of date) that has one, read with the tests' exceljs oracle. */
async function newestWigNotes(w: Workbook): Promise<Map<string, string>> {
  const day = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v ?? '').trim())
  const rows = ((await readTables(w.path))['CheckIns'] ?? []).filter(
    (c) => String(c['measureid'] ?? '').trim() === '' && typeof c['value'] === 'number' && day(c['date']) !== '' && day(c['date']) <= w.asOf && String(c['note'] ?? '').trim() !== '',
  )
  const newest = new Map<string, { date: string; note: string }>()
  for (const c of rows) {
    const id = String(c['wigid']).trim()
    const seen = newest.get(id)
    if (!seen || day(c['date']) >= seen.date) newest.set(id, { date: day(c['date']), note: String(c['note']).trim() })
  }
  return new Map([...newest].map(([id, n]) => [id, n.note]))
}

/**
 * Every sheet's cell values, row by row, as exceljs reads them back; but the line saying where and
 * when the workbook was read, which differs between a page and a command by design.
 */
async function sheetsOf(path: string): Promise<Record<string, unknown[]>> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.readFile(path)
  const cell = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : typeof v === 'string' && /^Read (from .+ )?at /.test(v) ? 'Read …' : v)
  return Object.fromEntries(book.worksheets.map((ws) => [ws.name, ws.getSheetValues().map((row) => (Array.isArray(row) ? row.map(cell) : row))]))
}

describe('setting up a channel tab', () => {
  it('resolves a pasted sharing link through Graph, and the tab it makes shows the chosen department only', async () => {
    const w = workbooks[0] as Workbook
    const wigs = (await statusJson(w, w.asOf)).wigs
    const department = wigs.map((x) => x.department).find((d) => d !== '') ?? ''
    const page = await chromium.context.newPage()
    try {
      await openTab(page, w, `asOf=${w.asOf}`, '#/configure')
      const link = page.getByLabel('Workbook sharing link')
      await expect.poll(() => link.inputValue()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/workbook\//)
      await page.getByRole('button', { name: 'Open the workbook' }).click()
      await page.getByLabel('Department', { exact: true }).selectOption(department)
      const tabLink = page.getByRole('link', { name: /tab\.html\?workbook=/ })
      const href = (await tabLink.getAttribute('href')) ?? ''
      expect(new URL(href).searchParams.get('department')).toBe(department)
      await page.goto(`${href}&asOf=${w.asOf}`)
      await page.locator('main[aria-busy="false"]').waitFor()
      await cards(page).first().waitFor()
      expect(await cards(page).count()).toBe(wigs.filter((x) => x.department === department).length)
      // The saved tab knows only the drive item; "Open in Excel" comes from its webUrl through Graph.
      const local = (await (await fetch(`${w.server.origin}/local-config.json`)).json()) as { webUrl: string }
      await expect.poll(() => page.getByRole('link', { name: 'Open in Excel' }).getAttribute('href')).toBe(local.webUrl)

      await openTab(page, w, `asOf=${w.asOf}`, '#/configure')
      await link.fill('https://contoso.sharepoint.com/:x:/s/plan/not-this-server')
      await page.getByRole('button', { name: 'Open the workbook' }).click()
      await page.getByText(/Could not open that link: .+/).waitFor()
    } finally {
      await page.close()
    }
  })
})

describe('the tab when the workbook cannot be read', () => {
  it('says so in place, keeps what it showed, and recovers on retry once the server is back', async () => {
    const path = join(dir, 'outage.xlsx')
    await writeSampleWorkbook(path, SAMPLE_AS_OF)
    let server = await startServer({ workbook: path, port: 0, staticDir: DIST })
    const port = Number(new URL(server.origin).port)
    const page = await chromium.context.newPage()
    try {
      await page.goto(`${server.origin}/tab.html?asOf=${SAMPLE_AS_OF}`)
      await cards(page).first().waitFor()
      const count = await cards(page).count()
      await server.close()
      await page.getByRole('button', { name: 'Refresh' }).click()
      const alert = page.getByRole('alert')
      await alert.waitFor({ timeout: 20_000 })
      await expect(alert.innerText()).resolves.toMatch(/Could not read the workbook/)
      expect(await cards(page).count()).toBe(count)
      server = await startServer({ workbook: path, port, staticDir: DIST })
      await alert.getByRole('button', { name: 'Try again' }).click()
      await alert.waitFor({ state: 'detached', timeout: 20_000 })
      expect(await cards(page).count()).toBe(count)
    } finally {
      await page.close()
      await server.close()
    }
  })
})
