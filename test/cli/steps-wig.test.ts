import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StepLine } from '../../src/cli/commands/steps.ts'
import type { WigView } from '../../src/cli/commands/wig.ts'
import { runCli } from './run-cli.ts'

const AS_OF = '2026-11-24'
const COLIN = 'colin.ashdown@riverbend.example'

let dir: string
let sample: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-steps-'))
  sample = join(dir, 'plan.xlsx')
  expect((await runCli(['init', sample, '--sample', '--as-of', AS_OF])).code).toBe(0)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function stepsJson(...flags: string[]): Promise<StepLine[]> {
  const result = await runCli(['steps', sample, '--as-of', AS_OF, '--json', ...flags])
  expect(result.code).toBe(0)
  return (JSON.parse(result.stdout) as { steps: StepLine[] }).steps
}

describe('pm-workbook steps', () => {
  it('lists every step with the id `step` takes: overdue first, then by due date, undated last', async () => {
    const steps = await stepsJson()
    expect(steps.length).toBeGreaterThan(100)
    expect(steps.every((s) => /^ST-\d{4}$/.test(s.id ?? ''))).toBe(true)
    const overdue = steps.filter((s) => s.timing === 'Overdue')
    expect(overdue.length).toBeGreaterThan(0)
    expect(steps.slice(0, overdue.length)).toEqual(overdue)
    expect(overdue.every((s) => s.dueDate !== null && s.dueDate < AS_OF && s.status !== 'Done' && s.status !== 'Cancelled')).toBe(true)
    const rest = steps.slice(overdue.length).map((s) => s.dueDate ?? '9999-12-31')
    expect(rest).toEqual([...rest].sort())
  })

  it('--overdue keeps only the open steps due before the as-of date', async () => {
    const all = await stepsJson()
    const overdue = await stepsJson('--overdue')
    expect(overdue).toEqual(all.filter((s) => s.timing === 'Overdue'))
  })

  it('--owner and --wig narrow the list; filters combine', async () => {
    const mine = await stepsJson('--owner', COLIN.toUpperCase())
    expect(mine.length).toBeGreaterThan(0)
    expect(mine.every((s) => s.owner === COLIN)).toBe(true)
    const wig04 = await stepsJson('--wig', 'WIG-04')
    expect(wig04.length).toBeGreaterThan(0)
    expect(wig04.every((s) => s.wigId === 'WIG-04')).toBe(true)
    const both = await stepsJson('--owner', COLIN, '--wig', 'WIG-04')
    expect(both).toEqual(wig04.filter((s) => s.owner === COLIN))
  })

  it('--due-within DAYS: open steps due by then, overdue ones included', async () => {
    const soon = await stepsJson('--due-within', '14')
    expect(soon.length).toBeGreaterThan(0)
    expect(soon.every((s) => s.dueDate !== null && s.dueDate <= '2026-12-08' && !['Done', 'Cancelled'].includes(s.status))).toBe(true)
    expect(soon.some((s) => s.timing === 'Overdue')).toBe(true)
    const all = await stepsJson()
    expect(soon.length).toBe(all.filter((s) => s.dueDate !== null && s.dueDate <= '2026-12-08' && !['Done', 'Cancelled'].includes(s.status)).length)
  })

  it('prints a table a person can read, with the overdue flag beside the date', async () => {
    const result = await runCli(['steps', sample, '--as-of', AS_OF, '--overdue'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^\d+ overdue action steps as of 2026-11-24:\n\n/)
    expect(result.stdout).toMatch(/Step\s+WIG\s+Owner\s+Due\s+Status\s+Done\s+Title/)
    expect(result.stdout).toMatch(/ST-\d{4}\s+WIG-\d\d\s+\S+@riverbend\.example\s+2026-\d\d-\d\d overdue/)
  })

  it('says so when nothing matches, and exits 0', async () => {
    const result = await runCli(['steps', sample, '--as-of', AS_OF, '--owner', 'nobody@riverbend.example'])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toContain('No action steps owned by nobody@riverbend.example as of 2026-11-24.')
  })

  it('an unknown WIG is named, with the ids there are (exit 1)', async () => {
    const result = await runCli(['steps', sample, '--wig', 'WIG-99'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('No WIG has WigId WIG-99. The 18 WIGs run from WIG-01 to WIG-18.\n')
  })

  it.each([
    [['--due-within', 'soon'], /--due-within must be a number; got "soon"/],
    [['--due-within', '2.5'], /--due-within is a whole number of days/],
    [['--as-of', '2026-13-01'], /--as-of must be a real date/],
  ])('%j is refused in one line', async (flags, message) => {
    const result = await runCli(['steps', sample, ...flags])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
  })
})

describe('pm-workbook wig', () => {
  it('shows a numeric WIG from baseline to target, expected and latest in its unit, its check-ins, measures and steps by owner', async () => {
    const result = await runCli(['wig', sample, 'WIG-04', '--as-of', AS_OF])
    expect(result.code).toBe(0)
    const out = result.stdout
    expect(out).toMatch(/^WIG-04: Reduce the average number of days to fill a certified vacancy/)
    expect(out).toMatch(/Goal\s+from 52 days to 30 days by 2027-06-30 \(decrease/)
    expect(out).toMatch(/Status\s+\S.* as of 2026-11-24/)
    expect(out).toMatch(/Latest\s+[\d.]+ days on 2026-11-\d\d/)
    expect(out).toMatch(/Expected\s+[\d.]+ days by 2026-11-\d\d/)
    expect(out).toMatch(/Progress\s+\d+% of the way from 52 days to 30 days/)
    expect(out).toMatch(/Pace\s+\d+% of where it was expected to be/)
    expect(out).toMatch(/Check-ins on the WIG[^\n]*\n\s+Date\s+Value\s+By/)
    expect(out).toMatch(/Measures\n\s+Measure\s+Type\s+From\s+To\s+Latest\s+Name/)
    expect(out).toMatch(/Steps by owner\n\s+Adaeze Nwosu \(adaeze\.nwosu@riverbend\.example\): \d+ open/)
  })

  it('--json carries the status figures and everything listed under the WIG', async () => {
    const result = await runCli(['wig', sample, 'wig-04', '--as-of', AS_OF, '--json'])
    expect(result.code).toBe(0)
    const view = JSON.parse(result.stdout) as WigView
    expect(view.wig).toMatchObject({ id: 'WIG-04', kind: 'Numeric', baseline: 52, target: 30, targetDate: '2027-06-30' })
    expect(view.wig.latest).not.toBeNull()
    expect(typeof view.wig.expected).toBe('number')
    expect(typeof view.wig.progress).toBe('number')
    expect(typeof view.wig.pace).toBe('number')
    // History up to the as-of date, oldest first, ending at the latest the status used.
    expect(view.checkIns.length).toBeGreaterThan(1)
    expect(view.checkIns.map((c) => c.date)).toEqual(view.checkIns.map((c) => c.date).sort())
    expect(view.checkIns.at(-1)).toMatchObject({ date: view.wig.latest?.date, value: view.wig.latest?.value })
    expect(view.checkIns.every((c) => c.date <= AS_OF && c.measureId === null)).toBe(true)
    expect(view.measures.map((m) => m.id)).toEqual(['M-04-1', 'M-04-2'])
    // Every step of the WIG, once, under its owner.
    const steps = await stepsJson('--wig', 'WIG-04')
    const grouped = view.stepsByOwner.flatMap((o) => o.steps)
    expect(grouped.map((s) => s.id).sort()).toEqual(steps.map((s) => s.id).sort())
    for (const owner of view.stepsByOwner) expect(owner.steps.every((s) => s.owner === owner.owner)).toBe(true)
  })

  it('shows a milestone WIG by the share of its steps done', async () => {
    const result = await runCli(['wig', sample, 'WIG-09', '--as-of', AS_OF])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Goal\s+milestone, done by 2027-/)
    expect(result.stdout).toMatch(/Progress\s+\d+% of its steps done/)
    expect(result.stdout).not.toMatch(/Check-ins on the WIG/)
  })

  it('an unknown WIG is one line naming it (exit 1)', async () => {
    const result = await runCli(['wig', sample, 'WIG-99'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^No WIG has WigId WIG-99\. The 18 WIGs run from WIG-01 to WIG-18\./)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
  })
})
