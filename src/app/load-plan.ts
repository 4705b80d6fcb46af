import { err, ok, type Result } from '../domain/result.ts'
import { decodePlan, type DecodedPlan } from '../workbook/codec.ts'
import type { TableName } from '../workbook/contract.ts'
import type { RawWorkbook } from '../workbook/raw.ts'
import type { StoreError, WorkbookStore } from '../workbook/store.ts'

/** The tables a status view needs; ChangeLog is only read by `check`. */
export const PLAN_TABLES: readonly TableName[] = ['Strategies', 'WIGs', 'Measures', 'CheckIns', 'ActionSteps', 'People', 'Settings']

export type LoadedPlan = DecodedPlan & { raw: RawWorkbook }

/** Reads the plan in one round trip and decodes it; problems in cells are values, not failures. */
export async function loadPlan(store: WorkbookStore, tables: readonly TableName[] = PLAN_TABLES): Promise<Result<LoadedPlan, StoreError>> {
  const read = await store.read(tables)
  if (!read.ok) return err(read.error)
  return ok({ ...decodePlan(read.value), raw: read.value })
}
