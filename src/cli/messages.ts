import { exhaustiveSwitchError } from '../domain/result.ts'
import type { WriteError } from '../workbook/store.ts'

/** A write the workbook refused is exit 1; one that could not reach the workbook is exit 2. */
export function exitForWrite(error: WriteError): 1 | 2 {
  switch (error.kind) {
    case 'conflict':
    case 'missingKey':
    case 'duplicateKey':
    case 'missingTable':
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
      return exhaustiveSwitchError(error, 'write error')
  }
}
