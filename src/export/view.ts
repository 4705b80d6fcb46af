import type { Dashboard, MeasureView, Point, StepView, WigView } from '../app/dashboard.ts'
import { daysBetween, type IsoDate } from '../domain/dates.ts'
import { WIG_STATUSES, type MeasureType, type WigKind, type WigStatus } from '../domain/model.ts'
import { formatRange, formatValue, type ValueUnits } from '../domain/units.ts'
import { longDate, withoutEmails } from './format.ts'

/**
 * What the board packet and the report show, taken from the dashboard snapshot (src/app): the
 * same WigSummary the status engine gives `pm-workbook status --json`, filtered to a department
 * or pillar, and, for a public edition, stripped of people, notes, internal columns and the
 * workbook's location. Both outputs render this and nothing else, so they cannot disagree, and
 * what a public edition leaves out is decided once, here.
 */

export type BoardFilter = {
  /**
   * Keep the WIGs of this department: the WIG's Department, or when that is blank its owner's
   * department in People. Matched ignoring case and spacing, as the tab matches it.
   */
  department?: string
  /** Keep the WIGs of this pillar (ignoring case and spacing). */
  pillar?: string
}

export type BoardOptions = BoardFilter & {
  /** A public edition (issue 12): no emails, no people's names (owners become departments), no notes, no internal columns, no workbook location. */
  public?: boolean
  /** Where the plan was read from, as the reader should see it (a file name, a drive item URL). Never shown in a public edition. */
  source?: string
}

export type BoardWig = {
  id: string
  title: string
  pillar: string
  strategy: string
  /** The WIG's Department, or its owner's department from People. */
  department: string
  /** The owner's name (or the owner cell as written); '' in a public edition. */
  owner: string
  kind: WigKind
  units: ValueUnits
  /** "from 52 to 30 days by Jun 30, 2027", "Milestone by Jul 31, 2027". */
  goal: string
  targetDate: IsoDate | null
  latest: Point | null
  expected: { value: number; text: string } | null
  progress: number | null
  expectedProgress: number | null
  pace: number | null
  status: WigStatus
  computedStatus: WigStatus
  manual: boolean
  /** The StatusNote; '' in a public edition. */
  note: string
  stale: boolean
  /** Days from the latest check-in to the as-of date, when stale. */
  staleDays: number | null
  /** A milestone seen in the past: its steps' statuses are today's (WORKBOOK.md, Writing). */
  stepsAreCurrentNotAsOf: boolean
  steps: { total: number; done: number; overdue: number; dueSoon: number }
  readings: Point[]
  line: { start: Point; end: Point } | null
  /** A milestone's steps that count (not cancelled): their due dates, and how many are done. */
  milestone: { dueDates: (IsoDate | null)[]; done: number } | null
}

export type BoardStep = {
  /** The StepId; null in a public edition (an internal column). */
  id: string | null
  wigId: string
  wigTitle: string
  title: string
  /** The owner's name; '' in a public edition. */
  owner: string
  /** The owner's department from People ('' when not known). */
  department: string
  dueDate: IsoDate | null
  status: string
  percentComplete: number | null
  overdue: boolean
  dueSoon: boolean
  /** Days past due as of the as-of date, when overdue. */
  daysOverdue: number | null
  /** The last update in the ChangeLog or UpdatedAt; null in a public edition. */
  lastUpdate: IsoDate | null
}

export type BoardSeries = {
  wigId: string
  /** The MeasureId; null for the WIG's own values, and in a public edition. */
  measureId: string | null
  name: string
  type: MeasureType | 'WIG' | null
  owner: string
  department: string
  cadence: string
  targetText: string | null
  dueDate: IsoDate | null
  history: { date: IsoDate; value: number; text: string; note: string }[]
}

export type OverdueGroup = { label: string; steps: BoardStep[] }

