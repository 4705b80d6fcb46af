import { addDays, daysBetween, isoFromUtcMs, utcMs, type IsoDate } from '../domain/dates.ts'
import type { WigStatus } from '../domain/model.ts'
import type { Dashboard, MeasureView, StepView, WigView } from './dashboard.ts'
import type { Share, Utilization } from './utilization.ts'

/**
 * Update reminders (issue 15): what each owner should do now, computed purely from a dashboard
 * snapshot (`buildDashboard`), so the dry run, the mail and the tab preview agree.
 *
 * An owner's digest holds:
 * - **overdue**: their steps whose timing is Overdue (due before as-of, open);
 * - **dueSoon**: their steps due from as-of to as-of + DueSoonDays (timing Due soon);
 * - **checkIns**: WIGs and measures they own whose check-in is wanted (rules below);
 * - **utilization**: one line on how their department stands (else the district).
 * An owner with none of the first three gets no digest. Steps and measures belong to an owner by
 * `ownerGroup`'s key (the email when the owner resolved to People, else the text as written);
 * unowned items go to nobody.
 *
 * Check-ins wanted:
 * - Only while the goal runs: a WIG whose computed status (rules, not a manual override) is Not
 *   started, Achieved or Missed asks for nothing, and neither do its measures.
 * - A numeric WIG (its own check-ins) is **stale** with the status rules' Stale flag (latest
 *   check-in older than StaleAfterDays) and **none** when it has no check-in yet (No data). WIGs
 *   have no Cadence column, so StaleAfterDays is their cadence. Milestone WIGs are measured by
 *   their steps, never asked for a check-in.
 * - A measure is **stale** when its latest check-in is older than StaleAfterDays, whatever the
 *   cadence; else **due** when its next check-in by Cadence (`parseCadence`) falls on or before
 *   as-of: latest + one interval ≤ as-of. A Cadence that is not a calendar ("Each checkpoint",
 *   blank, anything unknown) uses StaleAfterDays days. A measure without a check-in is **none**
 *   once one interval has passed since its WIG's start (t0: StartDate, or first check-in); with no
 *   start to count from, it is not asked for (the WIG's own flag covers it).
 */

export type CadenceInterval = { days: number } | { months: number }

/**
 * A Measures.Cadence cell as a calendar interval, or null when it is not one. Matched ignoring
 * case, spaces, hyphens and a trailing "ly"-less variant ("Every week" = Weekly):
 *
 * | cadence | interval |
 * |---|---|
 * | Daily, Every day | 1 day |
 * | Weekly, Every week | 7 days |
 * | Biweekly, Fortnightly, Every two weeks, Every other week | 14 days |
 * | Monthly, Every month | 1 month |
 * | Bimonthly, Every two months, Every other month | 2 months |
 * | Quarterly, Every quarter, Each quarter | 3 months |
 * | Twice a year, Semiannual(ly), Semi-annual(ly), Biannual(ly), Every six months | 6 months |
 * | Annual(ly), Yearly, Once a year, Every year | 12 months |
 *
 * ("Biweekly" and "Bimonthly" are read as every two weeks / months, the common use in school
 * plans.) "Each checkpoint" and other event-driven cadences give null: the caller falls back to
 * StaleAfterDays. Months are calendar months: Jan 31 + 1 month = Feb 28 (or 29).
 */
export function parseCadence(text: string): CadenceInterval | null {
  const key = text.toLowerCase().replace(/[\s_.-]+/g, '')
  return CADENCES[key] ?? null
}

const CADENCES: Record<string, CadenceInterval> = {
  daily: { days: 1 },
  everyday: { days: 1 },
  weekly: { days: 7 },
  everyweek: { days: 7 },
  biweekly: { days: 14 },
  fortnightly: { days: 14 },
  everytwoweeks: { days: 14 },
  every2weeks: { days: 14 },
  everyotherweek: { days: 14 },
  monthly: { months: 1 },
  everymonth: { months: 1 },
  bimonthly: { months: 2 },
  everytwomonths: { months: 2 },
  every2months: { months: 2 },
  everyothermonth: { months: 2 },
  quarterly: { months: 3 },
  everyquarter: { months: 3 },
  eachquarter: { months: 3 },
  twiceayear: { months: 6 },
  semiannual: { months: 6 },
  semiannually: { months: 6 },
  biannual: { months: 6 },
  biannually: { months: 6 },
  everysixmonths: { months: 6 },
  every6months: { months: 6 },
  annual: { months: 12 },
  annually: { months: 12 },
  yearly: { months: 12 },
  onceayear: { months: 12 },
  everyyear: { months: 12 },
}

