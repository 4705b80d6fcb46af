import type { IsoDate } from '../domain/dates.ts'
import type { ActionStep, MeasureType, Plan, StepStatus, Strategy } from '../domain/model.ts'
import { err, ok, type Result } from '../domain/result.ts'
import { ownerGroup } from '../domain/rollup.ts'
import { ownReadings } from '../domain/status.ts'
import { isOpen, stepTiming, type StepTiming } from '../domain/steps.ts'
import { formatValue, measureUnits, wigUnits, type ValueUnits } from '../domain/units.ts'
import { normalizeHeader, TABLE_NAMES, type TableName } from '../workbook/contract.ts'
import type { Problem } from '../workbook/problem.ts'
import type { RawWorkbook } from '../workbook/raw.ts'
import type { StoreError, WorkbookStore } from '../workbook/store.ts'
import { changeEntries, type ChangeEntry } from './activity.ts'
import { loadPlan, PLAN_TABLES } from './load-plan.ts'
import { statusReport, type WigSummary } from './status-report.ts'
import { lastStepUpdates, utilization, type Utilization } from './utilization.ts'

/** A dated value on the stored scale, with its text in the unit for people. */
export type Point = { date: IsoDate; value: number; text: string }

export type WigView = WigSummary & {
  strategy: Strategy | null
  /** The StartDate cell (t0 when given). */
  startDate: IsoDate | null
  /** The WIG's own check-ins counted as of the as-of date, oldest first, with the note each was logged with. */
  readings: (Point & { note: string })[]
  /** The straight line the status rules measure against: (t0, B) to (t1, T). Numeric WIGs with a target date only. */
  line: { start: Point; end: Point } | null
  /** Action steps neither Done nor Cancelled. */
  openSteps: number
  /** Lower-cased text every search term is matched against. */
  searchText: string
  /** The workbook's problems in this WIG's rows (its own, its measures', check-ins' and steps'). */
  problems: Problem[]
  /** The latest ChangeLog rows about this WIG's rows, newest first. */
  activity: ChangeEntry[]
}

export type StepView = {
  /** StepId, or "row N" for a row typed without one (still shown, never dropped). */
  id: string
  wigId: string
  title: string
  ownerKey: string
  ownerName: string
  dueDate: IsoDate | null
  status: StepStatus | null
  /** The cell as written, shown when the status is not one the contract knows. */
  rawStatus: string
  percentComplete: number | null
  timing: StepTiming
  open: boolean
  lastUpdate: IsoDate | null
}

export type MeasureView = {
  id: string
  wigId: string
  type: MeasureType | null
  name: string
  /** `ownerGroup`'s key (the email when resolved, else the text as written); '' when unowned. */
  ownerKey: string
  ownerName: string
  /** The owner's email and People department ('' when unknown): a measure's owner may own no step or WIG, so is not in `owners`. */
  ownerEmail: string
  ownerDepartment: string
  cadence: string
  targetText: string | null
  dueDate: IsoDate | null
  /** Its check-ins on or before the as-of date, oldest first. */
  history: (Point & { note: string })[]
}

export type OwnerView = {
  key: string
  name: string
  email: string
  department: string
  open: number
  overdue: number
  dueSoon: number
  done: number
  wigs: { id: string; title: string }[]
}

export type Dashboard = {
  district: string
  planYear: string
  asOf: IsoDate
  today: IsoDate
  /** When the workbook was read (ISO timestamp), for "as of … read at …". */
  readAt: string
  wigs: WigView[]
  steps: StepView[]
  measures: MeasureView[]
  /** Sorted so the owners who need help come first: most overdue, then most due soon. */
  owners: OwnerView[]
  problems: Problem[]
  utilization: Utilization
}

const RECENT_ACTIVITY = 10

/** The tables a dashboard reads, in the one round trip of a view: the plan plus the ChangeLog for activity and utilization. */
export const DASHBOARD_TABLES: readonly TableName[] = [...PLAN_TABLES, 'ChangeLog']

export async function loadDashboard(store: WorkbookStore, asOf: IsoDate, today: IsoDate, readAt: string): Promise<Result<Dashboard, StoreError>> {
  const loaded = await loadEditableDashboard(store, asOf, today, readAt)
  return loaded.ok ? ok(loaded.value.dashboard) : loaded
}

/** The dashboard with the plan and the rows it came from: what a page that edits needs (each edit passes the row the user saw). */
export type EditableDashboard = { dashboard: Dashboard; plan: Plan; raw: RawWorkbook }

