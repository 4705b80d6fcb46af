import { describe, expect, it } from 'vitest'
import { addInterval, departmentDigests, ownerDigests, parseCadence, utilizationLine, type CadenceInterval } from '../../src/app/digest.ts'
import { buildDashboard, type Dashboard } from '../../src/app/dashboard.ts'
import type { Person, Plan } from '../../src/domain/model.ts'
import { brand, checkIn, d, measure, owner, settings, step, wig } from '../domain/builders.ts'

const AS_OF = d('2026-03-31')

const ana = owner('ana@d.org', 'ana@d.org', 'Ana Díaz')
const ben = owner('ben@d.org', 'ben@d.org', 'Ben Ode')
const cy = owner('Cy Typed') // not in People

function person(email: string, name: string, department: string): Person {
  return brand<Person>({ email, name, department, role: '' })
}

function plan(over: Partial<Plan> = {}): Plan {
  return {
    strategies: [],
    wigs: [],
    measures: [],
    checkIns: [],
    steps: [],
    people: [person('ana@d.org', 'Ana Díaz', 'Human Resources'), person('ben@d.org', 'Ben Ode', 'Transportation')],
    settings: settings({ staleAfterDays: 30, dueSoonDays: 7 }),
    ...over,
  }
}

function dash(p: Plan): Dashboard {
  return buildDashboard(p, [], [], { asOf: AS_OF, today: AS_OF, readAt: '2026-03-31T08:00:00.000Z' })
}

/** A running numeric WIG: from 2025-07-01 to 2027-06-30, so never closed at AS_OF. */
const running = (over: Parameters<typeof wig>[0] = {}) => wig({ startDate: d('2025-07-01'), targetDate: d('2027-06-30'), baseline: 0, target: 100, ...over })

describe('parseCadence', () => {
  it.each<[string, CadenceInterval | null]>([
    ['Weekly', { days: 7 }],
    [' every week ', { days: 7 }],
    ['Biweekly', { days: 14 }],
    ['Bi-weekly', { days: 14 }],
    ['Fortnightly', { days: 14 }],
    ['Monthly', { months: 1 }],
    ['QUARTERLY', { months: 3 }],
    ['Twice a year', { months: 6 }],
    ['Semi-annually', { months: 6 }],
    ['Annually', { months: 12 }],
    ['Each checkpoint', null],
    ['', null],
    ['when needed', null],
  ])('reads %j', (text, interval) => {
    expect(parseCadence(text)).toEqual(interval)
  })

  it.each<[string, CadenceInterval, string]>([
    ['2026-01-31', { months: 1 }, '2026-02-28'],
    ['2028-01-31', { months: 1 }, '2028-02-29'],
    ['2026-11-15', { months: 3 }, '2027-02-15'],
    ['2026-03-25', { days: 7 }, '2026-04-01'],
  ])('%s plus %j is %s', (from, interval, to) => {
    expect(addInterval(d(from), interval)).toBe(to)
  })
})

describe('ownerDigests: steps', () => {
  it('holds each owner’s overdue steps (longest first) and steps due within DueSoonDays, and nothing else', () => {
    const digests = ownerDigests(
      dash(
        plan({
          wigs: [running({ id: 'W1', owner: null })],
          checkIns: [checkIn('2026-03-20', 40)],
          steps: [
            step({ id: 'S-late1', owner: ana, dueDate: d('2026-03-20') }),
            step({ id: 'S-late2', owner: ana, dueDate: d('2026-02-01'), status: 'In progress' }),
            step({ id: 'S-soon', owner: ana, dueDate: d('2026-04-07') }),
            step({ id: 'S-later', owner: ana, dueDate: d('2026-04-08') }),
            step({ id: 'S-done', owner: ana, dueDate: d('2026-03-01'), status: 'Done' }),
            step({ id: 'S-cancel', owner: ana, dueDate: d('2026-03-01'), status: 'Cancelled' }),
            step({ id: 'S-ben', owner: ben, dueDate: d('2026-03-31') }),
            step({ id: 'S-nobody', owner: null, dueDate: d('2026-03-01') }),
          ],
        }),
      ),
    )
    expect(digests.map((g) => [g.owner.email, g.overdue.map((s) => [s.id, s.days]), g.dueSoon.map((s) => [s.id, s.days])])).toEqual([
      ['ana@d.org', [['S-late2', 58], ['S-late1', 11]], [['S-soon', 7]]],
      ['ben@d.org', [], [['S-ben', 0]]],
    ])
  })

  it('gives no digest to an owner with nothing to do', () => {
    const digests = ownerDigests(
      dash(plan({ steps: [step({ owner: ana, dueDate: d('2026-06-01') }), step({ owner: ben, dueDate: d('2026-03-01'), status: 'Done' })] })),
    )
    expect(digests).toEqual([])
  })

  it('keeps an owner typed as a plain name, with the department of their WIG', () => {
    const [digest] = ownerDigests(
      dash(plan({ wigs: [running({ id: 'W1', department: 'Facilities' })], checkIns: [checkIn('2026-03-20', 40)], steps: [step({ owner: cy, dueDate: d('2026-03-01') })] })),
    )
    expect(digest?.owner).toMatchObject({ name: 'Cy Typed', email: '', department: 'Facilities' })
  })
})

