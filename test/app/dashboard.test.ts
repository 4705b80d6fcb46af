import { describe, expect, it } from 'vitest'
import { timestampDate, type ChangeEntry } from '../../src/app/activity.ts'
import { buildDashboard, DASHBOARD_TABLES, loadDashboard, type Dashboard, type WigView } from '../../src/app/dashboard.ts'
import type { Person, Plan } from '../../src/domain/model.ts'
import { err, ok } from '../../src/domain/result.ts'
import { sampleDistrict } from '../../src/sample/district.ts'
import type { TableName } from '../../src/workbook/contract.ts'
import type { Problem } from '../../src/workbook/problem.ts'
import type { RawWorkbook } from '../../src/workbook/raw.ts'
import type { StoreError, WorkbookStore } from '../../src/workbook/store.ts'
import { checkIn, d, measure, owner, settings, step, strategy, wig } from '../domain/builders.ts'
import { sampleRawWorkbook } from '../fixtures/sample-raw.ts'

const AS_OF = d('2026-03-31')
const WHEN = { asOf: AS_OF, today: d('2026-04-15'), readAt: '2026-04-15T08:00:00.000Z' }

function plan(over: Partial<Plan> = {}): Plan {
  return { strategies: [], wigs: [], measures: [], checkIns: [], steps: [], people: [], settings: settings(), ...over }
}

function build(p: Plan, problems: readonly Problem[] = [], changes: readonly ChangeEntry[] = []): Dashboard {
  return buildDashboard(p, problems, changes, WHEN)
}

function wigOf(dashboard: Dashboard, id: string): WigView {
  const view = dashboard.wigs.find((w) => w.id === id)
  if (view === undefined) throw new Error(`no WIG ${id} in the dashboard`)
  return view
}

/** A goal written as percents: 41% → 55%, stored as fractions. */
const percentGoal = (over: Parameters<typeof wig>[0] = {}) =>
  wig({ scale: 'percentFraction', unit: '', baseline: 0.41, target: 0.55, startDate: d('2025-07-01'), targetDate: d('2027-06-30'), ...over })

function problem(table: TableName, key: string | null, message = `about ${key ?? 'nothing'}`): Problem {
  return { table, row: 5, column: null, cell: null, key, message }
}

let changeRow = 0
function change(table: string, key: string, at: string, over: Partial<ChangeEntry> = {}): ChangeEntry {
  return { at, date: timestampDate(at), by: 'ana@d.org', source: 'tab', table, key, column: 'Status', oldValue: '', newValue: 'x', changeId: `c-${changeRow}`, position: changeRow++, ...over }
}

describe('buildDashboard: a WIG’s readings', () => {
  it('are its own check-ins up to the as-of date, oldest first, in its unit, each with its note', () => {
    const view = wigOf(
      build(
        plan({
          wigs: [percentGoal({ id: 'W1' }), percentGoal({ id: 'W2' })],
          measures: [measure({ id: 'M1', wigId: 'W1' })],
          checkIns: [
            checkIn('2026-02-10', 0.45, { wigId: 'W1', note: 'after the winter benchmark' }),
            checkIn('2026-01-10', 0.43, { wigId: 'W1' }),
            checkIn('2026-03-31', 0.46, { wigId: 'W1' }),
            checkIn('2026-04-01', 0.6, { wigId: 'W1' }), // after as-of
            checkIn('2026-02-15', 12, { wigId: 'W1', measureId: 'M1' }), // the measure's, not the WIG's
            checkIn('2026-02-20', 0.5, { wigId: 'W2' }), // another WIG's
            checkIn('2026-02-25', null, { wigId: 'W1' }), // no value
            checkIn(null, 0.44, { wigId: 'W1' }), // no date
          ],
        }),
      ),
      'W1',
    )
    expect(view.readings).toEqual([
      { date: '2026-01-10', value: 0.43, text: '43%', note: '' },
      { date: '2026-02-10', value: 0.45, text: '45%', note: 'after the winter benchmark' },
      { date: '2026-03-31', value: 0.46, text: '46%', note: '' },
    ])
  })

  it('a milestone has none, even with check-ins typed against it', () => {
    const view = wigOf(build(plan({ wigs: [wig({ id: 'W1', kind: 'Milestone', target: null, baseline: null })], checkIns: [checkIn('2026-01-10', 1, { wigId: 'W1' })] })), 'W1')
    expect(view.readings).toEqual([])
  })
})

