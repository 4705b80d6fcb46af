import type { IsoDate } from './dates.ts'
import { parseEmail, parseMeasureId, parseWigId, type CheckInId, type Email, type IdProblem, type MeasureId, type StepId, type StrategyId, type WigId } from './ids.ts'
import { err, ok, type Result } from './result.ts'
import type { ValueScale } from './units.ts'

/** The plan model: the contract's tables as typed records (see docs/WORKBOOK.md). */

export const WIG_STATUSES = ['On track', 'At risk', 'Off track', 'Achieved', 'Missed', 'No data', 'Not started'] as const
export type WigStatus = (typeof WIG_STATUSES)[number]

export const STEP_STATUSES = ['Not started', 'In progress', 'Blocked', 'Done', 'Cancelled'] as const
export type StepStatus = (typeof STEP_STATUSES)[number]

export const WIG_KINDS = ['Numeric', 'Milestone'] as const
export type WigKind = (typeof WIG_KINDS)[number]

export const DIRECTIONS = ['Increase', 'Decrease'] as const
export type Direction = (typeof DIRECTIONS)[number]

export const MEASURE_TYPES = ['Lag', 'Lead'] as const
export type MeasureType = (typeof MEASURE_TYPES)[number]

/** An owner as written in the workbook, with the People entry it resolved to (if any). */
export type Owner = { text: string; email: Email | null; name: string | null }

export type Strategy = {
  id: StrategyId
  pillar: string
  strategy: string
  priorityId: string
  priority: string
  keyLevers: string
  performanceMeasures: string
  collaboratingDepartments: string
}

export type Wig = {
  id: WigId
  title: string
  /** null when the cell is blank or unreadable (reported as a problem). */
  targetDate: IsoDate | null
  /** '' when the cell is blank. */
  strategyId: StrategyId | ''
  department: string
  /** Decoded: a blank Kind is Numeric when Target is a number, else Milestone. */
  kind: WigKind
  unit: string
  /**
   * Decoded from the number formats of Baseline and Target (and Unit when the backend gives no
   * formats): how this WIG's values, and its own check-ins, are read and shown (see units.ts).
   */
  scale: ValueScale
  /** null when blank: the engine infers it from Target against the baseline it uses. */
  direction: Direction | null
  baseline: number | null
  target: number | null
  startDate: IsoDate | null
  owner: Owner | null
  statusOverride: WigStatus | null
  statusNote: string
}

export type Measure = {
  id: MeasureId
  /** '' when the cell is blank or not an id (reported as a problem). */
  wigId: WigId | ''
  type: MeasureType | null
  name: string
  unit: string
  /** Decided from the measure's own Baseline and Target, as a WIG's: lead measures often count other things. */
  scale: ValueScale
  baseline: number | null
  target: number | null
  dueDate: IsoDate | null
  owner: Owner | null
  cadence: string
}

export type CheckIn = {
  /** null for a row typed into Excel without an id: kept, and reported so the task pane can assign one. */
  id: CheckInId | null
  /** '' when the cell is blank or not an id (reported as a problem). */
  wigId: WigId | ''
  measureId: MeasureId | null
  date: IsoDate | null
  value: number | null
  note: string
  enteredBy: string
  enteredAt: string
  /** Position in the table (0-based): on a date tie, the row further down wins. */
  position: number
}

export type ActionStep = {
  id: StepId | null
  /** '' when the cell is blank or not an id (reported as a problem). */
  wigId: WigId | ''
  measureId: MeasureId | null
  title: string
  owner: Owner | null
  dueDate: IsoDate | null
  /** null when the cell holds something the contract does not know; `rawStatus` keeps it. */
  status: StepStatus | null
  rawStatus: string
  sequence: number | null
  support: string
  startDate: IsoDate | null
  /** 0-100 */
  percentComplete: number | null
  notes: string
  updatedBy: string
  updatedAt: string
  position: number
}

/**
 * `email` is checked by the codec with `parseEmail`, but typed as a plain string until
 * test/sample/scale.test.ts (another helper's) stops comparing it with EnteredBy text.
 */
export type Person = { email: string; name: string; department: string; role: string }

