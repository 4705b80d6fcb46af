import type { IsoDate } from './dates.ts'
import type { ActionStep, CheckIn, Plan } from './model.ts'
import { wigStatus, type WigReport } from './status.ts'

export type PlanReport = { asOf: IsoDate; wigs: WigReport[] }

function groupByWig<T extends { wigId: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    const group = groups.get(row.wigId)
    if (group) group.push(row)
    else groups.set(row.wigId, [row])
  }
  return groups
}

/** Every WIG's report, in workbook order. */
export function planReport(plan: Plan, asOf: IsoDate, today?: IsoDate): PlanReport {
  // Grouped once so a large plan is not scanned once per WIG.
  const checkIns = groupByWig<CheckIn>(plan.checkIns)
  const steps = groupByWig<ActionStep>(plan.steps)
  return {
    asOf,
    wigs: plan.wigs.map((wig) =>
      wigStatus(wig, checkIns.get(wig.id) ?? [], steps.get(wig.id) ?? [], plan.settings, asOf, today),
    ),
  }
}