describe('buildDashboard: the expected line', () => {
  it('runs from (StartDate, Baseline) to (TargetDate, Target), in the WIG’s unit', () => {
    const view = wigOf(build(plan({ wigs: [percentGoal({ id: 'W1' })], checkIns: [checkIn('2026-01-10', 0.43, { wigId: 'W1' })] })), 'W1')
    expect(view.line).toEqual({ start: { date: '2025-07-01', value: 0.41, text: '41%' }, end: { date: '2027-06-30', value: 0.55, text: '55%' } })
  })

  it('starts at the first check-in (by date, not by row) when StartDate and Baseline are blank', () => {
    const view = wigOf(
      build(
        plan({
          wigs: [percentGoal({ id: 'W1', startDate: null, baseline: null })],
          checkIns: [checkIn('2025-09-15', 0.38, { wigId: 'W1' }), checkIn('2025-08-01', 0.36, { wigId: 'W1' })],
        }),
      ),
      'W1',
    )
    expect(view.line?.start).toEqual({ date: '2025-08-01', value: 0.36, text: '36%' })
    expect(view.line?.end).toEqual({ date: '2027-06-30', value: 0.55, text: '55%' })
  })

  it('takes each blank end from the first check-in on its own', () => {
    const noStart = wigOf(build(plan({ wigs: [percentGoal({ id: 'W1', startDate: null })], checkIns: [checkIn('2025-08-01', 0.36, { wigId: 'W1' })] })), 'W1')
    expect(noStart.line?.start).toEqual({ date: '2025-08-01', value: 0.41, text: '41%' })
    const noBaseline = wigOf(build(plan({ wigs: [percentGoal({ id: 'W1', baseline: null })], checkIns: [checkIn('2025-08-01', 0.36, { wigId: 'W1' })] })), 'W1')
    expect(noBaseline.line?.start).toEqual({ date: '2025-07-01', value: 0.36, text: '36%' })
  })

  it('is absent when it cannot be drawn: a milestone, no target date or target, nothing to start from', () => {
    const dashboard = build(
      plan({
        wigs: [
          wig({ id: 'MS', kind: 'Milestone', baseline: null, target: null }),
          percentGoal({ id: 'NODATE', targetDate: null }),
          percentGoal({ id: 'NOTARGET', target: null }),
          percentGoal({ id: 'NOSTART', startDate: null, baseline: null }),
          percentGoal({ id: 'LATER', startDate: null, baseline: null }),
        ],
        checkIns: [checkIn('2026-05-01', 0.5, { wigId: 'LATER' })], // only after as-of
      }),
    )
    expect(dashboard.wigs.map((w) => [w.id, w.line])).toEqual([
      ['MS', null],
      ['NODATE', null],
      ['NOTARGET', null],
      ['NOSTART', null],
      ['LATER', null],
    ])
  })
})

describe('buildDashboard: steps', () => {
  it('openSteps counts the WIG’s steps that are neither Done nor Cancelled, an unknown status included', () => {
    const view = wigOf(
      build(
        plan({
          wigs: [wig({ id: 'W1' }), wig({ id: 'W2' })],
          steps: [
            step({ wigId: 'W1', status: 'Not started' }),
            step({ wigId: 'W1', status: 'In progress' }),
            step({ wigId: 'W1', status: 'Blocked' }),
            step({ wigId: 'W1', status: 'Done' }),
            step({ wigId: 'W1', status: 'Cancelled' }),
            step({ wigId: 'W1', status: null, rawStatus: 'Waiting on vendor' }),
            step({ wigId: 'W2', status: 'In progress' }),
          ],
        }),
      ),
      'W1',
    )
    expect(view.openSteps).toBe(4)
  })

  it('lists every step, one typed without a StepId by its sheet row', () => {
    const dashboard = build(plan({ wigs: [wig({ id: 'W1' })], steps: [step({ id: 'ST-1', wigId: 'W1' }), step({ id: null, wigId: 'W1', position: 4 })] }))
    expect(dashboard.steps.map((s) => s.id)).toEqual(['ST-1', 'row 6'])
  })
})

