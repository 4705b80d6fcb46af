import { exhaustiveSwitchError } from '../../../domain/result.ts'
import { CONTRACT, findColumn, type TableName } from '../../contract.ts'
import { columnLetters } from '../../a1.ts'
import type { CellValue, RawTable } from '../../raw.ts'
import { asTypedText } from '../../typed-text.ts'
import type { AppendRows, AssignKey, AssignKeyError, Audit, Conflict, StoreError, UpdateRow, WriteError, WriteReceipt } from '../../store.ts'
import { cellHolds, changeLogRow, differingColumns, keyText, locateKey, logText, planAppend, planAssignKey, planUpdate, sheetRow, type ChangeLogSnapshot } from '../../write-plan.ts'
import { sendBatch, readBatch, headerValue, type BatchReply, type BatchRequest } from '../protocol/batch.ts'
import { parseRange } from '../protocol/parse.ts'
import type { WorkbookPaths } from '../protocol/paths.ts'
import { retryAfterMs } from '../protocol/errors.ts'
import { backoffMs, RETRYABLE_STATUS } from '../chain/retry.ts'
import type { GraphTransport } from '../chain/transport.ts'
import { bodyRowsAddress, headerFromReply, isTableMissing, replyFailure, unreadableAnswer, type TableHeader } from './reads.ts'

/**
 * Writes that touch one row (GRAPH.md §6). Graph has no conditional write, so:
 * - round 1 reads the header rows and the key column (never a whole table), and the row itself
 *   when the store already knows where it sits;
 * - the write `$batch` re-reads the row just before the PATCH (`dependsOn`), and after it the
 *   client compares: another writer in between gets their cells back, both changes are logged
 *   truthfully, and the caller hears "conflict" (never a silent overwrite);
 * - the PATCH reply must hold the expected key; a sort that moved the row is repaired;
 * - after an answer that may or may not have landed, the ChangeIds (and new keys) are read back
 *   before anything is sent again, and a late duplicate is deleted and logged.
 */

export type Round<T, E = WriteError> = { kind: 'done'; value: T } | { kind: 'failed'; error: E } | { kind: 'again'; error: StoreError }

const CHANGE_LOG: TableName = 'ChangeLog'

/** Where rows were last seen: per table its header, per key its data-row index. Hints only; always checked. */
export type RowHints = {
  header(table: TableName): TableHeader | undefined
  index(table: TableName, key: string): number | undefined
  remember(table: TableName, header: TableHeader, keys?: readonly string[]): void
  moved(table: TableName, key: string, index: number): void
}

export function createRowHints(): RowHints {
  const headers = new Map<TableName, TableHeader>()
  const indexes = new Map<TableName, Map<string, number>>()
  return {
    header: (table) => headers.get(table),
    index: (table, key) => indexes.get(table)?.get(key),
    remember: (table, header, keys) => {
      headers.set(table, header)
      if (keys) indexes.set(table, new Map(keys.map((k, i) => [k, i] as const)))
    },
    moved: (table, key, index) => {
      const map = indexes.get(table) ?? new Map<string, number>()
      map.set(key, index)
      indexes.set(table, map)
    },
  }
}

export type WriteContext = { transport: GraphTransport; paths: WorkbookPaths; sessionId: string | null; hints: RowHints }

function missingTable(table: TableName): WriteError {
  return { kind: 'missingTable', table }
}

function unreadable(what: string): WriteError {
  return { kind: 'unexpected', reason: 'answerUnreadable', what }
}

/** A failure from the service: "again" for a lost session, final otherwise. */
function fromStoreError<T>(error: StoreError): Round<T> {
  return error.kind === 'sessionExpired' ? { kind: 'again', error } : { kind: 'failed', error }
}

function failure<T>(ctx: WriteContext, reply: BatchReply, table?: TableName): Round<T> {
  return fromStoreError(replyFailure(ctx.transport, reply, table))
}

function columnValues(reply: BatchReply): CellValue[] | null {
  const range = parseRange(reply.body)
  return range.ok ? range.value.values.map((row) => row[0] ?? '') : null
}

function rowAddress(header: TableHeader, index: number): string {
  return bodyRowsAddress(header.origin, header.headers.length, index, index)
}

/** The header rows of the target table and the ChangeLog; on a re-run, also the key and ChangeId columns. */
type Headers = { target: TableHeader; log: TableHeader; keys: string[] | null; changeIds: string[] | null; row: RowRead | null }

export type RowRead = { index: number; values: CellValue[]; formats: string[] | null }

/**
 * Round 1: both header rows, and as asked the key column, the ChangeId column and the row at a
 * hinted index, in one `$batch`. Columns are asked by their contract name; a table whose header
 * is spelled otherwise ("Step Id") costs one more round with the name as the table spells it.
 */
