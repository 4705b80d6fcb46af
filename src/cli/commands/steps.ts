import { addDays, todayIso, type IsoDate } from '../../domain/dates.ts'
import { parseWigId } from '../../domain/ids.ts'
import type { ActionStep, Plan } from '../../domain/model.ts'
import { ownerGroup } from '../../domain/rollup.ts'
import { isOpen, stepTiming, type StepTiming } from '../../domain/steps.ts'
import type { TableName } from '../../workbook/contract.ts'
import { formatProblem, type Problem } from '../../workbook/problem.ts'
import { dateFlag, idArg, numberArg, parseCommandArgs, stringFlag } from '../args.ts'
import { EXIT, UsageError, type CliIo, type ExitCode } from '../io.ts'
import { readPlanFrom } from '../source.ts'
import { textTable } from '../table-text.ts'

const USAGE = 'pm-workbook steps SOURCE [--owner EMAIL] [--wig ID] [--overdue] [--due-within DAYS] [--as-of YYYY-MM-DD] [--json]'

/** What a step list needs: no check-ins, which are most of a large workbook. */
const TABLES: readonly TableName[] = ['WIGs', 'ActionSteps', 'People', 'Settings']

/** One action step as `steps` lists it (and `--json` prints it). */
export type StepLine = {
  id: string | null
  wigId: string
  measureId: string | null
  title: string
  owner: string
  ownerName: string
  dueDate: IsoDate | null
  /** The Status cell: a contract status, or the text as written when it is not one. */
  status: string
  percentComplete: number | null
  timing: StepTiming
}

export type StepFilter = { owner?: string; wigId?: string; overdue: boolean; dueWithin?: number }

export async function stepsCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(
    args,
    { owner: { type: 'string' }, wig: { type: 'string' }, overdue: { type: 'boolean' }, 'due-within': { type: 'string' }, 'as-of': { type: 'string' }, json: { type: 'boolean' } },
    { min: 1, max: 1, usage: USAGE },
  )
  const source = parsed.positionals[0] ?? ''
  const asOf = dateFlag(parsed, 'as-of') ?? todayIso(io.now())
  const dueWithinText = stringFlag(parsed, 'due-within')
  const dueWithin = dueWithinText === undefined ? undefined : numberArg(dueWithinText, '--due-within', { min: 0, max: 3660 })
  if (dueWithin !== undefined && !Number.isInteger(dueWithin)) throw new UsageError(`--due-within is a whole number of days; got ${dueWithinText}.`)
  const owner = stringFlag(parsed, 'owner')?.trim()
  const wigText = stringFlag(parsed, 'wig')?.trim()
  const wigId = wigText ? idArg(wigText, parseWigId, '--wig') : undefined
  const filter: StepFilter = {
    overdue: parsed.values.overdue === true,
    ...(owner ? { owner } : {}),
    ...(wigId ? { wigId } : {}),
    ...(dueWithin !== undefined ? { dueWithin } : {}),
  }

  const loaded = await readPlanFrom(source, io, TABLES)
  if (!loaded) return EXIT.failed
  const { plan } = loaded
  // Only the tables read here: the others were not asked for, so they are not missing.
  const problems = loaded.problems.filter((p) => TABLES.includes(p.table))
  if (filter.wigId !== undefined && !plan.wigs.some((w) => sameId(w.id, filter.wigId ?? ''))) {
    io.err(`No WIG has WigId ${filter.wigId}. ${knownWigs(plan.wigs.map((w) => w.id))}`)
    return EXIT.problems
  }
  const lines = listSteps(plan, asOf, filter)
  if (parsed.values.json) {
    io.out(JSON.stringify({ asOf, steps: lines, problems }, null, 2))
    return EXIT.ok
  }
  printSteps(io, lines, asOf, filter, problems)
  return EXIT.ok
}

/** The plan's steps that pass the filter: overdue first (longest overdue first), then by due date, undated last. */
export function listSteps(plan: Pick<Plan, 'steps' | 'settings'>, asOf: IsoDate, filter: StepFilter): StepLine[] {
  return sortedSteps(plan, asOf, filter).map(({ step, timing }) => stepLine(step, timing))
}