export type BoardView = {
  district: string
  planYear: string
  asOf: IsoDate
  today: IsoDate
  readAt: string
  public: boolean
  /** null in a public edition. */
  source: string | null
  filter: BoardFilter
  /** What a public edition leaves out, in words; [] otherwise. */
  omitted: string[]
  wigs: BoardWig[]
  pillars: { name: string; wigs: BoardWig[] }[]
  counts: Record<WigStatus, number>
  steps: BoardStep[]
  series: BoardSeries[]
  /** Overdue steps by owner (by department in a public edition), most overdue first. */
  overdue: OverdueGroup[]
  /** How many problems the workbook has (null in a public edition: an internal matter). */
  problems: number | null
  checkIns: number
}

export const NO_PILLAR = '(No pillar)'
export const NO_DEPARTMENT = '(Department not recorded)'
export const NO_OWNER = '(No owner)'

export const PUBLIC_OMISSIONS: readonly string[] = [
  "people's names and email addresses (owners are shown as their departments)",
  'status notes and check-in notes',
  'internal columns: step and measure ids, who updated what and when, workbook problems',
  'where the workbook is kept',
]

/** Hand-typed cells differ in case and spacing; they still name the same department or pillar. */
export const sameName = (a: string, b: string): boolean => normalize(a) === normalize(b)
const normalize = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase()

/** The departments a filter can name: each WIG's Department, or its owner's. */
export function departmentsOf(dashboard: Dashboard): string[] {
  const lookup = ownerLookup(dashboard)
  return distinct(dashboard.wigs.map((w) => wigDepartment(w, lookup)))
}

export function pillarsOf(dashboard: Dashboard): string[] {
  return distinct(dashboard.wigs.map((w) => w.pillar))
}

function distinct(names: readonly string[]): string[] {
  const seen = new Map<string, string>()
  for (const name of names) if (name.trim() !== '' && !seen.has(normalize(name))) seen.set(normalize(name), name.trim())
  return [...seen.values()].sort((a, b) => a.localeCompare(b))
}

type OwnerLookup = { byKey: Map<string, string>; byName: Map<string, string> }

/** Departments by owner key (email, or the owner text) and by name, from the dashboard's owners (People). */
function ownerLookup(dashboard: Dashboard): OwnerLookup {
  const byKey = new Map<string, string>()
  const byName = new Map<string, string>()
  for (const o of dashboard.owners) {
    if (o.department.trim() === '') continue
    byKey.set(o.key, o.department.trim())
    if (!byName.has(normalize(o.name))) byName.set(normalize(o.name), o.department.trim())
  }
  return { byKey, byName }
}

/** The owner key domain/rollup.ts gives a WIG's owner: the email lower-cased, or the text as a group key. */
const ownerKey = (owner: string): string => normalize(owner)

function wigDepartment(w: WigView, lookup: OwnerLookup): string {
  return w.department.trim() || lookup.byKey.get(ownerKey(w.owner)) || lookup.byName.get(normalize(w.ownerName)) || ''
}