/** `date` plus one interval; months are calendar months, clamped to the month's last day. */
export function addInterval(date: IsoDate, interval: CadenceInterval): IsoDate {
  if ('days' in interval) return addDays(date, interval.days)
  const d = new Date(utcMs(date))
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth() + interval.months
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return isoFromUtcMs(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay)))
}

export type DigestStep = Pick<StepView, 'id' | 'wigId' | 'title' | 'dueDate' | 'rawStatus' | 'percentComplete'> & {
  /** Days past due (overdue) or days left (due soon). */
  days: number
}

export type CheckInReason = 'stale' | 'due' | 'none'

export type DigestCheckIn = {
  kind: 'WIG' | 'Measure'
  id: string
  wigId: string
  name: string
  /** The Cadence cell as written ('' for a WIG, which has none). */
  cadence: string
  reason: CheckInReason
  /** The latest check-in on or before as-of, and its note (a measure's; '' for a WIG's). */
  latest: IsoDate | null
  latestNote: string
  /** When the next check-in was due (≤ as-of). */
  dueOn: IsoDate
}

export type DigestOwner = { key: string; name: string; email: string; department: string }

export type OwnerDigest = {
  owner: DigestOwner
  overdue: DigestStep[]
  dueSoon: DigestStep[]
  checkIns: DigestCheckIn[]
  /** One sentence on the department's (else the district's) tool utilization. */
  utilization: string
}

export type DepartmentDigest = {
  department: string
  owners: { owner: DigestOwner; overdue: number; dueSoon: number; checkIns: number }[]
  totals: { overdue: number; dueSoon: number; checkIns: number }
  utilization: string
}

export type DigestOptions = { department?: string }

export const NO_DEPARTMENT = '(No department)'

const CLOSED: readonly WigStatus[] = ['Not started', 'Achieved', 'Missed']

const normalize = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase()

/** Every owner's digest, in the dashboard's owner order (most overdue first); owners with nothing to do are left out. */
export function ownerDigests(dashboard: Dashboard, options: DigestOptions = {}): OwnerDigest[] {
  const { asOf } = dashboard
  const staleAfter = dashboard.utilization.windowDays
  const wigById = new Map(dashboard.wigs.map((w) => [w.id, w]))
  const running = (wigId: string): boolean => {
    const w = wigById.get(wigId)
    return w !== undefined && !CLOSED.includes(w.computedStatus)
  }

  const stepsOf = new Map<string, StepView[]>()
  for (const s of dashboard.steps) if (s.ownerKey !== '') push(stepsOf, s.ownerKey, s)
  const checkInsOf = new Map<string, DigestCheckIn[]>()
  for (const w of dashboard.wigs) {
    const item = wigCheckIn(w, asOf)
    const key = normalize(w.owner)
    if (item !== null && key !== '') push(checkInsOf, key, item)
  }
  for (const m of dashboard.measures) {
    const w = wigById.get(m.wigId)
    if (m.ownerKey === '' || w === undefined || !running(m.wigId)) continue
    const item = measureCheckIn(m, w, asOf, staleAfter)
    if (item !== null) push(checkInsOf, m.ownerKey, item)
  }

  // Owners of steps and WIGs come with the dashboard; a measure's owner may own neither.
  // An owner typed as an email that People lacks still has an address to write to.
  const owners = dashboard.owners.map((o) => ({ key: o.key, name: o.name, email: o.email || (o.key.includes('@') ? o.key : ''), department: o.department }))
  const known = new Set(owners.map((o) => o.key))
  for (const m of dashboard.measures) {
    if (m.ownerKey === '' || known.has(m.ownerKey)) continue
    known.add(m.ownerKey)
    owners.push({ key: m.ownerKey, name: m.ownerName, email: m.ownerEmail, department: m.ownerDepartment })
  }

  const wanted = options.department === undefined ? null : normalize(options.department)
  const digests: OwnerDigest[] = []
  for (const o of owners) {
    if (o.key === '') continue
    const steps = stepsOf.get(o.key) ?? []
    const overdue = steps.filter((s) => s.timing === 'Overdue').map((s) => digestStep(s, asOf))
    const dueSoon = steps.filter((s) => s.timing === 'Due soon').map((s) => digestStep(s, asOf))
    const checkIns = checkInsOf.get(o.key) ?? []
    if (overdue.length + dueSoon.length + checkIns.length === 0) continue
    const department = o.department.trim() || departmentFromWigs([...steps.map((s) => s.wigId), ...checkIns.map((c) => c.wigId)], wigById)
    if (wanted !== null && normalize(department) !== wanted) continue
    overdue.sort((a, b) => b.days - a.days || a.id.localeCompare(b.id))
    dueSoon.sort((a, b) => a.days - b.days || a.id.localeCompare(b.id))
    digests.push({
      owner: { key: o.key, name: o.name, email: o.email, department: department || NO_DEPARTMENT },
      overdue,
      dueSoon,
      checkIns,
      utilization: utilizationLine(dashboard.utilization, department),
    })
  }
  return digests
}

