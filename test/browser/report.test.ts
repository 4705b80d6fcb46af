import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDashboard, type Dashboard } from '../../src/app/dashboard.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { buildReport } from '../../src/export/index.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { openFileStore } from '../../src/workbook/file/file-store.ts'
import { ODD_AS_OF, writeFixtureWorkbook } from '../fixtures/odd-workbook.ts'
import { RISKY, riskyTables } from '../export/risky-workbook.ts'
import { axeViolations, seriousOrCritical } from './axe.ts'
import { launchChromium } from './browser.ts'

/**
 * The report of issue 12 in Chromium: it passes axe with the WCAG 2.2 AA tags (no serious or
 * critical violation), each WIG's chart is an image named by its text alternative, script-looking
 * text stays text, and the page asks the network for nothing. One browser, three page loads.
 */

const AS_OF = '2026-11-24' as IsoDate
let dir: string
let chromium: Awaited<ReturnType<typeof launchChromium>>
let sample: Dashboard
let risky: Dashboard

async function dashboardOf(file: string, asOf: IsoDate): Promise<Dashboard> {
  const loaded = await loadDashboard(openFileStore(file), asOf, asOf, `${asOf}T12:00:00.000Z`)
  if (!loaded.ok) throw new Error(`cannot read ${file}`)
  return loaded.value
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-report-'))
  await Promise.all([writeSampleWorkbook(join(dir, 'plan.xlsx'), AS_OF), writeFixtureWorkbook(join(dir, 'risky.xlsx'), riskyTables())])
  ;[sample, risky, chromium] = await Promise.all([dashboardOf(join(dir, 'plan.xlsx'), AS_OF), dashboardOf(join(dir, 'risky.xlsx'), ODD_AS_OF as IsoDate), launchChromium()])
})
afterAll(async () => {
  await chromium?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Opens the report as a page with every request refused and counted, and runs `check` on it. */
async function withReport(html: string, check: (page: Page, requests: string[], dialogs: string[]) => Promise<void>): Promise<void> {
  const page = await chromium.context.newPage()
  const requests: string[] = []
  const dialogs: string[] = []
  await page.route('**/*', async (route) => {
    requests.push(route.request().url())
    await route.abort()
  })
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  try {
    await page.setContent(html, { waitUntil: 'load' })
    await check(page, requests, dialogs)
  } finally {
    await page.close()
  }
}

describe('the report (.html) in Chromium', () => {
  it('passes axe (WCAG 2.2 AA) and names each chart by its text alternative', async () => {
    await withReport(buildReport(sample, { source: 'plan.xlsx' }), async (page, requests) => {
      expect(seriousOrCritical(await axeViolations(page))).toEqual([])
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(sample.district)
      for (const wig of sample.wigs) {
        const chart = page.getByRole('img', { name: new RegExp(`^Trajectory of ${wig.id} `) })
        await expect(chart.count(), wig.id).resolves.toBe(1)
        await expect(chart.getAttribute('aria-labelledby')).resolves.toMatch(/-title \S+-desc$/)
      }
      await expect(page.getByRole('table', { name: 'WIGs by pillar and status' }).count()).resolves.toBe(1)
      await expect(page.getByRole('heading', { name: 'Overdue action steps by owner' }).count()).resolves.toBe(1)
      expect(requests).toEqual([])
    })
  })

  it('the public page passes axe too, and shows departments instead of people', async () => {
    await withReport(buildReport(sample, { public: true, source: 'plan.xlsx' }), async (page, requests) => {
      expect(seriousOrCritical(await axeViolations(page))).toEqual([])
      await expect(page.getByText(/This public page leaves out/).count()).resolves.toBe(1)
      await expect(page.getByRole('heading', { name: 'Overdue action steps by department' }).count()).resolves.toBe(1)
      await expect(page.locator('body').textContent()).resolves.not.toMatch(/@riverbend\.example|plan\.xlsx/)
      expect(requests).toEqual([])
    })
  })

  it('shows script-looking text as text: nothing runs, nothing loads', async () => {
    await withReport(buildReport(risky), async (page, requests, dialogs) => {
      await expect(page.getByRole('heading', { name: RISKY.w7 }).count()).resolves.toBe(1)
      await expect(page.getByRole('heading', { name: RISKY.w8 }).count()).resolves.toBe(1)
      await expect(page.locator('script, img, b').count()).resolves.toBe(0)
      expect(dialogs).toEqual([])
      expect(requests).toEqual([])
      expect(seriousOrCritical(await axeViolations(page))).toEqual([])
    })
  })
})
