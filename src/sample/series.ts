import { addDays, daysBetween, type IsoDate } from '../domain/dates.ts'
import type { WigStatus } from '../domain/model.ts'
import { exhaustiveSwitchError } from '../domain/result.ts'
import type { NumericGoal, SampleMeasure } from './goals.ts'
import type { GoalTimeline } from './timeline.ts'

/**
 * Check-in values for the sample. A numeric WIG's latest value is placed at a chosen share of
 * the progress expected on its date (WORKBOOK.md: p = (V − B) / (E(t) − B)), which lands it in
 * its intended band whatever the as-of date; earlier values only tell a plausible story.
 */

export type Reading = { date: IsoDate; value: number }

/** Small fixed ups and downs, so series look measured rather than drawn with a ruler. */
const WIGGLE = [0, 0.6, -0.4, 0.9, -0.7, 0.3, -0.2, 0.8, -0.9, 0.5, -0.5, 0.1] as const

function wiggle(i: number): number {
  return WIGGLE[i % WIGGLE.length] ?? 0
}

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals
  return Math.round(value * factor) / factor
}

/** Dates every `everyDays` back from `latest`, kept after `notBefore`, oldest first. */
export function cadenceDates(latest: IsoDate, everyDays: number, notBefore: IsoDate): IsoDate[] {
  const dates: IsoDate[] = []
  for (let d = latest; d >= notBefore; d = addDays(d, -everyDays)) dates.unshift(d)
  return dates
}

function expectedAt(goal: NumericGoal, timeline: GoalTimeline, date: IsoDate): number {
  const span = daysBetween(timeline.start, timeline.end)
  const elapsed = Math.min(Math.max(daysBetween(timeline.start, date), 0), span)
  return goal.baseline + ((goal.target - goal.baseline) * elapsed) / span
}

/** Share of expected progress each status is drawn at: [first reading, latest reading]. */
function progressPath(status: WigStatus): { from: number; to: number; band: [number, number] } | null {
  switch (status) {
    case 'On track':
      return { from: 0.92, to: 0.96, band: [0.9, 1] }
    case 'At risk':
      return { from: 1.02, to: 0.8, band: [0.7, 0.9] }
    case 'Off track':
      return { from: 0.95, to: 0.45, band: [0.2, 0.7] }
    case 'Missed':
      return { from: 0.98, to: 0.72, band: [0.5, 0.9] }
    case 'Achieved':
    case 'No data':
    case 'Not started':
      return null
    default:
      return exhaustiveSwitchError(status, 'WIG status')
  }
}

/** Clamps to what the unit allows (a percentage stays within 0-100). */
function withinUnit(unit: string, value: number): number {
  return unit === '%' ? Math.min(100, Math.max(0, value)) : Math.max(0, value)
}

/**
 * The value nearest `share` of expected progress whose p falls in `band` after rounding.
 * Nudged one rounding unit at a time: rounding must never tip a status.
 */
function landInBand(goal: NumericGoal, expected: number, share: number, band: [number, number]): number {
  const b = goal.baseline
  const p = (v: number) => (v - b) / (expected - b)
  const unit = 10 ** -goal.decimals * Math.sign(expected - b)
  let value = roundTo(b + share * (expected - b), goal.decimals)
  for (let i = 0; i < 1000; i++) {
    if (p(value) < band[0]) value = roundTo(value + unit, goal.decimals)
    else if (p(value) >= band[1]) value = roundTo(value - unit, goal.decimals)
    else return value
  }
  throw new Error(`Sample ${goal.id}: no value lands in the ${band.join('-')} band`)
}

/** The WIG's own readings, oldest first; none for goals that have not started or have no data yet. */
export function wigReadings(goal: NumericGoal, timeline: GoalTimeline): Reading[] {
  if (!goal.checkIns || timeline.measuredUntil === null) return []
  const latest = addDays(timeline.measuredUntil, -goal.checkIns.ageDays)
  const dates = cadenceDates(latest, goal.checkIns.everyDays, addDays(timeline.start, 3))
  const n = dates.length
  const span = goal.target - goal.baseline

  if (goal.intended === 'Achieved') {
    // Reached the target early: climbing readings, the latest a little past the target.
    return dates.map((date, i) => {
      const share = i === n - 1 ? 1.04 : (0.95 * (i + 1)) / n
      return { date, value: withinUnit(goal.unit, roundTo(goal.baseline + span * share, goal.decimals)) }
    })
  }

  const path = progressPath(goal.intended)
  if (!path) throw new Error(`Sample ${goal.id}: ${goal.intended} goals take no check-ins`)
  return dates.map((date, i) => {
    const expected = expectedAt(goal, timeline, date)
    if (i === n - 1) return { date, value: landInBand(goal, expected, path.to, path.band) }
    const share = path.from + ((path.to - path.from) * i) / Math.max(n - 1, 1) + 0.05 * wiggle(i)
    return { date, value: withinUnit(goal.unit, roundTo(goal.baseline + share * (expected - goal.baseline), goal.decimals)) }
  })
}

const CADENCE_DAYS: Record<SampleMeasure['cadence'], number> = {
  Weekly: 7,
  Biweekly: 14,
  Monthly: 28,
  'Each checkpoint': 42,
  'Twice a year': 91,
}

/** How strongly a lead measure moved, by the status of its WIG: lead measures tend to tell the same story. */
function leadPace(status: WigStatus): number {
  switch (status) {
    case 'Achieved':
      return 1.25
    case 'On track':
      return 1.05
    case 'No data':
      return 0.95
    case 'At risk':
      return 0.85
    case 'Missed':
      return 0.75
    case 'Off track':
      return 0.6
    case 'Not started':
      return 0
    default:
      return exhaustiveSwitchError(status, 'WIG status')
  }
}

/** Readings of a tracked measure, oldest first. `offset` staggers measures of one goal over the week. */
export function measureReadings(measure: SampleMeasure, status: WigStatus, timeline: GoalTimeline, offset: number): Reading[] {
  if (!measure.tracked || timeline.measuredUntil === null) return []
  const latest = addDays(timeline.measuredUntil, -(2 + (offset % 3)))
  const dates = cadenceDates(latest, CADENCE_DAYS[measure.cadence], addDays(timeline.start, 5))
  const span = daysBetween(timeline.start, timeline.end)
  const low = Math.min(measure.baseline, measure.target)
  const high = Math.max(measure.baseline, measure.target)
  const decimals = measure.unit === '%' ? 1 : 0
  return dates.map((date, i) => {
    const elapsed = daysBetween(timeline.start, date) / span
    const share = Math.min(1, elapsed * leadPace(status)) + 0.03 * wiggle(i + offset)
    const value = measure.baseline + (measure.target - measure.baseline) * share
    return { date, value: roundTo(Math.min(high, Math.max(low, value)), decimals) }
  })
}
