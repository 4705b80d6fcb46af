import { err, ok, type Result } from '../domain/result.ts'
import { decodePlan, type DecodedPlan } from '../workbook/codec.ts'
import { checkTables } from '../workbook/check.ts'
import type { TableName } from '../workbook/contract.ts'
import type { Problem } from '../workbook/problem.ts'
import type { RawWorkbook } from '../workbook/raw.ts'
import type { StoreError, WorkbookStore } from '../workbook/store.ts'

/** The tables a status view needs; ChangeLog is only read by `check`. */
export const PLAN_TABLES: readonly TableName[] = ['Strategies', 'WIGs', 'Measures', 'CheckIns', 'ActionSteps', 'People', 'Settings']

export type LoadedPlan = DecodedPlan & { raw: RawWorkbook }

/** Reads the plan in one round trip and decodes it; problems in cells are values, not failures. */
export async function loadPlan(store: WorkbookStore, tables: readonly TableName[] = PLAN_TABLES): Promise<Result<LoadedPlan, StoreError>> {
  const read = await store.read(tables)
  if (!read.ok) return err(read.error)
  const decoded = decodePlan(read.value)
  return ok({ ...decoded, problems: mergeProblems(checkTables(read.value), decoded.problems), raw: read.value })
}

/** Structural problems come first; a problem reported by both passes is listed once. */
function mergeProblems(first: readonly Problem[], second: readonly Problem[]): Problem[] {
  const seen = new Set<string>()
  const merged: Problem[] = []
  for (const problem of [...first, ...second]) {
    const id = JSON.stringify([problem.table, problem.row, problem.column, problem.message])
    if (seen.has(id)) continue
    seen.add(id)
    merged.push(problem)
  }
  return merged
}
