import type { IsoDate } from '../domain/dates.ts'
import { DEFAULT_SETTINGS, type WigStatus } from '../domain/model.ts'
import { exhaustiveSwitchError } from '../domain/result.ts'
import type { TableName } from '../workbook/contract.ts'
import { headersOf } from '../workbook/layout.ts'
import type { CellValue } from '../workbook/raw.ts'
import { monthYear, planYearOf, type PlanYear } from './calendar.ts'
import { SAMPLE_GOALS, type SampleGoal } from './goals.ts'
import { SAMPLE_PEOPLE, emailOf, personOf } from './people.ts'
import { measureReadings, wigReadings, type Reading } from './series.ts'
import { lastUpdate, percentComplete, placeSteps, stepStart } from './steps.ts'
import { SAMPLE_STRATEGIES } from './strategies.ts'
import { goalTimeline, type GoalTimeline } from './timeline.ts'

/**
 * The sample district, Riverbend Unified, as table rows: pure, deterministic, laid out around
 * `asOf` so that every WIG status, overdue and due-soon steps, stale WIGs and a manual status
 * all show up whatever date is chosen. Dates are ISO text here (the contract accepts it); the
 * writer turns the layout's date columns into real Excel dates.
 */

export const SAMPLE_DISTRICT_NAME = 'Riverbend Unified School District'

export type SampleTable = { headers: string[]; rows: CellValue[][] }

export type SampleData = {
  asOf: IsoDate
  planYear: PlanYear
  tables: Record<TableName, SampleTable>
}

type Row = Record<string, CellValue>

function table(name: TableName, rows: readonly Row[]): SampleTable {
  const headers = headersOf(name)
  return { headers, rows: rows.map((row) => headers.map((h) => row[h] ?? '')) }
}

/** A timestamp in the afternoon of `date`, as the app records EnteredAt/UpdatedAt. */
function stamp(date: IsoDate, minute: number): string {
  const m = minute % 120
  return `${date}T${String(14 + Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00Z`
}

function ownerCell(goal: SampleGoal): string {
  return goal.ownerAsName ? personOf(goal.owner).name : emailOf(goal.owner)
}

function wigTitle(goal: SampleGoal, timeline: GoalTimeline): string {
  switch (goal.kind) {
    case 'Numeric': {
      const suffix = goal.unit === '%' ? '%' : ''
      return `${goal.goal} from ${goal.baseline}${suffix} to ${goal.target}${suffix} by ${monthYear(timeline.end)}`
    }
    case 'Milestone':
      return `${goal.goal} by ${monthYear(timeline.end)}`
    default:
      return exhaustiveSwitchError(goal, 'goal kind')
  }
}

function wigRow(goal: SampleGoal, timeline: GoalTimeline): Row {
  const numeric = goal.kind === 'Numeric' ? goal : null
  return {
    WigId: goal.id,
    StrategyId: goal.strategyId,
    Department: goal.department,
    Title: wigTitle(goal, timeline),
    Kind: goal.kind,
    Unit: numeric?.unit ?? '',
    Direction: numeric && !numeric.blankDirection ? numeric.direction : '',
    Baseline: numeric?.baseline ?? '',
    Target: numeric?.target ?? '',
    StartDate: timeline.start,
    TargetDate: timeline.end,
    Owner: ownerCell(goal),
    StatusOverride: goal.override?.status ?? '',
    StatusNote: goal.override?.note ?? '',
  }
}

function measureId(goal: SampleGoal, index: number): string {
  return `${goal.id.replace('WIG', 'M')}-${index + 1}`
}

/** Short notes a WIG owner would type beside the latest check-in. */
const LATEST_NOTES: Partial<Record<WigStatus, string>> = {
  'On track': 'In line with the plan; keep the current cadence.',
  'At risk': 'Behind the line; two schools missed their session this cycle.',
  'Off track': 'Well behind; escalated to the cabinet for support.',
  Achieved: 'Target reached ahead of schedule.',
  Missed: 'Final count for the term.',
}

type PendingCheckIn = { goal: SampleGoal; measure: string; reading: Reading; note: string; by: string; order: number }

function goalCheckIns(goal: SampleGoal, timeline: GoalTimeline, order: number): PendingCheckIn[] {
  const own = goal.kind === 'Numeric' ? wigReadings(goal, timeline) : []
  const pending: PendingCheckIn[] = own.map((reading, i) => ({
    goal,
    measure: '',
    reading,
    note: i === own.length - 1 ? (LATEST_NOTES[goal.intended] ?? '') : '',
    by: emailOf(goal.owner),
    order,
  }))
  goal.measures.forEach((measure, m) => {
    for (const reading of measureReadings(measure, goal.intended, timeline, order + m)) {
      pending.push({ goal, measure: measureId(goal, m), reading, note: '', by: emailOf(measure.owner), order })
    }
  })
  return pending
}

