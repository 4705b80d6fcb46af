import { daysBetween, type IsoDate } from '../domain/dates.ts'
import type { ActionStep, Plan } from '../domain/model.ts'
import { ownerGroup } from '../domain/rollup.ts'
import { isOpen } from '../domain/steps.ts'
import { normalizeHeader } from '../workbook/contract.ts'
import { timestampDate, type ChangeEntry } from './activity.ts'

/**
 * Tool utilization, the plan's own WIG ("Project Management Workbook tool utilization from 0%
 * to 95%", issue 10): how many step owners, and how many open steps, were updated recently.
 * The issue names the figure; the rules below are our definition of it.
 *
 * - Window: Settings.StaleAfterDays. A step is *updated within the window* when its latest
 *   update dated on or before as-of is at most StaleAfterDays days before as-of
 *   (`daysBetween(date, asOf) <= staleAfterDays`): the mirror of the Stale flag, which a WIG gets
 *   when its latest check-in is *older* than StaleAfterDays.
 * - Updates: the step's UpdatedAt, and every ChangeLog row whose Table reads as ActionSteps
 *   (matched as headers are: case, spaces, hyphens, underscores and periods ignored) and whose Key
 *   is the StepId. Only the day counts, as written (see activity.ts). Updates dated after as-of
 *   are ignored, so an as-of in the past shows the past; dates that do not parse are ignored.
 *   The ChangeLog is needed as well as UpdatedAt because a page or a script may log a change
 *   without stamping the row, and a hand-typed UpdatedAt may be blank.
 * - Steps without a StepId are left out everywhere: nothing can be logged against a row without
 *   a key, and the task pane assigns one (the codec reports them).
 * - openSteps: open steps (Not started, In progress, Blocked, or a status the contract does not
 *   know: `isOpen`); count = those updated within the window. Unowned steps count here.
 * - owners: distinct owners (`ownerGroup`'s key: the email when the owner resolved to People,
 *   else the text as written) that have an open step or a step updated within the window (a step
 *   closed last week is use of the tool); count = those with a step updated within the window.
 *   An owner with only steps closed long ago is not counted at all: there is nothing to update.
 *   Unowned steps have no owner to count.
 * - byDepartment: a step belongs to its owner's department in People, else to its WIG's
 *   Department, else to "(No department)". Each department's figures are computed over its own
 *   steps, so an owner missing from People whose steps sit under WIGs of two departments counts
 *   once in each (department owner totals then add up to more than the overall one). Departments
 *   match ignoring case and spacing, shown as first written; sorted by name with "(No department)"
 *   last; a department with nothing to count (both totals 0) is left out.
 *
 * The clock caveat: as-of is a calendar day where the reader is, while the app stamps updates in
 * UTC, so an update made late in the evening west of Greenwich is dated tomorrow and counts from
 * tomorrow on. Over a window of weeks that is noise, and it never counts a change twice.
 */

/** `share` = count / total; null when there is nothing to count (never a made-up 0% or 100%). */
export type Share = { count: number; total: number; share: number | null }
export type UtilizationGroup = { department: string; owners: Share; openSteps: Share }
export type Utilization = { asOf: IsoDate; windowDays: number; overall: { owners: Share; openSteps: Share }; byDepartment: UtilizationGroup[] }

const NO_DEPARTMENT = '(No department)'
const ACTION_STEPS = normalizeHeader('ActionSteps')

/** A later update wins; a date after as-of is not an update yet. */
function noteUpdate(latest: Map<string, IsoDate>, stepId: string, date: IsoDate | null, asOf: IsoDate): void {
  if (date === null || date > asOf) return
  const known = latest.get(stepId)
  // ISO dates compare correctly as text.
  if (known === undefined || date > known) latest.set(stepId, date)
}

/**
 * StepId → the day of its latest update on or before `asOf`, from UpdatedAt and the ChangeLog
 * (rules above). Only steps of the plan with a StepId are keys; a step never updated (by as-of)
 * has none. Two rows with the same StepId (reported by the codec) share the later date.
 */
