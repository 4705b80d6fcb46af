import type { IsoDate } from '../domain/dates.ts'
import type { Plan } from '../domain/model.ts'
import { err, ok, type Result } from '../domain/result.ts'
import { encodeDate, encodeStepStatus, encodeText } from '../workbook/encode.ts'
import type { CellValue } from '../workbook/raw.ts'
import type { StoreError, WorkbookStore, WriteError, WriteReceipt } from '../workbook/store.ts'
import { rowKeyFor } from './change-id.ts'
import type { Refusal } from './refusals.ts'
import { audit, isKnownPerson, type ActionMeta } from './update-step.ts'

export type NewStep = { wigId: string; title: string; owner: string; dueDate: IsoDate; measureId?: string; startDate?: IsoDate; notes?: string }

export type AddStepError = WriteError | StoreError | Refusal

/** Adds an action step under a WIG, Not started, with a StepId derived from the ChangeId (so a retry finds it). */
export async function addStep(
  store: WorkbookStore,
  plan: Pick<Plan, 'wigs' | 'measures' | 'people'>,
  step: NewStep,
  meta: ActionMeta,
): Promise<Result<WriteReceipt & { stepId: string }, AddStepError>> {
  if (!isKnownPerson(plan, meta.by)) return err({ kind: 'unknownPerson', email: meta.by, role: 'by' })
  if (!isKnownPerson(plan, step.owner)) return err({ kind: 'unknownPerson', email: step.owner, role: 'owner' })
  if (step.title.trim() === '') return err({ kind: 'emptyTitle' })
  if (!plan.wigs.some((w) => w.id === step.wigId)) return err({ kind: 'unknownWig', wigId: step.wigId })
  if (step.measureId !== undefined) {
    const measure = plan.measures.find((m) => m.id === step.measureId)
    if (!measure) return err({ kind: 'unknownMeasure', measureId: step.measureId })
    if (measure.wigId !== step.wigId) return err({ kind: 'measureOfAnotherWig', measureId: measure.id, wigId: step.wigId, ownerWigId: measure.wigId })
  }
  const stepId = rowKeyFor('ST', meta.changeId)
  const row: Record<string, CellValue> = {
    StepId: stepId,
    WigId: encodeText(step.wigId),
    Title: encodeText(step.title.trim()),
    Owner: encodeText(step.owner),
    DueDate: encodeDate(step.dueDate),
    Status: encodeStepStatus('Not started'),
    PercentComplete: 0,
    UpdatedBy: encodeText(meta.by),
    UpdatedAt: encodeText(meta.at.toISOString()),
  }
  if (step.measureId !== undefined) row.MeasureId = encodeText(step.measureId)
  if (step.startDate !== undefined) row.StartDate = encodeDate(step.startDate)
  if (step.notes !== undefined && step.notes.trim() !== '') row.Notes = encodeText(step.notes)
  const written = await store.appendRows({
    table: 'ActionSteps',
    rows: [row],
    audit: audit(meta),
    ifPresent: ['PercentComplete', 'UpdatedBy', 'UpdatedAt', ...(row.StartDate !== undefined ? ['StartDate'] : []), ...(row.Notes !== undefined ? ['Notes'] : [])],
  })
  return written.ok ? ok({ ...written.value, stepId }) : err(written.error)
}
