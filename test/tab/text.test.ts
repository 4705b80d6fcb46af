import { describe, expect, it } from 'vitest'
import { goalText, notedReadings, progressText, showDate, trendLabel } from '../../src/tab/text.ts'
import { iso, wigView } from './wig-view.ts'

const point = (date: string, value: number, text: string) => ({ date: iso(date), value, text, note: '' })

describe('showDate: a calendar day reads the same in every time zone', () => {
  it.each([
    ['2026-06-30', 'Jun 30, 2026'],
    ['2026-01-01', 'Jan 1, 2026'],
    ['2025-12-31', 'Dec 31, 2025'],
    ['2028-02-29', 'Feb 29, 2028'],
  ])('%s is %s', (date, shown) => {
    // Midnight UTC of the 1st is still the 31st west of Greenwich: a local formatter would slip a day.
    expect(showDate(date)).toBe(shown)
  })
})

describe('goalText: what the goal is', () => {
  it('a numeric goal: from the start of the expected line to the target, by the target date', () => {
    const wig = wigView({ baselineText: '41%', targetText: '55%', targetDate: iso('2027-06-30'), line: { start: point('2025-07-01', 0.41, '41%'), end: point('2027-06-30', 0.55, '55%') } })
    expect(goalText(wig)).toBe('from 41% to 55% by Jun 30, 2027')
  })

  it('a blank Baseline reads from the first check-in the line starts at', () => {
    const wig = wigView({ baselineText: null, targetText: '55%', targetDate: iso('2027-06-30'), line: { start: point('2025-09-15', 0.38, '38%'), end: point('2027-06-30', 0.55, '55%') } })
    expect(goalText(wig)).toBe('from 38% to 55% by Jun 30, 2027')
  })

  it('without a line (no start yet) it falls back to the baseline, and to the target alone', () => {
    expect(goalText(wigView({ baselineText: '12 days', targetText: '5 days', targetDate: iso('2026-06-30') }))).toBe('from 12 days to 5 days by Jun 30, 2026')
    expect(goalText(wigView({ targetText: '90%', targetDate: iso('2026-06-30') }))).toBe('to 90% by Jun 30, 2026')
  })

  it('without a target date it says no date rather than a wrong one', () => {
    expect(goalText(wigView({ baselineText: '41%', targetText: '55%', targetDate: null }))).toBe('from 41% to 55%')
  })

  it('a milestone is done by its date', () => {
    expect(goalText(wigView({ kind: 'Milestone', targetDate: iso('2027-06-30') }))).toBe('Milestone by Jun 30, 2027')
    expect(goalText(wigView({ kind: 'Milestone', targetDate: null }))).toBe('Milestone')
  })
})

describe('progressText: how far along, beside where the rules expected it', () => {
  it('share of the way, and the share expected at the latest check-in', () => {
    const wig = wigView({ baseline: 0.18, target: 0.75, progress: 0.35, expectedProgress: 0.38, latest: { date: iso('2026-11-30'), value: 0.3795 } })
    expect(progressText(wig)).toBe('35% of the way · expected 38% by Nov 30, 2026')
  })

  it('says nothing about the expected share when the rules could not work it out', () => {
    expect(progressText(wigView({ baseline: 0, target: 10, progress: 0.2, expectedProgress: null }))).toBe('20% of the way')
  })

  it('no progress (no check-in yet) gives no text', () => {
    expect(progressText(wigView({ progress: null }))).toBeNull()
  })

  it('a milestone: share of steps done, and the share due by now, even when nothing is done yet', () => {
    expect(progressText(wigView({ kind: 'Milestone', progress: 0.5, pace: 0.625, expectedProgress: 0.8 }))).toBe('50% of steps done · expected 80% by now')
    expect(progressText(wigView({ kind: 'Milestone', progress: 0, pace: 0, expectedProgress: 0.5 }))).toBe('0% of steps done · expected 50% by now')
    expect(progressText(wigView({ kind: 'Milestone', progress: 0.25, pace: 1, expectedProgress: 0 }))).toBe('25% of steps done · expected 0% by now')
  })
})

describe('trendLabel: the sparkline read out', () => {
  it('no readings', () => {
    expect(trendLabel(wigView({ targetText: '75%' }))).toBe('No check-ins yet')
  })

  it('one reading', () => {
    expect(trendLabel(wigView({ readings: [point('2025-09-01', 0.18, '18%')], targetText: '75%' }))).toBe('Trend: 1 check-in, 18% on Sep 1, 2025; target 75%')
  })

  it('from the first to the latest reading, with the target', () => {
    const readings = [point('2025-09-01', 0.18, '18%'), point('2026-02-01', 0.3, '30%'), point('2026-06-15', 0.31, '31%'), point('2026-11-30', 0.38, '38%')]
    expect(trendLabel(wigView({ readings, targetText: '75%' }))).toBe('Trend: 4 check-ins, from 18% on Sep 1, 2025 to 38% on Nov 30, 2026; target 75%')
  })

  it('two readings with the same value and date are still two', () => {
    const readings = [point('2026-01-05', 3, '3'), point('2026-01-05', 3, '3')]
    expect(trendLabel(wigView({ readings }))).toBe('Trend: 2 check-ins, from 3 on Jan 5, 2026 to 3 on Jan 5, 2026')
  })
})

describe("notedReadings: what the WIG's owner said about the latest values", () => {
  it('keeps the check-ins with a note, newest first, at most five', () => {
    const noted = (date: string, note: string) => ({ ...point(date, 1, '1'), note })
    const readings = [
      noted('2026-01-05', 'first'),
      noted('2026-02-05', ''),
      noted('2026-03-05', 'second'),
      noted('2026-04-05', '   '),
      noted('2026-05-05', 'third'),
      noted('2026-06-05', 'fourth'),
      noted('2026-07-05', 'fifth'),
      noted('2026-08-05', 'sixth'),
    ]
    expect(notedReadings(wigView({ readings })).map((r) => r.note)).toEqual(['sixth', 'fifth', 'fourth', 'third', 'second'])
    expect(notedReadings(wigView({ readings: [noted('2026-01-05', '')] }))).toEqual([])
  })
})
