import { describe, it, expect } from 'vitest'
import type { ActionStep, Settings, Wig, WigStatus } from '../../src/domain/model.ts'
import { wigStatus } from '../../src/domain/status.ts'
import { d, settings, step, wig, type Loose } from './builders.ts'

const milestone = (over: Partial<Wig> = {}): Wig =>
  wig({ kind: 'Milestone', baseline: null, target: null, startDate: null, targetDate: d('2025-07-31'), ...over })

const s = (due: string | null, status: ActionStep['status'], over: Partial<Loose<ActionStep>> = {}): ActionStep =>
  step({ dueDate: due === null ? null : d(due), status, ...over })

type Case = { name: string; wig?: Partial<Wig>; steps: ActionStep[]; asOf?: string; settings?: Partial<Settings>; status: WigStatus; pace?: number | null }

// asOf 2025-03-01 unless a case says otherwise.
const cases: Case[] = [
  {
    name: '2 done of 3 due is off track (p 0.667 < 0.7)',
    steps: [s('2025-01-15', 'Done'), s('2025-02-01', 'Done'), s('2025-02-15', 'In progress'), s('2025-04-01', 'Not started')],
    status: 'Off track',
    pace: 2 / 3,
  },
  {
    name: 'a lower AtRiskAt from Settings turns 2 of 3 at risk',
    steps: [s('2025-01-15', 'Done'), s('2025-02-01', 'Done'), s('2025-02-15', 'In progress'), s('2025-04-01', 'Not started')],
    settings: { atRiskAt: 0.6 },
    status: 'At risk',
  },
  {
    name: '3 done of 4 due is at risk (p 0.75)',
    steps: [s('2025-01-15', 'Done'), s('2025-01-20', 'Done'), s('2025-02-01', 'Done'), s('2025-02-15', 'Blocked'), s('2025-05-01', 'Not started')],
    status: 'At risk',
    pace: 0.75,
  },
  {
    name: 'cancelled steps are left out of both shares',
    steps: [s('2025-01-15', 'Done'), s('2025-02-01', 'Done'), s('2025-02-15', 'Done'), s('2025-01-01', 'Cancelled'), s('2025-05-01', 'Not started')],
    status: 'On track',
    pace: 1,
  },
  {
    name: 'a step done ahead of its due date counts as done',
    steps: [s('2025-01-15', 'Done'), s('2025-02-15', 'In progress'), s('2025-05-01', 'Done')],
    status: 'On track',
    pace: 1,
  },
  {
    name: 'nothing due yet is on track (p 1) even with nothing done',
    steps: [s('2025-03-01', 'Not started'), s('2025-06-01', 'Not started')],
    status: 'On track',
    pace: 1,
  },
  {
    name: 'a step due on asOf is not yet due',
    steps: [s('2025-02-01', 'Done'), s('2025-03-01', 'Not started'), s('2025-03-01', 'Not started')],
    status: 'On track',
    pace: 1,
  },
  {
    name: 'steps without a due date are never due',
    steps: [s(null, 'Not started'), s('2025-02-01', 'Done')],
    status: 'On track',
    pace: 1,
  },
  {
    name: 'a step with an unknown status counts but is not done',
    steps: [s('2025-02-01', 'Done'), s('2025-02-02', null, { rawStatus: 'Waiting' })],
    status: 'Off track',
    pace: 0.5,
  },
  { name: 'all steps done is achieved (p = 2 done / 1 due)', steps: [s('2025-01-15', 'Done'), s('2025-06-01', 'Done')], status: 'Achieved', pace: 2 },
  { name: 'all done except cancelled ones is achieved', steps: [s('2025-01-15', 'Done'), s('2025-02-01', 'Cancelled')], status: 'Achieved' },
  { name: 'achieved beats missed after the target date', steps: [s('2025-01-15', 'Done')], asOf: '2025-09-01', status: 'Achieved' },
  { name: 'missed after the target date with steps left', steps: [s('2025-01-15', 'Done'), s('2025-07-01', 'In progress')], asOf: '2025-08-01', status: 'Missed' },
  { name: 'not missed on the target date itself', steps: [s('2025-01-15', 'Done'), s('2025-08-01', 'In progress')], asOf: '2025-07-31', status: 'On track' },
  { name: 'never missed without a target date', wig: { targetDate: null }, steps: [s('2025-01-15', 'Not started')], asOf: '2030-01-01', status: 'Off track', pace: 0 },
  { name: 'missed beats no data', steps: [], asOf: '2025-08-01', status: 'Missed', pace: null },
  { name: 'no action steps is no data', steps: [], status: 'No data', pace: null },
  { name: 'only cancelled steps is no data', steps: [s('2025-01-15', 'Cancelled')], status: 'No data', pace: null },
  { name: "another WIG's steps do not count", steps: [s('2025-01-15', 'Done', { wigId: 'W2' })], status: 'No data' },
  { name: 'not started before StartDate', wig: { startDate: d('2025-04-01') }, steps: [s('2025-01-15', 'Not started')], status: 'Not started' },
  { name: 'not started beats achieved', wig: { startDate: d('2025-04-01') }, steps: [s('2025-01-15', 'Done')], status: 'Not started' },
]

describe('milestone WIG status', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = wigStatus(milestone(c.wig), [], c.steps, settings(c.settings), d(c.asOf ?? '2025-03-01'))
      expect(r.computedStatus).toBe(c.status)
      if (c.pace === null) expect(r.pace).toBeNull()
      else if (c.pace !== undefined) expect(r.pace).toBeCloseTo(c.pace, 10)
    })
  }

  it('has no latest value or expected value', () => {
    const r = wigStatus(milestone(), [], [s('2025-01-15', 'Done'), s('2025-05-01', 'Not started')], settings(), d('2025-03-01'))
    expect(r.latest).toBeNull()
    expect(r.expected).toBeNull()
  })
})

describe('milestone steps are today’s, not asOf’s', () => {
  const steps = [s('2025-01-15', 'Done')]
  it('says so when asOf is before today', () => {
    expect(wigStatus(milestone(), [], steps, settings(), d('2025-03-01'), d('2025-03-05')).stepsAreCurrentNotAsOf).toBe(true)
  })
  it('does not when asOf is today', () => {
    expect(wigStatus(milestone(), [], steps, settings(), d('2025-03-05'), d('2025-03-05')).stepsAreCurrentNotAsOf).toBe(false)
  })
  it('does not when today is not given', () => {
    expect(wigStatus(milestone(), [], steps, settings(), d('2025-03-01')).stepsAreCurrentNotAsOf).toBe(false)
  })
  it('does not for a numeric WIG, whose check-ins do have history', () => {
    expect(wigStatus(wig(), [], steps, settings(), d('2025-03-01'), d('2025-03-05')).stepsAreCurrentNotAsOf).toBe(false)
  })
})
