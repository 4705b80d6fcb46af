import { exhaustiveSwitchError } from '../domain/result.ts'
import type { Refusal } from '../app/refusals.ts'
import { formatValue, type ValueError } from '../domain/units.ts'
import type { SeenError } from '../app/seen.ts'
import { CONTRACT } from '../workbook/contract.ts'
import type { StoreError, WriteError } from '../workbook/store.ts'
import type { CliIo } from './io.ts'
import { exitForWrite } from './messages.ts'

/** One line for each way an action can be refused or fail, and its exit code (1: the workbook said no; 2: it could not be reached). */
export function describeFailure(error: Refusal | SeenError | WriteError | StoreError): { line: string; exit: 1 | 2 } {
  const refused = (line: string) => ({ line, exit: 1 as const })
  switch (error.kind) {
    case 'unknownRow':
      return refused(`No row of ${error.table} has ${CONTRACT[error.table].key ?? 'key'} ${error.key}; nothing was written.`)
    case 'missingTable':
      return refused(`The workbook has no ${error.table} table; nothing was written.`)
    case 'missingColumn':
      return refused(`The ${error.table} table has no ${error.column} column; nothing was written.`)
    case 'unknownWig':
      return refused(`No WIG has WigId ${error.wigId}; nothing was written.`)
    case 'unknownMeasure':
      return refused(`No measure has MeasureId ${error.measureId}; nothing was written.`)
    case 'measureOfAnotherWig':
      return refused(`Measure ${error.measureId} belongs to WIG ${error.ownerWigId}, not ${error.wigId}; nothing was written.`)
    case 'milestoneNeedsMeasure':
      return refused(
        `${error.wigId} is a milestone WIG: log the check-in on one of its measures with --measure (${error.measureIds.length > 0 ? error.measureIds.join(', ') : 'it has none yet'}); nothing was written.`,
      )
    case 'futureDate':
      return refused(`A check-in cannot be dated ${error.date}, after today (${error.today}); nothing was written.`)
    case 'unknownPerson':
      return refused(
        `${error.email} is not in the People table, so it cannot ${error.role === 'by' ? 'make changes (--by)' : 'own a step'}; add them to People first. Nothing was written.`,
      )
    case 'percentOutOfRange':
      return refused(`Percent complete must be between 0 and 100; got ${error.value}. Nothing was written.`)
    case 'emptyTitle':
      return refused('A step needs a title; nothing was written.')
    case 'nothingToChange':
      return refused('Say what to change: a status, a percent complete, a due date, an owner or a note.')
    case 'conflict':
    case 'missingKey':
    case 'duplicateKey':
    case 'badColumns':
    case 'notFound':
    case 'forbidden':
    case 'unauthorized':
    case 'locked':
    case 'throttled':
    case 'unavailable':
    case 'timeout':
    case 'network':
    case 'sessionExpired':
    case 'unreadable':
    case 'unexpected':
      return { line: error.message, exit: exitForWrite(error) }
    default:
      return exhaustiveSwitchError(error, 'failure')
  }
}

/** Prints the failure's one line and gives its exit code. */
export function reportFailure(io: CliIo, error: Refusal | SeenError | WriteError | StoreError): 1 | 2 {
  const { line, exit } = describeFailure(error)
  io.err(line)
  return exit
}

/** A value typed for a check-in that does not fit what it measures: one line, with the fix when there is one. */
export function describeValueError(error: ValueError, target: string): string {
  switch (error.kind) {
    case 'blank':
      return `Give a value for ${target}.`
    case 'notANumber':
      return `"${error.text}" is not a number; ${target} is counted in ${formatValue(1, error.expected).replace(/^1\s*/, '') || 'plain numbers'}.`
    case 'percentSignMissing':
      return `"${error.text}" on ${target} would be ${formatValue(error.value, { scale: 'percentFraction', unit: '%' })}: did you mean ${error.suggestion} (or ${error.stored})?`
    case 'fractionOnPercentPoints':
      return `"${error.text}" on ${target} would be ${error.text}%, but its goal is kept in percentage points: did you mean ${error.suggestion}? (Type ${error.text}% if you do mean under 1%.)`
    case 'percentNotExpected':
      return `"${error.text}" is a percentage, but ${target} is counted in ${error.unit || 'plain numbers'}; give the number itself.`
    default:
      return exhaustiveSwitchError(error, 'value error')
  }
}
