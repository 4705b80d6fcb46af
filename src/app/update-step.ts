import type { IsoDate } from '../domain/dates.ts'
import type { StepStatus } from '../domain/model.ts'
import { err, ok, type Result } from '../domain/result.ts'
import { findColumn } from '../workbook/contract.ts'
import { encodeDate, encodePercentComplete, encodeStepStatus, encodeText } from '../workbook/encode.ts'
import type { CellValue } from '../workbook/raw.ts'
import type { CellChange, StoreError, WorkbookStore, WriteError, WriteReceipt } from '../workbook/store.ts'

export type StepEdit = {
  stepId: string
  status?: StepStatus
  percentComplete?: number
  dueDate?: IsoDate
  notes?: string
}

export type ActionMeta = { by: string; source: string; changeId: string; at: Date }

export type StepUpdateError = WriteError | StoreError | { kind: 'nothingToChange'; message: string }

/**
 * Reads the step's row as it is now (what the user "saw"), then writes only the fields asked for,
 * plus UpdatedBy/UpdatedAt when the table has them. The store refuses if the row changed meanwhile.
 */
export async function updateStep(store: WorkbookStore, edit: StepEdit, meta: ActionMeta): Promise<Result<WriteReceipt, StepUpdateError>> {
  // One row, not the table: the header, the key column, then the row (GRAPH.md §6).
  const read = await store.readRow('ActionSteps', edit.stepId)
  if (!read.ok) return err(read.error)
  const { headers, values: row } = read.value
  const seen = (column: string): CellValue => {
    const index = findColumn(headers, column)
    return index >= 0 ? (row[index] ?? '') : ''
  }
  const formatOf = (column: string): string | undefined => read.value.numberFormats?.[findColumn(headers, column)]
  const changes: CellChange[] = []
  const change = (column: string, value: CellValue) => changes.push({ column, seen: seen(column), value })
  if (edit.status !== undefined) change('Status', encodeStepStatus(edit.status))
  if (edit.percentComplete !== undefined) change('PercentComplete', encodePercentComplete(edit.percentComplete, formatOf('PercentComplete')))
  if (edit.dueDate !== undefined) change('DueDate', encodeDate(edit.dueDate))
  if (edit.notes !== undefined) change('Notes', encodeText(edit.notes))
  if (changes.length === 0) return err({ kind: 'nothingToChange', message: 'Say what to change: a status, a percent complete, a due date or a note.' })
  if (findColumn(headers, 'UpdatedBy') >= 0) change('UpdatedBy', encodeText(meta.by))
  if (findColumn(headers, 'UpdatedAt') >= 0) change('UpdatedAt', encodeText(meta.at.toISOString()))

  const written = await store.updateRow({ table: 'ActionSteps', key: edit.stepId, changes, audit: audit(meta) })
  return written.ok ? ok(written.value) : err(written.error)
}

export function audit(meta: ActionMeta) {
  return { changeId: meta.changeId, at: meta.at.toISOString(), by: meta.by, source: meta.source }
}
