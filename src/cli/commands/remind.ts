import { basename } from 'node:path'
import { newChangeId } from '../../app/change-id.ts'
import { departmentDigests, ownerDigests, type DepartmentDigest, type DigestCheckIn, type DigestStep, type OwnerDigest } from '../../app/digest.ts'
import type { MessageContext } from '../../app/digest-message.ts'
import {
  loadReminderState,
  previewReminders,
  reminderFollowUps,
  REMINDER_VIAS,
  sendReminders,
  type OwnerResult,
  type ReminderFollowUp,
  type ReminderPreview,
  type ReminderVia,
  type SendReport,
} from '../../app/reminders.ts'
import type { Utilization } from '../../app/utilization.ts'
import { todayIso, type IsoDate } from '../../domain/dates.ts'
import { describeError } from '../../messages/errors.ts'
import { ADD_REMINDERS_TABLE, describeOwnerResult, describeSendRefusal, followUpLine } from '../../messages/reminders.ts'
import { systemClock } from '../../workbook/graph/chain/clock.ts'
import { createGraphTransport } from '../../workbook/graph/chain/transport.ts'
import { createReminderSender, LOCAL_TEAMS_APP_ID } from '../../workbook/graph/reminder-sender.ts'
import { dateFlag, emailFlag, parseCommandArgs, stringFlag } from '../args.ts'
import { EXIT, UsageError, type CliIo, type ExitCode } from '../io.ts'
import { openSourceAccess } from '../source.ts'

const USAGE =
  'pm-workbook remind SOURCE [--dry-run] [--via mail|teams] [--as-of YYYY-MM-DD] [--department NAME] [--json] [--by EMAIL] [--app-url URL] [--teams-app-id ID]'

/** One owner's standing in a run: what the preview decided, and (after sending) what happened. */
export type RemindRecipient = { owner: string; email: string; status: ReminderPreview['recipients'][number]['status']; on?: IsoDate }

/** What `remind --json` prints; `results` and `recorded` only when it sent. */
export type RemindJson = {
  asOf: IsoDate
  workbook: string
  dryRun: boolean
  via: ReminderVia
  digests: OwnerDigest[]
  departments: DepartmentDigest[]
  /** 'missing': nothing can be sent until the workbook has a Reminders table. */
  remindersTable: ReminderPreview['table']
  recipients: RemindRecipient[]
  /** Tool utilization as of the run (before it sends anything). */
  utilization: Utilization
  /** What became of earlier reminders: reminded steps updated within a week, utilization before and after. */
  followUp: ReminderFollowUp[]
  results?: OwnerResult[]
  recorded?: SendReport['recorded']
}

/**
 * Update reminders (issue 15): each owner's digest of overdue and due-soon steps and check-ins
 * wanted (src/app/digest.ts), sent by email or as a Teams notification through Microsoft Graph,
 * and recorded in the workbook's Reminders table (src/app/reminders.ts). `--dry-run` only reads.
 *
 * Sending goes through Graph, so SOURCE must be a URL: a drive item or sharing link, or the local
 * server's workbook (`pm-workbook serve` prints it), whose outbox catches the messages.
 */
