import type { IsoDate } from '../domain/dates.ts'
import type { Plan, WigKind } from '../domain/model.ts'
import { planReport } from '../domain/report.ts'
import type { WigReport } from '../domain/status.ts'
import { formatValue, wigUnits, type ValueScale } from '../domain/units.ts'
import type { Problem } from '../workbook/problem.ts'

/**
 * One WIG as every surface shows it (and as `pm-workbook status --json` prints it): the rule
 * results plus where it sits in the plan.
 *
 * Numbers (baseline, target, latest.value, expected) stay on the stored scale, so a program can
 * compute with them; the `…Text` fields are the same values in the WIG's unit ("49%",
 * "43.2 days") for people. `progress` (share of the way from baseline to target), `pace` (the
 * rules' p against the expected value) and `expected` come from the engine (domain/status.ts).
 */
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
  scale: ValueScale
  baseline: number | null
  target: number | null
  targetDate: IsoDate | null
  baselineText: string | null
  targetText: string | null
  latestText: string | null
  expectedText: string | null
}

export type StatusReport = { asOf: IsoDate; wigs: WigSummary[]; problems: Problem[] }

export function statusReport(plan: Plan, problems: readonly Problem[], asOf: IsoDate, today: IsoDate): StatusReport {
  const pillarOf = new Map(plan.strategies.map((s) => [s.id, s.pillar]))
  const report = planReport(plan, asOf, today)
  return { asOf, wigs: report.wigs.map((r) => summarize(r, pillarOf)), problems: [...problems] }
}

function summarize(report: WigReport, pillarOf: ReadonlyMap<string, string>): WigSummary {
  const { wig, ...results } = report
  const units = wigUnits(wig)
  const text = (value: number | null | undefined): string | null => (value === null || value === undefined ? null : formatValue(value, units))
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
    scale: wig.scale,
    baseline: wig.baseline,
    target: wig.target,
    targetDate: wig.targetDate,
    ...results,
    baselineText: text(wig.baseline),
    targetText: text(wig.target),
    latestText: text(results.latest?.value),
    expectedText: text(results.expected),
  }
}
