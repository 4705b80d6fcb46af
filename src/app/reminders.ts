import { addDays, type IsoDate } from '../domain/dates.ts'
import type { Person, Plan } from '../domain/model.ts'
import { err, ok, type Result } from '../domain/result.ts'
import { decodeDate, decodeNumber } from '../workbook/cells.ts'
import { sanitizeWorkbook } from '../workbook/check.ts'
import { decodeTable } from '../workbook/codec.ts'
import { encodeDate, encodeNumber, encodeText } from '../workbook/encode.ts'
import type { Problem } from '../workbook/problem.ts'
import type { CellValue, RawWorkbook } from '../workbook/raw.ts'
import type { StoreError, WorkbookStore, WriteError } from '../workbook/store.ts'
import { rowKeyFor } from './change-id.ts'
import { changeEntries, type ChangeEntry } from './activity.ts'
import { DASHBOARD_TABLES, loadEditableDashboard, type Dashboard } from './dashboard.ts'
import type { DigestOwner, OwnerDigest } from './digest.ts'
import { renderDigestMessage, taskPaneUrl, type MessageContext } from './digest-message.ts'
import type { Refusal } from './refusals.ts'
import { audit, checkedBy, type ActionMeta } from './update-step.ts'
import { lastStepUpdates, utilization, type Share } from './utilization.ts'

/**
 * Sending update reminders (issue 15): who gets a digest today, sending each through a port the
 * surface passes in (Microsoft Graph mail or a Teams activity notification, src/workbook/graph),
 * and recording what was sent in the workbook's `Reminders` table, so that a second run on the
 * same day sends nothing new and a leader can see, from the ChangeLog, whether reminders work.
 *
 * The rules (WORKBOOK.md, "Reminders"):
 * - One row per owner reminded: ReminderId (generated from the run's ChangeId, like a new check-in's
 *   key, so a retried append lands once), Date (the as-of day the digest describes, which is today
 *   for a scheduled run), Owner (the email it went to), Kind (`Mail` or `Teams`), Count (items in the
 *   digest) and Items (their ids: steps, WIGs and measures, space separated).
 * - An owner with a row dated the run's as-of (any Kind) is not reminded again that day.
 * - Nothing is sent without a readable Reminders table: what was sent could not be recorded, and the
 *   next run would send it again. The surface says how to add the table (Set up creates it).
 * - Owners go one at a time; one that fails is reported with Graph's answer and the others still go.
 *   Only those sent are recorded, so a failed one is reminded by the next run.
 */

export type ReminderVia = 'mail' | 'teams'

export const REMINDER_VIAS: readonly ReminderVia[] = ['mail', 'teams']

/** The Kind cell for each way of sending. */
export const REMINDER_KIND: Readonly<Record<ReminderVia, string>> = { mail: 'Mail', teams: 'Teams' }

export type ReminderRecord = {
  id: string
  date: IsoDate
  /** As written: the email a reminder went to. */
  owner: string
  kind: string
  count: number | null
  items: string[]
}

/** The Reminders table as the rules need it: missing, unreadable (a required column missing or doubled), or its rows. */
export type RemindersLog = { table: 'missing' } | { table: 'unreadable'; problems: Problem[] } | { table: 'present'; records: ReminderRecord[] }

const ownerKey = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase()

/** The Reminders rows of `raw` (which must come from a read that asked for Reminders). Rows without a readable Date or Owner are skipped. */
export function remindersLog(raw: RawWorkbook): RemindersLog {
  const table = sanitizeWorkbook(raw).tables.Reminders
  if (table === undefined) return { table: 'missing' }
  const decoded = decodeTable<ReminderRecord>(table, (row) => {
    const date = row.decode('Date', decodeDate)
    const owner = row.text('Owner')
    if (date === null || owner === '') return null
    return {
      id: row.key ?? '',
      date,
      owner,
      kind: row.text('Kind'),
      count: row.decode('Count', decodeNumber),
      items: row.text('Items').split(/[\s,;]+/).filter((id) => id !== ''),
    }
  })
  return decoded.readable ? { table: 'present', records: decoded.records } : { table: 'unreadable', problems: decoded.problems }
}

/** The tables a reminder run reads, in the one round trip of a view: the dashboard's and Reminders. */
export const REMINDER_TABLES = [...DASHBOARD_TABLES, 'Reminders'] as const

export type ReminderState = { dashboard: Dashboard; plan: Plan; changes: ChangeEntry[]; log: RemindersLog }

