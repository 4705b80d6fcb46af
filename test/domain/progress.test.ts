import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Wig } from '../../src/domain/model.ts'
import { wigStatus } from '../../src/domain/status.ts'
import { formatValue, wigUnits } from '../../src/domain/units.ts'
import { checkIn, d, settings, step, wig } from './builders.ts'

/*
 * Every WIG here runs from 2025-01-01 (t0) to 2025-04-11 (t1), 100 days, so on 2025-02-20
 * (day 50) the expected value E is halfway from B to T, and on 2025-02-10 (day 40) 40% of the way.
 *
 * progress = (V − B) / (T − B): the share of the way from baseline to target.
 * pace     = (V − B) / (E − B): the rules' p, progress against where the WIG should be by then.
 */
const HALFWAY = '2025-02-20'

const report = (over: Partial<Wig>, value: number, date = HALFWAY, asOf = date) =>
  wigStatus(wig(over), [checkIn(date, value)], [], settings(), d(asOf))

describe('a percent goal stored as fractions: 55% → 72%, check-in 0.615 (61.5%)', () => {
  const algebra: Partial<Wig> = { scale: 'percentFraction', unit: '%', baseline: 0.55, target: 0.72 }
  const r = report(algebra, 0.615)

  it('is 38% of the way, expected 63.5% by then, at 76% pace: At risk', () => {
    expect(r.progress).toBeCloseTo(0.065 / 0.17, 9)
    expect(r.expected).toBeCloseTo(0.635, 12)
    expect(r.pace).toBeCloseTo(0.065 / 0.085, 9)
    expect(r.computedStatus).toBe('At risk')
  })

  it('shows its values as percents, not as 0.615%', () => {
    const units = wigUnits(wig(algebra))
    expect(formatValue(r.latest?.value ?? Number.NaN, units)).toBe('61.5%')
    expect(formatValue(r.expected ?? Number.NaN, units)).toBe('63.5%')
  })

  it('gives the same status, progress and pace as the same goal kept in percent points (55 → 72, 61.5)', () => {
    const points = report({ scale: 'plain', unit: '%', baseline: 55, target: 72 }, 61.5)
    expect(points.computedStatus).toBe(r.computedStatus)
    expect(points.progress).toBeCloseTo(r.progress ?? Number.NaN, 9)
    expect(points.pace).toBeCloseTo(r.pace ?? Number.NaN, 9)
  })
})

describe('a plain unit: days to fill a vacancy, 60 → 40 days, check-in 43.2 days', () => {
  const vacancy: Partial<Wig> = { scale: 'plain', unit: 'days', baseline: 60, target: 40 }
  const r = report(vacancy, 43.2)

  it('is a decreasing goal 84% of the way, expected 50 days, well ahead of pace: On track', () => {
    expect(r.progress).toBeCloseTo(0.84, 9)
    expect(r.expected).toBe(50)
    expect(r.pace).toBeCloseTo(1.68, 9)
    expect(r.computedStatus).toBe('On track')
  })

  it('shows its values in days', () => {
    expect(formatValue(r.latest?.value ?? Number.NaN, wigUnits(wig(vacancy)))).toBe('43.2 days')
  })
})

describe('a decreasing percent goal: chronic absenteeism 22% → 15% (fractions)', () => {
  const absenteeism: Partial<Wig> = { scale: 'percentFraction', unit: '%', baseline: 0.22, target: 0.15 }

  it('counts a fall to 18% as 4/7 of the way, against an expected 18.5%', () => {
    const r = report(absenteeism, 0.18)
    expect(r.progress).toBeCloseTo(4 / 7, 9)
    expect(r.expected).toBeCloseTo(0.185, 12)
    expect(r.pace).toBeCloseTo(0.04 / 0.035, 9)
    expect(r.computedStatus).toBe('On track')
  })

  it('gives negative progress when the rate rises above the baseline', () => {
    const r = report(absenteeism, 0.25)
    expect(r.progress).toBeCloseTo(-3 / 7, 9)
    expect(r.computedStatus).toBe('Off track')
  })

  it('gives progress 1 at the target, and more past it, and calls it Achieved', () => {
    expect(report(absenteeism, 0.15).progress).toBe(1)
    const past = report(absenteeism, 0.136)
    expect(past.progress).toBeCloseTo(1.2, 9)
    expect(past.computedStatus).toBe('Achieved')
  })
})