/** A roll-up per department for its leaders: who has what to do, and how the department stands. Sorted by name, "(No department)" last. */
export function departmentDigests(dashboard: Dashboard, digests: readonly OwnerDigest[]): DepartmentDigest[] {
  const groups = new Map<string, DepartmentDigest>()
  for (const d of digests) {
    const key = normalize(d.owner.department)
    let g = groups.get(key)
    if (g === undefined) {
      const department = d.owner.department
      g = { department, owners: [], totals: { overdue: 0, dueSoon: 0, checkIns: 0 }, utilization: utilizationLine(dashboard.utilization, department === NO_DEPARTMENT ? '' : department) }
      groups.set(key, g)
    }
    g.owners.push({ owner: d.owner, overdue: d.overdue.length, dueSoon: d.dueSoon.length, checkIns: d.checkIns.length })
    g.totals.overdue += d.overdue.length
    g.totals.dueSoon += d.dueSoon.length
    g.totals.checkIns += d.checkIns.length
  }
  return [...groups.values()].sort((a, b) => {
    if ((a.department === NO_DEPARTMENT) !== (b.department === NO_DEPARTMENT)) return a.department === NO_DEPARTMENT ? 1 : -1
    return a.department.localeCompare(b.department, undefined, { sensitivity: 'base' })
  })
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function digestStep(s: StepView, asOf: IsoDate): DigestStep {
  const due = s.dueDate ?? asOf
  return {
    id: s.id,
    wigId: s.wigId,
    title: s.title,
    dueDate: s.dueDate,
    rawStatus: s.rawStatus,
    percentComplete: s.percentComplete,
    days: Math.abs(daysBetween(asOf, due)),
  }
}

function wigCheckIn(w: WigView, asOf: IsoDate): DigestCheckIn | null {
  if (w.kind !== 'Numeric' || CLOSED.includes(w.computedStatus)) return null
  const latest = w.latest?.date ?? null
  if (latest === null) return { kind: 'WIG', id: w.id, wigId: w.id, name: w.title, cadence: '', reason: 'none', latest: null, latestNote: '', dueOn: w.startDate ?? asOf }
  if (!w.stale) return null
  return { kind: 'WIG', id: w.id, wigId: w.id, name: w.title, cadence: '', reason: 'stale', latest, latestNote: '', dueOn: latest }
}

function measureCheckIn(m: MeasureView, w: WigView, asOf: IsoDate, staleAfter: number): DigestCheckIn | null {
  const interval = parseCadence(m.cadence) ?? { days: staleAfter }
  const last = m.history.at(-1)
  const latest = last?.date ?? null
  const item = (reason: CheckInReason, dueOn: IsoDate): DigestCheckIn => ({
    kind: 'Measure',
    id: m.id,
    wigId: m.wigId,
    name: m.name,
    cadence: m.cadence,
    reason,
    latest,
    latestNote: last?.note ?? '',
    dueOn,
  })
  if (latest === null) {
    const start = w.startDate ?? w.readings[0]?.date ?? null
    if (start === null) return null
    const dueOn = addInterval(start, interval)
    return dueOn <= asOf ? item('none', dueOn) : null
  }
  const dueOn = addInterval(latest, interval)
  if (daysBetween(latest, asOf) > staleAfter) return item('stale', dueOn)
  return dueOn <= asOf ? item('due', dueOn) : null
}

/** An owner missing from People takes the Department of the first of their WIGs that has one. */
function departmentFromWigs(wigIds: readonly string[], wigById: ReadonlyMap<string, WigView>): string {
  for (const id of wigIds) {
    const department = wigById.get(id)?.department.trim() ?? ''
    if (department !== '') return department
  }
  return ''
}

const percent = (s: Share): string => (s.share === null ? 'none to count' : `${Math.round(s.share * 100)}%`)

/** "Human Resources: 3 of 5 step owners (60%) and 8 of 20 open steps (40%) updated in the last 30 days." */
export function utilizationLine(u: Utilization, department: string): string {
  const key = normalize(department)
  const group = key === '' ? undefined : u.byDepartment.find((g) => normalize(g.department) === key)
  const label = group?.department ?? 'District-wide'
  const figures = group ?? u.overall
  return (
    `${label}: ${figures.owners.count} of ${figures.owners.total} step owners (${percent(figures.owners)}) and ` +
    `${figures.openSteps.count} of ${figures.openSteps.total} open steps (${percent(figures.openSteps)}) updated in the last ${u.windowDays} days.`
  )
}