export function boardView(dashboard: Dashboard, options: BoardOptions = {}): BoardView {
  const isPublic = options.public === true
  const lookup = ownerLookup(dashboard)
  const text = isPublic ? withoutEmails : (t: string) => t
  const filter: BoardFilter = {
    ...(options.department?.trim() ? { department: options.department.trim() } : {}),
    ...(options.pillar?.trim() ? { pillar: options.pillar.trim() } : {}),
  }

  const kept = dashboard.wigs.filter(
    (w) => (filter.department === undefined || sameName(wigDepartment(w, lookup), filter.department)) && (filter.pillar === undefined || sameName(w.pillar, filter.pillar)),
  )
  const keptIds = new Set(kept.map((w) => w.id))
  const stepViews = dashboard.steps.filter((s) => keptIds.has(s.wigId))
  const stepsOf = groupBy(stepViews, (s) => s.wigId)
  const titleOf = new Map(kept.map((w) => [w.id, text(w.title)]))

  const unordered = kept.map((w): BoardWig => {
    const department = wigDepartment(w, lookup)
    const units: ValueUnits = { scale: w.scale, unit: w.unit }
    const latest = w.latest === null ? null : { date: w.latest.date, value: w.latest.value, text: w.latestText ?? formatValue(w.latest.value, units) }
    const counted = (stepsOf.get(w.id) ?? []).filter((s) => s.status !== 'Cancelled')
    return {
      id: w.id,
      title: text(w.title),
      pillar: text(w.pillar.trim()),
      strategy: text(w.strategy?.strategy ?? ''),
      department: text(department),
      owner: isPublic ? '' : text(w.ownerName || w.owner),
      kind: w.kind,
      units,
      goal: text(goalText(w)),
      targetDate: w.targetDate,
      latest,
      expected: w.expected === null ? null : { value: w.expected, text: w.expectedText ?? formatValue(w.expected, units) },
      progress: w.progress,
      expectedProgress: w.expectedProgress,
      pace: w.pace,
      status: w.status,
      computedStatus: w.computedStatus,
      manual: w.manual,
      note: isPublic ? '' : w.note,
      stale: w.stale,
      staleDays: w.stale && latest ? daysBetween(latest.date, dashboard.asOf) : null,
      stepsAreCurrentNotAsOf: w.stepsAreCurrentNotAsOf,
      steps: w.steps,
      // Values only: a check-in's note goes in the history (seriesOf), where a public edition blanks it.
      readings: w.readings.map((r) => ({ date: r.date, value: r.value, text: r.text })),
      line: w.line,
      milestone: w.kind === 'Milestone' ? { dueDates: counted.map((s) => s.dueDate), done: counted.filter((s) => s.status === 'Done').length } : null,
    }
  })

  // Grouped by pillar everywhere: the Summary, the report, and the steps and measures under them.
  const pillars = byPillar(unordered)
  const wigs = pillars.flatMap((p) => p.wigs)
  const order = new Map(wigs.map((w, i) => [w.id, i]))
  const steps = stepViews
    .map((s) => boardStep(s, titleOf.get(s.wigId) ?? '', lookup, dashboard.asOf, isPublic, text))
    .sort((a, b) => (order.get(a.wigId) ?? 0) - (order.get(b.wigId) ?? 0))

  return {
    district: text(dashboard.district),
    planYear: text(dashboard.planYear),
    asOf: dashboard.asOf,
    today: dashboard.today,
    readAt: dashboard.readAt,
    public: isPublic,
    source: isPublic || !options.source ? null : options.source,
    filter: { ...(filter.department ? { department: text(filter.department) } : {}), ...(filter.pillar ? { pillar: text(filter.pillar) } : {}) },
    omitted: isPublic ? [...PUBLIC_OMISSIONS] : [],
    wigs,
    pillars,
    counts: statusCounts(wigs),
    steps,
    series: seriesOf(wigs, kept, dashboard.measures.filter((m) => keptIds.has(m.wigId)), lookup, isPublic, text),
    overdue: overdueGroups(steps, isPublic),
    problems: isPublic ? null : dashboard.problems.length,
    checkIns: kept.reduce((n, w) => n + w.readings.length, 0) + dashboard.measures.filter((m) => keptIds.has(m.wigId)).reduce((n, m) => n + m.history.length, 0),
  }
}

/** "from 52 to 30 days by Jun 30, 2027": a blank Baseline is the first check-in, so then only the target is said. */
function goalText(w: WigView): string {
  const by = w.targetDate === null ? '' : `by ${longDate(w.targetDate)}`
  if (w.kind === 'Milestone' || w.target === null) return w.kind === 'Milestone' ? `Milestone ${by}`.trim() : by
  const range = w.baseline === null ? `to ${w.targetText ?? ''}` : `from ${formatRange(w.baseline, w.target, { scale: w.scale, unit: w.unit }).replace(' → ', ' to ')}`
  return by === '' ? range : `${range} ${by}`
}

