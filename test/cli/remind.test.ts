import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StatusReport } from '../../src/app/status-report.ts'
import type { Utilization } from '../../src/app/utilization.ts'
import type { StepLine } from '../../src/cli/commands/steps.ts'
import type { RemindJson } from '../../src/cli/commands/remind.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { readTables, type Row } from '../fixtures/xlsx-tables.ts'
import { runCli } from './run-cli.ts'

/**
 * `remind --dry-run` on the bundled sample, against what the other commands say about the same
 * workbook at the same as-of: steps from `steps --json`, WIG check-ins from `status --json`,
 * measures from the Measures and CheckIns tables read with exceljs, with the cadence rule written
 * out again here (plainly, apart from src/app/digest.ts).
 */

const BUILT = '2026-11-24' as IsoDate
const AS_OF = '2026-12-15' as IsoDate
const DAY = 86_400_000

let dir: string
let file: string
/** `remind --dry-run --json` at AS_OF, run once for the cases below. */
let all: RemindJson
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-remind-'))
  file = join(dir, 'plan.xlsx')
  await writeSampleWorkbook(file, BUILT)
  all = await json<RemindJson>(['remind', file, '--dry-run', '--as-of', AS_OF, '--json'])
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function json<T>(args: string[]): Promise<T> {
  const run = await runCli(args)
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  return JSON.parse(run.stdout) as T
}

const key = (owner: string): string => owner.trim().replace(/\s+/g, ' ').toLowerCase()
const ms = (date: string): number => Date.parse(`${date}T00:00:00Z`)

/** Next check-in date by cadence, written plainly: weeks in days, months on the calendar. */
function next(latest: string, cadence: string, staleDays: number): number {
  const days: Record<string, number> = { weekly: 7, biweekly: 14 }
  const months: Record<string, number> = { monthly: 1, quarterly: 3, 'twice a year': 6, annually: 12 }
  const c = cadence.trim().toLowerCase()
  if (days[c] !== undefined) return ms(latest) + days[c] * DAY
  if (months[c] !== undefined) {
    const d = new Date(ms(latest))
    const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months[c], 1))
    const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
    return Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d.getUTCDate(), last))
  }
  return ms(latest) + staleDays * DAY
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value).trim())
function dayOf(value: unknown): string | null {
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  const match = typeof value === 'string' ? /^\s*(\d{4}-\d{2}-\d{2})/.exec(value) : null
  return match?.[1] ?? null
}


type Expected = Map<string, { overdue: string[]; dueSoon: string[]; checkIns: string[] }>

async function expectedDigests(asOf: IsoDate): Promise<Expected> {
  const expected: Expected = new Map()
  const of = (owner: string) => {
    const k = key(owner)
    let e = expected.get(k)
    if (e === undefined) expected.set(k, (e = { overdue: [], dueSoon: [], checkIns: [] }))
    return e
  }
  const [steps, status, tables] = await Promise.all([
    json<{ steps: StepLine[] }>(['steps', file, '--as-of', asOf, '--json']),
    json<StatusReport & { utilization: Utilization }>(['status', file, '--as-of', asOf, '--json']),
    readTables(file),
  ])
  for (const s of steps.steps) {
    if (s.owner === '' || s.id === null) continue
    if (s.timing === 'Overdue') of(s.owner).overdue.push(s.id)
    if (s.timing === 'Due soon') of(s.owner).dueSoon.push(s.id)
  }
  const staleDays = status.utilization.windowDays
  const checkIns = (tables['CheckIns'] ?? []).map((c) => ({ wigId: text(c['wigid']), measureId: text(c['measureid']), date: dayOf(c['date']) })).filter((c) => c.date !== null && c.date <= asOf)
  const latestOf = (measureId: string): string | null => checkIns.filter((c) => c.measureId === measureId).map((c) => c.date as string).sort().at(-1) ?? null
  const running = new Set<string>()
  for (const w of status.wigs) {
    if (['Not started', 'Achieved', 'Missed'].includes(w.computedStatus)) continue
    running.add(w.id)
    if (w.owner !== '' && w.kind === 'Numeric' && (w.latest === null || w.stale)) of(w.owner).checkIns.push(`WIG ${w.id} ${w.latest === null ? 'none' : 'stale'}`)
  }
  for (const m of tables['Measures'] ?? []) {
    const [id, wigId, owner, cadence] = [text(m['measureid']), text(m['wigid']), text(m['owner']), text(m['cadence'])]
    if (owner === '' || !running.has(wigId)) continue
    const wigRow = (tables['WIGs'] ?? []).find((w) => text(w['wigid']) === wigId)
    const start = dayOf(wigRow?.['startdate']) ?? checkIns.filter((c) => c.wigId === wigId && c.measureId === '').map((c) => c.date as string).sort()[0] ?? null
    const latest = latestOf(id)
    let reason: string | null = null
    if (latest === null) reason = start !== null && next(start, cadence, staleDays) <= ms(asOf) ? 'none' : null
    else if ((ms(asOf) - ms(latest)) / DAY > staleDays) reason = 'stale'
    else if (next(latest, cadence, staleDays) <= ms(asOf)) reason = 'due'
    if (reason !== null) of(owner).checkIns.push(`Measure ${id} ${reason}`)
  }
  for (const [k, e] of expected) if (e.overdue.length + e.dueSoon.length + e.checkIns.length === 0) expected.delete(k)
  return expected
}

