import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src/server/server.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { launchChromium } from './browser.ts'
import { todayIso } from '../../src/domain/dates.ts'

let dir: string
let server: RunningServer

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-browser-'))
  const workbook = join(dir, 'plan.xlsx')
  await writeSampleWorkbook(workbook, todayIso())
  server = await startServer({ workbook, port: 0, staticDir: resolve(import.meta.dirname, '../../dist') })
})
afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the start page of npm start', () => {
  for (const theme of [
    { name: 'light', colorScheme: 'light', forcedColors: 'none' },
    { name: 'dark', colorScheme: 'dark', forcedColors: 'none' },
    { name: 'high contrast', colorScheme: 'dark', forcedColors: 'active' },
  ] as const) {
    it(`lists every WIG with its status, read through the Graph API, with no axe violations (${theme.name})`, async () => {
      const chromium = await launchChromium(theme)
      try {
        const page = await chromium.context.newPage()
        const graphRequests: string[] = []
        page.on('request', (request) => {
          if (request.url().includes('/graph/')) graphRequests.push(`${request.method()} ${new URL(request.url()).pathname}`)
        })
        await page.goto(`${server.origin}/`)
        const table = page.getByRole('table', { name: 'Wildly Important Goals' })
        await table.waitFor()
        const rows = table.locator('tbody tr')
        expect(await rows.count()).toBeGreaterThanOrEqual(15)
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/School District/)
        expect(graphRequests).toEqual(['POST /graph/v1.0/$batch'])
        const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
        expect(axe.violations.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([])
        if (theme.name === 'light') await page.screenshot({ path: join(tmpdir(), 'pmw-start-page.png'), fullPage: false })
      } finally {
        await chromium.close()
      }
    })
  }
})