describe('buildDashboard: a WIG’s problems', () => {
  it('are the problems in its own row and its steps’, measures’ and check-ins’ rows, never another WIG’s', () => {
    const p = plan({
      wigs: [wig({ id: 'W1' }), wig({ id: 'W2' })],
      measures: [measure({ id: 'M1', wigId: 'W1' }), measure({ id: 'M2', wigId: 'W2' })],
      checkIns: [checkIn('2026-01-10', 5, { id: 'CI-1', wigId: 'W1' }), checkIn('2026-01-10', 5, { id: 'CI-2', wigId: 'W2' })],
      steps: [step({ id: 'ST-1', wigId: 'W1' }), step({ id: 'ST-2', wigId: 'W2' })],
    })
    const problems = [
      problem('WIGs', 'W1'),
      problem('ActionSteps', 'ST-1'),
      problem('Measures', 'M1'),
      problem('CheckIns', 'CI-1'),
      problem('WIGs', 'W2'),
      problem('ActionSteps', 'ST-2'),
      problem('Measures', 'M2'),
      problem('CheckIns', 'CI-2'),
      problem('ActionSteps', null), // a header problem: no row, no WIG
      problem('People', 'W1'), // a key that happens to match, in a table that is not the WIG's
    ]
    const dashboard = build(p, problems)
    expect(wigOf(dashboard, 'W1').problems.map((x) => `${x.table} ${x.key}`)).toEqual(['WIGs W1', 'ActionSteps ST-1', 'Measures M1', 'CheckIns CI-1'])
    expect(wigOf(dashboard, 'W2').problems.map((x) => `${x.table} ${x.key}`)).toEqual(['WIGs W2', 'ActionSteps ST-2', 'Measures M2', 'CheckIns CI-2'])
    expect(dashboard.problems).toHaveLength(problems.length)
  })
})

describe('buildDashboard: a WIG’s activity', () => {
  const p = plan({
    wigs: [wig({ id: 'W1' }), wig({ id: 'W2' })],
    measures: [measure({ id: 'M1', wigId: 'W1' })],
    checkIns: [checkIn('2026-01-10', 5, { id: 'CI-1', wigId: 'W1' })],
    steps: [step({ id: 'ST-1', wigId: 'W1' }), step({ id: 'ST-2', wigId: 'W2' })],
  })

  it('is the ChangeLog rows about its rows, newest first, none after the as-of date', () => {
    const changes = [
      change('ActionSteps', 'ST-1', '2026-01-05T09:00:00.000Z'),
      change('CheckIns', 'CI-1', '2026-01-10T10:00:00.000Z'),
      change('ActionSteps', 'ST-2', '2026-01-11T10:00:00.000Z'), // W2's step
      change('WIGs', 'W1', '2026-02-01T10:00:00.000Z'),
      change('Measures', 'M1', '2026-03-31T23:59:00.000Z'),
      change('ActionSteps', 'ST-1', '2026-04-01T08:00:00.000Z'), // after as-of
      change('ActionSteps', 'ST-1', 'last Tuesday'), // not a date
    ]
    const activity = wigOf(build(p, [], changes), 'W1').activity
    expect(activity.map((c) => `${c.table} ${c.key} ${c.at}`)).toEqual([
      'Measures M1 2026-03-31T23:59:00.000Z',
      'WIGs W1 2026-02-01T10:00:00.000Z',
      'CheckIns CI-1 2026-01-10T10:00:00.000Z',
      'ActionSteps ST-1 2026-01-05T09:00:00.000Z',
    ])
    expect(wigOf(build(p, [], changes), 'W2').activity.map((c) => c.key)).toEqual(['ST-2'])
  })

  it('shows at most the ten latest', () => {
    const changes = Array.from({ length: 14 }, (_, i) => change('ActionSteps', 'ST-1', `2026-01-${String(i + 1).padStart(2, '0')}T09:00:00.000Z`))
    const activity = wigOf(build(p, [], changes), 'W1').activity
    expect(activity).toHaveLength(10)
    expect(activity[0]?.date).toBe('2026-01-14')
    expect(activity.at(-1)?.date).toBe('2026-01-05')
  })
})

