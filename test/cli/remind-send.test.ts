import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RemindJson } from '../../src/cli/commands/remind.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { createOutbox, type OutboxMessage } from '../../src/server/persistence/outbox.ts'
import { startServer, type RunningServer } from '../../src/server/server.ts'
import { readTables } from '../fixtures/xlsx-tables.ts'
import { runCli } from './run-cli.ts'

/**
 * `pm-workbook remind` sending for real, through the local server (in process): the messages land
 * in its outbox, exactly the owners and items of `--dry-run`; the Reminders table records them; a
 * second run the same day sends nothing new. A Graph failure for one recipient, in the shape the
 * docs give (403 ErrorAccessDenied: concepts/auth-limit-mailbox-access.md, "Handling API errors"),
 * leaves the others sent and is reported for that owner. Nothing here talks to Microsoft 365.
 */

const BUILT = '2026-11-24' as IsoDate
const AS_OF = '2026-12-15' as IsoDate
const LATER = '2026-12-22' as IsoDate
const BY = 'desmond.achterberg@riverbend.example'

let dir: string
let file: string
let server: RunningServer
let dryRun: RemindJson

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-remind-send-'))
  file = join(dir, 'plan.xlsx')
  await writeSampleWorkbook(file, BUILT)
  server = await startServer({ workbook: file })
  dryRun = await json(['remind', server.driveItemUrl, '--dry-run', '--as-of', AS_OF, '--json'])
})
afterAll(async () => {
  await server?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function json(args: string[], options: Parameters<typeof runCli>[1] = {}): Promise<RemindJson> {
  const run = await runCli(args, options)
  expect(run.stderr).toBe('')
  return JSON.parse(run.stdout) as RemindJson
}

/** The Reminders table's rows on disk, read with exceljs (an empty table keeps one blank row, as Excel requires). */
const remindersRows = async () => ((await readTables(file))['Reminders'] ?? []).filter((row) => row['reminderid'] !== null && row['reminderid'] !== '')
const outbox = () => createOutbox(server.outboxDir).list()
const keyOf = (email: string) => email.toLowerCase()

/** Who got a message for `asOf`, and the text it carried. */
async function sentFor(asOf: IsoDate): Promise<Map<string, OutboxMessage>> {
  const messages = (await outbox()).filter((m) => m.subject.includes(`(as of ${asOf})`))
  return new Map(messages.map((m) => [keyOf(m.to[0]?.email ?? ''), m]))
}

describe('pm-workbook remind, sent through the local server', () => {
  const expected = () => dryRun.digests.filter((d) => d.owner.email !== '')
  const itemsOf = (d: RemindJson['digests'][number]) => [...d.overdue.map((s) => s.id), ...d.dueSoon.map((s) => s.id), ...d.checkIns.map((c) => c.id)]

  it('reports a recipient Graph refuses, and still sends every other owner their digest', async () => {
    expect(dryRun).toMatchObject({ dryRun: true, remindersTable: 'present', via: 'mail' })
    expect(dryRun.recipients.every((r) => r.status === 'send')).toBe(true)
    expect(expected().length).toBeGreaterThan(2)
    const refused = expected()[1]?.owner.email ?? ''
    // The service's answer when mailbox access is refused (concepts/auth-limit-mailbox-access.md).
    const accessDenied = { error: { code: 'ErrorAccessDenied', message: 'Access to OData is disabled.', innerError: { 'request-id': '2f038156-cf40-403d-8e46-831fe42a8229', date: '2019-05-24T10:16:21' } } }
    const fetch = async (url: string, init: RequestInit): Promise<Response> => {
      const body = typeof init.body === 'string' ? init.body : ''
      if (url.endsWith('/me/sendMail') && Buffer.from(body, 'base64').toString('utf8').includes(`<${refused}>`)) {
        return new Response(JSON.stringify(accessDenied), { status: 403, headers: { 'Content-Type': 'application/json' } })
      }
      return globalThis.fetch(url, init)
    }

    const run = await runCli(['remind', server.driveItemUrl, '--as-of', AS_OF, '--by', BY, '--json'], { fetch })
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout) as RemindJson
    const failed = report.results?.filter((r) => r.outcome === 'failed') ?? []
    expect(failed.map((r) => r.owner.email)).toEqual([refused])
    expect(failed[0]).toMatchObject({ failure: { status: 403, code: 'ErrorAccessDenied', message: 'Access to OData is disabled.' } })
    expect(report.results?.filter((r) => r.outcome === 'sent')).toHaveLength(expected().length - 1)
    expect(report.recorded).toEqual({ ok: true, rows: expected().length - 1 })
    expect([...(await sentFor(AS_OF)).keys()].sort()).toEqual(expected().map((d) => keyOf(d.owner.email)).filter((e) => e !== keyOf(refused)).sort())
  })

  it('sends the one left on the next run, so the outbox holds exactly the dry run’s owners and items; a third run sends nothing', async () => {
    const next = await runCli(['remind', server.driveItemUrl, '--as-of', AS_OF, '--by', BY])
    expect(next.stderr).toBe('')
    expect(next.code).toBe(0)
    expect(next.stdout).toContain(`1 sent, 0 failed, ${expected().length - 1} already reminded for ${AS_OF}`)

    const sent = await sentFor(AS_OF)
    expect([...sent.keys()].sort()).toEqual(expected().map((d) => keyOf(d.owner.email)).sort())
    for (const d of expected()) {
      const message = sent.get(keyOf(d.owner.email))
      expect(message?.kind).toBe('mail')
      for (const id of itemsOf(d)) {
        expect(message?.text, `${d.owner.email}: ${id}`).toContain(id)
        expect(message?.html, `${d.owner.email}: ${id}`).toContain(id)
      }
    }

    // One Reminders row per message, dated the run's as-of, naming what was sent.
    const reminders = await remindersRows()
    expect(reminders.map((r) => String(r['owner']).toLowerCase()).sort()).toEqual(expected().map((d) => keyOf(d.owner.email)).sort())
    for (const row of reminders) {
      const d = expected().find((x) => keyOf(x.owner.email) === String(row['owner']).toLowerCase())
      expect(row['date'] instanceof Date ? row['date'].toISOString().slice(0, 10) : row['date']).toBe(AS_OF)
      expect([row['kind'], row['count'], String(row['items']).split(' ')]).toEqual(['Mail', itemsOf(d ?? expected()[0]!).length, d ? itemsOf(d) : []])
    }

    const again = await json(['remind', server.driveItemUrl, '--as-of', AS_OF, '--by', BY, '--json'])
    expect(again.results?.map((r) => r.outcome)).toEqual(expected().map(() => 'alreadyReminded'))
    expect(again.recorded).toEqual({ ok: true, rows: 0 })
    expect((await sentFor(AS_OF)).size).toBe(expected().length)
  })

  it('reports, a week on, what became of the reminders: steps updated and utilization before and after', async () => {
    const later = await json(['remind', server.driveItemUrl, '--dry-run', '--as-of', LATER, '--json'])
    expect(later.followUp).toHaveLength(1)
    const [followUp] = later.followUp
    expect(followUp).toMatchObject({ date: AS_OF, until: LATER, weekComplete: true, owners: expected().length })
    const reminded = new Set(expected().flatMap((d) => [...d.overdue, ...d.dueSoon].map((s) => s.id)))
    expect(new Set(followUp?.steps)).toEqual(reminded)
    expect(followUp?.utilization.before).toEqual(dryRun.utilization.overall)
  })

  it('refuses a file SOURCE, a run without --by, and Teams without the app id on Microsoft Graph, before reading anything', async () => {
    const fromFile = await runCli(['remind', file, '--by', BY])
    expect(fromFile.code).toBe(2)
    expect(fromFile.stderr).toMatch(/^Reminders are sent through Microsoft Graph, so SOURCE must be the workbook's URL/)
    const noBy = await runCli(['remind', server.driveItemUrl])
    expect(noBy.code).toBe(2)
    expect(noBy.stderr).toMatch(/^Sending needs --by EMAIL/)
    const teams = await runCli(['remind', 'https://graph.microsoft.com/v1.0/me/drive/items/01ABC', '--via', 'teams', '--by', BY, '--app-url', 'https://plan.riverbend.example/pm-workbook'])
    expect(teams.code).toBe(2)
    expect(teams.stderr).toMatch(/--teams-app-id/)
  })
})