function boardStep(s: StepView, wigTitle: string, lookup: OwnerLookup, asOf: IsoDate, isPublic: boolean, text: (t: string) => string): BoardStep {
  const overdue = s.timing === 'Overdue'
  return {
    id: isPublic ? null : s.id,
    wigId: s.wigId,
    wigTitle,
    title: text(s.title),
    owner: isPublic ? '' : text(s.ownerKey === '' ? '' : s.ownerName),
    department: text(lookup.byKey.get(s.ownerKey) ?? ''),
    dueDate: s.dueDate,
    status: text(s.status ?? s.rawStatus),
    percentComplete: s.percentComplete,
    overdue,
    dueSoon: s.timing === 'Due soon',
    daysOverdue: overdue && s.dueDate !== null ? daysBetween(s.dueDate, asOf) : null,
    lastUpdate: isPublic ? null : s.lastUpdate,
  }
}

function seriesOf(wigs: readonly BoardWig[], kept: readonly WigView[], measures: readonly MeasureView[], lookup: OwnerLookup, isPublic: boolean, text: (t: string) => string): BoardSeries[] {
  const measuresOf = groupBy(measures, (m) => m.wigId)
  const viewOf = new Map(kept.map((w) => [w.id, w]))
  return wigs.flatMap((w): BoardSeries[] => {
    const view = viewOf.get(w.id)
    const own: BoardSeries = {
      wigId: w.id,
      measureId: null,
      name: "The WIG's own value",
      type: 'WIG',
      owner: w.owner,
      department: w.department,
      cadence: '',
      targetText: view?.targetText ?? null,
      dueDate: w.targetDate,
      history: (view?.readings ?? []).map((r) => ({ date: r.date, value: r.value, text: r.text, note: isPublic ? '' : r.note })),
    }
    const rest = (measuresOf.get(w.id) ?? []).map(
      (m): BoardSeries => ({
        wigId: w.id,
        measureId: isPublic ? null : m.id,
        name: text(m.name),
        type: m.type,
        owner: isPublic ? '' : text(m.ownerName),
        department: text(lookup.byName.get(normalize(m.ownerName)) ?? ''),
        cadence: text(m.cadence),
        targetText: m.targetText,
        dueDate: m.dueDate,
        history: m.history.map((h) => ({ date: h.date, value: h.value, text: h.text, note: isPublic ? '' : h.note })),
      }),
    )
    // A milestone WIG has no values of its own: its row would only ever be empty.
    return w.kind === 'Milestone' ? rest : [own, ...rest]
  })
}

function byPillar(wigs: readonly BoardWig[]): { name: string; wigs: BoardWig[] }[] {
  const groups = new Map<string, { name: string; wigs: BoardWig[] }>()
  for (const w of wigs) {
    const key = normalize(w.pillar)
    let group = groups.get(key)
    if (!group) {
      group = { name: w.pillar === '' ? NO_PILLAR : w.pillar, wigs: [] }
      groups.set(key, group)
    }
    group.wigs.push(w)
  }
  // Pillars in the order the plan first names them; WIGs without one last.
  return [...groups.entries()].sort(([a], [b]) => Number(a === '') - Number(b === '')).map(([, g]) => g)
}

function statusCounts(wigs: readonly BoardWig[]): Record<WigStatus, number> {
  const counts = Object.fromEntries(WIG_STATUSES.map((s) => [s, 0])) as Record<WigStatus, number>
  for (const w of wigs) counts[w.status]++
  return counts
}

function overdueGroups(steps: readonly BoardStep[], isPublic: boolean): OverdueGroup[] {
  const groups = new Map<string, OverdueGroup>()
  for (const s of steps) {
    if (!s.overdue) continue
    const label = isPublic ? s.department || NO_DEPARTMENT : s.owner || NO_OWNER
    const key = normalize(label)
    let group = groups.get(key)
    if (!group) {
      group = { label, steps: [] }
      groups.set(key, group)
    }
    group.steps.push(s)
  }
  for (const g of groups.values()) g.steps.sort((a, b) => (b.daysOverdue ?? 0) - (a.daysOverdue ?? 0))
  return [...groups.values()].sort((a, b) => b.steps.length - a.steps.length || a.label.localeCompare(b.label))
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    const k = key(row)
    const group = groups.get(k)
    if (group) group.push(row)
    else groups.set(k, [row])
  }
  return groups
}
