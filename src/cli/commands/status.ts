import { changeEntries } from '../../app/activity.ts'
import { PLAN_TABLES, type LoadedPlan } from '../../app/load-plan.ts'
import { statusReport, type WigSummary } from '../../app/status-report.ts'
import { utilization } from '../../app/utilization.ts'
import { todayIso } from '../../domain/dates.ts'
import { formatRange, formatShare } from '../../domain/units.ts'
import { formatProblem } from '../../workbook/problem.ts'
import { dateFlag, parseCommandArgs } from '../args.ts'
import { EXIT, type CliIo, type ExitCode } from '../io.ts'
import { readPlanFrom } from '../source.ts'
import { textTable } from '../table-text.ts'

const USAGE = 'pm-workbook status SOURCE [--as-of YYYY-MM-DD] [--json]'

export async function statusCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, { json: { type: 'boolean' }, 'as-of': { type: 'string' } }, { min: 1, max: 1, usage: USAGE })
  const today = todayIso(io.now())
  const asOf = dateFlag(parsed, 'as-of') ?? today
  const source = parsed.positionals[0] ?? ''
  if (parsed.values.json) {
    // Utilization (issue 10) counts ChangeLog rows as updates, so JSON reads that table too, in
    // the same round trip; the text view shows no utilization and reads what it always did.
    const loaded = await readPlanFrom(source, io, [...PLAN_TABLES, 'ChangeLog'])
    if (!loaded) return EXIT.failed
    const report = statusReport(loaded.plan, planProblems(loaded), asOf, today)
    io.out(JSON.stringify({ ...report, utilization: utilization(loaded.plan, changeEntries(loaded.raw), asOf) }, null, 2))
    return EXIT.ok
  }
  const loaded = await readPlanFrom(source, io)
  if (!loaded) return EXIT.failed
  const report = statusReport(loaded.plan, loaded.problems, asOf, today)
  const district = loaded.plan.settings.districtName
  io.out(`${district ? `${district}: ` : ''}${report.wigs.length} WIGs as of ${asOf}\n`)
  io.out(textTable(['WIG', 'Status', 'Progress', 'Pace', 'Latest', 'Expected', 'Goal', 'Steps', 'Title'], report.wigs.map(statusRow)))
  // The two ratios are easy to mix up (issue 8: "progress" used to be the pace), so say which is which.
  if (report.wigs.length > 0) io.out('\nProgress: share of the way from baseline to target. Pace: progress against the value expected by the latest check-in (the status rules use it).')
  if (report.problems.length > 0) {
    io.out(`\n${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} in the workbook (run \`pm-workbook check\` for all):`)
    for (const problem of report.problems.slice(0, 10)) io.out(`  ${formatProblem(problem)}`)
  }
  return EXIT.ok
}

/**
 * The problems status reports: those of the plan tables. decodePlan reports a missing or
 * malformed ChangeLog whenever the read asked for it, because writes need it; status only reads
 * it for utilization, which then goes by UpdatedAt alone (changeEntries gives []). So ChangeLog
 * problems are left to `check`, and `problems` is the same with --json as without.
 */
function planProblems(loaded: LoadedPlan): LoadedPlan['problems'] {
  return loaded.problems.filter((problem) => problem.table !== 'ChangeLog')
}

function statusRow(wig: WigSummary): string[] {
  const flags = [wig.manual ? `manual; rules say ${wig.computedStatus}` : '', wig.stale ? 'stale' : ''].filter(Boolean)
  const status = flags.length > 0 ? `${wig.status} (${flags.join(', ')})` : wig.status
  const share = (ratio: number | null): string => (ratio === null ? '' : formatShare(ratio))
  const latest = wig.latest && wig.latestText !== null ? `${wig.latestText} on ${wig.latest.date}` : ''
  const overdue = wig.steps.overdue > 0 ? `, ${wig.steps.overdue} overdue` : ''
  const steps = wig.steps.total > 0 ? `${wig.steps.done}/${wig.steps.total} done${overdue}` : ''
  return [wig.id, status, share(wig.progress), share(wig.pace), latest, wig.expectedText ?? '', goal(wig), steps, wig.title.length > 70 ? `${wig.title.slice(0, 69)}…` : wig.title]
}

/** "55% → 72% by 2025-06-30"; a blank Baseline is the first check-in, so only the target is shown. */
function goal(wig: WigSummary): string {
  const by = wig.targetDate === null ? '' : `by ${wig.targetDate}`
  if (wig.kind === 'Milestone' || wig.targetText === null) return by
  const range = wig.baseline === null || wig.target === null ? `to ${wig.targetText}` : formatRange(wig.baseline, wig.target, wig)
  return by === '' ? range : `${range} ${by}`
}
