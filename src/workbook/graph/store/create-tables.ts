import { exhaustiveSwitchError } from '../../../domain/result.ts'
import { boxRef } from '../../a1.ts'
import type { TableName } from '../../contract.ts'
import { creationLogRow, creationOrder, dataFormats, freeSheetName, newTableAddress } from '../../new-tables.ts'
import type { CellValue } from '../../raw.ts'
import type { CreatedTable, CreateTables, CreateTablesError, CreateTablesRefusal, NewTable, WriteReceipt } from '../../store.ts'
import { asTypedText } from '../../typed-text.ts'
import { checkColumns } from '../../write-plan.ts'
import { MAX_BATCH, readBatch, type BatchReply, type BatchRequest } from '../protocol/batch.ts'
import { parseGraphErrorCodes } from '../protocol/errors.ts'
import { parseNamedList, parseTableId, type NamedItem } from '../protocol/parse.ts'
import { headerFromReply, isTableMissing, replyFailure, unreadableAnswer } from './reads.ts'
import { applyWrites, readHeaders, type AttemptState, type Round, type WriteContext } from './writes.ts'

/**
 * `createTables` over Graph: each missing contract table on a sheet of its own, never touching a
 * sheet that was there before. Per table (all in serial `$batch`es, as many to a batch as fit):
 * 1. `POST worksheets/add {name}` (api/worksheetcollection-add.md), after the other sheets;
 * 2. `PATCH worksheets/{sheet}/range(address='A1:…')` with the header row, the rows and the
 *    number formats of date and percent columns (api/range-update.md);
 * 3. `POST worksheets/{sheet}/tables/add {address, hasHeaders: true}` (api/worksheet-post-tables.md),
 *    which names the table itself (`Table1`…), so
 * 4. `PATCH tables/{id} {name}` (api/table-update.md) in the next batch, once the id is known.
 * Then one `rows/add` of the ChangeLog rows, unless the ChangeLog is new and got them as its rows.
 *
 * Round 1 lists the sheets and tables (and, after an attempt that may have landed, what is on the
 * sheets it chose), so a retry finishes on the same sheets: a sheet this action made is filled,
 * a table it made is named, nothing is made twice.
 */

/** The sheet chosen for each table, kept per action (ChangeId) so every retry of it uses the same ones. */
export type CreatePlan = { sheets: Map<TableName, string> }

type Step = 'sheet' | 'cells' | 'table' | 'rename'

type Job = {
  table: NewTable
  sheet: string
  /** Rows written under the header (the ChangeLog's own log rows included when it is new). */
  rows: readonly (readonly CellValue[])[]
  /** What is left to do, in order. */
  steps: Step[]
  /** The new table's id, once `tables/add` answered (or round 1 found it). */
  id: string | null
}

const CHANGE_LOG: TableName = 'ChangeLog'

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

function unreadable(what: string): Round<never, CreateTablesError> {
  return { kind: 'failed', error: { kind: 'unexpected', reason: 'answerUnreadable', what } }
}

/** The cells of a new table: header row as text, then the rows (or one row of formats only, when there are none). */
function cellsBody(job: Job): { values: (CellValue | null)[][]; numberFormat: (string | null)[][] } {
  const { headers } = job.table
  const formats = dataFormats(job.table.name, headers).map((f) => (f === '' ? null : f))
  const body = job.rows.length > 0 ? job.rows.map((r) => [...r]) : [headers.map(() => null)]
  return {
    values: [headers.map((h) => asTypedText(h)), ...body],
    numberFormat: [headers.map(() => null), ...body.map(() => formats)],
  }
}

/** `A1:H2`: the range of the new table on its sheet. */
function rangeRef(job: Job): string {
  return boxRef({ top: 1, left: 1, bottom: 1 + Math.max(1, job.rows.length), right: job.table.headers.length })
}

type Planned = { jobs: Job[]; logRows: CellValue[][]; appendLog: boolean }

/**
 * Round 1 (and on a re-run, the ChangeIds): what exists now, and what is left to do. A table this
 * action did not make that already has one of the names is refused; so is a sheet this action
 * chose that holds someone else's table.
 */