/** `extraTables` are read in the same round trip and left in `raw` (the reminders panel adds Reminders). */
export async function loadEditableDashboard(store: WorkbookStore, asOf: IsoDate, today: IsoDate, readAt: string, extraTables: readonly TableName[] = []): Promise<Result<EditableDashboard, StoreError>> {
  const loaded = await loadPlan(store, [...DASHBOARD_TABLES, ...extraTables])
  if (!loaded.ok) return err(loaded.error)
  // A workbook that never had a write has no ChangeLog yet; that is no problem for reading.
  const problems = loaded.value.problems.filter((p) => !(p.table === 'ChangeLog' && loaded.value.raw.missing.includes('ChangeLog')))
  const dashboard = buildDashboard(loaded.value.plan, problems, changeEntries(loaded.value.raw), { asOf, today, readAt })
  return ok({ dashboard, plan: loaded.value.plan, raw: loaded.value.raw })
}

export function buildDashboard(plan: Plan, problems: readonly Problem[], changes: readonly ChangeEntry[], when: { asOf: IsoDate; today: IsoDate; readAt: string }): Dashboard {
  const { asOf, today } = when
  const report = statusReport(plan, problems, asOf, today)
  const strategyOf = new Map(plan.strategies.map((s) => [s.id as string, s]))
  const wigById = new Map(plan.wigs.map((w) => [w.id as string, w]))
  const updates = lastStepUpdates(plan, changes, asOf)
  // Indexed once, not scanned per WIG: 200 WIGs by 20,000 check-ins is a district, not a stress test.
  const checkInsOf = groupBy(plan.checkIns, (c) => c.wigId)
  // A reading keeps its check-in's position (its row): the note it was logged with is found by it.
  const noteAt = new Map(plan.checkIns.map((c) => [c.position, c.note]))
  const stepsOf = groupBy(plan.steps, (s) => s.wigId)
  const wigOfRow = rowOwners(plan)
  const problemsOf = groupBy(problems, (p) => wigOfRow(p.table, p.key) ?? '')
  const activityOf = groupBy(
    changes.filter((c) => c.date !== null && c.date <= asOf).reverse(),
    (c) => wigOfRow(c.table, c.key) ?? '',
  )

  const wigs = report.wigs.map((summary): WigView => {
    const wig = wigById.get(summary.id)
    const units = wig ? wigUnits(wig) : { scale: summary.scale, unit: summary.unit }
    const point = (date: IsoDate, value: number): Point => ({ date, value, text: formatValue(value, units) })
    const readings = summary.kind === 'Numeric' ? ownReadings(summary.id, checkInsOf.get(summary.id) ?? [], asOf).map((r) => ({ ...point(r.date, r.value), note: noteAt.get(r.position) ?? '' })) : []
    const strategy = strategyOf.get(summary.strategyId) ?? null
    return {
      ...summary,
      strategy,
      startDate: wig?.startDate ?? null,
      readings,
      openSteps: (stepsOf.get(summary.id) ?? []).filter(isOpen).length,
      line: expectedLine(summary, wig?.startDate ?? null, readings, point),
      searchText: [summary.id, summary.title, summary.pillar, summary.department, summary.ownerName, summary.owner, strategy?.strategy ?? '', summary.note]
        .join(' ')
        .toLowerCase(),
      problems: problemsOf.get(summary.id) ?? [],
      activity: (activityOf.get(summary.id) ?? []).slice(0, RECENT_ACTIVITY),
    }
  })

  const steps = plan.steps.map((s): StepView => stepView(s, plan, asOf, updates))
  return {
    district: plan.settings.districtName,
    planYear: plan.settings.planYear,
    asOf,
    today,
    readAt: when.readAt,
    wigs,
    steps,
    measures: measureViews(plan, asOf),
    owners: ownerViews(plan, steps),
    problems: [...problems],
    utilization: utilization(plan, changes, asOf),
  }
}

function expectedLine(summary: WigSummary, startDate: IsoDate | null, readings: readonly Point[], point: (d: IsoDate, v: number) => Point): WigView['line'] {
  if (summary.kind !== 'Numeric' || summary.target === null || summary.targetDate === null) return null
  const first = readings[0]
  const t0 = startDate ?? first?.date ?? null
  const b = summary.baseline ?? first?.value ?? null
  if (t0 === null || b === null) return null
  return { start: point(t0, b), end: point(summary.targetDate, summary.target) }
}

function stepView(step: ActionStep, plan: Plan, asOf: IsoDate, updates: ReadonlyMap<string, IsoDate>): StepView {
  const owner = ownerGroup(step.owner)
  return {
    id: step.id ?? `row ${step.position + 2}`,
    wigId: step.wigId,
    title: step.title,
    ownerKey: owner.key,
    ownerName: owner.label,
    dueDate: step.dueDate,
    status: step.status,
    rawStatus: step.rawStatus,
    percentComplete: step.percentComplete,
    timing: stepTiming(step, plan.settings, asOf),
    open: isOpen(step),
    lastUpdate: step.id === null ? null : (updates.get(step.id) ?? null),
  }
}