/** Reads everything a reminder run needs in one round trip. */
export async function loadReminderState(store: WorkbookStore, asOf: IsoDate, today: IsoDate, readAt: string): Promise<Result<ReminderState, StoreError>> {
  const loaded = await loadEditableDashboard(store, asOf, today, readAt, ['Reminders'])
  if (!loaded.ok) return loaded
  const { dashboard, plan, raw } = loaded.value
  return ok({ dashboard, plan, changes: changeEntries(raw), log: remindersLog(raw) })
}

/** What a run would do for one owner with a digest. */
export type ReminderRecipient =
  | { digest: OwnerDigest; status: 'send' }
  | { digest: OwnerDigest; status: 'alreadyReminded'; on: IsoDate; kind: string }
  /** No email address to send to (an owner typed as a name that People lacks). */
  | { digest: OwnerDigest; status: 'noAddress' }

export type ReminderPreview = { asOf: IsoDate; table: RemindersLog['table']; recipients: ReminderRecipient[] }

const EMAIL = /^[^\s<>@"]+@[^\s<>@"]+$/

/** Who gets what: every digest, with whether it goes out now (pure; the tab shows it before sending, the CLI prints it). */
export function previewReminders(digests: readonly OwnerDigest[], log: RemindersLog, asOf: IsoDate): ReminderPreview {
  const today = new Map<string, ReminderRecord>()
  if (log.table === 'present') for (const r of log.records) if (r.date === asOf && !today.has(ownerKey(r.owner))) today.set(ownerKey(r.owner), r)
  const recipients = digests.map((digest): ReminderRecipient => {
    const earlier = today.get(ownerKey(digest.owner.email)) ?? today.get(ownerKey(digest.owner.key))
    if (earlier !== undefined) return { digest, status: 'alreadyReminded', on: earlier.date, kind: earlier.kind }
    if (!EMAIL.test(digest.owner.email.trim())) return { digest, status: 'noAddress' }
    return { digest, status: 'send' }
  })
  return { asOf, table: log.table, recipients }
}

/** One message as a sender port takes it: the digest rendered, and the page it leads to (the owner's steps). */
export type OutgoingReminder = { to: { name: string; email: string }; subject: string; html: string; text: string; link: string }

/** Why one message was not sent: Graph's status, code and message when it answered (Retry-After when it gave one), else `error`: why no answer came. */
export type SendFailure = { status: number | null; code: string | null; message: string; retryAfterSeconds: number | null; error?: StoreError }

/** Sends one message; implemented by src/workbook/graph/reminder-sender.ts over the Graph chain. */
export type ReminderSender = (message: OutgoingReminder) => Promise<Result<void, SendFailure>>

export type OwnerResult =
  | { owner: DigestOwner; outcome: 'sent'; count: number; items: string[] }
  | { owner: DigestOwner; outcome: 'failed'; failure: SendFailure }
  | { owner: DigestOwner; outcome: 'alreadyReminded'; on: IsoDate }
  | { owner: DigestOwner; outcome: 'noAddress' }

export type SendReport = {
  asOf: IsoDate
  via: ReminderVia
  results: OwnerResult[]
  /** The Reminders rows appended for the owners sent to (0 rows when none was sent), or why they could not be. */
  recorded: { ok: true; rows: number } | { ok: false; error: StoreError | WriteError }
}

export type SendRefusal = { kind: 'noRemindersTable' } | { kind: 'remindersUnreadable'; problems: Problem[] } | Refusal

export type SendOptions = { via: ReminderVia; context: MessageContext; meta: ActionMeta; people: readonly Person[] }

/** Every id a digest names: its steps, then the WIGs and measures whose check-in is wanted. */
export function digestItems(digest: OwnerDigest): string[] {
  return [...digest.overdue.map((s) => s.id), ...digest.dueSoon.map((s) => s.id), ...digest.checkIns.map((c) => c.id)]
}

/**
 * Sends the preview's `send` recipients one at a time, then appends one Reminders row per message
 * sent, in one write (its ChangeLog rows share `meta.changeId`; retried, it lands once). Refuses,
 * sending nothing, when the Reminders table is missing or unreadable, or `meta.by` is not a
 * person the ChangeLog can name.
 */