async function plan(ctx: WriteContext, command: CreateTables, state: CreatePlan, attempt: AttemptState): Promise<Round<Planned | null, CreateTablesError>> {
  const { paths } = ctx
  const order = creationOrder(command.tables)
  const chosen = [...state.sheets.entries()]
  const requests: BatchRequest[] = [
    { id: 'ws', method: 'GET', url: paths.worksheets },
    { id: 'tb', method: 'GET', url: paths.tables },
    { id: 'lh', method: 'GET', url: paths.headerRow(CHANGE_LOG) },
    ...chosen.map(([, sheet], i): BatchRequest => ({ id: `st${i}`, method: 'GET', url: paths.sheetTables(sheet) })),
  ]
  const replies = await readBatch(ctx.transport, requests, ctx.sessionId)
  if (!replies.ok) return replies.error.kind === 'sessionExpired' ? { kind: 'again', error: replies.error } : { kind: 'failed', error: replies.error }
  const list = (id: string): Round<NamedItem[], CreateTablesError> => {
    const reply = replies.value.get(id)
    if (!reply) return { kind: 'failed', error: unreadableAnswer() }
    if (reply.status !== 200) {
      const error = replyFailure(ctx.transport, reply)
      return error.kind === 'sessionExpired' ? { kind: 'again', error } : { kind: 'failed', error }
    }
    const parsed = parseNamedList(reply.body)
    return parsed.ok ? { kind: 'done', value: parsed.value } : unreadable('the list of sheets and tables')
  }
  const sheets = list('ws')
  if (sheets.kind !== 'done') return sheets
  const tables = list('tb')
  if (tables.kind !== 'done') return tables
  const tableNamed = (name: string) => tables.value.find((t) => sameName(t.name, name))

  // What stands on each sheet this action chose before: null when that sheet is not there.
  const onChosen = new Map<TableName, NamedItem[] | null>()
  for (const [i, [table]] of chosen.entries()) {
    const reply = replies.value.get(`st${i}`)
    if (reply && isTableMissing(reply)) {
      onChosen.set(table, null)
      continue
    }
    const found = list(`st${i}`)
    if (found.kind !== 'done') return found
    onChosen.set(table, found.value)
  }

  const taken = sheets.value.map((s) => s.name)
  const jobs: Job[] = []
  for (const table of order) {
    let sheet = state.sheets.get(table.name)
    const there = sheet === undefined ? undefined : onChosen.get(table.name)
    let steps: Step[] = ['sheet', 'cells', 'table', 'rename']
    let id: string | null = null
    if (sheet !== undefined && there !== undefined && there !== null) {
      // This action's sheet: its own table (named or not yet), or none yet.
      const mine = there.find((t) => sameName(t.name, table.name))
      if (mine) steps = []
      else if (tableNamed(table.name)) return { kind: 'failed', error: { kind: 'tableExists', table: table.name } }
      else if (there.length === 0) steps = ['cells', 'table', 'rename']
      else if (there.length === 1 && there[0]?.id) {
        steps = ['rename']
        id = there[0].id
      } else return { kind: 'failed', error: { kind: 'sheetTaken', table: table.name, sheet } }
    } else {
      const existing = tableNamed(table.name)
      if (existing) return { kind: 'failed', error: { kind: 'tableExists', table: table.name } }
      if (sheet === undefined || taken.some((s) => sameName(s, sheet ?? ''))) sheet = freeSheetName(table.name, [...taken, ...jobs.map((j) => j.sheet)])
    }
    state.sheets.set(table.name, sheet)
    jobs.push({ table, sheet, rows: table.rows, steps, id })
  }
  const created = createdTables(command, state)

  const ours = order.some((t) => t.name === CHANGE_LOG)
  let logHeaders: readonly string[]
  let appendLog = false
  if (ours) {
    logHeaders = order.find((t) => t.name === CHANGE_LOG)?.headers ?? []
  } else {
    const lh = replies.value.get('lh')
    if (!lh) return { kind: 'failed', error: unreadableAnswer() }
    if (isTableMissing(lh)) return { kind: 'failed', error: { kind: 'missingTable', table: CHANGE_LOG } }
    if (lh.status !== 200) return { kind: 'failed', error: replyFailure(ctx.transport, lh, CHANGE_LOG) }
    const header = headerFromReply(lh)
    if (!header.ok) return unreadable('the ChangeLog header row in a form')
    const columns = checkColumns(CHANGE_LOG, header.value.headers, [])
    if (!columns.ok) return { kind: 'failed', error: columns.error }
    logHeaders = header.value.headers
    appendLog = true
    if (attempt.recheck) {
      // An earlier try may have logged already: its ChangeId says so.
      const read = await readHeaders(ctx, CHANGE_LOG, { keys: false, changeIds: true, rowAt: null })
      if (read.kind !== 'done') return read
      if (read.value.changeIds?.includes(command.audit.changeId)) appendLog = false
    }
  }
  const logRows = created.map((c) => creationLogRow(logHeaders, command.audit, c))
  for (const job of jobs) if (job.table.name === CHANGE_LOG) job.rows = [...job.rows, ...logRows]
  if (jobs.every((j) => j.steps.length === 0) && !appendLog) return { kind: 'done', value: null }
  return { kind: 'done', value: { jobs, logRows, appendLog } }
}