describe('ownerDigests: check-ins', () => {
  type Case = [name: string, over: Partial<Plan>, expected: [string, string, string][]]
  const cases: Case[] = [
    ['a stale WIG (latest older than StaleAfterDays)', { wigs: [running({ id: 'W1', owner: ana })], checkIns: [checkIn('2026-02-28', 40)] }, [['WIG', 'W1', 'stale']]],
    ['a fresh WIG asks nothing', { wigs: [running({ id: 'W1', owner: ana })], checkIns: [checkIn('2026-03-02', 40)] }, []],
    ['a WIG with no check-in yet', { wigs: [running({ id: 'W1', owner: ana })] }, [['WIG', 'W1', 'none']]],
    ['an achieved WIG asks nothing', { wigs: [running({ id: 'W1', owner: ana })], checkIns: [checkIn('2026-01-01', 100)] }, []],
    ['a WIG not started asks nothing', { wigs: [running({ id: 'W1', owner: ana, startDate: d('2026-05-01') })] }, []],
    ['a milestone WIG asks nothing', { wigs: [running({ id: 'W1', owner: ana, kind: 'Milestone', baseline: null, target: null })] }, []],
    [
      'a weekly measure whose week has passed',
      { wigs: [running({ id: 'W1' })], checkIns: [checkIn('2026-03-30', 40), checkIn('2026-03-24', 5, { measureId: 'M1' })], measures: [measure({ id: 'M1', owner: ana, cadence: 'Weekly' })] },
      [['Measure', 'M1', 'due']],
    ],
    [
      'a weekly measure checked in this week asks nothing',
      { wigs: [running({ id: 'W1' })], checkIns: [checkIn('2026-03-30', 40), checkIn('2026-03-25', 5, { measureId: 'M1' })], measures: [measure({ id: 'M1', owner: ana, cadence: 'Weekly' })] },
      [],
    ],
    [
      'a quarterly measure older than StaleAfterDays is stale',
      { wigs: [running({ id: 'W1' })], checkIns: [checkIn('2026-03-30', 40), checkIn('2026-02-01', 5, { measureId: 'M1' })], measures: [measure({ id: 'M1', owner: ana, cadence: 'Quarterly' })] },
      [['Measure', 'M1', 'stale']],
    ],
    [
      'an unknown cadence falls back to StaleAfterDays',
      { wigs: [running({ id: 'W1' })], checkIns: [checkIn('2026-03-30', 40), checkIn('2026-03-01', 5, { measureId: 'M1' })], measures: [measure({ id: 'M1', owner: ana, cadence: 'Each checkpoint' })] },
      [['Measure', 'M1', 'due']],
    ],
    [
      'a measure never checked in, one interval after its WIG started',
      { wigs: [running({ id: 'W1' })], checkIns: [checkIn('2026-03-30', 40)], measures: [measure({ id: 'M1', owner: ana, cadence: 'Twice a year' })] },
      [['Measure', 'M1', 'none']],
    ],
    [
      'a measure of a milestone WIG never checked in counts from the WIG’s StartDate',
      { wigs: [running({ id: 'W1', kind: 'Milestone', baseline: null, target: null, startDate: d('2026-02-01') })], measures: [measure({ id: 'M1', owner: ana, cadence: 'Monthly' })] },
      [['Measure', 'M1', 'none']],
    ],
    [
      'a measure never checked in, before one interval has passed',
      { wigs: [running({ id: 'W1', startDate: d('2026-01-01') })], checkIns: [checkIn('2026-03-30', 40)], measures: [measure({ id: 'M1', owner: ana, cadence: 'Twice a year' })] },
      [],
    ],
    [
      'a check-in after as-of does not count',
      { wigs: [running({ id: 'W1' })], checkIns: [checkIn('2026-03-30', 40), checkIn('2026-04-02', 5, { measureId: 'M1' }), checkIn('2026-03-20', 5, { measureId: 'M1' })], measures: [measure({ id: 'M1', owner: ana, cadence: 'Weekly' })] },
      [['Measure', 'M1', 'due']],
    ],
    [
      'a measure of a missed WIG asks nothing',
      { wigs: [running({ id: 'W1', targetDate: d('2026-03-01') })], checkIns: [checkIn('2026-02-20', 40)], measures: [measure({ id: 'M1', owner: ana, cadence: 'Weekly' })] },
      [],
    ],
  ]
  it.each(cases)('%s', (_name, over, expected) => {
    const digests = ownerDigests(dash(plan(over)))
    expect(digests.flatMap((g) => g.checkIns.map((c) => [c.kind, c.id, c.reason]))).toEqual(expected)
    for (const g of digests) expect(g.owner.email).toBe('ana@d.org')
  })
})