export function sampleDistrict(asOf: IsoDate): SampleData {
  const planYear = planYearOf(asOf)
  const timelines = SAMPLE_GOALS.map((goal) => ({ goal, timeline: goalTimeline(goal, asOf, planYear) }))

  const strategies: Row[] = SAMPLE_STRATEGIES.map((s) => ({
    StrategyId: s.id,
    Pillar: s.pillar,
    PriorityId: s.priorityId,
    Priority: s.priority,
    Strategy: s.strategy,
    KeyLevers: s.keyLevers.map((l) => `• ${l}`).join('\n'),
    PerformanceMeasures: s.performanceMeasures.join('; '),
    CollaboratingDepartments: s.collaborating.join(', '),
  }))

  const wigs = timelines.map(({ goal, timeline }) => wigRow(goal, timeline))

  const measures: Row[] = timelines.flatMap(({ goal, timeline }) =>
    goal.measures.map((m, i) => ({
      MeasureId: measureId(goal, i),
      WigId: goal.id,
      Type: m.type,
      Name: m.name,
      Unit: m.unit,
      Baseline: m.baseline,
      Target: m.target,
      DueDate: timeline.end,
      Owner: emailOf(m.owner),
      Cadence: m.cadence,
    })),
  )

  // Rows appear in the order they were entered: by date, goals in plan order on the same day.
  const pending = timelines
    .flatMap(({ goal, timeline }, order) => goalCheckIns(goal, timeline, order))
    .sort((a, b) => (a.reading.date < b.reading.date ? -1 : a.reading.date > b.reading.date ? 1 : a.order - b.order))
  const checkIns: Row[] = pending.map((c, i) => ({
    CheckInId: `CI-${String(i + 1).padStart(4, '0')}`,
    WigId: c.goal.id,
    MeasureId: c.measure,
    Date: c.reading.date,
    Value: c.reading.value,
    Note: c.note,
    EnteredBy: c.by,
    EnteredAt: stamp(c.reading.date, i * 7),
  }))

  let stepNumber = 0
  const steps: Row[] = timelines.flatMap(({ goal, timeline }) =>
    placeSteps(goal, timeline, asOf).map((step) => {
      stepNumber += 1
      const updated = lastUpdate(step, asOf)
      return {
        StepId: `ST-${String(stepNumber).padStart(4, '0')}`,
        WigId: goal.id,
        MeasureId: step.measure !== undefined ? measureId(goal, step.measure) : '',
        Sequence: step.sequence,
        Title: step.title,
        Owner: emailOf(step.owner),
        Support: step.support,
        StartDate: stepStart(step, timeline),
        DueDate: step.dueDate,
        Status: step.status,
        PercentComplete: percentComplete(step),
        Notes: step.notes ?? '',
        UpdatedBy: updated ? emailOf(step.owner) : '',
        UpdatedAt: updated ? stamp(updated, stepNumber * 11) : '',
      }
    }),
  )

  const people: Row[] = SAMPLE_PEOPLE.map((p) => ({ Email: emailOf(p.handle), Name: p.name, Department: p.department, Role: p.role }))

  const settings: Row[] = [
    { Key: 'DistrictName', Value: SAMPLE_DISTRICT_NAME },
    { Key: 'PlanYear', Value: planYear.label },
    { Key: 'OnTrackAt', Value: DEFAULT_SETTINGS.onTrackAt },
    { Key: 'AtRiskAt', Value: DEFAULT_SETTINGS.atRiskAt },
    { Key: 'StaleAfterDays', Value: DEFAULT_SETTINGS.staleAfterDays },
    { Key: 'DueSoonDays', Value: DEFAULT_SETTINGS.dueSoonDays },
  ]

  return {
    asOf,
    planYear,
    tables: {
      Strategies: table('Strategies', strategies),
      WIGs: table('WIGs', wigs),
      Measures: table('Measures', measures),
      CheckIns: table('CheckIns', checkIns),
      ActionSteps: table('ActionSteps', steps),
      People: table('People', people),
      ChangeLog: table('ChangeLog', []),
      Settings: table('Settings', settings),
      Reminders: table('Reminders', []),
    },
  }
}
