import { describe, expect, it } from 'vitest'
import type { ChangeEntry } from '../../src/app/activity.ts'
import { ownerDigests } from '../../src/app/digest.ts'
import { loadReminderState, previewReminders, reminderFollowUps, remindersLog, sendReminders, type OutgoingReminder, type ReminderSender } from '../../src/app/reminders.ts'
import type { ActionMeta } from '../../src/app/update-step.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { err, ok } from '../../src/domain/result.ts'
import { describeSendRefusal } from '../../src/messages/reminders.ts'
import type { RawTable, RawWorkbook } from '../../src/workbook/raw.ts'
import type { AppendRows, WorkbookStore } from '../../src/workbook/store.ts'
import { changeLog, checkIns, measures, people, reminders, serial, settings, steps, strategies, table, wigs, workbook } from '../workbook/codec/raw-builder.ts'

/**
 * Sending reminders over an in-memory store and a fake sender: who is skipped, what is recorded,
 * that nothing goes without a Reminders table, and what became of earlier reminders.
 * The workbook (test/workbook/codec/raw-builder.ts) as of 2025-06-02: Maria Lopez has step S-2
 * overdue and WIG W-1's check-in stale; Sam Chen has measure M-1's check-in stale.
 */

const AS_OF = '2025-06-02' as IsoDate
const MARIA = 'maria.lopez@district.org'
const SAM = 'sam.chen@district.org'
const meta: ActionMeta = { by: MARIA, source: 'test', changeId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', at: new Date('2025-06-02T09:00:00Z') }
const context = { workbook: 'plan.xlsx', district: 'Example County Schools', asOf: AS_OF, dueSoonDays: 7, appUrl: 'https://plan.example/pm-workbook/' }

function remindersTable(rows: Record<string, string | number>[]): RawTable {
  return table('Reminders', ['ReminderId', 'Date', 'Owner', 'Kind', 'Count', 'Items'], rows, { sheet: 'Reminders' })
}

function raw(reminderRows: Record<string, string | number>[] | null, log: RawTable = changeLog()): RawWorkbook {
  const base = [people(), strategies(), wigs(), measures(), checkIns(), steps(), settings([{ Key: 'DistrictName', Value: 'Example County Schools' }]), log]
  return workbook(...base, ...(reminderRows === null ? [] : [remindersTable(reminderRows)]))
}

function memoryStore(contents: RawWorkbook) {
  const appended: AppendRows[] = []
  const refuse = () => Promise.reject(new Error('not used'))
  const store: WorkbookStore = {
    read: async () => ok(contents),
    readRow: refuse,
    updateRow: refuse,
    appendRows: async (command) => {
      appended.push(command)
      return ok({ applied: true, changeLogRows: 0 })
    },
    assignKey: refuse,
    createTables: refuse,
    close: async () => undefined,
  }
  return { store, appended }
}

function fakeSender(refuse: readonly string[] = []) {
  const sent: OutgoingReminder[] = []
  const sender: ReminderSender = async (message) => {
    if (refuse.includes(message.to.email)) return err({ status: 403, code: 'ErrorAccessDenied', message: 'Access is denied.', retryAfterSeconds: null })
    sent.push(message)
    return ok(undefined)
  }
  return { sender, sent }
}

async function stateOf(contents: RawWorkbook) {
  const memory = memoryStore(contents)
  const loaded = await loadReminderState(memory.store, AS_OF, AS_OF, '2025-06-02T09:00:00.000Z')
  if (!loaded.ok) throw new Error('unreadable')
  return { ...memory, state: loaded.value, digests: ownerDigests(loaded.value.dashboard) }
}

describe('previewReminders', () => {
  it('sends to each owner with a digest, skips one already reminded for the day (any Kind, email in any case), and names one without an address', async () => {
    const { digests, state } = await stateOf(raw([{ ReminderId: 'RM-1-01', Date: serial(AS_OF), Owner: 'Sam.Chen@District.org', Kind: 'Teams', Count: 1, Items: 'M-1' }]))
    expect(digests.map((d) => d.owner.email)).toEqual([MARIA, SAM])
    const preview = previewReminders(digests, state.log, AS_OF)
    expect(preview.table).toBe('present')
    expect(preview.recipients.map((r) => [r.digest.owner.email, r.status])).toEqual([
      [MARIA, 'send'],
      [SAM, 'alreadyReminded'],
    ])
    // A reminder of another day does not count; an owner with no email cannot be sent to.
    const yesterday = remindersLog(raw([{ ReminderId: 'RM-1-01', Date: serial('2025-06-01'), Owner: SAM, Kind: 'Mail', Count: 1, Items: 'M-1' }]))
    const nameOnly = digests.map((d) => (d.owner.email === SAM ? { ...d, owner: { ...d.owner, email: '' } } : d))
    expect(previewReminders(nameOnly, yesterday, AS_OF).recipients.map((r) => r.status)).toEqual(['send', 'noAddress'])
  })
})

describe('sendReminders', () => {
  it('refuses, sending nothing, when the workbook has no Reminders table, and says how to add it', async () => {
    const { store, appended, state, digests } = await stateOf(raw(null))
    expect(state.log).toEqual({ table: 'missing' })
    const { sender, sent } = fakeSender()
    const result = await sendReminders(store, previewReminders(digests, state.log, AS_OF), sender, { via: 'mail', context, meta, people: state.plan.people })
    expect(result).toEqual({ ok: false, error: { kind: 'noRemindersTable' } })
    expect(sent).toEqual([])
    expect(appended).toEqual([])
    expect(describeSendRefusal({ kind: 'noRemindersTable' })).toMatch(/no Reminders table, so nothing was sent.*Set up in the Excel task pane.*ReminderId, Date, Owner, Kind, Count, Items/)
  })

  it('sends the others when one fails, and records only those sent, in one append keyed by the run', async () => {
    const { store, appended, state, digests } = await stateOf(raw([]))
    const { sender, sent } = fakeSender([MARIA])
    const result = await sendReminders(store, previewReminders(digests, state.log, AS_OF), sender, { via: 'mail', context, meta, people: state.plan.people })
    if (!result.ok) throw new Error('refused')
    expect(result.value.results.map((r) => [r.owner.email, r.outcome])).toEqual([
      [MARIA, 'failed'],
      [SAM, 'sent'],
    ])
    expect(sent.map((m) => m.to.email)).toEqual([SAM])
    expect(sent[0]?.link).toBe('https://plan.example/pm-workbook/taskpane.html?as=sam.chen%40district.org#/')
    expect(appended).toHaveLength(1)
    expect(appended[0]).toMatchObject({ table: 'Reminders', audit: { changeId: meta.changeId, by: MARIA } })
    expect(appended[0]?.rows).toEqual([{ ReminderId: 'RM-0A1B2C3D4E-01', Date: AS_OF, Owner: "'sam.chen@district.org", Kind: "'Mail", Count: 1, Items: "'M-1" }])
    expect(result.value.recorded).toEqual({ ok: true, rows: 1 })
  })

  it('refuses a sender the ChangeLog cannot name', async () => {
    const { store, state, digests } = await stateOf(raw([]))
    const { sender, sent } = fakeSender()
    const result = await sendReminders(store, previewReminders(digests, state.log, AS_OF), sender, { via: 'teams', context, meta: { ...meta, by: 'nobody@elsewhere.org' }, people: state.plan.people })
    expect(result).toEqual({ ok: false, error: { kind: 'unknownPerson', email: 'nobody@elsewhere.org', role: 'by' } })
    expect(sent).toEqual([])
  })
})

describe('reminderFollowUps: the loop closes', () => {
  it('counts the reminded steps updated from the reminder day to a week later, and utilization on both days', async () => {
    const at = (date: string) => `${date}T10:00:00.000Z`
    const log = table('ChangeLog', ['At', 'By', 'Source', 'Table', 'Key', 'Column', 'OldValue', 'NewValue', 'ChangeId'], [
      { At: at('2025-05-28'), By: MARIA, Source: 'taskpane', Table: 'ActionSteps', Key: 'S-2', Column: 'PercentComplete', OldValue: '0.2', NewValue: '0.4', ChangeId: 'c-1' },
    ])
    const reminded = [{ ReminderId: 'RM-1-01', Date: serial('2025-05-26'), Owner: MARIA, Kind: 'Mail', Count: 2, Items: 'S-2 W-1' }]
    const { state } = await stateOf(raw(reminded, log))
    const [followUp] = reminderFollowUps(state.plan, state.changes, state.log, AS_OF)
    expect(followUp).toMatchObject({ date: '2025-05-26', until: AS_OF, weekComplete: true, owners: 1, steps: ['S-2'], updated: ['S-2'] })
    expect(followUp?.utilization.before.openSteps).toMatchObject({ count: 0, total: 1 })
    expect(followUp?.utilization.after.openSteps).toMatchObject({ count: 1, total: 1 })

    // An update more than a week after the reminder is not the reminder's doing; a week not over yet says so.
    const late = state.changes.map((c): ChangeEntry => ({ ...c, at: at('2025-06-05'), date: '2025-06-05' as IsoDate }))
    const [later] = reminderFollowUps(state.plan, late, state.log, '2025-06-10' as IsoDate)
    expect(later).toMatchObject({ until: '2025-06-02', updated: [] })
    const [early] = reminderFollowUps(state.plan, state.changes, state.log, '2025-05-29' as IsoDate)
    expect(early).toMatchObject({ until: '2025-05-29', weekComplete: false, updated: ['S-2'] })
  })
})