describe('department filter and roll-up', () => {
  const p = plan({
    wigs: [running({ id: 'W1' })],
    checkIns: [checkIn('2026-03-30', 40)],
    steps: [step({ id: 'A1', owner: ana, dueDate: d('2026-03-01') }), step({ id: 'A2', owner: ana, dueDate: d('2026-04-02') }), step({ id: 'B1', owner: ben, dueDate: d('2026-03-02') })],
  })

  it('keeps only the owners of the department asked for, matched ignoring case and spacing', () => {
    expect(ownerDigests(dash(p), { department: '  human   resources ' }).map((g) => g.owner.email)).toEqual(['ana@d.org'])
    expect(ownerDigests(dash(p), { department: 'Nowhere' })).toEqual([])
  })

  it('rolls owners up per department, with totals and the department’s utilization', () => {
    const dashboard = dash(p)
    const rollups = departmentDigests(dashboard, ownerDigests(dashboard))
    expect(rollups.map((r) => [r.department, r.owners.map((o) => o.owner.email), r.totals])).toEqual([
      ['Human Resources', ['ana@d.org'], { overdue: 1, dueSoon: 1, checkIns: 0 }],
      ['Transportation', ['ben@d.org'], { overdue: 1, dueSoon: 0, checkIns: 0 }],
    ])
    expect(rollups[0]?.utilization).toBe('Human Resources: 0 of 1 step owners (0%) and 0 of 2 open steps (0%) updated in the last 30 days.')
  })
})

describe('utilizationLine', () => {
  const u = {
    asOf: AS_OF,
    windowDays: 30,
    overall: { owners: { count: 3, total: 4, share: 0.75 }, openSteps: { count: 1, total: 3, share: 1 / 3 } },
    byDepartment: [{ department: 'Human Resources', owners: { count: 0, total: 0, share: null }, openSteps: { count: 0, total: 0, share: null } }],
  }
  it.each([
    ['human resources', 'Human Resources: 0 of 0 step owners (none to count) and 0 of 0 open steps (none to count) updated in the last 30 days.'],
    ['', 'District-wide: 3 of 4 step owners (75%) and 1 of 3 open steps (33%) updated in the last 30 days.'],
    ['Unknown', 'District-wide: 3 of 4 step owners (75%) and 1 of 3 open steps (33%) updated in the last 30 days.'],
  ])('for %j', (department, line) => {
    expect(utilizationLine(u, department)).toBe(line)
  })
})
