import { addDays, type IsoDate } from '../domain/dates.ts'
import { exhaustiveSwitchError } from '../domain/result.ts'
import { endOfMonth, endOfMonthAfter, earlier, firstOfMonth, later, type PlanYear } from './calendar.ts'
import type { SampleGoal } from './goals.ts'

/**
 * Where a goal sits in time as of the sample's as-of date. Every date the status rules look at
 * is placed relative to as-of, so the intended status holds whatever as-of is chosen.
 */
export type GoalTimeline = {
  start: IsoDate
  end: IsoDate
  /** The last date anything about this goal can have been measured: as-of, or the end of an ended goal. */
  measuredUntil: IsoDate | null
}

/**
 * A current goal starts at the plan year's start, but at least this many days before as-of:
 * early in the year its check-ins would otherwise sit so close to the start that the expected
 * line has barely moved and rounding could tip a status.
 */
const MIN_DAYS_UNDER_WAY = 100

/** Current milestones keep at least a month of future steps so "on track" has something still to do. */
const MIN_DAYS_TO_GO = 30

export function goalTimeline(goal: SampleGoal, asOf: IsoDate, year: PlanYear): GoalTimeline {
  const window = goal.window
  switch (window.kind) {
    case 'current': {
      const start = earlier(year.start, addDays(asOf, -MIN_DAYS_UNDER_WAY))
      const end =
        goal.kind === 'Milestone'
          ? later(endOfMonthAfter(year.end, goal.monthsPastPlanYear), endOfMonth(addDays(asOf, MIN_DAYS_TO_GO)))
          : year.end
      return { start, end, measuredUntil: asOf }
    }
    case 'ended': {
      const end = endOfMonth(addDays(asOf, -window.daysAgo))
      return { start: firstOfMonth(addDays(end, -150)), end, measuredUntil: end }
    }
    case 'upcoming': {
      const start = firstOfMonth(addDays(asOf, window.inDays))
      return { start, end: endOfMonth(addDays(start, 150)), measuredUntil: null }
    }
    default:
      return exhaustiveSwitchError(window, 'goal window')
  }
}
