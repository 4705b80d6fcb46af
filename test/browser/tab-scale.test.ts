import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WigSummary } from '../../src/app/status-report.ts'
import type { StepLine } from '../../src/cli/commands/steps.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { WIG_STATUSES } from '../../src/domain/model.ts'
import { writeScaledSampleWorkbook, type ScaledSize } from '../../src/sample/scale.ts'
import { startServer, type RunningServer } from '../../src/server/server.ts'
import { runCli } from '../cli/run-cli.ts'
import { launchChromium } from './browser.ts'

/**
 * The Teams tab at district scale (issue 14, size M's WIGs and steps): 200 WIGs, 5,000 steps,
 * read through the Graph client from the local server. It stays usable: the overview keeps only
 * the cards near the viewport in the page, and every count still agrees with the CLI's.
 * Nothing here is timed.
 */

const DIST = resolve(import.meta.dirname, '../../dist')
const AS_OF = '2026-11-24' as IsoDate
const SIZE = { wigs: 200, steps: 5_000, checkIns: 4_000 } satisfies ScaledSize

let dir: string
let server: RunningServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
/** One page for the whole file, loaded once: the tab reads the workbook on load, and the views below move by hash and filters as a user would. */
let page: Page
let wigs: WigSummary[]
let overdue: StepLine[]

async function cli<T>(args: string[]): Promise<T> {
  const run = await runCli(args)
  expect(run.stderr).toBe('')
  return JSON.parse(run.stdout) as T
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-tab-scale-'))
  const path = join(dir, 'scaled.xlsx')
  const browser = launchChromium()
  await writeScaledSampleWorkbook(path, AS_OF, SIZE)
  ;[server, chromium] = await Promise.all([startServer({ workbook: path, port: 0, staticDir: DIST }), browser])
  page = await chromium.context.newPage()
  ;[, { wigs }, { steps: overdue }] = await Promise.all([
    openTab(),
    cli<{ wigs: WigSummary[] }>(['status', path, '--as-of', AS_OF, '--json']),
    cli<{ steps: StepLine[] }>(['steps', path, '--as-of', AS_OF, '--overdue', '--json']),
  ])
}, 60_000)

