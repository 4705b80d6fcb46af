import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StepLine } from '../../src/cli/commands/steps.ts'
import { todayIso } from '../../src/domain/dates.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { startServer, type RunningServer } from '../../src/server/server.ts'
import { runCli } from '../cli/run-cli.ts'
import { axeScopeFor, axeViolations, seriousOrCritical } from './axe.ts'
import { launchChromium, screenshotFolder } from './browser.ts'
import { routeOfficeJs } from './office-cdn.ts'

/**
 * The task pane at the widths Excel gives it (320 and 450 px), in Teams' three themes: axe (WCAG
 * 2.2 AA tags) on the list, the step editor and the check-in form, with PMW_SCREENSHOTS set,
 * screenshots of each in $TMPDIR/pmw-taskpane-screenshots to look at; and the weekly update with the keyboard alone.
 */
const TODAY = todayIso()
const SHOTS = screenshotFolder('pmw-taskpane-screenshots')

let dir: string
let server: RunningServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let step: StepLine

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-pane-themes-'))
  const path = join(dir, 'sample.xlsx')
  await writeSampleWorkbook(path, TODAY)
  server = await startServer({ workbook: path, port: 0, staticDir: resolve(import.meta.dirname, '../../dist') })
  chromium = await launchChromium()
  await routeOfficeJs(chromium.context)
  const steps = (JSON.parse((await runCli(['steps', path, '--as-of', TODAY, '--json'])).stdout) as { steps: StepLine[] }).steps
  // Someone with an overdue step: the busiest list.
  step = steps.find((s) => s.timing === 'Overdue' && s.owner.includes('@')) as StepLine
})

afterAll(async () => {
  await chromium?.close()
  await server?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the task pane in every theme, at 320 and 450 px', () => {
  for (const theme of ['default', 'dark', 'contrast'] as const) {
    it(`steps, the step editor and the check-in form pass axe and fit the pane, ${theme} theme`, async () => {
      const page = await chromium.context.newPage()
      try {
        await page.setViewportSize({ width: 320, height: 800 })
        await page.goto(`${server.origin}/taskpane.html?as=${encodeURIComponent(step.owner)}&theme=${theme}`)
        await page.locator('main[aria-busy="false"]').waitFor()
        for (const [view, hash, ready] of [
          ['steps', '#/', 'a[data-step-id]'],
          ['editor', `#/step/${encodeURIComponent(step.id ?? '')}`, '#step-title'],
          ['checkin', '#/checkin', '#checkin-title'],
        ] as const) {
          await page.evaluate((h) => (window.location.hash = h), hash)
          await page.locator(ready).first().waitFor()
          for (const width of [320, 450]) {
            await page.setViewportSize({ width, height: 800 })
            if (SHOTS) await page.screenshot({ path: join(SHOTS, `${view}-${theme}-${width}.png`) })
            expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
          }
          expect(seriousOrCritical(await axeViolations(page, axeScopeFor(theme === 'default'))).map((v) => `${view}: ${v}`)).toEqual([])
          await page.setViewportSize({ width: 320, height: 800 })
        }
      } finally {
        await page.close()
      }
    })
  }
})

describe('the weekly update with the keyboard alone', () => {
  it('opens my first step, changes its status and saves it without a mouse', async () => {
    const page = await chromium.context.newPage()
    try {
      await page.setViewportSize({ width: 320, height: 800 })
      await page.goto(`${server.origin}/taskpane.html?as=${encodeURIComponent(step.owner)}`)
      await page.locator('a[data-step-id]').first().waitFor()
      let guard = 0
      while (!(await page.evaluate(() => document.activeElement?.matches('a[data-step-id]') ?? false)) && guard++ < 30) await page.keyboard.press('Tab')
      const stepId = await page.evaluate(() => document.activeElement?.getAttribute('data-step-id'))
      await page.keyboard.press('Enter')
      await page.locator('#step-title').waitFor()
      guard = 0
      while (!(await page.evaluate(() => document.activeElement?.tagName === 'SELECT')) && guard++ < 30) await page.keyboard.press('Tab')
      const before = await page.evaluate(() => (document.activeElement as HTMLSelectElement).value)
      await page.keyboard.press('ArrowDown')
      const chosen = await page.evaluate(() => (document.activeElement as HTMLSelectElement).value)
      expect(chosen).not.toBe(before)
      guard = 0
      while (!(await page.evaluate(() => document.activeElement?.textContent === 'Save')) && guard++ < 30) await page.keyboard.press('Tab')
      await page.keyboard.press('Enter')
      await page.getByText('Saved to the workbook').waitFor()
      const steps = (JSON.parse((await runCli(['steps', join(dir, 'sample.xlsx'), '--as-of', TODAY, '--json'])).stdout) as { steps: StepLine[] }).steps
      expect(steps.find((s) => s.id === stepId)?.status).toBe(chosen)
    } finally {
      await page.close()
    }
  })
})