/** The same, as the steps themselves with their timing flag. */
export function sortedSteps(plan: Pick<Plan, 'steps' | 'settings'>, asOf: IsoDate, filter: StepFilter): { step: ActionStep; timing: StepTiming }[] {
  const until = filter.dueWithin === undefined ? null : addDays(asOf, filter.dueWithin)
  const owner = filter.owner?.toLowerCase()
  return plan.steps
    .map((step) => ({ step, timing: stepTiming(step, plan.settings, asOf) }))
    .filter(({ step, timing }) => {
      if (filter.wigId !== undefined && !sameId(step.wigId, filter.wigId)) return false
      if (owner !== undefined && !ownedBy(step, owner)) return false
      if (filter.overdue && timing !== 'Overdue') return false
      // Due within N days: open and due by then; a step already overdue is due within any window.
      if (until !== null && (!isOpen(step) || step.dueDate === null || step.dueDate > until)) return false
      return true
    })
    .sort((a, b) => rank(a.timing) - rank(b.timing) || compareDates(a.step.dueDate, b.step.dueDate) || a.step.position - b.step.position)
}

const rank = (timing: StepTiming): number => (timing === 'Overdue' ? 0 : 1)

function compareDates(a: IsoDate | null, b: IsoDate | null): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return a < b ? -1 : 1
}

const sameId = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase()

function ownedBy(step: ActionStep, owner: string): boolean {
  if (step.owner === null) return false
  return step.owner.email?.toLowerCase() === owner || step.owner.text.trim().toLowerCase() === owner
}

export function stepLine(step: ActionStep, timing: StepTiming): StepLine {
  const group = ownerGroup(step.owner)
  return {
    id: step.id,
    wigId: step.wigId,
    measureId: step.measureId,
    title: step.title,
    owner: step.owner?.email ?? step.owner?.text ?? '',
    ownerName: step.owner === null ? '' : group.label,
    dueDate: step.dueDate,
    status: step.status ?? step.rawStatus,
    percentComplete: step.percentComplete,
    timing,
  }
}

function printSteps(io: CliIo, lines: readonly StepLine[], asOf: IsoDate, filter: StepFilter, problems: readonly Problem[]): void {
  const what = `${filter.overdue ? 'overdue ' : ''}action step${lines.length === 1 ? '' : 's'}${describeFilter(filter)}`
  if (lines.length === 0) {
    io.out(`No ${what} as of ${asOf}.`)
  } else {
    const overdue = lines.filter((l) => l.timing === 'Overdue').length
    const dueSoon = lines.filter((l) => l.timing === 'Due soon').length
    const counts = [overdue > 0 && !filter.overdue ? `${overdue} overdue` : '', dueSoon > 0 ? `${dueSoon} due soon` : ''].filter(Boolean).join(', ')
    io.out(`${lines.length} ${what} as of ${asOf}${counts ? ` (${counts})` : ''}:`)
    io.out('')
    io.out(textTable(['Step', 'WIG', 'Owner', 'Due', 'Status', 'Done', 'Title'], lines.map(stepRow)))
  }
  if (problems.length > 0) {
    io.out(`\n${problems.length} problem${problems.length === 1 ? '' : 's'} in the workbook (run \`pm-workbook check\` for all):`)
    for (const problem of problems.slice(0, 5)) io.out(`  ${formatProblem(problem)}`)
  }
}

function stepRow(line: StepLine): string[] {
  const due = line.dueDate === null ? '' : line.timing === null ? line.dueDate : `${line.dueDate} ${line.timing.toLowerCase()}`
  const percent = line.percentComplete === null ? '' : `${Math.round(line.percentComplete)}%`
  const title = line.title.length > 60 ? `${line.title.slice(0, 59)}…` : line.title
  return [line.id ?? '(no id)', line.wigId, line.owner, due, line.status, percent, title]
}

function describeFilter(filter: StepFilter): string {
  const parts = [
    filter.wigId !== undefined ? ` of ${filter.wigId}` : '',
    filter.owner !== undefined ? ` owned by ${filter.owner}` : '',
    filter.dueWithin !== undefined ? ` open and due within ${filter.dueWithin} day${filter.dueWithin === 1 ? '' : 's'}` : '',
  ]
  return parts.join('')
}

/** The WIG ids there are, said in one sentence: for the line that refuses an unknown one. */
export function knownWigs(ids: readonly string[]): string {
  if (ids.length === 0) return 'The WIGs table is empty.'
  if (ids.length > 10) return `The ${ids.length} WIGs run from ${ids[0]} to ${ids.at(-1)}.`
  return `The WIG${ids.length === 1 ? ' is' : 's are'} ${ids.join(', ')}.`
}