export async function sendReminders(store: WorkbookStore, preview: ReminderPreview, sender: ReminderSender, options: SendOptions): Promise<Result<SendReport, SendRefusal>> {
  if (preview.table === 'missing') return err({ kind: 'noRemindersTable' })
  if (preview.table === 'unreadable') return err({ kind: 'remindersUnreadable', problems: [] })
  const by = checkedBy({ people: options.people }, options.meta.by)
  if (by) return err(by)

  const results: OwnerResult[] = []
  const sent: { owner: DigestOwner; items: string[] }[] = []
  for (const recipient of preview.recipients) {
    const { digest } = recipient
    if (recipient.status === 'alreadyReminded') {
      results.push({ owner: digest.owner, outcome: 'alreadyReminded', on: recipient.on })
      continue
    }
    if (recipient.status === 'noAddress') {
      results.push({ owner: digest.owner, outcome: 'noAddress' })
      continue
    }
    const message = renderDigestMessage(digest, options.context)
    const outcome = await sender({ ...message, link: taskPaneUrl(options.context.appUrl, digest.owner.email) })
    const items = digestItems(digest)
    if (outcome.ok) {
      results.push({ owner: digest.owner, outcome: 'sent', count: items.length, items })
      sent.push({ owner: digest.owner, items })
    } else {
      results.push({ owner: digest.owner, outcome: 'failed', failure: outcome.error })
    }
  }

  const report: SendReport = { asOf: preview.asOf, via: options.via, results, recorded: { ok: true, rows: 0 } }
  if (sent.length === 0) return ok(report)
  const first = rowKeyFor('RM', options.meta.changeId)
  const rows = sent.map(({ owner, items }, i): Record<string, CellValue> => ({
    ReminderId: `${first}-${String(i + 1).padStart(2, '0')}`,
    Date: encodeDate(preview.asOf),
    Owner: encodeText(owner.email),
    Kind: encodeText(REMINDER_KIND[options.via]),
    Count: encodeNumber(items.length),
    Items: encodeText(items.join(' ')),
  }))
  const written = await store.appendRows({ table: 'Reminders', rows, audit: audit(options.meta), ifPresent: ['Items'] })
  report.recorded = written.ok ? { ok: true, rows: rows.length } : { ok: false, error: written.error }
  return ok(report)
}

// ---------------------------------------------------------------- the loop closes

export type UtilizationFigures = { owners: Share; openSteps: Share }

/**
 * What became of one day's reminders: of the steps they named, those updated (UpdatedAt or a
 * ChangeLog row, as utilization counts updates) from the reminder day to a week later, cut at
 * as-of; and the district's tool utilization on the reminder day and at the end of that week.
 * An update made on the reminder day counts even if it came before the message: the workbook
 * dates updates by day.
 */
export type ReminderFollowUp = {
  date: IsoDate
  /** The last day counted: a week after `date`, or as-of when the week is not over yet. */
  until: IsoDate
  weekComplete: boolean
  owners: number
  /** Reminded step ids still in the plan, and those of them updated within the week. */
  steps: string[]
  updated: string[]
  utilization: { before: UtilizationFigures; after: UtilizationFigures }
}

export const FOLLOW_UP_DAYS = 7

/** The follow-up of each reminder day on or before as-of, newest first, at most `limit` days. */
export function reminderFollowUps(plan: Plan, changes: readonly ChangeEntry[], log: RemindersLog, asOf: IsoDate, limit = 4): ReminderFollowUp[] {
  if (log.table !== 'present') return []
  const stepIds = new Set(plan.steps.flatMap((s) => (s.id === null ? [] : [s.id as string])))
  const byDate = new Map<IsoDate, ReminderRecord[]>()
  for (const r of log.records) if (r.date <= asOf) byDate.set(r.date, [...(byDate.get(r.date) ?? []), r])
  const dates = [...byDate.keys()].sort().reverse().slice(0, limit)
  return dates.map((date) => {
    const records = byDate.get(date) ?? []
    const end = addDays(date, FOLLOW_UP_DAYS)
    const until = end < asOf ? end : asOf
    const steps = [...new Set(records.flatMap((r) => r.items.filter((id) => stepIds.has(id))))]
    const latest = lastStepUpdates(plan, changes, until)
    const updated = steps.filter((id) => {
      const day = latest.get(id)
      return day !== undefined && day >= date
    })
    const before = utilization(plan, changes, date).overall
    const after = utilization(plan, changes, until).overall
    return { date, until, weekComplete: end <= asOf, owners: new Set(records.map((r) => ownerKey(r.owner))).size, steps, updated, utilization: { before, after } }
  })
}