describe('buildDashboard: owners', () => {
  const people: Person[] = [
    { email: 'ana@d.org', name: 'Ana Díaz', department: 'IT', role: 'Director' },
    { email: 'ben@d.org', name: 'Ben Ode', department: 'Math', role: '' },
  ]
  const ana = owner('ana@d.org', 'ana@d.org', 'Ana Díaz')
  const ben = owner('Ben@D.org', 'ben@d.org', 'Ben Ode')
  const cy = owner('Cy Park')
  const dee = owner('Dee Ruiz')
  const overdue = d('2026-03-20')
  const soon = d('2026-04-03') // within the 7 days after as-of
  const later = d('2026-06-30')

  const dashboard = build(
    plan({
      people,
      wigs: [wig({ id: 'W1', title: 'Reading', owner: ana }), wig({ id: 'W2', title: 'Math', owner: dee })],
      steps: [
        step({ wigId: 'W1', owner: ben, dueDate: soon }),
        step({ wigId: 'W1', owner: ben, dueDate: soon }),
        step({ wigId: 'W1', owner: ana, dueDate: overdue }),
        step({ wigId: 'W1', owner: ana, dueDate: overdue, status: 'Done' }),
        step({ wigId: 'W1', owner: cy, dueDate: overdue }),
        step({ wigId: 'W1', owner: cy, dueDate: soon, status: 'Blocked' }),
        step({ wigId: 'W1', owner: null, dueDate: later }),
        step({ wigId: 'W2', owner: dee, dueDate: later, status: 'Cancelled' }),
      ],
    }),
  )

  it('come most overdue first, then most due soon, people before "(No owner)"', () => {
    expect(dashboard.owners.map((o) => [o.name, o.overdue, o.dueSoon])).toEqual([
      ['Cy Park', 1, 1],
      ['Ana Díaz', 1, 0],
      ['Ben Ode', 0, 2],
      ['Dee Ruiz', 0, 0],
      ['(No owner)', 0, 0],
    ])
  })

  it('count each person’s open and done steps and list the WIGs they own, with their People details', () => {
    const anaView = dashboard.owners.find((o) => o.name === 'Ana Díaz')
    expect(anaView).toEqual({ key: 'ana@d.org', name: 'Ana Díaz', email: 'ana@d.org', department: 'IT', open: 1, overdue: 1, dueSoon: 0, done: 1, wigs: [{ id: 'W1', title: 'Reading' }] })
    // Ben's owner cell is typed in another case: still the same person.
    expect(dashboard.owners.find((o) => o.name === 'Ben Ode')).toMatchObject({ key: 'ben@d.org', email: 'ben@d.org', department: 'Math', open: 2 })
    // Someone not in People: no email or department to show.
    expect(dashboard.owners.find((o) => o.name === 'Dee Ruiz')).toMatchObject({ email: '', department: '', open: 0, wigs: [{ id: 'W2', title: 'Math' }] })
  })
})

describe('buildDashboard: measures', () => {
  it('history is the measure’s check-ins up to the as-of date in date order, with notes, in the measure’s unit', () => {
    const dashboard = build(
      plan({
        wigs: [percentGoal({ id: 'W1' })],
        measures: [measure({ id: 'M1', wigId: 'W1', unit: 'visits', target: 40, owner: owner('ana@d.org', 'ana@d.org', 'Ana Díaz'), cadence: 'Monthly' })],
        checkIns: [
          checkIn('2026-02-28', 22, { wigId: 'W1', measureId: 'M1', note: 'Feb' }),
          checkIn('2026-01-31', 15, { wigId: 'W1', measureId: 'M1', note: 'Jan' }),
          checkIn('2026-04-30', 30, { wigId: 'W1', measureId: 'M1' }), // after as-of
          checkIn('2026-03-15', 0.5, { wigId: 'W1' }), // the WIG's own
          checkIn('2026-03-20', null, { wigId: 'W1', measureId: 'M1' }), // no value
        ],
      }),
    )
    expect(dashboard.measures).toEqual([
      {
        id: 'M1',
        wigId: 'W1',
        type: 'Lead',
        name: 'A measure',
        ownerKey: 'ana@d.org',
        ownerName: 'Ana Díaz',
        ownerEmail: 'ana@d.org',
        ownerDepartment: '',
        cadence: 'Monthly',
        targetText: '40 visits',
        dueDate: null,
        history: [
          { date: '2026-01-31', value: 15, text: '15 visits', note: 'Jan' },
          { date: '2026-02-28', value: 22, text: '22 visits', note: 'Feb' },
        ],
      },
    ])
  })
})

