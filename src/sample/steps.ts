import { addDays, type IsoDate } from '../domain/dates.ts'
import type { StepStatus, WigStatus } from '../domain/model.ts'
import { exhaustiveSwitchError } from '../domain/result.ts'
import { between, earlier, later } from './calendar.ts'
import type { MilestoneGoal, NumericGoal, SampleGoal, SampleStep } from './goals.ts'
import type { GoalTimeline } from './timeline.ts'

/**
 * Action steps laid out in time. A milestone WIG's status comes from its steps (share done over
 * share due), so its steps are placed on either side of as-of exactly as goals.ts says; a numeric
 * WIG's steps tell the same story as its check-ins: the further behind, the more steps are late.
 */

export type PlacedStep = SampleStep & { dueDate: IsoDate; status: StepStatus; sequence: number }

/** Late steps (due before as-of, still open) for a numeric WIG in each state. */
function stepsBehind(status: WigStatus): number {
  switch (status) {
    case 'At risk':
      return 1
    case 'Off track':
      return 2
    case 'On track':
    case 'Achieved':
    case 'No data':
    case 'Not started':
    case 'Missed':
      return 0
    default:
      return exhaustiveSwitchError(status, 'WIG status')
  }
}

/** `count` dates spread evenly from `from` to `to` (both included when count > 1). */
function spread(from: IsoDate, to: IsoDate, count: number): IsoDate[] {
  if (count === 1) return [between(from, to, 0.5)]
  return Array.from({ length: count }, (_, i) => between(from, to, i / (count - 1)))
}

const QUARTERS = ['first', 'second', 'third', 'fourth'] as const

/** Every numeric WIG team reviews its check-ins each quarter of the goal, as 4DX cadence asks. */
function quarterReviews(goal: NumericGoal, timeline: GoalTimeline): (SampleStep & { dueDate: IsoDate })[] {
  return QUARTERS.map((quarter, i) => ({
    title: `Review the ${quarter} quarter's check-ins against the target line and adjust the plan`,
    owner: goal.owner,
    support: 'Strategy and Performance',
    dueDate: addDays(between(timeline.start, timeline.end, (i + 1) / 4), -3),
  }))
}

function numericSteps(goal: NumericGoal, timeline: GoalTimeline, asOf: IsoDate): PlacedStep[] {
  const windowKind = goal.window.kind
  const firstDue = addDays(timeline.start, 10)
  const lastDue = addDays(timeline.end, -10)
  const dues = spread(firstDue, lastDue, goal.steps.length)
  const authored = goal.steps.map((step, i) => ({ ...step, dueDate: dues[i] ?? lastDue, review: false }))
  const reviews = quarterReviews(goal, timeline).map((step) => ({ ...step, review: true }))
  const ordered = [...authored, ...reviews].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : Number(a.review) - Number(b.review)))

  const late = authored.filter((s) => s.dueDate < asOf)
  const behind = stepsBehind(goal.intended)
  const inProgress = behind > 0 ? late.at(-1) : undefined
  const blocked = behind > 1 ? late.at(-2) : undefined
  const firstFuture = ordered.find((s) => s.dueDate >= asOf)

  return ordered.map((item, i) => {
    const { review: _review, ...step } = item
    let status: StepStatus
    if (windowKind === 'upcoming') status = 'Not started'
    else if (windowKind === 'ended') status = step.status ?? 'Done'
    else if (item === firstFuture) status = 'In progress'
    else if (step.dueDate >= asOf) status = 'Not started'
    else if (item === inProgress) status = 'In progress'
    else if (item === blocked) status = 'Blocked'
    else status = 'Done'
    const notes =
      step.notes ??
      (status === 'Blocked'
        ? 'Waiting on a decision from the cabinet before this can go ahead.'
        : status === 'In progress' && step.dueDate < asOf
          ? 'Running late; a new date was agreed at the last WIG session.'
          : undefined)
    return { ...step, status, sequence: i + 1, ...(notes ? { notes } : {}) }
  })
}

function milestoneSteps(goal: MilestoneGoal, timeline: GoalTimeline, asOf: IsoDate): PlacedStep[] {
  const n = goal.steps.length
  const windowKind = goal.window.kind
  let dues: IsoDate[]
  let due: number
  switch (windowKind) {
    case 'current':
      due = goal.stepsDue
      dues = [
        ...spread(addDays(timeline.start, 7), addDays(asOf, -2), due),
        // The first future step falls due within the week, so the sample always has a "due soon" step.
        ...spread(addDays(asOf, 3), addDays(timeline.end, -5), n - due),
      ]
      break
    case 'ended':
      due = n
      dues = spread(addDays(timeline.start, 7), addDays(timeline.end, -3), n)
      break
    case 'upcoming':
      due = 0
      dues = spread(addDays(timeline.start, 7), addDays(timeline.end, -5), n)
      break
    default:
      return exhaustiveSwitchError(windowKind, 'goal window')
  }
  return goal.steps.map((step, i) => {
    const dueDate = dues[i] ?? timeline.end
    const status: StepStatus = windowKind === 'upcoming' ? 'Not started' : i < due ? (step.status ?? 'Done') : i === due ? 'In progress' : 'Not started'
    return { ...step, dueDate, status, sequence: i + 1 }
  })
}

export function placeSteps(goal: SampleGoal, timeline: GoalTimeline, asOf: IsoDate): PlacedStep[] {
  switch (goal.kind) {
    case 'Numeric':
      return numericSteps(goal, timeline, asOf)
    case 'Milestone':
      return milestoneSteps(goal, timeline, asOf)
    default:
      return exhaustiveSwitchError(goal, 'goal kind')
  }
}

/** When work on a step began: about four weeks before it is due, never before its goal starts. */
export function stepStart(step: PlacedStep, timeline: GoalTimeline): IsoDate {
  return earlier(step.dueDate, later(timeline.start, addDays(step.dueDate, -28)))
}

export function percentComplete(step: PlacedStep): number {
  switch (step.status) {
    case 'Done':
      return 100
    case 'Not started':
    case 'Cancelled':
      return 0
    case 'Blocked':
      return 20
    case 'In progress':
      return 30 + ((step.sequence * 17) % 45)
    default:
      return exhaustiveSwitchError(step.status, 'step status')
  }
}

/** The last time someone touched a step: never after as-of, and nothing for untouched steps. */
export function lastUpdate(step: PlacedStep, asOf: IsoDate): IsoDate | null {
  if (step.status === 'Not started') return null
  const before = addDays(asOf, -1 - (step.sequence % 5))
  // Closed steps were last touched when they closed, around their due date; open ones recently.
  return step.status === 'Done' || step.status === 'Cancelled' ? earlier(addDays(step.dueDate, -1), before) : before
}
