import type { IsoDate } from '../domain/dates.ts'
import type { IdProblem } from '../domain/ids.ts'
import type { TableName } from '../workbook/contract.ts'

/**
 * Why a use case refused an action before writing anything. Each carries its data and no
 * English: every surface words it with src/messages/errors.ts, one way each.
 */
export type Refusal =
  | { kind: 'unknownRow'; table: TableName; keyColumn: string; key: string }
  | { kind: 'missingTable'; table: TableName }
  | { kind: 'missingColumn'; table: TableName; column: string }
  | { kind: 'unknownWig'; wigId: string }
  | { kind: 'unknownMeasure'; measureId: string }
  | { kind: 'measureOfAnotherWig'; measureId: string; wigId: string; ownerWigId: string }
  | { kind: 'milestoneNeedsMeasure'; wigId: string; measureIds: string[] }
  | { kind: 'futureDate'; date: IsoDate; today: IsoDate }
  | { kind: 'unknownPerson'; email: string; role: 'by' | 'owner' }
  | { kind: 'percentOutOfRange'; value: number }
  | { kind: 'emptyTitle' }
  | { kind: 'nothingToChange' }
  /** An id or email typed by a user that is not one (src/domain/ids.ts). */
  | IdProblem
