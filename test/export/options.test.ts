import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IsoDate } from '../../src/domain/dates.ts'
import { sampleDistrict } from '../../src/sample/district.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { runCli } from '../cli/run-cli.ts'
import { records, text } from '../sample/helpers.ts'
import { allText, EMAIL, readPacket, sheetRows, statusJson, stepsJson } from './packet-reader.ts'

/**
 * Issue 12, options: `--as-of` in the past gives the past statuses, `--department` keeps only that
 * department, `--public` has no email address, no person's name and no note, and says what it
 * leaves out at the top. The report (.html) shows the same statuses as the packet.
 */

const AS_OF = '2026-11-24' as IsoDate
const PAST = '2026-09-15' as IsoDate
const data = sampleDistrict(AS_OF)
let dir: string
let sample: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-export-options-'))
  sample = join(dir, 'plan.xlsx')
  await writeSampleWorkbook(sample, AS_OF)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function exported(name: string, ...args: string[]): Promise<string> {
  const out = join(dir, name)
  const run = await runCli(['export', sample, '--out', out, ...args])
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  return out
}

const unescape = (html: string) => html.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')

/** The WIG id and status of each WIG article of the report. */
function reportStatuses(html: string): Record<string, string> {
  return Object.fromEntries([...html.matchAll(/<article class="wig"[^>]* data-wig="([^"]*)" data-status="([^"]*)">/g)].map((m) => [unescape(m[1] ?? ''), unescape(m[2] ?? '')]))
}

describe('pm-workbook export --as-of', () => {
  it('a past date gives the statuses `status --json` gives for that date, not today\'s', async () => {
    const out = await exported('past.xlsx', '--as-of', PAST)
    const [then, now] = await Promise.all([statusJson(sample, PAST), statusJson(sample, AS_OF)])
    const summary = sheetRows(await readPacket(out), 'Summary', 'Pillar')
    const shown = Object.fromEntries(summary.rows.map((r) => [r['WIG'], r['Status']]))
    expect(shown).toEqual(Object.fromEntries(then.wigs.map((w) => [w.id, w.status])))
    // The sample is laid out so that the plan moved between the two dates.
    expect(then.wigs.filter((w) => now.wigs.find((n) => n.id === w.id)?.status !== w.status).length).toBeGreaterThan(0)
    // Nothing after the as-of date counts: no latest check-in is later.
    for (const row of summary.rows) if (row['Latest on'] instanceof Date) expect(row['Latest on'].toISOString().slice(0, 10) <= PAST).toBe(true)
    const history = sheetRows(await readPacket(out), 'Measures & check-ins', 'WIG')
    for (const row of history.rows) if (row['Check-in date'] instanceof Date) expect(row['Check-in date'].toISOString().slice(0, 10) <= PAST).toBe(true)
  })

  it('the report of a past date shows the same statuses', async () => {
    const html = readFileSync(await exported('past.html', '--as-of', PAST), 'utf8')
    const then = await statusJson(sample, PAST)
    expect(reportStatuses(html)).toEqual(Object.fromEntries(then.wigs.map((w) => [w.id, w.status])))
  })
})