export type Settings = {
  districtName: string
  planYear: string
  onTrackAt: number
  atRiskAt: number
  staleAfterDays: number
  dueSoonDays: number
}

export const DEFAULT_SETTINGS: Settings = {
  districtName: '',
  planYear: '',
  onTrackAt: 0.9,
  atRiskAt: 0.7,
  staleAfterDays: 30,
  dueSoonDays: 7,
}

export type Plan = {
  strategies: Strategy[]
  wigs: Wig[]
  measures: Measure[]
  checkIns: CheckIn[]
  steps: ActionStep[]
  people: Person[]
  settings: Settings
}

// ---------------------------------------------------------------- validators of new records

/** Why a new record was refused before anything was written: data, no English (see messages/errors.ts). */
export type RecordProblem = IdProblem | { kind: 'emptyTitle' } | { kind: 'percentOutOfRange'; value: number }

/** A new action step as a user typed it: ids and the owner's email still plain text. */
export type NewStepInput = { wigId: string; title: string; owner: string; dueDate: IsoDate; measureId?: string; startDate?: IsoDate; notes?: string }
/** A new action step whose ids, owner and title have been checked. */
export type NewStep = { wigId: WigId; title: string; owner: Email; dueDate: IsoDate; measureId?: MeasureId; startDate?: IsoDate; notes?: string }

/** Checks a new step's shape (not the plan: whether its WIG exists is the use case's job). The title comes back trimmed. */
export function validateNewStep(input: NewStepInput): Result<NewStep, RecordProblem[]> {
  const problems: RecordProblem[] = []
  const wigId = collect(parseWigId(input.wigId), problems)
  const owner = collect(parseEmail(input.owner), problems)
  const measureId = input.measureId === undefined ? undefined : collect(parseMeasureId(input.measureId), problems)
  const title = input.title.trim()
  if (title === '') problems.push({ kind: 'emptyTitle' })
  if (wigId === null || owner === null || measureId === null || problems.length > 0) return err(problems)
  const step: NewStep = { wigId, title, owner, dueDate: input.dueDate }
  if (measureId !== undefined) step.measureId = measureId
  if (input.startDate !== undefined) step.startDate = input.startDate
  if (input.notes !== undefined) step.notes = input.notes
  return ok(step)
}

/** A check-in as a user typed it; `value` as the cell stores it (a percent-fraction WIG takes 0.615 for 61.5%). */
export type NewCheckInInput = { wigId: string; value: number; date: IsoDate; measureId?: string; note?: string }
export type NewCheckIn = { wigId: WigId; value: number; date: IsoDate; measureId?: MeasureId; note?: string }

/** Checks a new check-in's ids (whether they exist in the plan, and the date, are the use case's job). */
export function validateNewCheckIn(input: NewCheckInInput): Result<NewCheckIn, RecordProblem[]> {
  const problems: RecordProblem[] = []
  const wigId = collect(parseWigId(input.wigId), problems)
  const measureId = input.measureId === undefined ? undefined : collect(parseMeasureId(input.measureId), problems)
  if (wigId === null || measureId === null) return err(problems)
  const entry: NewCheckIn = { wigId, value: input.value, date: input.date }
  if (measureId !== undefined) entry.measureId = measureId
  if (input.note !== undefined) entry.note = input.note
  return ok(entry)
}

/** Checks the parts of a step edit a user types as text: the owner's email and the percent complete. */
export function validateStepChange(change: { owner?: string; percentComplete?: number }): Result<{ owner?: Email; percentComplete?: number }, RecordProblem[]> {
  const problems: RecordProblem[] = []
  const checked: { owner?: Email; percentComplete?: number } = {}
  if (change.owner !== undefined) {
    const owner = collect(parseEmail(change.owner), problems)
    if (owner !== null) checked.owner = owner
  }
  if (change.percentComplete !== undefined) {
    if (change.percentComplete >= 0 && change.percentComplete <= 100) checked.percentComplete = change.percentComplete
    else problems.push({ kind: 'percentOutOfRange', value: change.percentComplete })
  }
  return problems.length > 0 ? err(problems) : ok(checked)
}

function collect<T>(result: Result<T, IdProblem>, problems: RecordProblem[]): T | null {
  if (result.ok) return result.value
  problems.push(result.error)
  return null
}