describe('buildDashboard: the whole view', () => {
  it('carries the district, the dates it was built for and searchable text per WIG', () => {
    const dashboard = build(
      plan({
        settings: settings({ districtName: 'Riverbend USD', planYear: '2025-26' }),
        strategies: [strategy({ id: 'Oe 4.001', pillar: 'Operational Excellence', strategy: 'Build a Control Tower' })],
        wigs: [wig({ id: 'WIG-04', title: 'Cut Ticket Time', strategyId: 'Oe 4.001', department: 'IT', owner: owner('ana@d.org', 'ana@d.org', 'Ana Díaz') })],
      }),
    )
    expect(dashboard).toMatchObject({ district: 'Riverbend USD', planYear: '2025-26', asOf: '2026-03-31', today: '2026-04-15', readAt: '2026-04-15T08:00:00.000Z' })
    const view = wigOf(dashboard, 'WIG-04')
    expect(view.pillar).toBe('Operational Excellence')
    expect(view.strategy?.strategy).toBe('Build a Control Tower')
    for (const term of ['wig-04', 'ticket', 'operational', 'it', 'ana díaz', 'ana@d.org', 'control tower']) expect(view.searchText).toContain(term)
  })
})

describe('loadDashboard through a WorkbookStore', () => {
  /** A store over cells in memory: answers reads, refuses anything else. */
  function memoryStore(workbook: RawWorkbook, reads: (readonly TableName[])[] = []): WorkbookStore {
    const refuse = () => Promise.reject(new Error('read-only test store'))
    return {
      read: async (tables) => {
        reads.push(tables)
        const found: RawWorkbook['tables'] = {}
        for (const name of tables) if (workbook.tables[name]) found[name] = workbook.tables[name]
        return ok({ tables: found, missing: tables.filter((name) => !workbook.tables[name]) })
      },
      readRow: refuse,
      updateRow: refuse,
      appendRows: refuse,
      assignKey: refuse,
      createTables: refuse,
      close: async () => undefined,
    }
  }

  const sample = (): RawWorkbook => sampleRawWorkbook(sampleDistrict(AS_OF).tables)

  it('a workbook that never had a write (no ChangeLog table) reads without a ChangeLog problem', async () => {
    const raw = sample()
    delete raw.tables.ChangeLog
    const reads: (readonly TableName[])[] = []
    const loaded = await loadDashboard(memoryStore(raw, reads), AS_OF, WHEN.today, WHEN.readAt)
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error))
    expect(loaded.value.problems.filter((p) => p.table === 'ChangeLog')).toEqual([])
    expect(loaded.value.wigs.length).toBeGreaterThan(0)
    expect(loaded.value.wigs.every((w) => w.activity.length === 0)).toBe(true)
    // One round trip for the plan and the ChangeLog.
    expect(reads).toEqual([DASHBOARD_TABLES])
  })

  it('a ChangeLog that is there but unreadable is still reported', async () => {
    const raw = sample()
    const log = raw.tables.ChangeLog
    if (!log) throw new Error('the sample has a ChangeLog')
    raw.tables.ChangeLog = { ...log, headers: log.headers.map((h) => (h === 'Table' ? 'Sheet' : h)) }
    const loaded = await loadDashboard(memoryStore(raw), AS_OF, WHEN.today, WHEN.readAt)
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error))
    expect(loaded.value.problems.filter((p) => p.table === 'ChangeLog').map((p) => p.column)).toEqual(['Table'])
  })

  it('another missing table is still a problem', async () => {
    const raw = sample()
    delete raw.tables.Measures
    const loaded = await loadDashboard(memoryStore(raw), AS_OF, WHEN.today, WHEN.readAt)
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error))
    expect(loaded.value.problems.map((p) => p.table)).toContain('Measures')
  })

  it('a store that cannot read passes its error on', async () => {
    const error: StoreError = { kind: 'throttled', retryAfterSeconds: 30 }
    const store: WorkbookStore = { ...memoryStore(sample()), read: async () => err(error) }
    expect(await loadDashboard(store, AS_OF, WHEN.today, WHEN.readAt)).toEqual(err(error))
  })
})
