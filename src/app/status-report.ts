import type { IsoDate } from '../domain/dates.ts'
import type { Plan, WigKind } from '../domain/model.ts'
import { planReport } from '../domain/report.ts'
import type { WigReport } from '../domain/status.ts'
import type { Problem } from '../workbook/problem.ts'

/** One WIG as every surface shows it (and as `pm-workbook status --json` prints it): the rule results plus where it sits in the plan. */
export type WigSummary = Omit<WigReport, 'wig'> & {
  id: string
  title: string
  pillar: string
  strategyId: string
  department: string
  owner: string
  ownerName: string
  kind: WigKind
  unit: string
  baseline: number | null
  target: number | null
  targetDate: IsoDate | null
}

export type StatusReport = { asOf: IsoDate; wigs: WigSummary[]; problems: Problem[] }

export function statusReport(plan: Plan, problems: readonly Problem[], asOf: IsoDate, today: IsoDate): StatusReport {
  const pillarOf = new Map(plan.strategies.map((s) => [s.id, s.pillar]))
  const report = planReport(plan, asOf, today)
  return { asOf, wigs: report.wigs.map((r) => summarize(r, pillarOf)), problems: [...problems] }
}

function summarize(report: WigReport, pillarOf: ReadonlyMap<string, string>): WigSummary {
  const { wig, ...results } = report
  return {
    id: wig.id,
    title: wig.title,
    pillar: pillarOf.get(wig.strategyId) ?? '',
    strategyId: wig.strategyId,
    department: wig.department,
    owner: wig.owner?.email ?? wig.owner?.text ?? '',
    ownerName: wig.owner?.name ?? wig.owner?.text ?? '',
    kind: wig.kind,
    unit: wig.unit,
    baseline: wig.baseline,
    target: wig.target,
    targetDate: wig.targetDate,
    ...results,
  }
}
