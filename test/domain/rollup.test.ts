import { describe, it, expect } from 'vitest'
import type { Strategy, Wig, WigStatus } from '../../src/domain/model.ts'
import { rollupByDepartment, rollupByOwner, rollupByPillar, stepsByOwner } from '../../src/domain/rollup.ts'
import type { WigReport } from '../../src/domain/status.ts'
import { brand, d, owner, settings, step, wig, type Loose } from './builders.ts'

function report(over: Partial<Loose<Wig>>, status: WigStatus, extra: { stale?: boolean; overdue?: number; dueSoon?: number } = {}): WigReport {
  return {
    wig: wig(over),
    status,
    computedStatus: status,
    manual: false,
    note: '',
    stale: extra.stale ?? false,
    latest: null,
    expected: null,
    progress: null,
    pace: null,
    expectedProgress: null,
    steps: { total: 0, done: 0, overdue: extra.overdue ?? 0, dueSoon: extra.dueSoon ?? 0 },
    stepsAreCurrentNotAsOf: false,
  }
}

function strategy(id: string, pillar: string): Strategy {
  return brand<Strategy>({ id, pillar, strategy: id, priorityId: '', priority: '', keyLevers: '', performanceMeasures: '', collaboratingDepartments: '' })
}

const strategies = [strategy('Sa 1.001', 'Student Achievement'), strategy('Oe 4.001', 'Operational Excellence'), strategy('Oe 4.002', 'Operational Excellence')]

describe('roll-up by pillar', () => {
  const reports = [
    report({ id: 'W1', strategyId: 'Oe 4.001' }, 'On track', { stale: true, overdue: 2, dueSoon: 1 }),
    report({ id: 'W2', strategyId: 'Oe 4.002' }, 'Off track', { overdue: 1 }),
    report({ id: 'W3', strategyId: 'Sa 1.001' }, 'At risk'),
    report({ id: 'W4', strategyId: '' }, 'No data'),
    report({ id: 'W5', strategyId: 'Zz 9.999' }, 'Missed'),
  ]
  const rollups = rollupByPillar(reports, strategies)

  it('groups WIGs through their strategy, pillars in Strategies order, the none group last', () => {
    expect(rollups.map((r) => [r.label, r.wigs])).toEqual([
      ['Student Achievement', 1],
      ['Operational Excellence', 2],
      ['(No pillar)', 2],
    ])
  })

  it('sums statuses, stale flags and step timings within a pillar', () => {
    const oe = rollups.find((r) => r.label === 'Operational Excellence')
    expect(oe?.byStatus).toEqual({ 'On track': 1, 'At risk': 0, 'Off track': 1, Achieved: 0, Missed: 0, 'No data': 0, 'Not started': 0 })
    expect(oe?.stale).toBe(1)
    expect(oe?.overdueSteps).toBe(3)
    expect(oe?.dueSoonSteps).toBe(1)
  })

  it('puts WIGs without a strategy or with an unknown one under (No pillar)', () => {
    const none = rollups.find((r) => r.label === '(No pillar)')
    expect(none?.byStatus['No data']).toBe(1)
    expect(none?.byStatus.Missed).toBe(1)
  })

  it('counts a manual status, not the computed one', () => {
    const manual = { ...report({ strategyId: 'Sa 1.001' }, 'On track'), computedStatus: 'Off track' as const, manual: true }
    const [sa] = rollupByPillar([manual], strategies)
    expect(sa?.byStatus['On track']).toBe(1)
    expect(sa?.byStatus['Off track']).toBe(0)
  })

  it('has no group for a pillar without WIGs', () => {
    expect(rollupByPillar([], strategies)).toEqual([])
  })
})

describe('roll-up by department', () => {
  it('groups by department regardless of case and spacing, alphabetically, the none group last', () => {
    const rollups = rollupByDepartment([
      report({ department: 'Federal, State, and Local Testing' }, 'On track'),
      report({ department: '' }, 'At risk'),
      report({ department: 'Accountability' }, 'Achieved'),
      report({ department: 'federal, state,  and local testing ' }, 'Off track'),
    ])
    expect(rollups.map((r) => [r.label, r.wigs])).toEqual([
      ['Accountability', 1],
      ['Federal, State, and Local Testing', 2],
      ['(No department)', 1],
    ])
    expect(rollups[2]?.key).toBe('')
  })
})

describe('roll-up by owner', () => {
  it('groups by email when the owner resolved to a person, else by the text, the none group last', () => {
    const rollups = rollupByOwner([
      report({ owner: owner('Ana Diaz', 'ana.diaz@district.org', 'Ana Diaz') }, 'On track'),
      report({ owner: owner('ANA.DIAZ@district.org', 'ana.diaz@district.org', 'Ana Diaz') }, 'At risk'),
      report({ owner: owner('Coach Bell') }, 'Off track'),
      report({ owner: null }, 'No data'),
      report({ owner: owner('') }, 'No data'),
    ])
    expect(rollups.map((r) => [r.key, r.label, r.wigs])).toEqual([
      ['ana.diaz@district.org', 'Ana Diaz', 2],
      ['coach bell', 'Coach Bell', 1],
      ['', '(No owner)', 2],
    ])
  })
})

describe('steps by owner', () => {
  it('tells each owner how many steps are open, overdue, due soon and done', () => {
    const ana = owner('Ana Diaz', 'ana.diaz@district.org', 'Ana Diaz')
    const result = stepsByOwner(
      [
        step({ owner: ana, dueDate: d('2025-03-09'), status: 'In progress' }), // overdue
        step({ owner: ana, dueDate: d('2025-03-10'), status: 'Not started' }), // due soon
        step({ owner: ana, dueDate: d('2025-03-01'), status: 'Done' }),
        step({ owner: ana, dueDate: d('2025-03-01'), status: 'Cancelled' }),
        step({ owner: owner('Coach Bell'), dueDate: d('2025-04-01'), status: 'Blocked' }),
        step({ owner: null, dueDate: d('2025-03-01'), status: null }), // overdue, unknown status
      ],
      settings(),
      d('2025-03-10'),
    )
    expect(result).toEqual([
      { owner: 'ana.diaz@district.org', label: 'Ana Diaz', open: 2, overdue: 1, dueSoon: 1, done: 1 },
      { owner: 'coach bell', label: 'Coach Bell', open: 1, overdue: 0, dueSoon: 0, done: 0 },
      { owner: '', label: '(No owner)', open: 1, overdue: 1, dueSoon: 0, done: 0 },
    ])
  })
})
