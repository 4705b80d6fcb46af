import { statusReport, type WigSummary } from '../../app/status-report.ts'
import { todayIso, type IsoDate } from '../../domain/dates.ts'
import type { CheckIn, Measure, Plan, Wig } from '../../domain/model.ts'
import { ownerGroup, stepsByOwner } from '../../domain/rollup.ts'
import { formatShare, formatValue, measureUnits, wigUnits, type ValueUnits } from '../../domain/units.ts'
import { formatProblem } from '../../workbook/problem.ts'
import { dateFlag, parseCommandArgs } from '../args.ts'
import { EXIT, type CliIo, type ExitCode } from '../io.ts'
import { readPlanFrom } from '../source.ts'
import { textTable } from '../table-text.ts'
import { knownWigs, sortedSteps, stepLine, type StepLine } from './steps.ts'

const USAGE = 'pm-workbook wig SOURCE WIG-ID [--as-of YYYY-MM-DD] [--json]'
/** Check-ins shown in the text view; `--json` has them all. */
const HISTORY_SHOWN = 12

type CheckInLine = { id: string | null; measureId: string | null; date: IsoDate; value: number; valueText: string; note: string; enteredBy: string }
type MeasureLine = {
  id: string
  type: string
  name: string
  unit: string
  baseline: number | null
  target: number | null
  baselineText: string | null
  targetText: string | null
  dueDate: IsoDate | null
  owner: string
  /** The Cadence cell as written (how often it is checked in; see src/app/digest.ts). */
  cadence: string
  latest: { date: IsoDate; value: number; valueText: string } | null
}
type OwnerLine = { owner: string; name: string; open: number; overdue: number; dueSoon: number; done: number; steps: StepLine[] }

/** What `wig --json` prints: the WIG as `status` reports it, and everything under it. */
export type WigView = {
  asOf: IsoDate
  wig: WigSummary & { direction: string | null; startDate: IsoDate | null }
  /** The WIG's own check-ins (no MeasureId) dated on or before asOf, oldest first. */
  checkIns: CheckInLine[]
  /** Own check-ins dated after asOf: they do not count as of that date. */
  laterCheckIns: number
  measures: MeasureLine[]
  stepsByOwner: OwnerLine[]
}

export async function wigCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, { 'as-of': { type: 'string' }, json: { type: 'boolean' } }, { min: 2, max: 2, usage: USAGE })
  const [source = '', rawId = ''] = parsed.positionals
  const today = todayIso(io.now())
  const asOf = dateFlag(parsed, 'as-of') ?? today
  const loaded = await readPlanFrom(source, io)
  if (!loaded) return EXIT.failed
  const { plan, problems } = loaded
  const wig = plan.wigs.find((w) => w.id.trim().toLowerCase() === rawId.trim().toLowerCase())
  if (!wig) {
    io.err(`No WIG has WigId ${rawId.trim()}. ${knownWigs(plan.wigs.map((w) => w.id))} \`pm-workbook status ${source}\` lists them.`)
    return EXIT.problems
  }
  const report = statusReport(plan, problems, asOf, today)
  const summary = report.wigs.find((w) => w.id === wig.id)
  if (!summary) throw new Error(`the status report has no ${wig.id}`)
  const view = wigView(plan, wig, summary, asOf)
  if (parsed.values.json) {
    io.out(JSON.stringify(view, null, 2))
    return EXIT.ok
  }
  printWig(io, view, wig)
  const own = problems.filter((p) => p.key === wig.id)
  if (own.length > 0) {
    io.out(`\n${own.length} problem${own.length === 1 ? '' : 's'} in this WIG's row (run \`pm-workbook check\` for all):`)
    for (const problem of own) io.out(`  ${formatProblem(problem)}`)
  }
  return EXIT.ok
}

