import { basename } from 'node:path'
import { departmentDigests, ownerDigests, type DepartmentDigest, type DigestCheckIn, type DigestStep, type OwnerDigest } from '../../app/digest.ts'
import { todayIso, type IsoDate } from '../../domain/dates.ts'
import { dateFlag, parseCommandArgs, stringFlag } from '../args.ts'
import { EXIT, UsageError, type CliIo, type ExitCode } from '../io.ts'
import { readDashboardFrom } from '../source.ts'

const USAGE = 'pm-workbook remind SOURCE --dry-run [--as-of YYYY-MM-DD] [--department NAME] [--json]'

/** What `remind --dry-run --json` prints. */
export type RemindJson = { asOf: IsoDate; workbook: string; dryRun: true; digests: OwnerDigest[]; departments: DepartmentDigest[] }

/**
 * Update reminders (issue 15): each owner's digest of overdue and due-soon steps and check-ins
 * wanted (src/app/digest.ts), then a roll-up per department for its leaders. Only reads the
 * SOURCE. Sending (Graph sendMail, recorded in the Reminders table) is not built yet, so
 * --dry-run is required rather than silently implied: a scheduled task that drops it must fail,
 * not believe it sent.
 */
export async function remindCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(
    args,
    { 'as-of': { type: 'string' }, 'dry-run': { type: 'boolean' }, department: { type: 'string' }, json: { type: 'boolean' } },
    { min: 1, max: 1, usage: USAGE },
  )
  const source = parsed.positionals[0] ?? ''
  const today = todayIso(io.now())
  const asOf = dateFlag(parsed, 'as-of') ?? today
  const department = stringFlag(parsed, 'department')?.trim() || undefined
  if (parsed.values['dry-run'] !== true) throw new UsageError(`Sending reminders is not available yet: run with --dry-run to print every digest. Usage: ${USAGE}`)

  const dashboard = await readDashboardFrom(source, io, { asOf, today })
  if (!dashboard) return EXIT.failed
  const all = ownerDigests(dashboard)
  // A department is known when it has steps (utilization) or an owner with something to do.
  const known = [...new Set([...dashboard.utilization.byDepartment.map((g) => g.department), ...all.map((d) => d.owner.department)])]
  if (department !== undefined && !known.some((d) => sameName(d, department))) {
    throw new UsageError(`No owner or step belongs to the department "${department}". Departments in this plan: ${known.map((d) => `"${d}"`).join(', ') || 'none'}.`)
  }
  const digests = department === undefined ? all : ownerDigests(dashboard, { department })
  const departments = departmentDigests(dashboard, digests)
  const workbook = workbookName(source)

  if (parsed.values.json) {
    const json: RemindJson = { asOf, workbook, dryRun: true, digests, departments }
    io.out(JSON.stringify(json, null, 2))
    return EXIT.ok
  }
  printDigests(io, { asOf, workbook, digests, departments })
  return EXIT.ok
}

const sameName = (a: string, b: string): boolean => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase()

/** The workbook as people name it: the file name, or the host of a URL (never a token or query). */
function workbookName(source: string): string {
  if (!/^https?:\/\//i.test(source)) return basename(source)
  try {
    return `the workbook on ${new URL(source).host}`
  } catch {
    return 'the shared workbook'
  }
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

function stepText(s: DigestStep, overdue: boolean): string {
  const when = overdue ? `due ${s.dueDate ?? ''}, ${plural(s.days, 'day')} overdue` : s.days === 0 ? `due today` : `due ${s.dueDate ?? ''}, in ${plural(s.days, 'day')}`
  return `${s.id} (${s.wigId}) ${when}: ${s.title}`
}

function checkInText(c: DigestCheckIn): string {
  const what = c.kind === 'WIG' ? `WIG ${c.id}` : `${c.id} (${c.wigId}${c.cadence ? `, ${c.cadence}` : ''})`
  const why = c.reason === 'none' ? 'no check-in yet' : c.reason === 'stale' ? `stale, last ${c.latest ?? ''}` : `due ${c.dueOn}, last ${c.latest ?? ''}`
  return `${what} ${why}: ${c.name}`
}

function printDigests(io: CliIo, run: { asOf: IsoDate; workbook: string; digests: readonly OwnerDigest[]; departments: readonly DepartmentDigest[] }): void {
  const { digests } = run
  if (digests.length === 0) {
    io.out(`No reminders as of ${run.asOf} from ${run.workbook}: nobody has an overdue or due-soon step or a check-in due (dry run, nothing sent).`)
    return
  }
  io.out(`${plural(digests.length, 'reminder')} as of ${run.asOf} from ${run.workbook} (dry run, nothing sent):`)
  for (const d of digests) {
    io.out('')
    io.out(`${d.owner.name}${d.owner.email ? ` <${d.owner.email}>` : ''}, ${d.owner.department}`)
    for (const s of d.overdue) io.out(`  overdue   ${stepText(s, true)}`)
    for (const s of d.dueSoon) io.out(`  due soon  ${stepText(s, false)}`)
    for (const c of d.checkIns) io.out(`  check-in  ${checkInText(c)}`)
    io.out(`  ${d.utilization}`)
  }
  io.out('')
  io.out('By department, for its leaders:')
  for (const g of run.departments) {
    io.out(`  ${g.department}: ${plural(g.owners.length, 'owner')}, ${g.totals.overdue} overdue, ${g.totals.dueSoon} due soon, ${plural(g.totals.checkIns, 'check-in')} due`)
  }
}
