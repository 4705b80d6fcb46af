import { addDays, type IsoDate } from './dates.ts'
import type { ActionStep, Settings } from './model.ts'
import { exhaustiveSwitchError } from './result.ts'

/** Timing flag beside an action step (WORKBOOK.md, Status rules: Action step). */
export type StepTiming = 'Overdue' | 'Due soon' | null

/** Not Done and not Cancelled. A status the contract does not know counts as open, so a typo never hides a late step. */
export function isOpen(step: ActionStep): boolean {
  if (step.status === null) return true
  switch (step.status) {
    case 'Done':
    case 'Cancelled':
      return false
    case 'Not started':
    case 'In progress':
    case 'Blocked':
      return true
    default:
      return exhaustiveSwitchError(step.status, 'step status')
  }
}

export function isDone(step: ActionStep): boolean {
  return step.status === 'Done'
}

/** Overdue: due before `asOf` and open. Due soon: due from `asOf` to `asOf + dueSoonDays` inclusive, and open. */
export function stepTiming(step: ActionStep, settings: Settings, asOf: IsoDate): StepTiming {
  if (step.dueDate === null || !isOpen(step)) return null
  // ISO dates compare correctly as text.
  if (step.dueDate < asOf) return 'Overdue'
  if (step.dueDate <= addDays(asOf, settings.dueSoonDays)) return 'Due soon'
  return null
}