export async function readHeaders(
  ctx: WriteContext,
  table: TableName,
  want: { keys: boolean; changeIds: boolean; rowAt: number | null },
): Promise<Round<Headers>> {
  const { paths } = ctx
  const key = CONTRACT[table].key
  const hinted = ctx.hints.header(table)
  const requests: BatchRequest[] = [
    { id: 'th', method: 'GET', url: paths.headerRow(table) },
    { id: 'lh', method: 'GET', url: paths.headerRow(CHANGE_LOG) },
  ]
  if (want.keys && key) requests.push({ id: 'kc', method: 'GET', url: paths.columnBody(table, key) })
  if (want.changeIds) requests.push({ id: 'ids', method: 'GET', url: paths.columnBody(CHANGE_LOG, 'ChangeId') })
  if (want.rowAt !== null && hinted) {
    requests.push({ id: 'row', method: 'GET', url: paths.sheetRange(hinted.origin.sheet, rowAddress(hinted, want.rowAt), 'values,numberFormat') })
  }
  const replies = await readBatch(ctx.transport, requests, ctx.sessionId)
  if (!replies.ok) return fromStoreError(replies.error)
  const get = (id: string) => replies.value.get(id)
  const th = get('th')
  const lh = get('lh')
  if (!th || !lh) return { kind: 'failed', error: unreadableAnswer() }
  if (isTableMissing(th)) return { kind: 'failed', error: missingTable(table) }
  if (th.status !== 200) return failure(ctx, th, table)
  if (isTableMissing(lh)) return { kind: 'failed', error: missingTable(CHANGE_LOG) }
  if (lh.status !== 200) return failure(ctx, lh, CHANGE_LOG)
  const target = headerFromReply(th)
  const log = headerFromReply(lh)
  if (!target.ok) return { kind: 'failed', error: unreadable(`the ${table} header row in a form`) }
  if (!log.ok) return { kind: 'failed', error: unreadable('the ChangeLog header row in a form') }

  const column = async (id: string, t: TableName, name: string, headers: readonly string[]): Promise<Round<string[] | null>> => {
    let reply = get(id)
    const spelled = headers[findColumn(headers, name)]
    if (reply && isTableMissing(reply) && spelled !== undefined && spelled !== name) {
      const again = await readBatch(ctx.transport, [{ id, method: 'GET', url: paths.columnBody(t, spelled) }], ctx.sessionId)
      if (!again.ok) return fromStoreError(again.error)
      reply = again.value.get(id)
    }
    if (!reply) return { kind: 'failed', error: unreadableAnswer() }
    // A ChangeLog without a ChangeId column (optional in the contract) has no ids to find.
    if (isTableMissing(reply) && spelled === undefined) return { kind: 'done', value: null }
    if (reply.status !== 200) return failure(ctx, reply, t)
    const values = columnValues(reply)
    return values ? { kind: 'done', value: values.map((v) => keyText(v)) } : { kind: 'failed', error: unreadable(`the ${name} column of ${t} in a form`) }
  }
  let keys: string[] | null = null
  if (want.keys && key) {
    const read = await column('kc', table, key, target.value.headers)
    if (read.kind !== 'done') return read
    keys = read.value
  }
  let changeIds: string[] | null = null
  if (want.changeIds) {
    const read = await column('ids', CHANGE_LOG, 'ChangeId', log.value.headers)
    if (read.kind !== 'done') return read
    changeIds = read.value
  }
  let row: RowRead | null = null
  const rowReply = get('row')
  const sameOrigin = hinted && JSON.stringify(hinted.origin) === JSON.stringify(target.value.origin) && hinted.headers.length === target.value.headers.length
  if (rowReply?.status === 200 && sameOrigin && want.rowAt !== null) {
    const range = parseRange(rowReply.body)
    if (range.ok && range.value.values[0]) row = { index: want.rowAt, values: range.value.values[0], formats: range.value.numberFormat?.[0] ?? null }
  }
  ctx.hints.remember(table, target.value, keys ?? undefined)
  return { kind: 'done', value: { target: target.value, log: log.value, keys, changeIds, row } }
}

/** One row by its current position (api/range-get.md). */
async function readRowAt(ctx: WriteContext, table: TableName, header: TableHeader, index: number): Promise<Round<RowRead>> {
  const replies = await readBatch(
    ctx.transport,
    [{ id: 'row', method: 'GET', url: ctx.paths.sheetRange(header.origin.sheet, rowAddress(header, index), 'values,numberFormat') }],
    ctx.sessionId,
  )
  if (!replies.ok) return fromStoreError(replies.error)
  const reply = replies.value.get('row')
  if (!reply) return { kind: 'failed', error: unreadableAnswer() }
  if (reply.status !== 200) return failure(ctx, reply, table)
  const range = parseRange(reply.body)
  const values = range.ok ? range.value.values[0] : undefined
  if (!range.ok || !values) return { kind: 'failed', error: unreadable(`a row of ${table} in a form`) }
  return { kind: 'done', value: { index, values, formats: range.value.numberFormat?.[0] ?? null } }
}

/** The located row: round 1, then the row itself unless round 1 already brought it. */
export type Located = Headers & { row: RowRead; keyIndex: number }