export function wigView(plan: Plan, wig: Wig, summary: WigSummary, asOf: IsoDate): WigView {
  const units = wigUnits(wig)
  const mine = plan.checkIns.filter((c) => c.wigId === wig.id)
  const counted = (c: CheckIn): c is CheckIn & { date: IsoDate; value: number } => c.date !== null && c.value !== null
  const own = mine.filter((c) => c.measureId === null).filter(counted)
  const history = own.filter((c) => c.date <= asOf).sort(byDate)
  const measures = plan.measures
    .filter((m) => m.wigId === wig.id)
    .map((m): MeasureLine => {
      const mUnits = measureUnits(m, wig)
      const latest = mine
        .filter((c) => c.measureId === m.id)
        .filter(counted)
        .filter((c) => c.date <= asOf)
        .sort(byDate)
        .at(-1)
      return {
        id: m.id,
        type: m.type ?? '',
        name: m.name,
        unit: mUnits.unit,
        baseline: m.baseline,
        target: m.target,
        baselineText: valueText(m.baseline, mUnits),
        targetText: valueText(m.target, mUnits),
        dueDate: m.dueDate,
        owner: ownerText(m),
        cadence: m.cadence,
        latest: latest ? { date: latest.date, value: latest.value, valueText: formatValue(latest.value, mUnits) } : null,
      }
    })
  // Steps in the order `steps` lists them (overdue first, then by due date), under their owners.
  const byOwner = new Map<string, StepLine[]>()
  for (const { step, timing } of sortedSteps(plan, asOf, { wigId: wig.id, overdue: false })) {
    const key = ownerGroup(step.owner).key
    byOwner.set(key, [...(byOwner.get(key) ?? []), stepLine(step, timing)])
  }
  const owners = stepsByOwner(
    plan.steps.filter((s) => s.wigId === wig.id),
    plan.settings,
    asOf,
  ).map((o): OwnerLine => ({ owner: o.owner, name: o.label, open: o.open, overdue: o.overdue, dueSoon: o.dueSoon, done: o.done, steps: byOwner.get(o.owner) ?? [] }))
  return {
    asOf,
    wig: { ...summary, direction: wig.direction, startDate: wig.startDate },
    checkIns: history.map((c) => ({ id: c.id, measureId: c.measureId, date: c.date, value: c.value, valueText: formatValue(c.value, units), note: c.note, enteredBy: c.enteredBy })),
    laterCheckIns: own.length - history.length,
    measures,
    stepsByOwner: owners,
  }
}

const byDate = (a: CheckIn, b: CheckIn): number => ((a.date ?? '') < (b.date ?? '') ? -1 : (a.date ?? '') > (b.date ?? '') ? 1 : a.position - b.position)

const valueText = (value: number | null, units: ValueUnits): string | null => (value === null ? null : formatValue(value, units))

function ownerText(m: Measure): string {
  return m.owner === null ? '' : ownerGroup(m.owner).label
}

