import { noToken } from '../../src/auth/tokens.ts'
import { newChangeId, rowKeyFor } from '../../src/app/change-id.ts'
import { loadPlan, PLAN_TABLES, type LoadedPlan } from '../../src/app/load-plan.ts'
import { logCheckIn } from '../../src/app/log-checkin.ts'
import type { SeenRow } from '../../src/app/seen.ts'
import { updateStep, type StepEdit } from '../../src/app/update-step.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import type { Person, Plan } from '../../src/domain/model.ts'
import { openPageStore, type WorkbookSource } from '../../src/workbook/graph/page-source.ts'
import { openGraphStore } from '../../src/workbook/graph/store/graph-store.ts'
import type { WorkbookStore } from '../../src/workbook/store.ts'
import type { Answer, WriteRecord } from './common.ts'

/**
 * The two clients the drills write with, as the product opens them: the task pane's store (one
 * persistent workbook session, `openPageStore(..., { session: 'persistent' })`, as
 * src/taskpane/use-pane.ts) and the CLI's one-shot store (no session, `openGraphStore` as
 * src/cli/source.ts), and the use cases they call (src/app).
 */

export function sourceAt(graphBaseUrl: string, driveItemId: string): WorkbookSource {
  return { location: { baseUrl: graphBaseUrl, itemPath: `/me/drive/items/${driveItemId}` }, tokens: noToken, webUrl: null, sharingUrl: null }
}

/** The task pane's store; `timeoutMs` only when a drill sets a deadline other than the client's own (30 s). */
export function paneStore(source: WorkbookSource, timeoutMs?: number): WorkbookStore {
  if (timeoutMs === undefined) return openPageStore(source, { session: 'persistent' })
  return openGraphStore({ location: source.location, tokens: source.tokens, maxTries: 3, session: 'persistent', timeoutMs })
}

/** The CLI's store (`pm-workbook step URL …`): every call stands alone. */
export function cliStore(source: WorkbookSource, timeoutMs?: number): WorkbookStore {
  return openGraphStore({ location: source.location, tokens: source.tokens, ...(timeoutMs === undefined ? {} : { timeoutMs }) })
}

/** Reads the plan as the pane does on opening (and after each save), pressing "reload" on a failure. */
export async function loadPlanPatiently(store: WorkbookStore, tries = 10): Promise<{ plan: LoadedPlan; failures: number }> {
  let failures = 0
  for (;;) {
    const loaded = await loadPlan(store, PLAN_TABLES)
    if (loaded.ok) return { plan: loaded.value, failures }
    failures += 1
    if (failures >= tries) throw new Error(`the plan could not be read ${tries} times in a row: ${loaded.error.kind}`)
    await new Promise((done) => setTimeout(done, 200))
  }
}

export type Outcome = { record: WriteRecord; changedColumns: string[]; ms: number }

function answerOf(kind: string | null): Answer {
  if (kind === null) return 'ok'
  return kind === 'conflict' ? 'conflict' : 'failed'
}

/**
 * One step update from what the caller saw: Notes replaced by a text unique to this write (so the
 * cell shows whether it landed), PercentComplete too when `percent` is given. The same ChangeId on
 * a retry, as the pane's Retry button sends it.
 */
export async function updateNotes(
  store: WorkbookStore,
  seen: SeenRow,
  who: { by: string; people: readonly Person[] },
  what: { label: string; changeId?: string; percent?: number; source: string },
): Promise<Outcome> {
  const changeId = what.changeId ?? newChangeId()
  const notes = `${what.label} ${changeId}`
  const edit: StepEdit = { stepId: seen.key, notes, ...(what.percent === undefined ? {} : { percentComplete: what.percent }) }
  const started = Date.now()
  const result = await updateStep(store, edit, seen, { by: who.by, source: what.source, changeId, at: new Date() }, { people: [...who.people] })
  const ms = Date.now() - started
  const why = result.ok ? null : result.error.kind
  const changedColumns = result.ok ? result.value.changes.map((c) => c.column) : []
  const columns: Record<string, string> = { Notes: notes }
  if (changedColumns.includes('PercentComplete')) columns.PercentComplete = ''
  return {
    record: { changeId, answer: answerOf(why), ...(why === null ? {} : { why }), table: 'ActionSteps', key: seen.key, columns, kind: 'update', notes },
    changedColumns,
    ms,
  }
}

/** One check-in on a WIG (the pane's Check-in, the CLI's `checkin`): a new CheckIns row keyed from its ChangeId. */
export async function checkIn(
  store: WorkbookStore,
  plan: Pick<Plan, 'wigs' | 'measures' | 'people'>,
  wigId: string,
  who: { by: string },
  what: { value: number; note: string; today: IsoDate; source: string; changeId?: string },
): Promise<Outcome> {
  const changeId = what.changeId ?? newChangeId()
  const started = Date.now()
  const result = await logCheckIn(store, plan, { wigId, date: what.today, value: what.value, note: `${what.note} ${changeId}` }, { by: who.by, source: what.source, changeId, at: new Date() }, what.today)
  const ms = Date.now() - started
  const why = result.ok ? null : result.error.kind
  // The key is derived from the ChangeId (src/app/references.ts), so a failed write's key is known too.
  const key = result.ok ? result.value.checkInId : rowKeyFor('CI', changeId)
  return {
    record: { changeId, answer: answerOf(why), ...(why === null ? {} : { why }), table: 'CheckIns', key, columns: { CheckInId: '', WigId: '', Date: '', Value: '', Note: '', EnteredBy: '', EnteredAt: '' }, kind: 'append' },
    changedColumns: [],
    ms,
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
}