export async function remindCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(
    args,
    {
      'as-of': { type: 'string' },
      'dry-run': { type: 'boolean' },
      department: { type: 'string' },
      json: { type: 'boolean' },
      via: { type: 'string' },
      by: { type: 'string' },
      'app-url': { type: 'string' },
      'teams-app-id': { type: 'string' },
    },
    { min: 1, max: 1, usage: USAGE },
  )
  const source = parsed.positionals[0] ?? ''
  const today = todayIso(io.now())
  const asOf = dateFlag(parsed, 'as-of') ?? today
  const department = stringFlag(parsed, 'department')?.trim() || undefined
  const dryRun = parsed.values['dry-run'] === true
  const viaText = (stringFlag(parsed, 'via') ?? 'mail').trim().toLowerCase()
  const via = REMINDER_VIAS.find((v) => v === viaText)
  if (via === undefined) throw new UsageError(`--via must be mail or teams; got "${viaText}".`)
  const isUrl = /^https?:\/\//i.test(source)
  // Checked before anything is read, so a scheduled task that lacks them fails at once.
  let sending: { by: string; appUrl: string; teamsAppId: string | undefined } | null = null
  if (!dryRun) {
    if (!isUrl) {
      throw new UsageError(
        `Reminders are sent through Microsoft Graph, so SOURCE must be the workbook's URL (a drive item URL or sharing link), not a file. To try it locally, run \`pm-workbook serve --workbook ${source}\` and use the workbook URL it prints; or add --dry-run to only print the digests.`,
      )
    }
    if (stringFlag(parsed, 'by') === undefined) throw new UsageError(`Sending needs --by EMAIL: who sends, for the ChangeLog. Usage: ${USAGE}`)
    sending = { by: emailFlag(parsed, 'by'), appUrl: appUrlFor(source, stringFlag(parsed, 'app-url') ?? io.env.PMW_APP_URL), teamsAppId: teamsAppIdFor(source, via, stringFlag(parsed, 'teams-app-id') ?? io.env.PMW_TEAMS_APP_ID) }
  }

  const { store, graph } = await openSourceAccess(source, io)
  try {
    const loaded = await loadReminderState(store, asOf, today, io.now().toISOString())
    if (!loaded.ok) {
      io.err(`Cannot read ${source}: ${describeError(loaded.error)}`)
      return EXIT.failed
    }
    const { dashboard, plan, changes, log } = loaded.value
    const all = ownerDigests(dashboard)
    // A department is known when it has steps (utilization) or an owner with something to do.
    const known = [...new Set([...dashboard.utilization.byDepartment.map((g) => g.department), ...all.map((d) => d.owner.department)])]
    if (department !== undefined && !known.some((d) => sameName(d, department))) {
      throw new UsageError(`No owner or step belongs to the department "${department}". Departments in this plan: ${known.map((d) => `"${d}"`).join(', ') || 'none'}.`)
    }
    const digests = department === undefined ? all : ownerDigests(dashboard, { department })
    const departments = departmentDigests(dashboard, digests)
    const workbook = workbookName(source)
    const preview = previewReminders(digests, log, asOf)
    const followUp = reminderFollowUps(plan, changes, log, asOf)
    const json: RemindJson = {
      asOf,
      workbook,
      dryRun,
      via,
      digests,
      departments,
      remindersTable: preview.table,
      recipients: preview.recipients.map((r) => ({ owner: r.digest.owner.key, email: r.digest.owner.email, status: r.status, ...(r.status === 'alreadyReminded' ? { on: r.on } : {}) })),
      utilization: dashboard.utilization,
      followUp,
    }

    if (sending === null) {
      if (parsed.values.json) io.out(JSON.stringify(json, null, 2))
      else printDigests(io, { asOf, workbook, digests, departments, preview, followUp })
      return EXIT.ok
    }

    // A URL SOURCE (checked above) is always opened through Graph.
    if (graph === null) throw new Error('a URL SOURCE was not opened through Microsoft Graph')
    const context: MessageContext = { workbook, district: dashboard.district, asOf, dueSoonDays: plan.settings.dueSoonDays, appUrl: sending.appUrl }
    const changeId = newChangeId()
    const sender = createReminderSender({
      transport: createGraphTransport({ baseUrl: graph.location.baseUrl, tokens: graph.tokens, clock: systemClock, ...graph.http }),
      via,
      runId: changeId,
      ...(sending.teamsAppId === undefined ? {} : { teamsAppId: sending.teamsAppId }),
      topic: dashboard.district ? `${dashboard.district} plan` : 'Strategic plan',
    })
    const sent = await sendReminders(store, preview, sender, { via, context, meta: { by: sending.by, source: 'cli', changeId, at: io.now() }, people: plan.people })
    if (!sent.ok) {
      if (parsed.values.json) io.out(JSON.stringify(json, null, 2))
      io.err(describeSendRefusal(sent.error))
      return EXIT.problems
    }
    const report = sent.value
    if (parsed.values.json) io.out(JSON.stringify({ ...json, results: report.results, recorded: report.recorded }, null, 2))
    else printReport(io, { asOf, workbook, report, followUp })
    const failed = report.results.some((r) => r.outcome === 'failed' || r.outcome === 'noAddress')
    if (!report.recorded.ok) io.err(`The reminders sent could not be recorded in the Reminders table: ${describeError(report.recorded.error)} Running again today would send them again.`)
    return failed || !report.recorded.ok ? EXIT.problems : EXIT.ok
  } finally {
    await store.close()
  }
}

/** Where the messages' links go: --app-url, else PMW_APP_URL, else the local server's own pages. */
function appUrlFor(source: string, given: string | undefined): string {
  const text = given?.trim()
  if (text) {
    let url: URL
    try {
      url = new URL(text)
    } catch {
      throw new UsageError(`--app-url must be the address the pages are served at (appUrl in pm-workbook.config.json); got "${text}".`)
    }
    if (url.protocol !== 'https:' && !isLoopbackUrl(text)) throw new UsageError(`--app-url must start with https://; got "${text}".`)
    return url.href.endsWith('/') ? url.href : `${url.href}/`
  }
  if (isLoopbackUrl(source)) return `${new URL(source).origin}/`
  throw new UsageError('Each reminder links to the plan pages: give --app-url (the appUrl of pm-workbook.config.json, e.g. https://plan.riverbend.example/pm-workbook), or set PMW_APP_URL.')
}