function printWig(io: CliIo, view: WigView, wig: Wig): void {
  const w = view.wig
  const units = wigUnits(wig)
  const text = (value: number | null) => valueText(value, units) ?? '?'
  const pillar = w.pillar ? `${w.pillar}, ` : ''
  const owner = w.ownerName && w.owner && w.ownerName !== w.owner ? `${w.ownerName} (${w.owner})` : w.owner || w.ownerName || 'no owner'
  io.out(`${w.id}: ${w.title}`)
  io.out(`${pillar}strategy ${w.strategyId || '(none)'}; owner ${owner}${w.department ? `; ${w.department}` : ''}`)
  io.out('')

  const by = w.targetDate ?? 'no target date'
  const started = w.startDate ? `, started ${w.startDate}` : ''
  const rows: [string, string][] = []
  if (w.kind === 'Numeric') {
    const direction = w.direction ?? (w.baseline !== null && w.target !== null ? (w.target > w.baseline ? 'Increase' : 'Decrease') : null)
    rows.push(['Goal', `from ${text(w.baseline)} to ${text(w.target)} by ${by}${direction ? ` (${direction.toLowerCase()}${started})` : started ? ` (${started.slice(2)})` : ''}`])
  } else {
    rows.push(['Goal', `milestone, done by ${by}${started}`])
  }
  const flags = [w.manual ? `set by hand; the rules say ${w.computedStatus}` : '', w.stale ? 'stale: no check-in for a while' : ''].filter(Boolean)
  rows.push(['Status', `${w.status} as of ${view.asOf}${flags.length > 0 ? ` (${flags.join('; ')})` : ''}`])
  if (w.note) rows.push(['Note', w.note])
  if (w.kind === 'Numeric') {
    rows.push(['Latest', w.latest ? `${text(w.latest.value)} on ${w.latest.date}` : 'no check-in yet'])
    if (w.expected !== null && w.latest) rows.push(['Expected', `${text(w.expected)} by ${w.latest.date}`])
  }
  if (w.progress !== null) {
    rows.push(['Progress', w.kind === 'Numeric' ? `${formatShare(w.progress)} of the way from ${text(w.baseline)} to ${text(w.target)}` : `${formatShare(w.progress)} of its steps done`])
  }
  if (w.pace !== null) rows.push(['Pace', `${formatShare(w.pace)} of where it was expected to be`])
  const s = w.steps
  rows.push(['Steps', s.total === 0 ? 'none' : `${s.done} of ${s.total} done${s.overdue > 0 ? `, ${s.overdue} overdue` : ''}${s.dueSoon > 0 ? `, ${s.dueSoon} due soon` : ''}`])
  if (w.stepsAreCurrentNotAsOf) rows.push(['', `step statuses are today's: the workbook keeps no history of them`])
  const width = Math.max(...rows.map(([label]) => label.length))
  for (const [label, value] of rows) io.out(`${label.padEnd(width)}  ${value}`.trimEnd())

  if (w.kind === 'Numeric' || view.checkIns.length > 0) {
    const shown = view.checkIns.slice(-HISTORY_SHOWN)
    const earlier = view.checkIns.length - shown.length
    io.out(`\nCheck-ins on the WIG${earlier > 0 ? ` (the last ${shown.length} of ${view.checkIns.length}; --json for all)` : ''}`)
    if (shown.length === 0) io.out('  none yet')
    else io.out(indent(textTable(['Date', 'Value', 'By', 'Note'], shown.map((c) => [c.date, c.valueText, c.enteredBy, oneLine(c.note, 50)]))))
    if (view.laterCheckIns > 0) io.out(`  (${view.laterCheckIns} dated after ${view.asOf} not counted)`)
  }

  io.out('\nMeasures')
  if (view.measures.length === 0) io.out('  none')
  else {
    io.out(
      indent(
        textTable(
          ['Measure', 'Type', 'From', 'To', 'Latest', 'Name'],
          view.measures.map((m) => [m.id, m.type, m.baselineText ?? '', m.targetText ?? '', m.latest ? `${m.latest.valueText} on ${m.latest.date}` : '', oneLine(m.name, 60)]),
        ),
      ),
    )
  }

  io.out('\nSteps by owner')
  if (view.stepsByOwner.length === 0) io.out('  none')
  for (const o of view.stepsByOwner) {
    const who = o.owner && o.owner !== o.name.toLowerCase() ? `${o.name} (${o.owner})` : o.name
    const counts = [`${o.open} open`, o.overdue > 0 ? `${o.overdue} overdue` : '', o.dueSoon > 0 ? `${o.dueSoon} due soon` : '', `${o.done} done`].filter(Boolean).join(', ')
    io.out(`  ${who}: ${counts}`)
    const table = textTable(
      ['Step', 'Due', 'Status', 'Done', 'Title'],
      o.steps.map((step) => [
        step.id ?? '(no id)',
        step.dueDate === null ? '' : step.timing === null ? step.dueDate : `${step.dueDate} ${step.timing.toLowerCase()}`,
        step.status,
        step.percentComplete === null ? '' : `${Math.round(step.percentComplete)}%`,
        oneLine(step.title, 60),
      ]),
    )
    // The header once per owner would repeat; the rows read on their own under the owner's name.
    io.out(indent(table.split('\n').slice(2).join('\n'), 4))
  }
}

function indent(text: string, spaces = 2): string {
  return text
    .split('\n')
    .map((line) => `${' '.repeat(spaces)}${line}`)
    .join('\n')
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}
