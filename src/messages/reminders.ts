import type { OwnerResult, ReminderFollowUp, SendFailure, SendRefusal, UtilizationFigures } from '../app/reminders.ts'
import { formatShare } from '../domain/units.ts'
import { exhaustiveSwitchError } from '../domain/result.ts'
import { CONTRACT } from '../workbook/contract.ts'
import { describeError } from './errors.ts'

/**
 * The English of update reminders' outcomes (issue 15), one wording for the CLI and the tab.
 */

/** How to add the Reminders table, said wherever it is missing. */
export const ADD_REMINDERS_TABLE =
  `Add it with Set up in the Excel task pane (it creates the tables a workbook lacks, each on a sheet of its own, and changes nothing else), ` +
  `or add an Excel table named Reminders with the columns ${CONTRACT.Reminders.columns.map((c) => c.name).join(', ')}.`

export function describeSendRefusal(refusal: SendRefusal): string {
  switch (refusal.kind) {
    case 'noRemindersTable':
      return `The workbook has no Reminders table, so nothing was sent: each reminder sent is recorded there, so that running again the same day sends nothing twice. ${ADD_REMINDERS_TABLE}`
    case 'remindersUnreadable':
      return `The Reminders table cannot be read${refusal.problems.length > 0 ? ` (${refusal.problems.map((p) => p.message).join(' ')})` : ''}, so nothing was sent: what was sent could not be recorded. Fix its columns (${CONTRACT.Reminders.required.join(', ')}) and run again.`
    default:
      return describeError(refusal)
  }
}

/** Why one message was not sent, in a sentence: Graph's status, code and message as it sent them, or why no answer came. */
export function describeSendFailure(failure: SendFailure): string {
  if (failure.error !== undefined) return describeError(failure.error)
  const code = failure.code === null ? '' : ` ${failure.code}`
  const wait = failure.retryAfterSeconds === null ? '' : ` Microsoft 365 asked to wait ${failure.retryAfterSeconds} s; the next run sends it.`
  return `Microsoft 365 answered ${failure.status ?? ''}${code}: ${failure.message}${wait}`.replace(/\s+/g, ' ').trim()
}

/** One owner's outcome, as a line of a report. */
export function describeOwnerResult(result: OwnerResult, via: 'mail' | 'teams'): string {
  switch (result.outcome) {
    case 'sent':
      return `${via === 'mail' ? 'sent by email' : 'notified in Teams'} (${result.count} item${result.count === 1 ? '' : 's'})`
    case 'alreadyReminded':
      return `not sent: already reminded for ${result.on}`
    case 'noAddress':
      return 'not sent: no email address (add the owner to People, or write the owner as an email)'
    case 'failed':
      return `not sent: ${describeSendFailure(result.failure)}`
    default:
      return exhaustiveSwitchError(result, 'reminder outcome')
  }
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`
const shareText = (figures: UtilizationFigures['owners']): string => (figures.share === null ? '–' : formatShare(figures.share))

/** "Reminders of 2026-12-08 (4 owners): 5 of 9 reminded steps updated within a week; step owners updating 40% → 55%, open steps updated 30% → 42%." */
export function followUpLine(f: ReminderFollowUp): string {
  const window = f.weekComplete ? 'within a week' : `so far (to ${f.until})`
  const { before, after } = f.utilization
  return (
    `Reminders of ${f.date} (${plural(f.owners, 'owner')}): ${f.updated.length} of ${plural(f.steps.length, 'reminded step')} updated ${window}; ` +
    `step owners updating ${shareText(before.owners)} → ${shareText(after.owners)}, open steps updated ${shareText(before.openSteps)} → ${shareText(after.openSteps)}.`
  )
}
