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
  /** E(t) at the latest check-in's date t (numeric WIGs only). */
  expected: number | null
  progress: number | null
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

/**
 * p = (V − B) / (E − B); the sign of both sides carries the direction. Rounded to 9 places so a
 * result that is exactly a threshold by hand (25.65 / 28.5 = 0.9) is not 0.8999999999999999.
 */
export function progressOf(v: number, b: number, e: number): number {
  return e === b ? 1 : Math.round(((v - b) / (e - b)) * 1e9) / 1e9
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

type Judgement = { computed: WigStatus; expected: number | null; progress: number | null }

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
  const achieved = target !== null && b !== null && latest !== undefined && hasReached(effectiveDirection(wig, b, target), latest.value, target)
  let measured: { expected: number; progress: number } | null = null
  if (target !== null && t1 !== null && b !== null && first !== undefined && latest !== undefined) {
    const expected = expectedAt(b, target, wig.startDate ?? first.date, t1, latest.date)
    measured = { expected, progress: progressOf(latest.value, b, expected) }
  }

  const computed: WigStatus = isNotStarted(wig, asOf)
    ? 'Not started'
    : achieved
      ? 'Achieved'
      : t1 !== null && asOf > t1
        ? 'Missed'
        : measured === null
          ? 'No data'
          : byThresholds(measured.progress, settings)
  return { computed, expected: measured?.expected ?? null, progress: measured?.progress ?? null }
}

function judgeMilestone(wig: Wig, steps: readonly ActionStep[], settings: Settings, asOf: IsoDate): Judgement {
  const live = steps.filter((s) => s.status !== 'Cancelled')
  const n = live.length
  const done = live.filter(isDone).length
  const due = live.filter((s) => s.dueDate !== null && s.dueDate < asOf).length
  // doneShare / dueShare = done / due, both shares having the same n.
  const progress = n === 0 ? null : due === 0 ? 1 : done / due

  const computed: WigStatus = isNotStarted(wig, asOf)
    ? 'Not started'
    : n > 0 && done === n
      ? 'Achieved'
      : wig.targetDate !== null && asOf > wig.targetDate
        ? 'Missed'
        : progress === null
          ? 'No data'
          : byThresholds(progress, settings)
  return { computed, expected: null, progress }
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
    steps: { total: wigSteps.length, done: wigSteps.filter(isDone).length, overdue, dueSoon },
    stepsAreCurrentNotAsOf: wig.kind === 'Milestone' && today !== undefined && asOf < today,
  }
}
