import type { IsoDate } from './dates.ts'
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
export type Owner = { text: string; email: string | null; name: string | null }

export type Strategy = {
  id: string
  pillar: string
  strategy: string
  priorityId: string
  priority: string
  keyLevers: string
  performanceMeasures: string
  collaboratingDepartments: string
}

export type Wig = {
  id: string
  title: string
  /** null when the cell is blank or unreadable (reported as a problem). */
  targetDate: IsoDate | null
  strategyId: string
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
  id: string
  wigId: string
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
  id: string | null
  wigId: string
  measureId: string | null
  date: IsoDate | null
  value: number | null
  note: string
  enteredBy: string
  enteredAt: string
  /** Position in the table (0-based): on a date tie, the row further down wins. */
  position: number
}

export type ActionStep = {
  id: string | null
  wigId: string
  measureId: string | null
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
