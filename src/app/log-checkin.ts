import type { IsoDate } from '../domain/dates.ts'
import type { CheckInId } from '../domain/ids.ts'
import { validateNewCheckIn, type NewCheckInInput, type Plan } from '../domain/model.ts'
import { err, ok, type Result } from '../domain/result.ts'
import { encodeDate, encodeNumber, encodeText } from '../workbook/encode.ts'
import type { CellValue } from '../workbook/raw.ts'
import type { StoreError, WorkbookStore, WriteError, WriteReceipt } from '../workbook/store.ts'
import { referenceRefusal, rowUnderWig } from './references.ts'
import type { Refusal } from './refusals.ts'
import { audit, checkedBy, type ActionMeta } from './update-step.ts'

/** A check-in as the user typed it, checked with `validateNewCheckIn` (src/domain/model.ts). */
export type CheckInEntry = NewCheckInInput

export type CheckInError = WriteError | StoreError | Refusal

/** The parts of the plan a check-in is validated against: WIGs, measures and People. */
export type PlanContext = Pick<Plan, 'wigs' | 'measures' | 'people'>

/** The rules a check-in must meet before anything is written (WORKBOOK.md, "Writing"). */
export function checkInRefusal(plan: PlanContext, input: CheckInEntry, by: string, today: IsoDate): Refusal | null {
  const byRefusal = checkedBy(plan, by)
  if (byRefusal) return byRefusal
  const checked = validateNewCheckIn(input)
  if (!checked.ok) return checked.error[0] ?? null
  const entry = checked.value
  const wig = plan.wigs.find((w) => w.id === entry.wigId)
  if (!wig) return { kind: 'unknownWig', wigId: entry.wigId }
  if (entry.date > today) return { kind: 'futureDate', date: entry.date, today }
  // A milestone WIG is measured by its steps and measures; a value on the WIG itself means nothing.
  if (entry.measureId === undefined && wig.kind === 'Milestone') {
    return { kind: 'milestoneNeedsMeasure', wigId: wig.id, measureIds: plan.measures.filter((m) => m.wigId === wig.id).map((m) => m.id) }
  }
  return referenceRefusal(plan, entry.wigId, entry.measureId)
}

/** The check-in's own cells: when, what, and who entered it (written where the table has those columns). */
function checkInCells(entry: CheckInEntry, meta: ActionMeta): Record<string, CellValue> {
  const own: Record<string, CellValue> = { Date: encodeDate(entry.date), Value: encodeNumber(entry.value), EnteredBy: encodeText(meta.by), EnteredAt: encodeText(meta.at.toISOString()) }
  if (entry.note !== undefined && entry.note !== '') own.Note = encodeText(entry.note)
  return own
}

/** Appends one check-in with its own generated CheckInId (derived from the ChangeId, so a retry finds it). */
export async function logCheckIn(
  store: WorkbookStore,
  plan: PlanContext,
  entry: CheckInEntry,
  meta: ActionMeta,
  today: IsoDate,
): Promise<Result<WriteReceipt & { checkInId: CheckInId }, CheckInError>> {
  const refusal = checkInRefusal(plan, entry, meta.by, today)
  if (refusal) return err(refusal)
  const { key, cells } = rowUnderWig('CheckInId', 'CI', meta.changeId, entry.wigId, entry.measureId)
  const checkInId = key as CheckInId
  const row = { ...cells, ...checkInCells(entry, meta) }
  const written = await store.appendRows({ table: 'CheckIns', rows: [row], audit: audit(meta), ifPresent: ['EnteredBy', 'EnteredAt'] })
  return written.ok ? ok({ ...written.value, checkInId }) : err(written.error)
}
