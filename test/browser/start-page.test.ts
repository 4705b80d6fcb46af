import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src/server/server.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { axeViolations } from './axe.ts'
import { launchChromium } from './browser.ts'
import { todayIso } from '../../src/domain/dates.ts'

let dir: string
let server: RunningServer
let chromium: Awaited<ReturnType<typeof launchChromium>>

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-browser-'))
  const workbook = join(dir, 'plan.xlsx')
  await writeSampleWorkbook(workbook, todayIso())
  server = await startServer({ workbook, port: 0, staticDir: resolve(import.meta.dirname, '../../dist') })
  chromium = await launchChromium()
})
afterAll(async () => {
  await chromium?.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the landing page of npm start', () => {
  for (const theme of [
    { name: 'light', colorScheme: 'light', forcedColors: 'none' },
    { name: 'dark', colorScheme: 'dark', forcedColors: 'none' },
    { name: 'high contrast', colorScheme: 'dark', forcedColors: 'active' },
  ] as const) {
    it(`links the plan dashboard and the served workbook, with no axe violations (${theme.name})`, async () => {
      const page = await chromium.context.newPage()
      try {
        await page.emulateMedia({ colorScheme: theme.colorScheme, forcedColors: theme.forcedColors })
        await page.goto(`${server.origin}/`)
        await expect(page.getByRole('link', { name: 'Plan dashboard' }).getAttribute('href')).resolves.toBe('/tab.html')
        await expect(page.getByRole('link', { name: 'My action steps' }).getAttribute('href')).resolves.toBe('/taskpane.html')
        const workbook = page.getByRole('link', { name: 'The workbook' })
        await expect.poll(() => workbook.getAttribute('download')).toBe('')
        const download = await page.request.get(new URL((await workbook.getAttribute('href')) ?? '', server.origin).toString())
        expect(download.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        // An .xlsx is a zip: it starts with PK.
        expect((await download.body()).subarray(0, 2).toString()).toBe('PK')
        await expect(page.getByText(/As a SOURCE for the CLI: http:\/\/127\.0\.0\.1:\d+\/graph\/v1\.0\/me\/drive\/items\//).count()).resolves.toBe(1)
        expect((await axeViolations(page)).map((v) => `${v.id}: ${v.targets.join(', ')}`)).toEqual([])
      } finally {
        await page.close()
      }
    })
  }
})
