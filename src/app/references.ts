import type { Plan } from '../domain/model.ts'
import { encodeText } from '../workbook/encode.ts'
import type { CellValue } from '../workbook/raw.ts'
import { rowKeyFor } from './change-id.ts'
import type { Refusal } from './refusals.ts'

/**
 * A new row's WIG must exist, and its measure, when it names one, must exist and belong to that
 * WIG: the same rule for a new step and a new check-in.
 */
export function referenceRefusal(plan: Pick<Plan, 'wigs' | 'measures'>, wigId: string, measureId: string | undefined): Refusal | null {
  if (!plan.wigs.some((w) => w.id === wigId)) return { kind: 'unknownWig', wigId }
  if (measureId === undefined) return null
  const measure = plan.measures.find((m) => m.id === measureId)
  if (!measure) return { kind: 'unknownMeasure', measureId }
  if (measure.wigId !== wigId) return { kind: 'measureOfAnotherWig', measureId: measure.id, wigId, ownerWigId: measure.wigId }
  return null
}

/**
 * The cells a new row under a WIG starts with: its key, made from the action's ChangeId so a
 * retried append finds its own row, the WIG, and the measure when one is named.
 */
export function rowUnderWig(keyColumn: string, prefix: string, changeId: string, wigId: string, measureId: string | undefined): { key: string; cells: Record<string, CellValue> } {
  const key = rowKeyFor(prefix, changeId)
  const cells: Record<string, CellValue> = { [keyColumn]: key, WigId: encodeText(wigId) }
  if (measureId !== undefined) cells.MeasureId = encodeText(measureId)
  return { key, cells }
}
