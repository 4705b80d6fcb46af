import { daysBetween, type IsoDate } from './dates.ts'
import type { ActionStep, CheckIn, Direction, Settings, Wig, WigStatus } from './model.ts'
import { exhaustiveSwitchError } from './result.ts'
import { isDone, stepTiming } from './steps.ts'

/** A WIG with its status and the numbers behind it, as of one date (WORKBOOK.md, Status rules). */
export type WigReport = {
  wig: Wig
  /** StatusOverride when set, else computedStatus. */
  status: WigStatus
  /** What the rules say, even under an override, so both can be shown. */
  computedStatus: WigStatus
  /** StatusOverride present. */
  manual: boolean
  note: string
  stale: boolean
  /** Latest own check-in on/before asOf (numeric WIGs only). */
  latest: { date: IsoDate; value: number } | null
  /**
   * E(t), the value expected at the latest check-in's date t (numeric WIGs only), on the stored
   * scale: the value `pace` compares the latest against.
   */
  expected: number | null
  /**
   * The share of the way from baseline to target: (V − B) / (T − B), 0 at the baseline, 1 at the
   * target, above 1 past it, below 0 when worse than the baseline (either direction). A milestone
   * WIG's is the share of its non-cancelled steps that are Done.
   */
  progress: number | null
  /** The rules' p: progress against where the WIG was expected to be by then (1 = on the line). */
  pace: number | null
  /**
   * Where `progress` was expected to be, on the same scale: (E(t) − B) / (T − B) at the latest
   * check-in for a numeric WIG; for a milestone, the share of its non-cancelled steps due before
   * as-of. Shown beside progress ("38% of the way · expected 40%").
   */
  expectedProgress: number | null
  /** total: every step row with this WigId (cancelled included). */
  steps: { total: number; done: number; overdue: number; dueSoon: number }
  /** Milestone WIG with asOf before `today`: step statuses are today's, the workbook keeps no history (WORKBOOK.md, Writing). */
  stepsAreCurrentNotAsOf: boolean
}

/** A counted own check-in: the WIG's row with no MeasureId, readable date and value, dated on/before asOf. */
export type Reading = { date: IsoDate; value: number; position: number }

/** The WIG's counted own check-ins, oldest first; on a date tie the row further down comes later. */
export function ownReadings(wigId: string, checkIns: readonly CheckIn[], asOf: IsoDate): Reading[] {
  const readings: Reading[] = []
  for (const c of checkIns) {
    if (c.wigId !== wigId || c.measureId !== null || c.date === null || c.value === null) continue
    if (c.date > asOf) continue
    readings.push({ date: c.date, value: c.value, position: c.position })
  }
  return readings.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.position - b.position))
}

/** E(t): the straight line from (t0, B) to (t1, T), flat outside it. */
export function expectedAt(b: number, t: number, t0: IsoDate, t1: IsoDate, at: IsoDate): number {
  const span = daysBetween(t0, t1)
  // A target date on or before the start leaves no line: the target is due from t1 on.
  if (span <= 0) return at >= t1 ? t : b
  const elapsed = Math.min(Math.max(daysBetween(t0, at), 0), span)
  return b + ((t - b) * elapsed) / span
}

/** Rounded to 9 places so a ratio that is exactly a threshold by hand (25.65 / 28.5 = 0.9) is not 0.8999999999999999. */
const ratio = (n: number): number => Math.round(n * 1e9) / 1e9

/** Pace p = (V − B) / (E − B); the sign of both sides carries the direction. p = 1 when E = B. */
export function paceOf(v: number, b: number, e: number): number {
  return e === b ? 1 : ratio((v - b) / (e - b))
}

/**
 * Progress = (V − B) / (T − B): dividing by T − B makes it direction-aware (from 22 down to 15,
 * a value of 18 is 4/7 of the way). With T = B there is no way to go: 1 once the target is
 * reached in the WIG's direction, else 0.
 */
export function progressOf(v: number, b: number, t: number, direction: Direction): number {
  return t === b ? (hasReached(direction, v, t) ? 1 : 0) : ratio((v - b) / (t - b))
}

export function byThresholds(p: number, settings: Settings): WigStatus {
  if (p >= settings.onTrackAt) return 'On track'
  if (p >= settings.atRiskAt) return 'At risk'
  return 'Off track'
}

export function effectiveDirection(wig: Wig, baseline: number, target: number): Direction {
  // WORKBOOK.md: Increase is the default "when Target > Baseline"; otherwise Decrease.
  return wig.direction ?? (target > baseline ? 'Increase' : 'Decrease')
}

function hasReached(direction: Direction, v: number, target: number): boolean {
  switch (direction) {
    case 'Increase':
      return v >= target
    case 'Decrease':
      return v <= target
    default:
      return exhaustiveSwitchError(direction, 'direction')
  }
}

