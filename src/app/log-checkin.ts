import type { IsoDate } from '../domain/dates.ts'
import { err, ok, type Result } from '../domain/result.ts'
import { decodePlan } from '../workbook/codec.ts'
import { encodeDate, encodeNumber, encodeText } from '../workbook/encode.ts'
import type { CellValue } from '../workbook/raw.ts'
import type { StoreError, WorkbookStore, WriteError, WriteReceipt } from '../workbook/store.ts'
import { rowKeyFor } from './change-id.ts'
import { audit, type ActionMeta } from './update-step.ts'

export type CheckInEntry = { wigId: string; value: number; date: IsoDate; measureId?: string; note?: string }

export type CheckInError = WriteError | StoreError | { kind: 'unknownReference'; message: string }

/** Appends one check-in with its own generated CheckInId (derived from the ChangeId, so a retry finds it). */
export async function logCheckIn(store: WorkbookStore, entry: CheckInEntry, meta: ActionMeta): Promise<Result<WriteReceipt & { checkInId: string }, CheckInError>> {
  const read = await store.read(['WIGs', 'Measures'])
  if (!read.ok) return err(read.error)
  const { plan } = decodePlan(read.value)
  if (!plan.wigs.some((w) => w.id === entry.wigId)) {
    return err({ kind: 'unknownReference', message: `No WIG has WigId ${entry.wigId}; nothing was written.` })
  }
  if (entry.measureId !== undefined) {
    const measure = plan.measures.find((m) => m.id === entry.measureId)
    if (!measure) return err({ kind: 'unknownReference', message: `No measure has MeasureId ${entry.measureId}; nothing was written.` })
    if (measure.wigId !== entry.wigId) {
      return err({ kind: 'unknownReference', message: `Measure ${entry.measureId} belongs to WIG ${measure.wigId}, not ${entry.wigId}; nothing was written.` })
    }
  }
  const checkInId = rowKeyFor('CI', meta.changeId)
  const row: Record<string, CellValue> = {
    CheckInId: checkInId,
    WigId: encodeText(entry.wigId),
    Date: encodeDate(entry.date),
    Value: encodeNumber(entry.value),
    EnteredBy: encodeText(meta.by),
    EnteredAt: encodeText(meta.at.toISOString()),
  }
  if (entry.measureId !== undefined) row.MeasureId = encodeText(entry.measureId)
  if (entry.note !== undefined && entry.note !== '') row.Note = encodeText(entry.note)
  const written = await store.appendRows({ table: 'CheckIns', rows: [row], audit: audit(meta), ifPresent: ['EnteredBy', 'EnteredAt'] })
  return written.ok ? ok({ ...written.value, checkInId }) : err(written.error)
}
