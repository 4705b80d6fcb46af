import type { StepView } from '../app/dashboard.ts'
import type { StepEdit } from '../app/update-step.ts'
import { parseIsoDate } from '../domain/dates.ts'
import { STEP_STATUSES, type StepStatus } from '../domain/model.ts'

/** The step editor's fields as typed. Everything is text until checked, so nothing typed is lost. */
export type StepForm = { status: string; percent: string; dueDate: string; reason: string; owner: string; note: string }

export type StepFormErrors = Partial<Record<keyof StepForm | 'form', string>>

export function formFromStep(step: StepView, ownerEmail: string): StepForm {
  return {
    status: step.status ?? '',
    percent: step.percentComplete === null ? '' : String(Math.round(step.percentComplete * 100) / 100),
    dueDate: step.dueDate ?? '',
    reason: '',
    owner: ownerEmail,
    note: '',
  }
}

const isStatus = (text: string): text is StepStatus => (STEP_STATUSES as readonly string[]).includes(text)

/**
 * Checks the form against the step as it was shown and gives the edit to save: only the fields
 * that changed. Every refusal is a message for its field, before anything is written.
 */
export function checkStepForm(form: StepForm, shown: StepForm, stepId: string): { edit: StepEdit | null; errors: StepFormErrors } {
  const errors: StepFormErrors = {}
  const edit: StepEdit = { stepId }
  if (form.status !== shown.status) {
    if (isStatus(form.status)) edit.status = form.status
    else errors.status = `Pick one of: ${STEP_STATUSES.join(', ')}.`
  }
  if (form.percent.trim() !== shown.percent.trim()) {
    const text = form.percent.trim().replace(/%$/, '')
    const percent = Number(text)
    if (text === '' || !Number.isFinite(percent) || percent < 0 || percent > 100) errors.percent = `Percent complete is a number from 0 to 100${text === '' ? '' : `, not ${form.percent.trim()}`}.`
    else edit.percentComplete = percent
  }
  if (form.dueDate.trim() !== shown.dueDate) {
    const due = parseIsoDate(form.dueDate)
    if (due === null) errors.dueDate = `Give the due date as YYYY-MM-DD, a real day (for example 2027-02-15)${form.dueDate.trim() ? `; ${form.dueDate.trim()} is not one` : ''}.`
    else {
      edit.dueDate = due
      // A later date is a slip: the board asks why, so the note travels with the change.
      if (shown.dueDate !== '' && due > shown.dueDate && form.reason.trim() === '') errors.reason = 'Say why the due date moves later.'
    }
  }
  if (form.owner !== shown.owner) {
    if (form.owner.trim() === '') errors.owner = 'Pick the new owner from People.'
    else edit.owner = form.owner.trim()
  }
  const lines = [
    edit.dueDate !== undefined && shown.dueDate !== '' && edit.dueDate > shown.dueDate ? `Due date moved from ${shown.dueDate} to ${edit.dueDate}: ${form.reason.trim()}` : '',
    form.note.trim(),
  ].filter(Boolean)
  if (lines.length > 0) edit.addNote = lines.join(' · ')
  if (Object.keys(errors).length > 0) return { edit: null, errors }
  if (Object.keys(edit).length === 1) return { edit: null, errors: { form: 'Nothing has changed yet.' } }
  return { edit, errors }
}