type Judgement = { computed: WigStatus; expected: number | null; progress: number | null; pace: number | null; expectedProgress: number | null }

function isNotStarted(wig: Wig, asOf: IsoDate): boolean {
  return wig.startDate !== null && asOf < wig.startDate
}

function judgeNumeric(wig: Wig, readings: readonly Reading[], settings: Settings, asOf: IsoDate): Judgement {
  const target = wig.target
  const t1 = wig.targetDate
  const first = readings[0]
  const latest = readings.at(-1)
  const b = wig.baseline ?? first?.value ?? null
  // Each rule runs when its inputs are there: a WIG without a TargetDate can still be Achieved,
  // one without a Target can still be Missed; E and p need both (the codec reports the gap).
  const direction = target !== null && b !== null ? effectiveDirection(wig, b, target) : null
  const achieved = target !== null && direction !== null && latest !== undefined && hasReached(direction, latest.value, target)
  // Progress needs no dates: how far the latest value is from B towards T.
  const progress = target !== null && b !== null && direction !== null && latest !== undefined ? progressOf(latest.value, b, target, direction) : null
  let measured: { expected: number; pace: number } | null = null
  if (target !== null && t1 !== null && b !== null && first !== undefined && latest !== undefined) {
    const expected = expectedAt(b, target, wig.startDate ?? first.date, t1, latest.date)
    measured = { expected, pace: paceOf(latest.value, b, expected) }
  }

  const computed: WigStatus = isNotStarted(wig, asOf)
    ? 'Not started'
    : achieved
      ? 'Achieved'
      : t1 !== null && asOf > t1
        ? 'Missed'
        : measured === null
          ? 'No data'
          : byThresholds(measured.pace, settings)
  const expectedProgress = measured !== null && target !== null && b !== null && target !== b ? (measured.expected - b) / (target - b) : null
  return { computed, expected: measured?.expected ?? null, progress, pace: measured?.pace ?? null, expectedProgress }
}

function judgeMilestone(wig: Wig, steps: readonly ActionStep[], settings: Settings, asOf: IsoDate): Judgement {
  const live = steps.filter((s) => s.status !== 'Cancelled')
  const n = live.length
  const done = live.filter(isDone).length
  const due = live.filter((s) => s.dueDate !== null && s.dueDate < asOf).length
  // doneShare / dueShare = done / due, both shares having the same n.
  const pace = n === 0 ? null : due === 0 ? 1 : done / due
  const progress = n === 0 ? null : done / n

  const computed: WigStatus = isNotStarted(wig, asOf)
    ? 'Not started'
    : n > 0 && done === n
      ? 'Achieved'
      : wig.targetDate !== null && asOf > wig.targetDate
        ? 'Missed'
        : pace === null
          ? 'No data'
          : byThresholds(pace, settings)
  return { computed, expected: null, progress, pace, expectedProgress: n === 0 ? null : due / n }
}

/**
 * The status of one WIG as of `asOf`. `checkIns` and `steps` may hold other WIGs' rows.
 * `today` only serves to flag that a milestone's steps are today's, not asOf's.
 */
export function wigStatus(
  wig: Wig,
  checkIns: readonly CheckIn[],
  steps: readonly ActionStep[],
  settings: Settings,
  asOf: IsoDate,
  today?: IsoDate,
): WigReport {
  const readings = ownReadings(wig.id, checkIns, asOf)
  const latestOwn = readings.at(-1) ?? null
  const wigSteps = steps.filter((s) => s.wigId === wig.id)

  let judgement: Judgement
  switch (wig.kind) {
    case 'Numeric':
      judgement = judgeNumeric(wig, readings, settings, asOf)
      break
    case 'Milestone':
      judgement = judgeMilestone(wig, wigSteps, settings, asOf)
      break
    default:
      return exhaustiveSwitchError(wig.kind, 'WIG kind')
  }

  let overdue = 0
  let dueSoon = 0
  for (const s of wigSteps) {
    const timing = stepTiming(s, settings, asOf)
    if (timing === 'Overdue') overdue++
    else if (timing === 'Due soon') dueSoon++
  }

  return {
    wig,
    status: wig.statusOverride ?? judgement.computed,
    computedStatus: judgement.computed,
    manual: wig.statusOverride !== null,
    note: wig.statusNote ?? '',
    stale: latestOwn !== null && daysBetween(latestOwn.date, asOf) > settings.staleAfterDays,
    latest: wig.kind === 'Numeric' && latestOwn !== null ? { date: latestOwn.date, value: latestOwn.value } : null,
    expected: judgement.expected,
    progress: judgement.progress,
    pace: judgement.pace,
    expectedProgress: judgement.expectedProgress,
    steps: { total: wigSteps.length, done: wigSteps.filter(isDone).length, overdue, dueSoon },
    stepsAreCurrentNotAsOf: wig.kind === 'Milestone' && today !== undefined && asOf < today,
  }
}
