import { isoFromUtcMs, type IsoDate } from '../domain/dates.ts'
import { parseEmail } from '../domain/ids.ts'
import { validateStepChange, type Person, type StepStatus } from '../domain/model.ts'
import { err, ok, type Result } from '../domain/result.ts'
import { tidy } from '../workbook/cells.ts'
import { encodeDate, encodePercentComplete, encodeStepStatus, encodeText } from '../workbook/encode.ts'
import { isDateFormat, isPercentFormat } from '../workbook/number-format.ts'
import type { CellValue } from '../workbook/raw.ts'
import type { Audit, CellChange, StoreError, WorkbookStore, WriteError, WriteReceipt } from '../workbook/store.ts'
import { typedTextValue } from '../workbook/typed-text.ts'
import { cellHolds, logText } from '../workbook/write-plan.ts'
import type { Refusal } from './refusals.ts'
import { hasColumn, seenCell, seenFormat, type SeenRow } from './seen.ts'

export type StepEdit = {
  stepId: string
  status?: StepStatus
  /** 0-100 */
  percentComplete?: number
  dueDate?: IsoDate
  /** Replaces the Notes cell. */
  notes?: string
  /** Adds a dated line with its author under the Notes already there. */
  addNote?: string
  /** Reassigns the step: an email, checked against People when People has rows. */
  owner?: string
}

export type ActionMeta = { by: string; source: string; changeId: string; at: Date }

/** What the workbook now says, as a user reads it (`Status: In progress → Done`). */
export type ChangeMade = { column: string; from: string; to: string }

export type StepUpdated = WriteReceipt & { changes: ChangeMade[] }

export type StepUpdateError = WriteError | StoreError | Refusal

/** Who may be named: People's emails. An empty People table names nobody, so nothing is checked. */
export type Directory = { people: readonly Person[] }

/** Who makes a change: a plausible email (`parseEmail`) that People knows, or why not. */
export function checkedBy(directory: Directory, by: string): Refusal | null {
  const email = parseEmail(by)
  if (!email.ok) return email.error
  return isKnownPerson(directory, email.value) ? null : { kind: 'unknownPerson', email: by, role: 'by' }
}

export function isKnownPerson(directory: Directory, email: string): boolean {
  return directory.people.length === 0 || directory.people.some((p) => p.email.toLowerCase() === email.toLowerCase())
}

/** A cell as a person reads it: dates as ISO, percent-formatted fractions as percentages. */
export function displayCell(value: CellValue, format?: string): string {
  const plain = typedTextValue(value)
  if (typeof plain === 'number' && isPercentFormat(format)) return `${tidy(plain * 100)}%`
  if (typeof plain === 'number' && isDateFormat(format)) return logText(plain, format)
  return String(plain)
}

/**
 * Changes a step from what the user saw (`seen`), writing only the fields that differ from it.
 * An edit that changes nothing writes nothing. UpdatedBy/UpdatedAt are stamped with a real
 * change and never compared. Done sets PercentComplete to 100 unless one is given. The store
 * refuses if a cell being changed no longer holds what the user saw.
 */
export async function updateStep(
  store: WorkbookStore,
  edit: StepEdit,
  seen: SeenRow,
  meta: ActionMeta,
  directory: Directory,
): Promise<Result<StepUpdated, StepUpdateError>> {
  const by = checkedBy(directory, meta.by)
  if (by) return err(by)
  const checked = validateStepChange(edit)
  if (!checked.ok) return err(checked.error[0] ?? { kind: 'nothingToChange' })
  if (edit.owner !== undefined && !isKnownPerson(directory, edit.owner)) return err({ kind: 'unknownPerson', email: edit.owner, role: 'owner' })
  const wanted: { column: string; value: CellValue }[] = []
  if (edit.status !== undefined) wanted.push({ column: 'Status', value: encodeStepStatus(edit.status) })
  const percent = edit.percentComplete ?? (edit.status === 'Done' && hasColumn(seen, 'PercentComplete') ? 100 : undefined)
  if (percent !== undefined) {
    if (!hasColumn(seen, 'PercentComplete')) return err({ kind: 'missingColumn', table: 'ActionSteps', column: 'PercentComplete' })
    wanted.push({ column: 'PercentComplete', value: encodePercentComplete(percent, seenFormat(seen, 'PercentComplete')) })
  }
  if (edit.dueDate !== undefined) wanted.push({ column: 'DueDate', value: encodeDate(edit.dueDate) })
  if (edit.owner !== undefined) wanted.push({ column: 'Owner', value: encodeText(edit.owner) })
  const notes = notesAfter(edit, seen, meta)
  if (notes !== undefined) {
    if (!hasColumn(seen, 'Notes')) return err({ kind: 'missingColumn', table: 'ActionSteps', column: 'Notes' })
    wanted.push({ column: 'Notes', value: encodeText(notes) })
  }

  const changes: CellChange[] = []
  const made: ChangeMade[] = []
  for (const { column, value } of wanted) {
    const before = seenCell(seen, column)
    const format = seenFormat(seen, column)
    if (cellHolds(before, value, format)) continue
    changes.push({ column, seen: before, value })
    made.push({ column, from: displayCell(before, format), to: displayCell(value, format) })
  }
  if (changes.length === 0) return ok({ applied: false, changeLogRows: 0, changes: [] })

  const stamps: Record<string, CellValue> = {}
  if (hasColumn(seen, 'UpdatedBy')) stamps.UpdatedBy = encodeText(meta.by)
  if (hasColumn(seen, 'UpdatedAt')) stamps.UpdatedAt = encodeText(meta.at.toISOString())
  const written = await store.updateRow({
    table: 'ActionSteps',
    key: edit.stepId,
    changes,
    audit: audit(meta),
    stamps,
    ...(seen.index !== null ? { rowHint: seen.index } : {}),
  })
  return written.ok ? ok({ ...written.value, changes: written.value.applied ? made : [] }) : err(written.error)
}

/** Notes as they will read: replaced, or with a dated line by its author added under them. */
function notesAfter(edit: StepEdit, seen: SeenRow, meta: ActionMeta): string | undefined {
  if (edit.addNote === undefined) return edit.notes
  const base = edit.notes ?? String(typedTextValue(seenCell(seen, 'Notes')))
  const line = `${isoFromUtcMs(meta.at.getTime())} ${meta.by}: ${edit.addNote.trim()}`
  return base.trim() === '' ? line : `${base.replace(/\s+$/, '')}\n${line}`
}

export function audit(meta: ActionMeta): Audit {
  return { changeId: meta.changeId, at: meta.at.toISOString(), by: meta.by, source: meta.source }
}

/** Gives a step to someone else, checked against People: the owner change alone of `updateStep`. */
export function reassignStep(
  store: WorkbookStore,
  change: { stepId: string; owner: string },
  seen: SeenRow,
  meta: ActionMeta,
  directory: Directory,
): Promise<Result<StepUpdated, StepUpdateError>> {
  return updateStep(store, { stepId: change.stepId, owner: change.owner }, seen, meta, directory)
}
