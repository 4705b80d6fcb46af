import { err, ok, type Result } from '../domain/result.ts'
import { findColumn, type TableName } from '../workbook/contract.ts'
import type { Problem } from '../workbook/problem.ts'
import { cellAddress, type RawWorkbook } from '../workbook/raw.ts'
import type { AssignKeyError, WorkbookStore, WriteReceipt } from '../workbook/store.ts'
import { keyText, sheetRow } from '../workbook/write-plan.ts'
import { rowKeyFor } from './change-id.ts'
import type { Refusal } from './refusals.ts'
import { audit, checkedBy, type ActionMeta, type Directory } from './update-step.ts'

/**
 * The task pane's one-click fix for a row typed into Excel without its StepId or CheckInId
 * (WORKBOOK.md: "a problem the task pane can fix (assign one), never a reason to drop the row").
 * The row has no key to be found by, so it is found where the user saw it and checked against
 * everything else they saw in it; the store writes the key cell alone and logs it.
 */

/** The tables whose keys the product generates, and the prefix of each (as `addStep` and `logCheckIn` make them). */
const GENERATED_KEYS = {
  ActionSteps: { keyColumn: 'StepId', prefix: 'ST' },
  CheckIns: { keyColumn: 'CheckInId', prefix: 'CI' },
} as const satisfies Partial<Record<TableName, { keyColumn: string; prefix: string }>>

type KeyedTable = keyof typeof GENERATED_KEYS

function isKeyedTable(table: TableName): table is KeyedTable {
  return Object.hasOwn(GENERATED_KEYS, table)
}

/** Where the fix applies: a problem the codec marked as a missing generated key, at a known sheet row. */
export function isFixableMissingKey(problem: Problem): boolean {
  return problem.fix === 'assignKey' && problem.row !== null && isKeyedTable(problem.table) && problem.column === GENERATED_KEYS[problem.table].keyColumn
}

/** The problem's place, as the pane has it: a Problem will do. */
export type MissingKeyPlace = Pick<Problem, 'table' | 'row'>

/**
 * Refused before anything is sent. notMissingKey: the place is not a row of ActionSteps or
 * CheckIns (or has no row); notInSnapshot: the snapshot has no such data row, or that row is blank.
 */
export type AssignKeyRefused = { kind: 'notFixable'; table: TableName; row: number | null; reason: 'notMissingKey' | 'notInSnapshot' }

export type AssignMissingKeyError = AssignKeyError | Refusal | AssignKeyRefused

export type KeyAssigned = WriteReceipt & {
  /** The key now in the row (also when a retry found it already there: `applied: false`). */
  key: string
  table: TableName
  keyColumn: string
  /** Sheet row, as the problem gave it. */
  row: number
  /** Sheet-qualified address of the key cell, e.g. `'Action Steps'!B9`, when the snapshot knows where the table sits. */
  cell: string | null
}

/**
 * Keys to try, in order: the first that the table does not already hold. Each comes from the
 * action's ChangeId, as a new row's key does, so a retry of the same action picks the same key.
 */
function candidateKeys(prefix: string, changeId: string): string[] {
  const compact = changeId.replace(/-/g, '')
  const later = [10, 20].map((from) => compact.slice(from)).filter((rest) => rest.length >= 10)
  return [rowKeyFor(prefix, changeId), ...later.map((rest) => rowKeyFor(prefix, rest))]
}

/**
 * Gives the row at `place` (a missing-key problem from `raw`'s decode) a new key, generated like
 * the app's other new keys (`ST-…`, `CI-…`) and new to the table. `raw` is the snapshot the pane
 * showed: the row must still hold exactly what it held there, or nothing is written.
 */
export async function assignMissingKey(
  store: WorkbookStore,
  raw: RawWorkbook,
  place: MissingKeyPlace,
  meta: ActionMeta,
  directory: Directory,
): Promise<Result<KeyAssigned, AssignMissingKeyError>> {
  const { table, row } = place
  if (row === null || !isKeyedTable(table)) return err({ kind: 'notFixable', table, row, reason: 'notMissingKey' })
  const by = checkedBy(directory, meta.by)
  if (by) return err(by)
  const { keyColumn, prefix } = GENERATED_KEYS[table]
  const target = raw.tables[table]
  if (!target) return err({ kind: 'missingTable', table })
  const keyIndex = findColumn(target.headers, keyColumn)
  if (keyIndex < 0) return err({ kind: 'missingColumn', table, column: keyColumn })
  const index = row - sheetRow(target, 0)
  const seen = target.rows[index]
  if (!seen || seen.every((cell) => keyText(cell) === '')) return err({ kind: 'notFixable', table, row, reason: 'notInSnapshot' })
  const present = keyText(seen[keyIndex])
  if (present !== '') return err({ kind: 'keyAlreadySet', table, keyColumn, row, key: present })

  const keys = new Set(target.rows.map((r) => keyText(r[keyIndex])))
  const candidates = candidateKeys(prefix, meta.changeId)
  // When every candidate is taken (never, short of a copied row), the store refuses the first as keyTaken.
  const key = candidates.find((k) => !keys.has(k)) ?? rowKeyFor(prefix, meta.changeId)
  const written = await store.assignKey({ table, index, seen, key, audit: audit(meta) })
  if (!written.ok) return written
  return ok({ ...written.value, key, table, keyColumn, row, cell: cellAddress(target, index, keyIndex) ?? null })
}
