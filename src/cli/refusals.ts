import { exhaustiveSwitchError } from '../domain/result.ts'
import { describeError, type DescribedError } from '../messages/errors.ts'
import type { CliIo } from './io.ts'

/** The exit code of a failure: 1 when the workbook or a rule said no, 2 when the workbook could not be reached. */
export function exitFor(error: DescribedError): 1 | 2 {
  switch (error.kind) {
    case 'unknownRow':
    case 'missingTable':
    case 'missingColumn':
    case 'unknownWig':
    case 'unknownMeasure':
    case 'measureOfAnotherWig':
    case 'milestoneNeedsMeasure':
    case 'futureDate':
    case 'unknownPerson':
    case 'percentOutOfRange':
    case 'emptyTitle':
    case 'nothingToChange':
    case 'badId':
    case 'conflict':
    case 'missingKey':
    case 'duplicateKey':
    case 'badColumns':
    case 'badCell':
      return 1
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
      return 2
    default:
      return exhaustiveSwitchError(error, 'failure')
  }
}

/** Prints the failure's one line (worded by src/messages/errors.ts) and gives its exit code. */
export function reportFailure(io: CliIo, error: DescribedError): 1 | 2 {
  io.err(describeError(error))
  return exitFor(error)
}