describe('progress is not pace (issue 8)', () => {
  it('a goal 38% of the way from 48 to 62 shows progress 0.38, while its pace is 0.95', () => {
    const r = report({ baseline: 48, target: 62 }, 53.32, '2025-02-10')
    expect(r.progress).toBeCloseTo(0.38, 9)
    expect(r.pace).toBeCloseTo(0.95, 9)
  })

  it('an achieved goal early in its year shows progress just past 100%, not its pace of 270%', () => {
    const r = report({ baseline: 40, target: 85, startDate: d('2025-01-01'), targetDate: d('2025-07-20') }, 86.8, '2025-02-20')
    expect(r.computedStatus).toBe('Achieved')
    expect(r.progress).toBeCloseTo(1.04, 9)
    expect(r.pace).toBeGreaterThan(2.5)
  })

  it('a goal not yet started shows no progress, or 0 at its baseline, never 100%', () => {
    const later = { startDate: d('2025-03-01') }
    expect(wigStatus(wig(later), [], [], settings(), d('2025-02-01')).progress).toBeNull()
    const atBaseline = report(later, 0, '2025-02-01')
    expect(atBaseline.computedStatus).toBe('Not started')
    expect(atBaseline.progress).toBe(0)
  })

  it('with Target equal to Baseline, progress is 1 once reached in the direction, else 0', () => {
    expect(report({ baseline: 50, target: 50, direction: 'Increase' }, 52).progress).toBe(1)
    expect(report({ baseline: 50, target: 50, direction: 'Increase' }, 49).progress).toBe(0)
  })

  it('needs a target and a check-in, but no dates', () => {
    expect(report({ targetDate: null }, 30).progress).toBeCloseTo(0.3, 9)
    expect(report({ targetDate: null }, 30).pace).toBeNull()
    expect(report({ target: null }, 30).progress).toBeNull()
  })
})

describe('a milestone WIG', () => {
  const milestone = wig({ kind: 'Milestone', baseline: null, target: null, startDate: null, targetDate: d('2025-07-31') })
  const s = (due: string, status: 'Done' | 'In progress' | 'Not started' | 'Cancelled') => step({ dueDate: d(due), status })

  it('has progress = share of its non-cancelled steps done, pace = done against due, and no expected value', () => {
    const steps = [s('2025-01-15', 'Done'), s('2025-02-01', 'Done'), s('2025-02-15', 'In progress'), s('2025-05-01', 'Not started'), s('2025-01-10', 'Cancelled')]
    const r = wigStatus(milestone, [], steps, settings(), d('2025-03-01'))
    expect(r.progress).toBe(0.5)
    expect(r.pace).toBeCloseTo(2 / 3, 12)
    expect(r.expected).toBeNull()
  })

  it('not started, with nothing done, has progress 0 (its pace is 1: nothing is due yet)', () => {
    const r = wigStatus({ ...milestone, startDate: d('2025-04-01') }, [], [s('2025-05-01', 'Not started')], settings(), d('2025-03-01'))
    expect(r.computedStatus).toBe('Not started')
    expect(r.progress).toBe(0)
  })
})

describe('the scale never changes a status', () => {
  it('a WIG kept as fractions judges like the same WIG kept in percent points', () => {
    const percent = fc.integer({ min: -100, max: 200 })
    fc.assert(
      fc.property(percent, percent, percent, fc.integer({ min: -20, max: 120 }), (b, t, v, day) => {
        const date = new Date(Date.UTC(2025, 0, 1 + day)).toISOString().slice(0, 10)
        const points = report({ scale: 'plain', baseline: b, target: t }, v, date, '2025-03-01')
        const fraction = report({ scale: 'percentFraction', baseline: b / 100, target: t / 100 }, v / 100, date, '2025-03-01')
        expect(fraction.computedStatus).toBe(points.computedStatus)
        for (const key of ['progress', 'pace'] as const) {
          const [a, c] = [fraction[key], points[key]]
          if (a === null || c === null) expect(a).toBe(c)
          else expect(a).toBeCloseTo(c, 6)
        }
      }),
    )
  })
})

describe('the expected share of the way, shown beside progress', () => {
  it('a numeric WIG halfway through its time was expected halfway along, whichever way it moves', () => {
    expect(report({ baseline: 0.55, target: 0.72, scale: 'percentFraction', unit: '%' }, 0.615).expectedProgress).toBeCloseTo(0.5, 9)
    expect(report({ baseline: 20, target: 10 }, 18, '2025-02-10').expectedProgress).toBeCloseTo(0.4, 9)
  })

  it("a milestone expects the share of its live steps due before as-of, even when none is done (pace 0 can't tell)", () => {
    const steps = [
      step({ wigId: 'WIG-01', dueDate: d('2025-01-15'), status: 'Not started' }),
      step({ wigId: 'WIG-01', dueDate: d('2025-02-01'), status: 'In progress' }),
      step({ wigId: 'WIG-01', dueDate: d('2025-03-01'), status: 'Not started' }),
      step({ wigId: 'WIG-01', dueDate: d('2025-04-01'), status: 'Not started' }),
      step({ wigId: 'WIG-01', dueDate: d('2025-01-10'), status: 'Cancelled' }),
    ]
    const r = wigStatus(wig({ kind: 'Milestone', id: 'WIG-01' }), [], steps, settings(), d(HALFWAY))
    expect(r.pace).toBe(0)
    expect(r.expectedProgress).toBe(0.5)
  })
})