export async function locateRow(ctx: WriteContext, table: TableName, key: string, changeIds: boolean, rowHint?: number): Promise<Round<Located>> {
  const hint = rowHint ?? ctx.hints.index(table, key)
  const headers = await readHeaders(ctx, table, { keys: true, changeIds, rowAt: hint ?? null })
  if (headers.kind !== 'done') return headers
  const { target, keys } = headers.value
  const keyIndex = findColumn(target.headers, CONTRACT[table].key ?? '')
  if (keyIndex < 0 || keys === null) {
    return { kind: 'failed', error: { kind: 'badColumns', table, columns: [CONTRACT[table].key ?? ''] } }
  }
  const found = locateKey(table, keys, key, (i) => sheetRow(target, i))
  if (!found.ok) return { kind: 'failed', error: found.error }
  const index = found.value
  let row = headers.value.row?.index === index ? headers.value.row : null
  if (!row || keyText(row.values[keyIndex]) !== key) {
    const read = await readRowAt(ctx, table, target, index)
    if (read.kind !== 'done') return read
    row = read.value
  }
  ctx.hints.moved(table, key, index)
  return { kind: 'done', value: { ...headers.value, row, keyIndex } }
}

/** Chains requests with `dependsOn`, so a failure stops the rest with 424 (concepts/json-batching.md). */
export function serial(requests: readonly Omit<BatchRequest, 'id' | 'dependsOn'>[], ids?: readonly string[]): BatchRequest[] {
  const idOf = (i: number) => ids?.[i] ?? String(i + 1)
  return requests.map((r, i) => ({ ...r, id: idOf(i), ...(i > 0 ? { dependsOn: [idOf(i - 1)] } : {}) }))
}

/**
 * One serial write `$batch`, never repeated by the chain. A lost answer, or a throttled,
 * unavailable, timed-out or 424 one, may have landed: that is "again", and the store reads the
 * ChangeIds back before sending anything twice.
 */
export async function applyWrites<E = never>(
  ctx: WriteContext,
  requests: readonly BatchRequest[],
  /** A failure the caller words itself (e.g. a sheet name taken), from the first failed request; null for the usual mapping. */
  refine?: (root: BatchReply) => E | null,
): Promise<Round<Map<string, BatchReply>, WriteError | E>> {
  if (requests.length === 0) return { kind: 'done', value: new Map() }
  const replies = await sendBatch(ctx.transport, requests, { sessionId: ctx.sessionId, repeatSafe: false })
  if (!replies.ok) {
    const { kind } = replies.error
    const unsure = kind === 'network' || kind === 'timeout' || kind === 'unavailable' || kind === 'throttled' || kind === 'sessionExpired'
    return unsure ? { kind: 'again', error: replies.error } : { kind: 'failed', error: replies.error }
  }
  const failed = requests.map((r) => replies.value.get(r.id)).filter((r): r is BatchReply => r !== undefined && (r.status < 200 || r.status >= 300))
  // The root cause is the first failure that isn't a 424 passed down from it.
  const root = failed.find((r) => r.status !== 424) ?? failed[0]
  if (!root) return { kind: 'done', value: replies.value }
  const refined = refine?.(root) ?? null
  if (refined !== null) return { kind: 'failed', error: refined }
  const error = replyFailure(ctx.transport, root)
  if (root.status === 424 || RETRYABLE_STATUS.has(root.status) || error.kind === 'sessionExpired') {
    const after = retryAfterMs(headerValue(root.headers, 'Retry-After'), ctx.transport.clock.now())
    if (after !== null) ctx.transport.cooldown.hold(after)
    return { kind: 'again', error }
  }
  return { kind: 'failed', error }
}

function logRequest(paths: WorkbookPaths, rows: CellValue[][]): Omit<BatchRequest, 'id' | 'dependsOn'>[] {
  // index null = append after the last row (api/tablerowcollection-add.md).
  return rows.length > 0 ? [{ method: 'POST', url: paths.addRows(CHANGE_LOG), body: { index: null, values: rows } }] : []
}

function asTable(table: TableName, header: TableHeader, row: RowRead): RawTable {
  return { name: table, headers: header.headers, rows: [row.values], ...(row.formats ? { numberFormats: [row.formats] } : {}), origin: header.origin }
}

function snapshot(headers: Headers, changeIds: boolean): ChangeLogSnapshot {
  return { headers: headers.log.headers, changeIds: changeIds ? headers.changeIds : null }
}

/** What one attempt of an update ended in, for the loop in graph-store. */
export type UpdateOutcome =
  | { kind: 'written'; receipt: WriteReceipt }
  | { kind: 'alreadyThere' }
  /** The PATCH reply held another key (a sort moved the row); it was put back, the log landed: write the cells again, log nothing more. */
  | { kind: 'moved'; loggedRows: number }

/**
 * One attempt of an update. `recheck`: an earlier attempt may have landed, so the ChangeIds are
 * read first. `logged`: the ChangeLog rows already landed (after a moved row), so only cells go.
 */
/** What an attempt reads and leaves for the next: `sentLogRows` is how many log rows its last write batch carried. */
/**
 * One row PATCH in one $batch with what the row held just before, read first in the same batch
 * (the only check Graph allows: no If-Match on ranges), and the action's log rows. A null in
 * `values` leaves that cell alone (api/range-update.md, res/excel.md).
 */