/** The Teams app id a notification deep-links into: needed for Microsoft Teams; any will do for the local server. */
function teamsAppIdFor(source: string, via: ReminderVia, given: string | undefined): string | undefined {
  if (via !== 'teams') return undefined
  const text = given?.trim()
  if (text) return text
  if (isLoopbackUrl(source)) return LOCAL_TEAMS_APP_ID
  throw new UsageError('A Teams notification links into the Teams app: give --teams-app-id (appId in pm-workbook.config.json, the id of the uploaded app), or set PMW_TEAMS_APP_ID.')
}

/** The local server (and any Graph on loopback) needs no Teams app id and may link to its own pages. */
function isLoopbackUrl(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)
  } catch {
    return false
  }
}

const sameName = (a: string, b: string): boolean => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase()

/**
 * The workbook as people name it in "From the … workbook": the file name, or a URL's last segment
 * when it is one (never a token or query), else "plan", as the tab names it.
 */
function workbookName(source: string): string {
  if (!/^https?:\/\//i.test(source)) return basename(source)
  try {
    const last = decodeURIComponent(new URL(source).pathname.split('/').at(-1) ?? '')
    return /\.xlsx$/i.test(last) ? last : 'plan'
  } catch {
    return 'plan'
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

function printFollowUp(io: CliIo, followUp: readonly ReminderFollowUp[]): void {
  if (followUp.length === 0) return
  io.out('')
  io.out('Did earlier reminders work?')
  for (const f of followUp) io.out(`  ${followUpLine(f)}`)
}

function printDigests(
  io: CliIo,
  run: { asOf: IsoDate; workbook: string; digests: readonly OwnerDigest[]; departments: readonly DepartmentDigest[]; preview: ReminderPreview; followUp: readonly ReminderFollowUp[] },
): void {
  const { digests } = run
  if (digests.length === 0) {
    io.out(`No reminders as of ${run.asOf} from ${run.workbook}: nobody has an overdue or due-soon step or a check-in due (dry run, nothing sent).`)
    printFollowUp(io, run.followUp)
    return
  }
  io.out(`${plural(digests.length, 'reminder')} as of ${run.asOf} from ${run.workbook} (dry run, nothing sent):`)
  const statusOf = new Map(run.preview.recipients.map((r) => [r.digest.owner.key, r]))
  for (const d of digests) {
    io.out('')
    io.out(`${d.owner.name}${d.owner.email ? ` <${d.owner.email}>` : ''}, ${d.owner.department}`)
    for (const s of d.overdue) io.out(`  overdue   ${stepText(s, true)}`)
    for (const s of d.dueSoon) io.out(`  due soon  ${stepText(s, false)}`)
    for (const c of d.checkIns) io.out(`  check-in  ${checkInText(c)}`)
    io.out(`  ${d.utilization}`)
    const status = statusOf.get(d.owner.key)
    if (status?.status === 'alreadyReminded') io.out(`  (already reminded for ${status.on}: a run now would not send it again)`)
    if (status?.status === 'noAddress') io.out('  (no email address: a run now could not send it)')
  }
  io.out('')
  io.out('By department, for its leaders:')
  for (const g of run.departments) {
    io.out(`  ${g.department}: ${plural(g.owners.length, 'owner')}, ${g.totals.overdue} overdue, ${g.totals.dueSoon} due soon, ${plural(g.totals.checkIns, 'check-in')} due`)
  }
  if (run.preview.table === 'missing') {
    io.out('')
    io.out(`This workbook has no Reminders table yet, so reminders cannot be sent from it. ${ADD_REMINDERS_TABLE}`)
  }
  printFollowUp(io, run.followUp)
}

function printReport(io: CliIo, run: { asOf: IsoDate; workbook: string; report: SendReport; followUp: readonly ReminderFollowUp[] }): void {
  const { report } = run
  const count = (outcome: OwnerResult['outcome']) => report.results.filter((r) => r.outcome === outcome).length
  if (report.results.length === 0) {
    io.out(`No reminders as of ${run.asOf} from ${run.workbook}: nobody has an overdue or due-soon step or a check-in due.`)
    printFollowUp(io, run.followUp)
    return
  }
  io.out(`Reminders as of ${run.asOf} from ${run.workbook}, ${report.via === 'mail' ? 'by email' : 'as Teams notifications'}:`)
  for (const r of report.results) io.out(`  ${r.owner.name}${r.owner.email ? ` <${r.owner.email}>` : ''}: ${describeOwnerResult(r, report.via)}`)
  io.out('')
  io.out(
    `${count('sent')} sent, ${count('failed')} failed, ${count('alreadyReminded')} already reminded for ${run.asOf}, ${count('noAddress')} without an email address.` +
      (report.recorded.ok && report.recorded.rows > 0 ? ` Recorded ${plural(report.recorded.rows, 'row')} in the Reminders table.` : ''),
  )
  printFollowUp(io, run.followUp)
}