export function lastStepUpdates(plan: Plan, changes: readonly ChangeEntry[], asOf: IsoDate): Map<string, IsoDate> {
  const latest = new Map<string, IsoDate>()
  const ids = new Set<string>()
  for (const step of plan.steps) {
    if (step.id === null) continue
    ids.add(step.id)
    noteUpdate(latest, step.id, timestampDate(step.updatedAt), asOf)
  }
  for (const change of changes) {
    if (normalizeHeader(change.table) !== ACTION_STEPS || !ids.has(change.key)) continue
    noteUpdate(latest, change.key, change.date, asOf)
  }
  return latest
}

/** What is counted for one group: per owner, whether they have something open and something recent. */
type Tally = { owners: Map<string, { open: boolean; recent: boolean }>; open: number; openRecent: number }

const emptyTally = (): Tally => ({ owners: new Map(), open: 0, openRecent: 0 })

function add(tally: Tally, owner: string, open: boolean, recent: boolean): void {
  if (open) {
    tally.open++
    if (recent) tally.openRecent++
  }
  if (owner === '') return
  const o = tally.owners.get(owner) ?? { open: false, recent: false }
  tally.owners.set(owner, { open: o.open || open, recent: o.recent || recent })
}

function share(count: number, total: number): Share {
  return { count, total, share: total === 0 ? null : count / total }
}

function figures(tally: Tally): { owners: Share; openSteps: Share } {
  const owners = [...tally.owners.values()].filter((o) => o.open || o.recent)
  return { owners: share(owners.filter((o) => o.recent).length, owners.length), openSteps: share(tally.openRecent, tally.open) }
}

/** Hand-typed department names differ in case and spacing; they still name one department. */
function departmentKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase()
}

type Department = { key: string; label: string }

function department(text: string): Department | null {
  const key = departmentKey(text)
  return key === '' ? null : { key, label: text.trim().replace(/\s+/g, ' ') }
}

export function utilization(plan: Plan, changes: readonly ChangeEntry[], asOf: IsoDate): Utilization {
  const windowDays = plan.settings.staleAfterDays
  const latest = lastStepUpdates(plan, changes, asOf)
  // The first People row of an email is the one owners resolve to, as in the codec.
  const peopleDepartment = new Map<string, string>()
  for (const person of plan.people) {
    const email = person.email.trim().toLowerCase()
    if (email !== '' && !peopleDepartment.has(email)) peopleDepartment.set(email, person.department)
  }
  const wigDepartment = new Map<string, string>()
  for (const wig of plan.wigs) if (!wigDepartment.has(wig.id)) wigDepartment.set(wig.id, wig.department)

  const departmentOf = (step: ActionStep, owner: string): Department | null =>
    department(peopleDepartment.get(owner) ?? '') ?? department(wigDepartment.get(step.wigId) ?? '')

  const overall = emptyTally()
  const byDepartment = new Map<string, { label: string; tally: Tally }>()
  for (const step of plan.steps) {
    if (step.id === null) continue
    const owner = ownerGroup(step.owner).key
    const updated = latest.get(step.id)
    const recent = updated !== undefined && daysBetween(updated, asOf) <= windowDays
    const open = isOpen(step)
    add(overall, owner, open, recent)
    const dept = departmentOf(step, owner) ?? { key: '', label: NO_DEPARTMENT }
    let group = byDepartment.get(dept.key)
    if (group === undefined) {
      group = { label: dept.label, tally: emptyTally() }
      byDepartment.set(dept.key, group)
    }
    add(group.tally, owner, open, recent)
  }

  const groups = [...byDepartment.entries()]
    .map(([key, { label, tally }]) => ({ key, group: { department: label, ...figures(tally) } }))
    .filter(({ group }) => group.owners.total > 0 || group.openSteps.total > 0)
    .sort((a, b) => {
      if ((a.key === '') !== (b.key === '')) return a.key === '' ? 1 : -1
      return a.group.department.localeCompare(b.group.department, undefined, { sensitivity: 'base' })
    })
    .map(({ group }) => group)

  return { asOf, windowDays, overall: figures(overall), byDepartment: groups }
}