function measureViews(plan: Plan, asOf: IsoDate): MeasureView[] {
  const departmentOf = new Map<string, string>()
  for (const p of plan.people) {
    const email = p.email.trim().toLowerCase()
    if (!departmentOf.has(email)) departmentOf.set(email, p.department)
  }
  const wigOf = new Map(plan.wigs.map((w) => [w.id as string, w]))
  const checkInsOf = groupBy(plan.checkIns, (c) => c.measureId ?? '')
  return plan.measures.map((m): MeasureView => {
    const units: ValueUnits = measureUnits(m, wigOf.get(m.wigId))
    const history = (checkInsOf.get(m.id) ?? [])
      .filter((c) => c.date !== null && c.value !== null && c.date <= asOf)
      .sort((a, b) => ((a.date ?? '') < (b.date ?? '') ? -1 : (a.date ?? '') > (b.date ?? '') ? 1 : a.position - b.position))
      .map((c) => ({ date: c.date as IsoDate, value: c.value as number, text: formatValue(c.value as number, units), note: c.note }))
    return {
      id: m.id,
      wigId: m.wigId,
      type: m.type,
      name: m.name,
      ownerKey: ownerGroup(m.owner).key,
      ownerName: ownerGroup(m.owner).key === '' ? '' : ownerGroup(m.owner).label,
      ownerEmail: m.owner?.email ?? '',
      ownerDepartment: departmentOf.get(m.owner?.email?.trim().toLowerCase() ?? '') ?? '',
      cadence: m.cadence,
      targetText: m.target === null ? null : formatValue(m.target, units),
      dueDate: m.dueDate,
      history,
    }
  })
}

function ownerViews(plan: Plan, steps: readonly StepView[]): OwnerView[] {
  const people = new Map(plan.people.map((p) => [p.email.trim().toLowerCase(), p]))
  const owners = new Map<string, OwnerView>()
  const ownerOf = (key: string, label: string): OwnerView => {
    let o = owners.get(key)
    if (o === undefined) {
      const person = people.get(key)
      o = { key, name: label, email: person?.email ?? '', department: person?.department ?? '', open: 0, overdue: 0, dueSoon: 0, done: 0, wigs: [] }
      owners.set(key, o)
    }
    return o
  }
  for (const s of steps) {
    const o = ownerOf(s.ownerKey, s.ownerName)
    if (s.open) o.open++
    if (s.status === 'Done') o.done++
    if (s.timing === 'Overdue') o.overdue++
    else if (s.timing === 'Due soon') o.dueSoon++
  }
  for (const w of plan.wigs) {
    const group = ownerGroup(w.owner)
    if (group.key === '') continue
    ownerOf(group.key, group.label).wigs.push({ id: w.id, title: w.title })
  }
  return [...owners.values()].sort(
    (a, b) => b.overdue - a.overdue || b.dueSoon - a.dueSoon || Number(a.key === '') - Number(b.key === '') || a.name.localeCompare(b.name),
  )
}

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    const key = keyOf(row)
    const group = groups.get(key)
    if (group) group.push(row)
    else groups.set(key, [row])
  }
  return groups
}

/**
 * Which WIG a row belongs to, by table and key: its own row, and the rows of its measures,
 * check-ins and steps. Problems and ChangeLog rows are placed with it. A ChangeLog row typed by
 * hand may say "Action Steps": table names match as headers do.
 */
function rowOwners(plan: Plan): (table: string, key: string | null) => string | undefined {
  const owners = new Map<string, string>()
  const note = (table: TableName, key: string | null, wigId: string): void => {
    if (key !== null && key !== '' && wigId !== '') owners.set(`${table}\u0000${key}`, wigId)
  }
  for (const w of plan.wigs) note('WIGs', w.id, w.id)
  for (const s of plan.steps) note('ActionSteps', s.id, s.wigId)
  for (const m of plan.measures) note('Measures', m.id, m.wigId)
  for (const c of plan.checkIns) note('CheckIns', c.id, c.wigId)
  const tableNames = new Map<string, TableName | undefined>()
  const tableOf = (text: string): TableName | undefined => {
    if (!tableNames.has(text)) tableNames.set(text, TABLE_NAMES.find((t) => normalizeHeader(t) === normalizeHeader(text)))
    return tableNames.get(text)
  }
  return (table, key) => {
    const name = tableOf(table)
    return name === undefined || key === null ? undefined : owners.get(`${name}\u0000${key}`)
  }
}