async function patchRowSeeingBefore(
  ctx: WriteContext,
  target: TableHeader,
  address: string,
  values: readonly (CellValue | null)[],
  logRows: CellValue[][],
): Promise<Round<{ was: CellValue[]; now: CellValue[]; log: BatchReply | undefined }>> {
  const { paths } = ctx
  const requests = serial(
    [
      { method: 'GET', url: paths.sheetRange(target.origin.sheet, address, 'values') },
      { method: 'PATCH', url: paths.sheetRange(target.origin.sheet, address), body: { values: [values] } },
      ...logRequest(paths, logRows),
    ],
    ['before', 'patch', 'log'],
  )
  const sent = await applyWrites(ctx, requests)
  if (sent.kind !== 'done') return sent
  const read = (reply: BatchReply | undefined): CellValue[] | undefined => {
    const range = reply ? parseRange(reply.body) : null
    return range?.ok ? range.value.values[0] : undefined
  }
  const was = read(sent.value.get('before'))
  const now = read(sent.value.get('patch'))
  if (!was || !now) return { kind: 'failed', error: unreadable('the answer to a change') }
  return { kind: 'done', value: { was, now, log: sent.value.get('log') } }
}

export type AttemptState = { recheck: boolean; logged: boolean; sentLogRows: number }

export async function updateOnce(ctx: WriteContext, command: UpdateRow, options: AttemptState): Promise<Round<UpdateOutcome>> {
  const { table, key } = command
  const located = await locateRow(ctx, table, key, options.recheck && !options.logged, options.logged ? undefined : command.rowHint)
  if (located.kind !== 'done') return located
  const { target, row, keyIndex } = located.value
  const mayHaveLanded = options.recheck && !options.logged
  const plan = planUpdate(command, asTable(table, target, row), snapshot(located.value, mayHaveLanded), { mayHaveLanded })
  if (!plan.ok) return { kind: 'failed', error: plan.error }
  const { paths } = ctx
  switch (plan.value.kind) {
    case 'alreadyApplied': {
      if (!mayHaveLanded) return { kind: 'done', value: { kind: 'alreadyThere' } }
      const seen = await landedOverNothingUnseen(ctx, command, located.value)
      return seen.kind === 'done' ? { kind: 'done', value: { kind: 'alreadyThere' } } : seen
    }
    case 'logOnly': {
      options.sentLogRows = plan.value.changeLogRows.length
      const sent = await applyWrites(ctx, serial(logRequest(paths, plan.value.changeLogRows)))
      if (sent.kind !== 'done') return sent
      return { kind: 'done', value: { kind: 'written', receipt: { applied: true, changeLogRows: plan.value.changeLogRows.length } } }
    }
    case 'write':
      break
    default:
      return exhaustiveSwitchError(plan.value, 'update plan')
  }
  const { values, changeLogRows, compared } = plan.value
  const address = rowAddress(target, row.index)
  const logRows = options.logged ? [] : changeLogRows
  options.sentLogRows = logRows.length
  const sent = await patchRowSeeingBefore(ctx, target, address, values, logRows)
  if (sent.kind !== 'done') return sent
  const { was, now } = sent.value

  if (keyText(now[keyIndex]) !== key) {
    // A sort moved the row between round 1 and the write: put the other row's cells back.
    const restore = await applyWrites(ctx, serial([{ method: 'PATCH', url: paths.sheetRange(target.origin.sheet, address), body: { values: [restoreValues(values, was)] } }]))
    if (restore.kind !== 'done') return restore
    return { kind: 'done', value: { kind: 'moved', loggedRows: logRows.length } }
  }
  // Stamps (UpdatedBy/UpdatedAt) are not what the user edited: a colleague's differing stamp alone is no conflict.
  const overwritten = compared.filter((i) => !sameCell(was[i], row.values[i]))
  if (overwritten.length === 0) return { kind: 'done', value: { kind: 'written', receipt: { applied: true, changeLogRows: logRows.length } } }
  return undoOverwrite(ctx, command, { target, log: located.value.log, address, values, was, seen: row, compared, overwritten, logReply: sent.value.log, logRows })
}