describe('pm-workbook export --department', () => {
  const people = records(data, 'People')
  const departmentOf = new Map(people.flatMap((p) => [[text(p['Email']).toLowerCase(), text(p['Department'])] as const, [text(p['Name']).toLowerCase(), text(p['Department'])] as const]))
  // A WIG's department: its Department cell, or its owner's department in People.
  const wigDepartment = (w: { department: string; owner: string; ownerName: string }) => w.department || departmentOf.get(w.owner.toLowerCase()) || departmentOf.get(w.ownerName.toLowerCase()) || ''

  it('keeps only the WIGs of that department, and only their steps', async () => {
    const department = 'Human Resources'
    const out = await exported('hr.xlsx', '--as-of', AS_OF, '--department', 'human  resources')
    const [json, steps] = await Promise.all([statusJson(sample, AS_OF), stepsJson(sample, AS_OF)])
    const expected = json.wigs.filter((w) => wigDepartment(w) === department).map((w) => w.id)
    expect(expected.length).toBeGreaterThan(1)
    expect(expected.length).toBeLessThan(json.wigs.length)
    const packet = await readPacket(out)
    const summary = sheetRows(packet, 'Summary', 'Pillar')
    expect(summary.rows.map((r) => r['WIG']).sort()).toEqual([...expected].sort())
    for (const row of summary.rows) expect(row['Department']).toBe(department)
    const stepRows = sheetRows(packet, 'Action steps', 'WIG')
    expect(stepRows.rows.length).toBe(steps.filter((s) => expected.includes(s.wigId)).length)
    for (const row of stepRows.rows) expect(expected).toContain(row['WIG'])
    for (const row of sheetRows(packet, 'Measures & check-ins', 'WIG').rows) expect(expected).toContain(row['WIG'])
  })

  it('names the departments there are when none matches', async () => {
    const run = await runCli(['export', sample, '--out', join(dir, 'none.xlsx'), '--department', 'Astronomy'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/^No WIG belongs to the department "Astronomy"\. Departments in this plan: .*"Human Resources"/)
  })
})

describe('pm-workbook export --public', () => {
  const notes = [
    ...records(data, 'WIGs').map((w) => text(w['StatusNote'])),
    ...records(data, 'CheckIns').map((c) => text(c['Note'])),
    ...records(data, 'ActionSteps').map((s) => text(s['Notes'])),
  ].filter((n) => n.length >= 12)
  const names = records(data, 'People').map((p) => text(p['Name']))

  it('the sample has notes, names and emails to leave out', () => {
    expect(notes.length).toBeGreaterThan(3)
    expect(names.length).toBeGreaterThan(3)
  })

  it('the packet has no email address, no person\'s name and no note, and says what it leaves out', async () => {
    const out = await exported('public.xlsx', '--as-of', AS_OF, '--public')
    const packet = await readPacket(out)
    const everything = allText(packet)
    expect(everything).not.toMatch(EMAIL)
    expect(names.filter((n) => everything.includes(n))).toEqual([])
    expect(notes.filter((n) => everything.includes(n))).toEqual([])
    expect(everything).not.toContain(sample)
    const summary = sheetRows(packet, 'Summary', 'Pillar')
    expect(summary.headers).not.toContain('Owner')
    expect(summary.headers).not.toContain('Status note')
    expect(sheetRows(packet, 'Action steps', 'WIG').headers).not.toContain('Step id')
    // Said at the top of the first sheet.
    const top = [1, 2, 3, 4, 5, 6, 7].map((r) => String(packet.getWorksheet('Summary')?.getRow(r).getCell(1).value ?? '')).join('\n')
    expect(top).toMatch(/Public edition\. Left out: people's names and email addresses [\s\S]*notes[\s\S]*where the workbook is kept/)
    // Owners become departments.
    expect(summary.rows.filter((r) => r['Department'] !== null).length).toBeGreaterThan(summary.rows.length / 2)
  })

  it('the page has no email address, no person\'s name and no note, and says what it leaves out first thing', async () => {
    const html = readFileSync(await exported('public.html', '--as-of', AS_OF, '--public'), 'utf8')
    expect(html).not.toMatch(EMAIL)
    expect(names.filter((n) => unescape(html).includes(n))).toEqual([])
    expect(notes.filter((n) => unescape(html).includes(n))).toEqual([])
    expect(html).not.toContain(sample)
    expect(html).not.toContain(dir)
    // The file's first lines: the comment saying what it leaves out.
    expect(html.split('\n').slice(0, 2).join('\n')).toMatch(/^<!doctype html>\n<!-- Public edition .* It leaves out: people's names and email addresses .* -->$/)
    expect(html).toMatch(/<p class="notice"><strong>This public page leaves out<\/strong>/)
    expect(html).toContain('Overdue action steps by department')
  })

  it('the internal report names owners and shows notes: the difference is --public', async () => {
    const html = unescape(readFileSync(await exported('internal.html', '--as-of', AS_OF), 'utf8'))
    expect(names.some((n) => html.includes(n))).toBe(true)
    const statusNotes = records(data, 'WIGs').map((w) => text(w['StatusNote'])).filter(Boolean)
    expect(statusNotes.every((n) => html.includes(n))).toBe(true)
  })
})

describe('the report (.html)', () => {
  it('shows every WIG with the status `status --json` gives, a chart each, and nothing to fetch', async () => {
    const html = readFileSync(await exported('report.html', '--as-of', AS_OF), 'utf8')
    const json = await statusJson(sample, AS_OF)
    expect(reportStatuses(html)).toEqual(Object.fromEntries(json.wigs.map((w) => [w.id, w.status])))
    expect(html.match(/<svg class="chart"[^>]* role="img" aria-labelledby="[^"]+"/g)?.length).toBe(json.wigs.length)
    // Self-contained: no script, no external stylesheet, image or font, and a policy that forbids them.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|url\(|@import/i)
    expect(html).not.toMatch(/\s(?:src|href)="(?!#)/)
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`)
  })
})
