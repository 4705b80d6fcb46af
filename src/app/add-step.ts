import type { StepId } from '../domain/ids.ts'
import { validateNewStep, type NewStepInput, type Plan } from '../domain/model.ts'
import { err, ok, type Result } from '../domain/result.ts'
import { encodeDate, encodeStepStatus, encodeText } from '../workbook/encode.ts'
import type { CellValue } from '../workbook/raw.ts'
import type { StoreError, WorkbookStore, WriteError, WriteReceipt } from '../workbook/store.ts'
import { referenceRefusal, rowUnderWig } from './references.ts'
import type { Refusal } from './refusals.ts'
import { audit, checkedBy, isKnownPerson, type ActionMeta } from './update-step.ts'

/** A new step as the user typed it; `addStep` checks it with `validateNewStep` (src/domain/model.ts). */
export type NewStep = NewStepInput

export type AddStepError = WriteError | StoreError | Refusal

/** Adds an action step under a WIG, Not started, with a StepId derived from the ChangeId (so a retry finds it). */
export async function addStep(
  store: WorkbookStore,
  plan: Pick<Plan, 'wigs' | 'measures' | 'people'>,
  input: NewStep,
  meta: ActionMeta,
): Promise<Result<WriteReceipt & { stepId: StepId }, AddStepError>> {
  const by = checkedBy(plan, meta.by)
  if (by) return err(by)
  const checked = validateNewStep(input)
  if (!checked.ok) return err(checked.error[0] ?? { kind: 'emptyTitle' })
  const step = checked.value
  if (!isKnownPerson(plan, step.owner)) return err({ kind: 'unknownPerson', email: step.owner, role: 'owner' })
  const reference = referenceRefusal(plan, step.wigId, step.measureId)
  if (reference) return err(reference)
  const { key, cells } = rowUnderWig('StepId', 'ST', meta.changeId, step.wigId, step.measureId)
  const stepId = key as StepId
  const row: Record<string, CellValue> = {
    ...cells,
    Title: encodeText(step.title),
    Owner: encodeText(step.owner),
    DueDate: encodeDate(step.dueDate),
    Status: encodeStepStatus('Not started'),
    PercentComplete: 0,
    UpdatedBy: encodeText(meta.by),
    UpdatedAt: encodeText(meta.at.toISOString()),
  }
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
