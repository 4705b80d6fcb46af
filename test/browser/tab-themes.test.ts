import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WigSummary } from '../../src/app/status-report.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { startServer, type RunningServer } from '../../src/server/server.ts'
import { runCli } from '../cli/run-cli.ts'
import { axeScopeFor, axeViolations, seriousOrCritical } from './axe.ts'
import { launchChromium, screenshotFolder } from './browser.ts'

/**
 * The Teams tab's three views in Teams' three themes, at desktop and phone widths: axe (WCAG 2.2
 * AA) on each, every rule in the default theme at desktop width and the rules a theme or width
 * can change (axe.ts) in the others; with PMW_SCREENSHOTS set, a screenshot of each in
 * $TMPDIR/pmw-tab-screenshots to look at.
 */
const AS_OF = '2026-11-24' as IsoDate
const SHOTS = screenshotFolder('pmw-tab-screenshots')

let dir: string
let server: RunningServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let wig: WigSummary

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-tab-themes-'))
  const path = join(dir, 'sample.xlsx')
  await writeSampleWorkbook(path, AS_OF)
  server = await startServer({ workbook: path, port: 0, staticDir: resolve(import.meta.dirname, '../../dist') })
  chromium = await launchChromium()
  const status = JSON.parse((await runCli(['status', path, '--as-of', AS_OF, '--json'])).stdout) as { wigs: WigSummary[] }
  // The busiest detail view: a WIG with overdue steps.
  wig = status.wigs.find((x) => x.steps.overdue > 0) as WigSummary
})

afterAll(async () => {
  await chromium?.close()
  await server?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the tab in every Teams theme, at desktop and phone widths', () => {
  for (const theme of ['default', 'dark', 'contrast'] as const) {
    it(`overview, detail and people pass axe (WCAG 2.2 AA) and fit the width, ${theme} theme`, async () => {
      const page = await chromium.context.newPage()
      try {
        // One load per theme: the widths and views change in place, as when a window is resized.
        await page.setViewportSize({ width: 1280, height: 900 })
        await page.goto(`${server.origin}/tab.html?asOf=${AS_OF}&theme=${theme}`)
        await page.locator('main[aria-busy="false"]').waitFor()
        for (const [view, hash, ready] of [
          ['overview', '#/', 'article[data-wig-id]'],
          ['detail', `#/wig/${wig.id}`, 'figure svg'],
          ['people', '#/people', 'article[data-owner]'],
        ] as const) {
          await page.evaluate((h) => (window.location.hash = h), hash)
          await page.locator(ready).first().waitFor()
          for (const width of [1280, 375]) {
            await page.setViewportSize({ width, height: 900 })
            if (SHOTS) await page.screenshot({ path: join(SHOTS, `${view}-${theme}-${width}.png`) })
            expect(seriousOrCritical(await axeViolations(page, axeScopeFor(theme === 'default' && width === 1280))).map((v) => `${view} ${width}px: ${v}`)).toEqual([])
            // The page itself never scrolls sideways (a wide table scrolls inside its own box).
            expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
          }
        }
      } finally {
        await page.close()
      }
    })
  }
})