afterAll(async () => {
  await chromium?.close()
  await server?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function openTab(): Promise<void> {
  await page.goto(`${server.origin}/tab.html?asOf=${AS_OF}`)
  await page.locator('main[aria-busy="false"]').waitFor()
}

/** Back to the overview, unfiltered, at the top, without reading the workbook again. */
async function toOverview(): Promise<void> {
  await page.evaluate(() => (window.location.hash = '#/'))
  const search = page.getByRole('searchbox', { name: 'Search' })
  if ((await search.inputValue()) !== '') await search.fill('')
  await page.evaluate(() => window.scrollTo(0, 0))
  await expect.poll(() => resultText()).toBe(`${SIZE.wigs} WIGs`)
}

const resultText = () => page.getByRole('status').filter({ hasText: /WIGs/ }).innerText()
const cards = () => page.locator('article[data-wig-id]')
/** How the tab keys an owner (and groups a pillar): trimmed, spaces collapsed, lower case. */
const normalized = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase()

/** The WIG the overview shows last: grouped by pillar in workbook order (no pillar last), then by strategy. */
function lastInOverview(list: readonly WigSummary[]): WigSummary {
  const groups = new Map<string, Map<string, WigSummary[]>>()
  for (const w of list) {
    const pillar = normalized(w.pillar)
    const sections = groups.get(pillar) ?? new Map<string, WigSummary[]>()
    groups.set(pillar, sections)
    sections.set(w.strategyId, [...(sections.get(w.strategyId) ?? []), w])
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => Number(a === '') - Number(b === ''))
  const last = [...(ordered.at(-1)?.[1].values() ?? [])].at(-1)?.at(-1)
  if (!last) throw new Error('no WIG')
  return last
}

describe(`the Teams tab on ${SIZE.wigs} WIGs and ${SIZE.steps.toLocaleString('en-US')} steps`, () => {
  it('renders only the cards near the viewport, with status counts that add up to every WIG and agree with `status --json`', async () => {
    expect(wigs).toHaveLength(SIZE.wigs)
    await toOverview()
    await cards().first().waitFor()
    await expect(resultText()).resolves.toBe(`${SIZE.wigs} WIGs`)
    const rendered = await cards().count()
    expect(rendered).toBeGreaterThan(0)
    expect(rendered).toBeLessThan(SIZE.wigs / 4)
    // Rows of the virtual list never sit on one another: each starts where the one above ends, or below.
    await expect
      .poll(() =>
        page.$$eval('[data-index]', (rows) => {
          const boxes = rows.map((r) => r.getBoundingClientRect()).sort((a, b) => a.top - b.top)
          return boxes.slice(1).filter((box, i) => box.top < (boxes[i]?.bottom ?? 0) - 1).length
        }),
      )
      .toBe(0)

    const counts = page.getByRole('list', { name: 'WIGs per status' })
    const shown: Record<string, number> = {}
    for (const status of WIG_STATUSES) {
      const text = await counts.locator(`button[data-status="${status}"]`).innerText()
      const match = new RegExp(`^(\\d+)\\s+${status}$`).exec(text.trim())
      expect(match, text).not.toBeNull()
      shown[status] = Number(match?.[1])
    }
    expect(Object.values(shown).reduce((a, b) => a + b, 0)).toBe(SIZE.wigs)
    expect(shown).toEqual(Object.fromEntries(WIG_STATUSES.map((s) => [s, wigs.filter((w) => w.status === s).length])))
  })

  it('brings the last WIG’s card into the page when scrolled to the bottom, and drops the first', async () => {
    const first = wigs[0] as WigSummary
    const last = lastInOverview(wigs)
    await toOverview()
    await page.locator(`article[data-wig-id="${first.id}"]`).waitFor()
    expect(await page.locator(`article[data-wig-id="${last.id}"]`).count()).toBe(0)
    // Rows are measured as they render, so the page may grow while it scrolls: scroll until it stops.
    await expect
      .poll(async () => {
        await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
        return page.locator(`article[data-wig-id="${last.id}"]`).count()
      })
      .toBe(1)
    await expect(page.getByRole('article', { name: last.title, exact: true }).count()).resolves.toBe(1)
    expect(await page.locator(`article[data-wig-id="${first.id}"]`).count()).toBe(0)
    expect(await cards().count()).toBeLessThan(SIZE.wigs / 4)
  })

  it('shows exactly one card for a search that matches one WIG', async () => {
    // An extra WIG's title is its model's with a school in brackets: no other WIG has all its words.
    const target = wigs[SIZE.wigs - 7] as WigSummary
    await toOverview()
    await page.getByRole('searchbox', { name: 'Search' }).fill(target.title)
    await expect.poll(() => cards().count()).toBe(1)
    await expect(cards().first().getAttribute('data-wig-id')).resolves.toBe(target.id)
    await expect(resultText()).resolves.toBe(`1 of ${SIZE.wigs} WIGs match the filters`)
  })

  it('lists owners most overdue first, the top five with the overdue counts `steps --overdue --json` gives them', async () => {
    const expected = new Map<string, number>()
    for (const s of overdue) expected.set(normalized(s.owner), (expected.get(normalized(s.owner)) ?? 0) + 1)
    await page.evaluate(() => (window.location.hash = '#/people'))
    await page.locator('article[data-owner]').first().waitFor()
    const shown = await page.$$eval('article[data-owner]', (articles) =>
      articles.map((a) => [a.getAttribute('data-owner') ?? '', Number(a.querySelector('[data-count="overdue"]')?.textContent)] as const),
    )
    const top = shown.slice(0, 5)
    expect(top).toHaveLength(5)
    for (const [owner, count] of top) expect(count, owner).toBe(expected.get(owner) ?? 0)
    expect(top.map(([, n]) => n)).toEqual([...expected.values()].sort((a, b) => b - a).slice(0, 5))
    expect(top[0]?.[1]).toBeGreaterThan(0)
    const counts = shown.map(([, n]) => n)
    expect(counts).toEqual([...counts].sort((a, b) => b - a))
  })
})
