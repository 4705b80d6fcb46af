import type { IsoDate } from './dates.ts'
import { WIG_STATUSES, type ActionStep, type Owner, type Settings, type Strategy, type WigStatus } from './model.ts'
import type { WigReport } from './status.ts'
import { isDone, isOpen, stepTiming } from './steps.ts'

/**
 * WIG counts for one group. `key` identifies the group ('' for the "none" group, whose label
 * reads "(No pillar)" and so on); `label` is the text to show.
 */
export type Rollup = {
  key: string
  label: string
  wigs: number
  byStatus: Record<WigStatus, number>
  stale: number
  overdueSteps: number
  dueSoonSteps: number
}

/** Who owns what: one owner's action steps. `owner` is the grouping key ('' for unowned steps). */
export type OwnerSteps = { owner: string; label: string; open: number; overdue: number; dueSoon: number; done: number }

type Group = { key: string; label: string }

const NO_PILLAR = '(No pillar)'
const NO_DEPARTMENT = '(No department)'
const NO_OWNER = '(No owner)'

/** Hand-typed cells differ in case and spacing; they still name the same group. */
function normalize(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase()
}

function textGroup(text: string, none: string): Group {
  const key = normalize(text)
  return key === '' ? { key: '', label: none } : { key, label: text.trim().replace(/\s+/g, ' ') }
}

/** An owner is the person (email) when resolved, else the text as written. */
export function ownerGroup(owner: Owner | null): Group {
  if (owner === null) return { key: '', label: NO_OWNER }
  const label = owner.name?.trim() || owner.text.trim() || owner.email?.trim() || ''
  if (owner.email !== null && owner.email.trim() !== '') return { key: owner.email.trim().toLowerCase(), label }
  return textGroup(owner.text, NO_OWNER)
}

function emptyRollup(group: Group): Rollup {
  const byStatus = Object.fromEntries(WIG_STATUSES.map((s) => [s, 0])) as Record<WigStatus, number>
  return { key: group.key, label: group.label, wigs: 0, byStatus, stale: 0, overdueSteps: 0, dueSoonSteps: 0 }
}

function rollup(reports: readonly WigReport[], groupOf: (r: WigReport) => Group): Map<string, Rollup> {
  const rollups = new Map<string, Rollup>()
  for (const report of reports) {
    const group = groupOf(report)
    let r = rollups.get(group.key)
    if (r === undefined) {
      r = emptyRollup(group)
      rollups.set(group.key, r)
    }
    r.wigs++
    r.byStatus[report.status]++
    if (report.stale) r.stale++
    r.overdueSteps += report.steps.overdue
    r.dueSoonSteps += report.steps.dueSoon
  }
  return rollups
}

/** Alphabetical by label, the "none" group last. */
function byLabel<T extends { label: string }>(keyOf: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const noneA = keyOf(a) === ''
    const noneB = keyOf(b) === ''
    if (noneA !== noneB) return noneA ? 1 : -1
    return a.label.localeCompare(b.label, undefined, { sensitivity: 'base' })
  }
}

/** Counted under the shown status (an override counts as set). Pillars come in the Strategies table's order. */
export function rollupByPillar(reports: readonly WigReport[], strategies: readonly Strategy[]): Rollup[] {
  const pillarOf = new Map<string, string>()
  const order = new Map<string, number>()
  for (const s of strategies) {
    if (!pillarOf.has(s.id)) pillarOf.set(s.id, s.pillar)
    const key = normalize(s.pillar)
    if (key !== '' && !order.has(key)) order.set(key, order.size)
  }
  const groups = rollup(reports, (r) => textGroup(pillarOf.get(r.wig.strategyId) ?? '', NO_PILLAR))
  const rank = (r: Rollup): number => (r.key === '' ? Number.POSITIVE_INFINITY : (order.get(r.key) ?? order.size))
  return [...groups.values()].sort((a, b) => rank(a) - rank(b))
}

export function rollupByDepartment(reports: readonly WigReport[]): Rollup[] {
  const groups = rollup(reports, (r) => textGroup(r.wig.department, NO_DEPARTMENT))
  return [...groups.values()].sort(byLabel((r) => r.key))
}

export function rollupByOwner(reports: readonly WigReport[]): Rollup[] {
  const groups = rollup(reports, (r) => ownerGroup(r.wig.owner))
  return [...groups.values()].sort(byLabel((r) => r.key))
}

/** Cancelled steps count in none of the columns: they are neither open nor done. */
export function stepsByOwner(steps: readonly ActionStep[], settings: Settings, asOf: IsoDate): OwnerSteps[] {
  const owners = new Map<string, OwnerSteps>()
  for (const step of steps) {
    const group = ownerGroup(step.owner)
    let o = owners.get(group.key)
    if (o === undefined) {
      o = { owner: group.key, label: group.label, open: 0, overdue: 0, dueSoon: 0, done: 0 }
      owners.set(group.key, o)
    }
    if (isOpen(step)) o.open++
    if (isDone(step)) o.done++
    const timing = stepTiming(step, settings, asOf)
    if (timing === 'Overdue') o.overdue++
    else if (timing === 'Due soon') o.dueSoon++
  }
  return [...owners.values()].sort(byLabel((o) => o.owner))
}