function actual(run: RemindJson): Expected {
  return new Map(
    run.digests.map((d) => [
      d.owner.key,
      { overdue: d.overdue.map((s) => s.id), dueSoon: d.dueSoon.map((s) => s.id), checkIns: d.checkIns.map((c) => `${c.kind} ${c.id} ${c.reason}`) },
    ]),
  )
}

const sorted = (m: Expected) =>
  Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { overdue: [...v.overdue].sort(), dueSoon: [...v.dueSoon].sort(), checkIns: [...v.checkIns].sort() }]))

describe('pm-workbook remind --dry-run on the sample', () => {
  it('lists exactly the owners with overdue or due-soon steps or check-ins due, each with the right items', async () => {
    const run = all
    const expected = await expectedDigests(AS_OF)
    expect(expected.size).toBeGreaterThan(2)
    expect(sorted(actual(run))).toEqual(sorted(expected))
    expect(run).toMatchObject({ asOf: AS_OF, workbook: 'plan.xlsx', dryRun: true })
    // Every owner with a digest is in exactly one department roll-up.
    expect(run.departments.flatMap((g) => g.owners.map((o) => o.owner.key)).sort()).toEqual(run.digests.map((d) => d.owner.key).sort())

    const text = await runCli(['remind', file, '--dry-run', '--as-of', AS_OF])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain(`${run.digests.length} reminders as of ${AS_OF} from plan.xlsx (dry run, nothing sent):`)
    for (const d of run.digests) {
      expect(text.stdout).toContain(`\n${d.owner.name}${d.owner.email ? ` <${d.owner.email}>` : ''}, ${d.owner.department}\n`)
      for (const s of d.overdue) expect(text.stdout).toMatch(new RegExp(`  overdue   ${s.id} \\(${s.wigId}\\)`))
      for (const s of d.dueSoon) expect(text.stdout).toMatch(new RegExp(`  due soon  ${s.id} \\(${s.wigId}\\)`))
    }
    expect(text.stdout.match(/^ {2}overdue /gm)?.length ?? 0).toBe(run.digests.reduce((n, d) => n + d.overdue.length, 0))
    expect(text.stdout.match(/^ {2}check-in /gm)?.length ?? 0).toBe(run.digests.reduce((n, d) => n + d.checkIns.length, 0))
  })

  it('--department keeps that department’s owners only', async () => {
    const department = all.digests[0]?.owner.department ?? ''
    const some = await json<RemindJson>(['remind', file, '--dry-run', '--as-of', AS_OF, '--json', '--department', department.toUpperCase()])
    expect(some.digests.map((d) => d.owner.key)).toEqual(all.digests.filter((d) => d.owner.department === department).map((d) => d.owner.key))
    expect(some.departments.map((g) => g.department)).toEqual([department])
  })

  it('refuses an unknown department, and sending from a file (sending goes through Graph: remind-send.test.ts)', async () => {
    const unknown = await runCli(['remind', file, '--dry-run', '--department', 'Nowhere'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/^No owner or step belongs to the department "Nowhere"\. Departments in this plan: /)
    const send = await runCli(['remind', file, '--by', 'adaeze.nwosu@riverbend.example'])
    expect(send.code).toBe(2)
    expect(send.stderr).toMatch(/^Reminders are sent through Microsoft Graph, so SOURCE must be the workbook's URL/)
  })
})