function request(ctx: WriteContext, job: Job, step: Step, n: number): BatchRequest {
  const { paths } = ctx
  switch (step) {
    case 'sheet':
      return { id: `s${n}`, method: 'POST', url: paths.addSheet, body: { name: job.sheet } }
    case 'cells':
      return { id: `c${n}`, method: 'PATCH', url: paths.sheetRange(job.sheet, rangeRef(job)), body: cellsBody(job) }
    case 'table':
      return { id: `t${n}`, method: 'POST', url: paths.addTable(job.sheet), body: { address: rangeRef(job), hasHeaders: true } }
    case 'rename':
      return { id: `r${n}`, method: 'PATCH', url: paths.tableById(job.id ?? ''), body: { name: job.table.name } }
    default:
      return exhaustiveSwitchError(step, 'create step')
  }
}

/** A sheet added by someone else at the same moment (409 itemAlreadyExists, concepts/workbook-error-codes.md), or a table name taken. */
function takenName(jobs: readonly Job[]): (root: BatchReply) => CreateTablesRefusal | null {
  return (root) => {
    const { code, innerCode } = parseGraphErrorCodes(root.body)
    const exists = innerCode === 'itemalreadyexists' || code === 'itemalreadyexists'
    if (!exists) return null
    const job = jobs[Number(root.id.slice(1))]
    if (!job) return null
    if (root.id.startsWith('s')) return { kind: 'sheetTaken', table: job.table.name, sheet: job.sheet }
    if (root.id.startsWith('r')) return { kind: 'tableExists', table: job.table.name }
    return null
  }
}

/**
 * One attempt: round 1, then serial write batches until every table is made and named, and the
 * log appended. A lost or throttled answer is "again": the next attempt starts over from round 1.
 */
export async function createTablesOnce(ctx: WriteContext, command: CreateTables, state: CreatePlan, attempt: AttemptState): Promise<Round<WriteReceipt | null, CreateTablesError>> {
  const planned = await plan(ctx, command, state, attempt)
  if (planned.kind !== 'done') return planned
  if (planned.value === null) return { kind: 'done', value: null }
  const { jobs, logRows } = planned.value
  let appendLog = planned.value.appendLog
  const logOwn = jobs.some((j) => j.table.name === CHANGE_LOG && j.steps.includes('cells'))
  for (;;) {
    const batch: { job: number; step: Step; request: BatchRequest }[] = []
    fill: for (const [n, job] of jobs.entries()) {
      for (const step of job.steps) {
        // A table is named in the batch after the one that made it: its id comes with that answer.
        if (step === 'rename' && job.id === null) break
        if (batch.length >= MAX_BATCH) break fill
        batch.push({ job: n, step, request: request(ctx, job, step, n) })
      }
    }
    const left = jobs.some((job, n) => job.steps.length > batch.filter((b) => b.job === n).length)
    const withLog = appendLog && !left && batch.length < MAX_BATCH
    if (batch.length === 0 && !withLog) break
    const requests = [...batch.map((b) => b.request), ...(withLog ? [{ id: 'log', method: 'POST' as const, url: ctx.paths.addRows(CHANGE_LOG), body: { index: null, values: logRows } }] : [])]
    const chained = requests.map((r, i) => (i > 0 ? { ...r, dependsOn: [requests[i - 1]?.id ?? ''] } : r))
    const logsNow = withLog || batch.some((b) => b.step === 'cells' && jobs[b.job]?.table.name === CHANGE_LOG)
    if (logsNow) attempt.sentLogRows = logRows.length
    const sent = await applyWrites(ctx, chained, takenName(jobs))
    if (sent.kind === 'failed' && sent.error.kind === 'sheetTaken') {
      // Someone else's sheet now: the next try of this action chooses another name.
      state.sheets.delete(sent.error.table)
    }
    if (sent.kind !== 'done') return sent
    for (const b of batch) {
      const job = jobs[b.job]
      if (!job) continue
      if (b.step === 'table') {
        const id = parseTableId(sent.value.get(b.request.id)?.body)
        if (!id.ok) return unreadable('the answer to a new table')
        job.id = id.value
      }
      job.steps.shift()
    }
    if (withLog) appendLog = false
  }
  return { kind: 'done', value: { applied: true, changeLogRows: logOwn || planned.value.appendLog ? logRows.length : 0 } }
}

/** Where each table is made, as the plan put it (a new ChangeLog holding one log row per table). */
export function createdTables(command: CreateTables, state: CreatePlan): CreatedTable[] {
  return creationOrder(command.tables).flatMap((t) => {
    const sheet = state.sheets.get(t.name)
    if (sheet === undefined) return []
    const rows = t.name === CHANGE_LOG ? t.rows.length + command.tables.length : t.rows.length
    return [{ table: t.name, sheet, address: newTableAddress(sheet, t.headers.length, rows), rows }]
  })
}