const LOG_COLUMNS = ['Key', 'Column', 'OldValue', 'NewValue', 'ChangeId', 'Source'] as const
const UNDONE = /\(undone/i

/** The audit of an undo: the same action, its Source marked, so the ChangeLog tells the put-back from the change. */
const undoneAudit = (audit: Audit): Audit => ({ ...audit, source: `${audit.source} (undone: conflict)` })

/**
 * An earlier try of this update landed, but its answer, which held the row as it was just before
 * the PATCH, was lost: whether someone else's change was overwritten is read from the ChangeLog
 * instead. Each of our log rows says what we saw (OldValue); the row logged just before it for
 * the same cell says what was really there (NewValue). Where they differ, a colleague's change
 * landed between our read and our write, and the caller hears "conflict" with both values rather
 * than "saved" (issue 14's race drill). A change nobody logged cannot be seen this way.
 */
type Unseen = Conflict & { logIndex: number }

async function landedOverUnseen(ctx: WriteContext, command: UpdateRow, log: TableHeader): Promise<Round<Unseen[]>> {
  const spelled = LOG_COLUMNS.map((name) => log.headers[findColumn(log.headers, name)])
  if (spelled.some((name, i) => name === undefined && LOG_COLUMNS[i] !== 'Source')) return { kind: 'done', value: [] }
  const requests: BatchRequest[] = spelled.flatMap((name, i) => (name === undefined ? [] : [{ id: LOG_COLUMNS[i] ?? '', method: 'GET' as const, url: ctx.paths.columnBody(CHANGE_LOG, name) }]))
  const replies = await readBatch(ctx.transport, requests, ctx.sessionId)
  if (!replies.ok) return fromStoreError(replies.error)
  const columns = new Map<string, CellValue[]>()
  for (const request of requests) {
    const reply = replies.value.get(request.id)
    if (!reply) return { kind: 'failed', error: unreadableAnswer() }
    if (reply.status !== 200) return failure(ctx, reply, CHANGE_LOG)
    const values = columnValues(reply)
    if (!values) return { kind: 'failed', error: unreadable('the ChangeLog columns in a form') }
    columns.set(request.id, values)
  }
  const at = (name: (typeof LOG_COLUMNS)[number], i: number): string => keyText(columns.get(name)?.[i] ?? '')
  const rows = columns.get('ChangeId')?.length ?? 0
  const sameColumn = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase()
  const conflicts: Unseen[] = []
  for (let i = 0; i < rows; i += 1) {
    if (at('ChangeId', i) !== command.audit.changeId || at('Key', i) !== command.key || UNDONE.test(at('Source', i))) continue
    const column = at('Column', i)
    let before = -1
    for (let j = i - 1; j >= 0; j -= 1) {
      if (at('Key', j) === command.key && sameColumn(at('Column', j), column)) {
        before = j
        break
      }
    }
    if (before < 0 || at('NewValue', before) === at('OldValue', i)) continue
    conflicts.push({ column, seen: at('OldValue', i), now: at('NewValue', before), value: at('NewValue', i), logIndex: i })
  }
  return { kind: 'done', value: conflicts }
}

/**
 * Our write is known to have landed without our seeing its answer: done when it overwrote nothing
 * we had not seen, otherwise their change goes back and the caller hears "conflict".
 */
async function landedOverNothingUnseen(ctx: WriteContext, command: UpdateRow, located: Located): Promise<Round<null>> {
  const raced = await landedOverUnseen(ctx, command, located.log)
  if (raced.kind !== 'done') return raced
  if (raced.value.length === 0) return { kind: 'done', value: null }
  const restored = await putTheirsBack(ctx, command, { target: located.target, log: located.log, row: located.row, conflicts: raced.value })
  const conflicts = raced.value.map(({ logIndex: _, ...conflict }) => conflict)
  return { kind: 'failed', error: { kind: 'conflict', table: command.table, key: command.key, conflicts, race: { restored } } }
}

/**
 * After every try's answer was lost: whether this update landed. It is not sent again (the tries
 * are spent), but one that landed over a change it never saw is treated as a retry that finds
 * its ChangeId treats it: their text goes back (that write is the undo, logged) and the caller
 * hears "conflict". The row's read carries the ChangeIds; when it fails (the row gone or re-keyed
 * since), `changeIdLogged` alone says whether it landed.
 */
export async function updateLanded(ctx: WriteContext, command: UpdateRow, changeIdLogged: () => Promise<{ kind: 'done'; value: boolean }>): Promise<Round<boolean>> {
  const located = await locateRow(ctx, command.table, command.key, true)
  if (located.kind !== 'done') return changeIdLogged()
  if (located.value.changeIds?.includes(command.audit.changeId) !== true) return { kind: 'done', value: false }
  const seen = await landedOverNothingUnseen(ctx, command, located.value)
  return seen.kind === 'failed' && seen.error.kind === 'conflict' ? seen : { kind: 'done', value: true }
}

/**
 * After a sort moved the row (the log rows landed with that try, the cells were put back) and
 * every later answer was lost: the ChangeId proves nothing then, only the cells say whether the
 * change landed. Read only; a failed read says it did not.
 */
export async function updateCellsHold(ctx: WriteContext, command: UpdateRow): Promise<{ kind: 'done'; value: boolean }> {
  const located = await locateRow(ctx, command.table, command.key, false)
  if (located.kind !== 'done') return { kind: 'done', value: false }
  const { target, row } = located.value
  const holds = command.changes.every((change) => {
    const i = findColumn(target.headers, change.column)
    return i >= 0 && cellHolds(row.values[i], change.value, row.formats?.[i])
  })
  return { kind: 'done', value: holds }
}

/**
 * Puts a colleague's overwritten text back, where the cell still holds ours, and logs the undo:
 * the ChangeLog's text is exactly a text cell's value, so text columns (Status, Notes, Owner…)
 * are restored; a number or date cell is left for the person to check (restored: false).
 */
async function putTheirsBack(ctx: WriteContext, command: UpdateRow, o: { target: TableHeader; log: TableHeader; row: RowRead; conflicts: readonly Unseen[] }): Promise<boolean> {
  const values: (CellValue | null)[] = o.target.headers.map(() => null)
  const undoRows: CellValue[][] = []
  // Our log rows said OldValue = what the user saw; each gets what the cell really held.
  const oldValueColumn = findColumn(o.log.headers, 'OldValue')
  const letters = columnLetters(o.log.origin.column + oldValueColumn)
  const truthful = (oldValueColumn < 0 ? [] : o.conflicts).map((c) => ({
    method: 'PATCH' as const,
    url: ctx.paths.sheetRange(o.log.origin.sheet, `${letters}${o.log.origin.row + 1 + c.logIndex}:${letters}${o.log.origin.row + 1 + c.logIndex}`),
    body: { values: [[asTypedText(String(c.now))]] },
  }))
  const undo = undoneAudit(command.audit)
  for (const c of o.conflicts) {
    const change = command.changes.find((x) => findColumn([x.column], c.column) === 0)
    const i = findColumn(o.target.headers, c.column)
    if (!change || typeof change.value !== 'string' || i < 0 || keyText(o.row.values[i]) !== String(c.value)) return false
    values[i] = asTypedText(String(c.now))
    undoRows.push(changeLogRow(o.log.headers, undo, command.table, command.key, c.column, String(c.value), String(c.now)))
  }
  const requests = [{ method: 'PATCH' as const, url: ctx.paths.sheetRange(o.target.origin.sheet, rowAddress(o.target, o.row.index)), body: { values: [values] } }, ...truthful, ...logRequest(ctx.paths, undoRows)]
  const done = await applyWrites(ctx, serial(requests))
  return done.kind === 'done'
}

function sameCell(a: CellValue | undefined, b: CellValue | undefined): boolean {
  return (a ?? '') === (b ?? '')
}

/** A PATCH body that puts back `was` in every cell `values` wrote. */
function restoreValues(values: readonly (CellValue | null)[], was: readonly CellValue[]): (CellValue | null)[] {
  return values.map((v, i) => (v === null ? null : (was[i] ?? '')))
}

type Overwrite = {
  target: TableHeader
  log: TableHeader
  address: string
  values: (CellValue | null)[]
  /** The row just before our PATCH. */
  was: CellValue[]
  /** The row as round 1 read it. */
  seen: RowRead
  compared: number[]
  overwritten: number[]
  logReply: BatchReply | undefined
  logRows: CellValue[][]
}

/**
 * Another writer changed the row between our read and our PATCH. Their cells go back; our log
 * rows get the OldValue that was really there; undo rows record the put-back. The caller hears
 * "conflict", with their values and ours.
 */
async function undoOverwrite(ctx: WriteContext, command: UpdateRow, o: Overwrite): Promise<Round<UpdateOutcome>> {
  const { paths } = ctx
  const { table, key, audit } = command
  const requests: Omit<BatchRequest, 'id' | 'dependsOn'>[] = [
    { method: 'PATCH', url: paths.sheetRange(o.target.origin.sheet, o.address), body: { values: [restoreValues(o.values, o.was)] } },
  ]
  const columnOfLog = findColumn(o.log.headers, 'Column')
  if (o.logRows.length > 0) {
    // Our log rows said OldValue = what the user saw; rewrite each to what the cell really held.
    const oldValues = o.logRows.map((logRow) => {
      const i = findColumn(o.target.headers, String(logRow[columnOfLog] ?? ''))
      return asTypedText(logText(o.was[i], o.seen.formats?.[i]))
    })
    requests.push(...rewriteOldValues(paths, o.log, o.logReply, oldValues))
  }
  const undo = undoneAudit(audit)
  const undoRows = o.compared.map((i) => {
    const format = o.seen.formats?.[i]
    return changeLogRow(o.log.headers, undo, table, key, o.target.headers[i] ?? '', logText(o.values[i] ?? '', format), logText(o.was[i], format))
  })
  requests.push(...logRequest(paths, undoRows))
  const done = await applyWrites(ctx, serial(requests))
  if (done.kind === 'failed') return done
  const conflicts: Conflict[] = o.overwritten.map((i) => ({
    column: o.target.headers[i] ?? '',
    seen: o.seen.values[i] ?? '',
    now: o.was[i] ?? '',
    value: o.values[i] ?? '',
  }))
  return { kind: 'failed', error: { kind: 'conflict', table, key, conflicts, race: { restored: done.kind === 'done' } } }
}

/** A PATCH of the OldValue cells of the log rows a rows/add just appended (none when its answer gave no index). */
function rewriteOldValues(paths: WorkbookPaths, log: TableHeader, logReply: BatchReply | undefined, oldValues: readonly CellValue[]): Omit<BatchRequest, 'id' | 'dependsOn'>[] {
  const oldValueColumn = findColumn(log.headers, 'OldValue')
  const first = logIndex(logReply)
  if (first === null || oldValueColumn < 0 || oldValues.length === 0) return []
  const { origin } = log
  const letters = columnLetters(origin.column + oldValueColumn)
  const top = origin.row + 1 + first
  return [{ method: 'PATCH', url: paths.sheetRange(origin.sheet, `${letters}${top}:${letters}${top + oldValues.length - 1}`), body: { values: oldValues.map((v) => [v]) } }]
}

/** `index` of the first row a rows/add answered (api/tablerowcollection-add.md, res/workbooktablerow.md). */
function logIndex(reply: BatchReply | undefined): number | null {
  const body = reply?.body
  if (typeof body !== 'object' || body === null || !('index' in body)) return null
  const index = (body as { index: unknown }).index
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : null
}

/** A key cell's value written back as it was: text stays text (api/range-update.md types strings like typing). */
function asCellAgain(value: CellValue | undefined): CellValue {
  return typeof value === 'string' ? asTypedText(value) : (value ?? '')
}

/**
 * One attempt of `assignKey`. Round 1 reads the header rows, the key column and the row at the
 * index (in that same `$batch` when the header is known from a read, else one more). The write
 * `$batch` re-reads the row, PATCHes it with null everywhere but the key cell (res/excel.md: null
 * leaves a cell alone, so one cell is written and the PATCH answer is the whole row as it now
 * reads), and appends the log row. If the row was not the one the user saw just before or just
 * after the PATCH, the key cell gets back what it held, the put-back is logged, and the caller
 * hears why, with `race`.
 */
export async function assignKeyOnce(ctx: WriteContext, command: AssignKey, options: AttemptState): Promise<Round<WriteReceipt | null, AssignKeyError>> {
  const { table, index, key } = command
  const mayHaveLanded = options.recheck
  const headers = await readHeaders(ctx, table, { keys: true, changeIds: mayHaveLanded, rowAt: index >= 0 ? index : null })
  if (headers.kind !== 'done') return headers
  const { target } = headers.value
  const keys = headers.value.keys ?? []
  let row = headers.value.row?.index === index ? headers.value.row : null
  if (!row && Number.isInteger(index) && index >= 0 && index < keys.length) {
    const read = await readRowAt(ctx, table, target, index)
    if (read.kind !== 'done') return read
    row = read.value
  }
  const sheetRowOf = (i: number) => sheetRow(target, i)
  const plan = planAssignKey(command, { headers: target.headers, keys, row: row?.values, sheetRowOf }, snapshot(headers.value, mayHaveLanded), { mayHaveLanded })
  if (!plan.ok) return { kind: 'failed', error: plan.error }
  const { paths } = ctx
  switch (plan.value.kind) {
    case 'alreadyApplied':
      return { kind: 'done', value: null }
    case 'logOnly': {
      options.sentLogRows = plan.value.changeLogRows.length
      const sent = await applyWrites(ctx, serial(logRequest(paths, plan.value.changeLogRows)))
      return sent.kind === 'done' ? { kind: 'done', value: { applied: true, changeLogRows: plan.value.changeLogRows.length } } : sent
    }
    case 'write':
      break
    default:
      return exhaustiveSwitchError(plan.value, 'assign plan')
  }
  const { keyIndex, values, changeLogRows } = plan.value
  const address = rowAddress(target, index)
  options.sentLogRows = changeLogRows.length
  const sent = await patchRowSeeingBefore(ctx, target, address, values, changeLogRows)
  if (sent.kind !== 'done') return sent
  const { was, now } = sent.value

  const wasKey = keyText(was[keyIndex])
  const changedBefore = differingColumns(target.headers, command.seen, was, keyIndex)
  // A late earlier try of this same action may have put the key there already: that is still our row.
  const ours = changedBefore.length === 0 && (wasKey === '' || wasKey === key)
  const changedAfter = differingColumns(target.headers, was, now, keyIndex)
  if (ours && keyText(now[keyIndex]) === key && changedAfter.length === 0) {
    return { kind: 'done', value: { applied: true, changeLogRows: changeLogRows.length } }
  }

  // Someone sorted, inserted or typed in that row between our read and our write: put the key cell back.
  const restore: (CellValue | null)[] = target.headers.map(() => null)
  restore[keyIndex] = asCellAgain(was[keyIndex])
  const undo: Audit = { ...command.audit, source: `${command.audit.source} (undone: row changed)` }
  const keyColumn = CONTRACT[table].key ?? ''
  const undoRequests: Omit<BatchRequest, 'id' | 'dependsOn'>[] = [
    { method: 'PATCH', url: paths.sheetRange(target.origin.sheet, address), body: { values: [restore] } },
    // Our log row said the cell was blank; it held what `was` says.
    ...(wasKey !== '' ? rewriteOldValues(paths, headers.value.log, sent.value.log, [asTypedText(logText(was[keyIndex]))]) : []),
    ...logRequest(paths, [changeLogRow(headers.value.log.headers, undo, table, key, keyColumn, key, logText(was[keyIndex]))]),
  ]
  const done = await applyWrites(ctx, serial(undoRequests))
  if (done.kind === 'failed') return done
  const race = { restored: done.kind === 'done' }
  const sheetRowNow = sheetRowOf(index)
  if (changedBefore.length === 0 && wasKey !== '' && wasKey !== key) {
    return { kind: 'failed', error: { kind: 'keyAlreadySet', table, keyColumn, row: sheetRowNow, key: wasKey, race } }
  }
  const columns = changedBefore.length > 0 ? changedBefore : differingColumns(target.headers, command.seen, now, keyIndex)
  return { kind: 'failed', error: { kind: 'rowChanged', table, row: sheetRowNow, columns, race } }
}

/** One attempt of an append: header rows only, unless an earlier attempt may have landed. */
export async function appendOnce(ctx: WriteContext, command: AppendRows, options: AttemptState): Promise<Round<WriteReceipt | null>> {
  const { table } = command
  const headers = await readHeaders(ctx, table, { keys: options.recheck, changeIds: options.recheck, rowAt: null })
  if (headers.kind !== 'done') return headers
  const { target, keys } = headers.value
  const keyIndex = findColumn(target.headers, CONTRACT[table].key ?? '')
  // Only the key column is needed to see whether a row already landed.
  const rows: CellValue[][] = keys === null || keyIndex < 0 ? [] : keys.map((k) => target.headers.map((_, i) => (i === keyIndex ? k : '')))
  const plan = planAppend(command, { name: table, headers: target.headers, rows, origin: target.origin }, snapshot(headers.value, options.recheck))
  if (!plan.ok) return { kind: 'failed', error: plan.error }
  switch (plan.value.kind) {
    case 'alreadyApplied':
      return { kind: 'done', value: null }
    case 'logOnly': {
      options.sentLogRows = plan.value.changeLogRows.length
      const sent = await applyWrites(ctx, serial(logRequest(ctx.paths, plan.value.changeLogRows)))
      return sent.kind === 'done' ? { kind: 'done', value: { applied: true, changeLogRows: plan.value.changeLogRows.length } } : sent
    }
    case 'write': {
      options.sentLogRows = plan.value.changeLogRows.length
      const sent = await applyWrites(
        ctx,
        serial([{ method: 'POST', url: ctx.paths.addRows(table), body: { index: null, values: plan.value.rows } }, ...logRequest(ctx.paths, plan.value.changeLogRows)]),
      )
      return sent.kind === 'done' ? { kind: 'done', value: { applied: true, changeLogRows: plan.value.changeLogRows.length } } : sent
    }
    default:
      return exhaustiveSwitchError(plan.value, 'append plan')
  }
}

/**
 * After a re-sent write: an earlier try that was still on its way may have landed after our check.
 * Rows of `table` with our keys beyond the first, and ChangeLog rows of our ChangeId beyond the
 * expected count, are deleted (bottom first, so indexes hold) and the deletion is logged.
 */
export async function removeLateDuplicates(
  ctx: WriteContext,
  table: TableName,
  keys: readonly string[],
  audit: Audit,
  expectedLogRows: number,
): Promise<Round<number>> {
  const headers = await readHeaders(ctx, table, { keys: keys.length > 0, changeIds: true, rowAt: null })
  if (headers.kind !== 'done') return headers
  const extraRows = duplicatesAfterFirst(headers.value.keys ?? [], new Set(keys))
  const ids = headers.value.changeIds ?? []
  const ours = ids.flatMap((id, i) => (id === audit.changeId ? [i] : []))
  // Our log rows come as whole sets; the later sets are the late copies.
  const extraLog = expectedLogRows > 0 && ours.length > expectedLogRows ? ours.slice(expectedLogRows) : []
  if (extraRows.length === 0 && extraLog.length === 0) return { kind: 'done', value: 0 }
  const deletes = [
    ...extraLog.sort((a, b) => b - a).map((i) => ({ method: 'DELETE' as const, url: ctx.paths.rowAt(CHANGE_LOG, i) })),
    ...extraRows.sort((a, b) => b - a).map((i) => ({ method: 'DELETE' as const, url: ctx.paths.rowAt(table, i) })),
  ]
  const note: Audit = { ...audit, source: `${audit.source} (late duplicate removed)` }
  const keyColumn = CONTRACT[table].key ?? ''
  const logged = extraRows.map((i) => changeLogRow(headers.value.log.headers, note, table, (headers.value.keys ?? [])[i] ?? '', keyColumn, 'duplicate row', ''))
  const sent = await applyWrites(ctx, serial([...deletes, ...logRequest(ctx.paths, logged)]))
  if (sent.kind !== 'done') return sent
  return { kind: 'done', value: extraRows.length + extraLog.length }
}

function duplicatesAfterFirst(keys: readonly string[], wanted: ReadonlySet<string>): number[] {
  const seen = new Set<string>()
  const extra: number[] = []
  keys.forEach((k, i) => {
    if (!wanted.has(k)) return
    if (seen.has(k)) extra.push(i)
    seen.add(k)
  })
  return extra
}

/** Without a Retry-After, wait a little before reading back what may have landed (concepts/throttling.md). */
export function settle(transport: GraphTransport, attempt: number): void {
  transport.cooldown.hold(backoffMs(attempt))
}
