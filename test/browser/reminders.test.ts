import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OwnerDigest } from '../../src/app/digest.ts'
import { renderDigestMessage } from '../../src/app/digest-message.ts'
import type { RemindJson } from '../../src/cli/commands/remind.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { createOutbox } from '../../src/server/persistence/outbox.ts'
import { startServer, type RunningServer } from '../../src/server/server.ts'
import { runCli } from '../cli/run-cli.ts'
import { axeViolations, seriousOrCritical } from './axe.ts'
import { launchChromium } from './browser.ts'

/**
 * Update reminders in Chromium (issue 15), one page for the file: a digest's HTML passes axe (WCAG
 * 2.2 AA, no serious or critical violation) and keeps a note holding `<script>` as text; the tab's
 * "Send reminders" previews who gets what, sends through the local server, shows each owner's
 * result, and the outbox page lists what was sent; each view passes axe.
 */

const DIST = resolve(import.meta.dirname, '../../dist')
const BUILT = '2026-11-24' as IsoDate
const AS_OF = '2026-12-15' as IsoDate
const BY = 'desmond.achterberg@riverbend.example'
const SCRIPT = '<script>window.__ran = true; alert("x")</script>'

let dir: string
let server: RunningServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let page: Page
/** `remind --dry-run --json` as of AS_OF: whom the tab should list, read once while Chromium starts. */
let dryRun: RemindJson
const dialogs: string[] = []
/** The reminders panel of the People view: the rest of the view is checked by the tab's own tests. */
const PANEL = 'section[aria-labelledby="reminders-heading"]'

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-reminders-'))
  const file = join(dir, 'plan.xlsx')
  const browser = launchChromium()
  await writeSampleWorkbook(file, BUILT)
  server = await startServer({ workbook: file, staticDir: DIST })
  ;[chromium, dryRun] = await Promise.all([browser, runCli(['remind', server.driveItemUrl, '--dry-run', '--as-of', AS_OF, '--json']).then((run) => JSON.parse(run.stdout) as RemindJson)])
  page = await chromium.context.newPage()
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
}, 60_000)

afterAll(async () => {
  await chromium?.close()
  await server?.close()
  rmSync(dir, { recursive: true, force: true })
})

const DIGEST: OwnerDigest = {
  owner: { key: 'ana@d.org', name: 'Ana <b>Díaz</b>', email: 'ana@d.org', department: 'Human Resources' },
  overdue: [{ id: 'ST-0041', wigId: 'WIG-04', title: `Post the vacancies ${SCRIPT}`, dueDate: '2026-12-01' as IsoDate, rawStatus: 'In progress', percentComplete: 40, days: 14 }],
  dueSoon: [{ id: 'ST-0043', wigId: 'WIG-04', title: 'Draft the rubric', dueDate: '2026-12-18' as IsoDate, rawStatus: 'Not started', percentComplete: null, days: 3 }],
  checkIns: [{ kind: 'Measure', id: 'M-0401', wigId: 'WIG-04', name: 'Offers accepted', cadence: 'Monthly', reason: 'due', latest: '2026-11-10' as IsoDate, latestNote: SCRIPT, dueOn: '2026-12-10' as IsoDate }],
  utilization: 'Human Resources: 3 of 5 step owners (60%) and 8 of 20 open steps (40%) updated in the last 30 days.',
}

describe('update reminders in the browser', () => {
  it('renders a digest that passes axe and keeps a note holding <script> as text', async () => {
    const { html } = renderDigestMessage(DIGEST, { workbook: 'plan.xlsx', district: 'Riverbend Unified School District', asOf: AS_OF, dueSoonDays: 7, appUrl: `${server.origin}/` })
    await page.setContent(html, { waitUntil: 'load' })
    expect(await page.locator('script').count()).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined()
    expect(await page.locator('body').innerText()).toContain(`(last note: "${SCRIPT}")`)
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Plan updates for Ana <b>Díaz</b>')
    expect(seriousOrCritical(await axeViolations(page))).toEqual([])
    expect(dialogs).toEqual([])
  })

  it('previews who gets what in the tab, sends through the local server with each owner’s result, and lists them in the outbox', async () => {
    const owners = dryRun.digests.filter((d) => d.owner.email !== '')
    await page.goto(`${server.origin}/tab.html?asOf=${AS_OF}#/people`)
    await page.locator('main[aria-busy="false"]').waitFor()
    await page.getByRole('button', { name: 'Preview reminders' }).click()
    const preview = page.getByRole('table', { name: `Who gets what, as of ${new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${AS_OF}T00:00:00Z`))}` })
    await preview.waitFor()
    expect(await preview.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-owner')))).toEqual(dryRun.digests.map((d) => d.owner.key))
    expect(seriousOrCritical(await axeViolations(page, undefined, PANEL))).toEqual([])

    await page.getByRole('textbox', { name: 'Your email' }).fill(BY)
    await page.getByRole('button', { name: `Send ${owners.length} reminders` }).click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: / sent, / }).innerText(), { timeout: 20_000 }).toContain(`${owners.length} sent, 0 failed`)
    expect(await page.locator('tr[data-result="sent"]').count()).toBe(owners.length)
    // Read again: each owner is now reminded for the day, and there is nothing left to send.
    await page.getByRole('button', { name: 'Nothing to send' }).waitFor()
    expect(seriousOrCritical(await axeViolations(page, undefined, PANEL))).toEqual([])

    const messages = await createOutbox(server.outboxDir).list()
    expect(messages.map((m) => m.to[0]?.email).sort()).toEqual(owners.map((d) => d.owner.email).sort())

    await page.goto(`${server.origin}/outbox`)
    expect(await page.locator('tbody tr').count()).toBe(owners.length)
    expect(seriousOrCritical(await axeViolations(page))).toEqual([])
    await page.locator('tbody tr a').first().click()
    await page.getByRole('heading', { level: 2, name: 'Plain text' }).waitFor()
    expect(seriousOrCritical(await axeViolations(page))).toEqual([])
    expect(dialogs).toEqual([])
  })
})
