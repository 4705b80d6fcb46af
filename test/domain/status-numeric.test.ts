import { describe, it, expect } from 'vitest'
import type { CheckIn, Settings, Wig, WigStatus } from '../../src/domain/model.ts'
import { wigStatus } from '../../src/domain/status.ts'
import { checkIn, d, settings, wig } from './builders.ts'

/*
 * The base WIG rises from 0 to 100 between 2025-01-01 (t0) and 2025-04-11 (t1), 100 days,
 * so E(t) is the number of days since t0: 2025-02-20 is day 50, E = 50.
 * The Decrease WIG falls from 40 to 20 over the same days: on day 50, E = 30.
 */
type Case = {
  name: string
  wig?: Partial<Wig>
  checkIns: CheckIn[]
  asOf: string
  settings?: Partial<Settings>
  status: WigStatus
  pace?: number | null
  expected?: number | null
}

const decrease: Partial<Wig> = { baseline: 40, target: 20 }

const cases: Case[] = [
  // Thresholds, Increase
  { name: 'on track when p reaches OnTrackAt exactly (45 of E 50 = 0.9)', checkIns: [checkIn('2025-02-20', 45)], asOf: '2025-02-20', status: 'On track', pace: 0.9, expected: 50 },
  { name: 'at risk just under OnTrackAt (44 of 50 = 0.88)', checkIns: [checkIn('2025-02-20', 44)], asOf: '2025-02-20', status: 'At risk', pace: 0.88 },
  { name: 'at risk when p reaches AtRiskAt exactly (35 of 50 = 0.7)', checkIns: [checkIn('2025-02-20', 35)], asOf: '2025-02-20', status: 'At risk', pace: 0.7 },
  { name: 'off track under AtRiskAt (34 of 50 = 0.68)', checkIns: [checkIn('2025-02-20', 34)], asOf: '2025-02-20', status: 'Off track', pace: 0.68 },
  { name: 'a lower OnTrackAt from Settings turns 0.82 on track', checkIns: [checkIn('2025-02-20', 41)], asOf: '2025-02-20', settings: { onTrackAt: 0.8 }, status: 'On track', pace: 0.82 },
  { name: 'with default Settings 0.82 is at risk', checkIns: [checkIn('2025-02-20', 41)], asOf: '2025-02-20', status: 'At risk', pace: 0.82 },
  { name: 'a lower AtRiskAt from Settings turns 0.6 at risk', checkIns: [checkIn('2025-02-20', 30)], asOf: '2025-02-20', settings: { atRiskAt: 0.5 }, status: 'At risk', pace: 0.6 },
  { name: 'ahead of the line is on track (p above 1)', checkIns: [checkIn('2025-02-20', 75)], asOf: '2025-02-20', status: 'On track', pace: 1.5 },
  { name: 'E uses the check-in date, not asOf', checkIns: [checkIn('2025-02-20', 45)], asOf: '2025-03-10', status: 'On track', expected: 50 },

  // Thresholds, Decrease (both sides of p negative)
  { name: 'decrease: on track at 31 against E 30 from 40 (p 0.9)', wig: decrease, checkIns: [checkIn('2025-02-20', 31)], asOf: '2025-02-20', status: 'On track', pace: 0.9, expected: 30 },
  { name: 'decrease: at risk at 33 (p 0.7)', wig: decrease, checkIns: [checkIn('2025-02-20', 33)], asOf: '2025-02-20', status: 'At risk', pace: 0.7 },
  { name: 'decrease: off track at 34 (p 0.6)', wig: decrease, checkIns: [checkIn('2025-02-20', 34)], asOf: '2025-02-20', status: 'Off track', pace: 0.6 },
  { name: 'decrease: getting worse than baseline is off track (p -0.5)', wig: decrease, checkIns: [checkIn('2025-02-20', 45)], asOf: '2025-02-20', status: 'Off track', pace: -0.5 },
  { name: 'decrease: reaching the target is achieved', wig: decrease, checkIns: [checkIn('2025-02-20', 20)], asOf: '2025-02-20', status: 'Achieved' },
  { name: 'decrease: going below the target is achieved', wig: decrease, checkIns: [checkIn('2025-02-20', 12)], asOf: '2025-02-20', status: 'Achieved' },
  { name: 'decrease inferred from target below baseline: a high value is not achieved', wig: decrease, checkIns: [checkIn('2025-02-20', 100)], asOf: '2025-02-20', status: 'Off track' },
  { name: 'explicit Decrease direction is honoured', wig: { ...decrease, direction: 'Decrease' }, checkIns: [checkIn('2025-02-20', 19)], asOf: '2025-02-20', status: 'Achieved' },
  { name: 'explicit Increase: a value above target is achieved', wig: { direction: 'Increase' }, checkIns: [checkIn('2025-02-20', 101)], asOf: '2025-02-20', status: 'Achieved' },

  // Achieved
  { name: 'reaching the target exactly is achieved', checkIns: [checkIn('2025-02-20', 100)], asOf: '2025-02-20', status: 'Achieved' },
  { name: 'passing the target is achieved', checkIns: [checkIn('2025-02-20', 120)], asOf: '2025-02-20', status: 'Achieved' },
  { name: 'achieved beats missed after the target date', checkIns: [checkIn('2025-04-10', 100)], asOf: '2025-06-01', status: 'Achieved' },
  { name: 'achieved is judged on the latest value, not the best one', checkIns: [checkIn('2025-02-01', 100), checkIn('2025-02-20', 45)], asOf: '2025-02-20', status: 'On track' },

  // Missed
  { name: 'missed the day after the target date', checkIns: [checkIn('2025-04-10', 99)], asOf: '2025-04-12', status: 'Missed' },
  { name: 'not missed on the target date itself', checkIns: [checkIn('2025-04-11', 99)], asOf: '2025-04-11', status: 'On track', pace: 0.99, expected: 100 },
  { name: 'missed beats no data', checkIns: [], asOf: '2025-05-01', status: 'Missed', pace: null, expected: null },

  // No data
  { name: 'no check-in is no data', checkIns: [], asOf: '2025-02-20', status: 'No data', pace: null, expected: null },
  { name: 'a check-in without a date or value does not count', checkIns: [checkIn(null, 50), checkIn('2025-02-01', null)], asOf: '2025-02-20', status: 'No data' },

  // Not started
  { name: 'not started before StartDate', checkIns: [], asOf: '2024-12-31', status: 'Not started' },
  { name: 'not started beats achieved', checkIns: [checkIn('2024-12-15', 100)], asOf: '2024-12-31', status: 'Not started' },
  { name: 'started on StartDate itself', checkIns: [checkIn('2025-01-01', 0)], asOf: '2025-01-01', status: 'On track', pace: 1, expected: 0 },
  { name: 'not started beats missed when the start is after the target date', wig: { startDate: d('2025-05-01') }, checkIns: [], asOf: '2025-04-20', status: 'Not started' },
  { name: 'never not started without a StartDate', wig: { startDate: null }, checkIns: [], asOf: '2020-01-01', status: 'No data' },

  // Fallbacks for a blank Baseline or StartDate
  {
    name: 'blank baseline: the first check-in is B (B 10, E 55, p 40/45 at risk)',
    wig: { baseline: null },
    checkIns: [checkIn('2025-02-20', 50), checkIn('2025-01-01', 10)],
    asOf: '2025-02-20',
    status: 'At risk',
    pace: 40 / 45,
    expected: 55,
  },
  {
    name: 'blank baseline: on a date tie the upper row is the first',
    wig: { baseline: null },
    checkIns: [checkIn('2025-01-01', 20, { position: 9 }), checkIn('2025-01-01', 10, { position: 2 }), checkIn('2025-02-20', 50, { position: 5 })],
    asOf: '2025-02-20',
    status: 'At risk',
    expected: 55,
  },
  {
    name: 'blank StartDate: t0 is the first check-in date (80-day line, E 50 on day 40, p 0.9)',
    wig: { startDate: null },
    checkIns: [checkIn('2025-01-21', 10), checkIn('2025-03-02', 45)],
    asOf: '2025-03-02',
    status: 'On track',
    pace: 0.9,
    expected: 50,
  },
  {
    name: 'blank baseline and StartDate: both come from the first check-in',
    wig: { baseline: null, startDate: null },
    checkIns: [checkIn('2025-01-21', 20), checkIn('2025-03-02', 50)],
    asOf: '2025-03-02',
    status: 'At risk',
    pace: 0.75,
    expected: 60,
  },
  {
    name: 'blank baseline and StartDate with one check-in: E equals B so p is 1',
    wig: { baseline: null, startDate: null },
    checkIns: [checkIn('2025-03-02', 30)],
    asOf: '2025-03-02',
    status: 'On track',
    pace: 1,
    expected: 30,
  },
  {
    name: 'blank baseline with a target below the first value infers Decrease',
    wig: { baseline: null, target: 20 },
    checkIns: [checkIn('2025-01-01', 40), checkIn('2025-02-20', 20)],
    asOf: '2025-02-20',
    status: 'Achieved',
  },

  // The line's ends
  { name: 'a check-in before t0 expects the baseline, so p is 1', checkIns: [checkIn('2024-12-20', 5)], asOf: '2025-01-10', status: 'On track', pace: 1, expected: 0 },
  { name: 'target date on the start date: E is the target from then on', wig: { startDate: d('2025-04-11') }, checkIns: [checkIn('2025-04-11', 95)], asOf: '2025-04-11', status: 'On track', pace: 0.95, expected: 100 },
  { name: 'target date before the start date: E is the target', wig: { startDate: d('2025-05-01') }, checkIns: [checkIn('2025-05-05', 50)], asOf: '2025-05-10', status: 'Missed', pace: 0.5, expected: 100 },

  // Which check-ins count
  { name: 'check-ins dated after asOf are ignored', checkIns: [checkIn('2025-02-20', 45), checkIn('2025-02-21', 100)], asOf: '2025-02-20', status: 'On track', pace: 0.9 },
  { name: 'lead-measure check-ins do not count for the WIG', checkIns: [checkIn('2025-02-20', 45), checkIn('2025-02-20', 100, { measureId: 'M1' })], asOf: '2025-02-20', status: 'On track', pace: 0.9 },
  { name: 'a lead-measure check-in alone is no data for the WIG', checkIns: [checkIn('2025-02-20', 45, { measureId: 'M1' })], asOf: '2025-02-20', status: 'No data' },
  { name: "another WIG's check-ins do not count", checkIns: [checkIn('2025-02-20', 45), checkIn('2025-02-20', 100, { wigId: 'W2' })], asOf: '2025-02-20', status: 'On track' },
  { name: 'latest means latest date, not last row', checkIns: [checkIn('2025-02-20', 45, { position: 1 }), checkIn('2025-02-10', 100, { position: 8 })], asOf: '2025-02-20', status: 'On track', pace: 0.9 },
  { name: 'on a date tie the row further down wins', checkIns: [checkIn('2025-02-20', 34, { position: 7 }), checkIn('2025-02-20', 45, { position: 3 })], asOf: '2025-02-20', status: 'Off track', pace: 0.68 },

  // Unjudgeable
  { name: 'no target: no data even with check-ins', wig: { target: null }, checkIns: [checkIn('2025-02-20', 45)], asOf: '2025-02-20', status: 'No data', pace: null, expected: null },
  { name: 'no target date: no data, never missed', wig: { targetDate: null }, checkIns: [checkIn('2025-02-20', 60)], asOf: '2030-01-01', status: 'No data', pace: null },
  // Rule 2 needs no TargetDate, rule 3 no Target: each applies when its own inputs are there.
  { name: 'no target date: achieved once the target is reached', wig: { targetDate: null }, checkIns: [checkIn('2025-02-20', 100)], asOf: '2030-01-01', status: 'Achieved', pace: null },
  { name: 'no target: missed once the target date is past', wig: { target: null }, checkIns: [checkIn('2025-02-20', 60)], asOf: '2025-05-01', status: 'Missed', pace: null },
  // Target = Baseline: WORKBOOK.md makes Increase the default only when Target > Baseline.
  { name: 'target equal to baseline is a Decrease: a lower value has reached it', wig: { baseline: 50, target: 50 }, checkIns: [checkIn('2025-02-20', 45)], asOf: '2025-03-01', status: 'Achieved' },
  { name: 'target equal to baseline: a higher value is on track (E = B, p = 1)', wig: { baseline: 50, target: 50 }, checkIns: [checkIn('2025-02-20', 55)], asOf: '2025-03-01', status: 'On track', pace: 1 },
  // B 18, T 75 over 100 days, V 43.65 on day 50: E 46.5, p = 25.65 / 28.5 = 0.9 exactly by hand.
  { name: 'pace exactly on the OnTrackAt threshold is on track despite floating point', wig: { baseline: 18, target: 75, startDate: d('2025-01-01'), targetDate: d('2025-04-11') }, checkIns: [checkIn('2025-02-20', 43.65)], asOf: '2025-03-01', status: 'On track', pace: 0.9 },
  { name: 'no target but not started yet: not started', wig: { target: null }, checkIns: [], asOf: '2024-12-01', status: 'Not started' },
]

describe('numeric WIG status', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = wigStatus(wig(c.wig), c.checkIns, [], settings(c.settings), d(c.asOf))
      expect(r.computedStatus).toBe(c.status)
      expect(r.status).toBe(c.status)
      if (c.pace === null) expect(r.pace).toBeNull()
      else if (c.pace !== undefined) expect(r.pace).toBeCloseTo(c.pace, 8)
      if (c.expected === null) expect(r.expected).toBeNull()
      else if (c.expected !== undefined) expect(r.expected).toBeCloseTo(c.expected, 10)
    })
  }
})

describe('numeric WIG latest value', () => {
  it('reports the latest counted check-in, tie broken by the lower row', () => {
    const r = wigStatus(
      wig(),
      [checkIn('2025-02-20', 34, { position: 7 }), checkIn('2025-02-20', 45, { position: 3 }), checkIn('2025-03-01', 60)],
      [],
      settings(),
      d('2025-02-25'),
    )
    expect(r.latest).toEqual({ date: d('2025-02-20'), value: 34 })
  })

  it('has no latest value when nothing counts', () => {
    expect(wigStatus(wig(), [checkIn('2025-03-01', 60)], [], settings(), d('2025-02-25')).latest).toBeNull()
  })
})
