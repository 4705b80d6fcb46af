import { findColumn, type TableName } from '../../contract.ts'
import type { RawTable } from '../../raw.ts'
import { exhaustiveSwitchError } from '../../../domain/result.ts'
import type { StoreError, WriteError } from '../../store.ts'
import { keyText, type ChangeLogSnapshot } from '../../write-plan.ts'
import { headerValue, readBatch, sendBatch, type BatchReply, type BatchRequest } from '../protocol/batch.ts'
import { retryAfterMs } from '../protocol/errors.ts'
import { parseColumnValues, parseHeaderRow } from '../protocol/parse.ts'
import type { WorkbookPaths } from '../protocol/paths.ts'
import { RETRYABLE_STATUS } from '../chain/retry.ts'
import { isTableMissing, tableFromReplies, tableReadRequests } from './reads.ts'
import { replyError, type GraphTransport } from '../chain/transport.ts'

/**
 * The two round trips of a write. Round trip 1 reads what the planner needs; round trip 2 moves
 * the planned cells. A round either succeeds, fails for good, or says "try the whole write
 * again" (session gone, or an answer lost after the request may have landed).
 */
export type Round<T> = { kind: 'done'; value: T } | { kind: 'failed'; error: WriteError } | { kind: 'again'; error: StoreError }

export type WriteSnapshot = { target: RawTable; log: ChangeLogSnapshot }

const CHANGE_LOG: TableName = 'ChangeLog'

function unreadable(what: string): StoreError {
  return { kind: 'unexpected', message: `Microsoft 365 sent ${what} we could not read. Try again; if it keeps happening, tell your administrator.` }
}

function missingTable(table: TableName): WriteError {
  return {
    kind: 'missingTable',
    table,
    message: `The workbook has no ${table} table, so nothing was written. Check the link or ask the workbook's owner.`,
  }
}

/** A failure from the service, with "again" for a lost session and the rest final. */
function fromStoreError<T>(error: StoreError): Round<T> {
  return error.kind === 'sessionExpired' ? { kind: 'again', error } : { kind: 'failed', error }
}

function replyFailure<T>(transport: GraphTransport, reply: BatchReply, table?: TableName): Round<T> {
  return fromStoreError(replyError(transport, reply.status, headerValue(reply.headers, 'Retry-After'), reply.body, table ? { table } : {}))
}

/** Round trip 1: the target table, the ChangeLog's headers and its ChangeId column, in one `$batch`. */
export async function readForWrite(
  transport: GraphTransport,
  paths: WorkbookPaths,
  table: TableName,
  sessionId: string,
): Promise<Round<WriteSnapshot>> {
  const requests: BatchRequest[] = [
    ...tableReadRequests(paths, table, 'target'),
    { id: 'logHeader', method: 'GET', url: paths.headerRow(CHANGE_LOG) },
    { id: 'logIds', method: 'GET', url: paths.column(CHANGE_LOG, 'ChangeId') },
  ]
  const replies = await readBatch(transport, requests, sessionId)
  if (!replies.ok) return fromStoreError(replies.error)
  const header = replies.value.get('logHeader')
  const ids = replies.value.get('logIds')
  if (!header || !ids) return { kind: 'failed', error: unreadable('an answer') }

  const target = tableFromReplies(table, replies.value, 'target')
  switch (target.kind) {
    case 'table':
      break
    case 'missing':
      return { kind: 'failed', error: missingTable(table) }
    case 'failed':
      return replyFailure(transport, target.reply, table)
    case 'unreadable':
      return { kind: 'failed', error: unreadable(`the ${table} table in a form`) }
    default:
      return exhaustiveSwitchError(target, 'table read')
  }
  if (isTableMissing(header)) return { kind: 'failed', error: missingTable(CHANGE_LOG) }
  if (header.status !== 200) return replyFailure(transport, header, CHANGE_LOG)

  const headers = parseHeaderRow(header.body)
  if (!headers.ok) return { kind: 'failed', error: unreadable('the ChangeLog headers in a form') }

  let changeIds: string[] | null = null
  if (ids.status === 200) {
    const column = parseColumnValues(ids.body)
    if (!column.ok) return { kind: 'failed', error: unreadable('the ChangeLog ChangeId column in a form') }
    changeIds = column.value.map((v) => keyText(v)).filter((v) => v !== '')
  } else if (isTableMissing(ids)) {
    // columns/ChangeId is looked up by exact name; a header spelled "Change Id" still counts (contract: case- and space-insensitive).
    const index = findColumn(headers.value, 'ChangeId')
    if (index >= 0) {
      const log = await readChangeLogRange(transport, paths, sessionId)
      if (log.kind !== 'done') return log
      changeIds = log.value.rows.map((row) => keyText(row[index])).filter((v) => v !== '')
    }
  } else {
    return replyFailure(transport, ids, CHANGE_LOG)
  }
  return { kind: 'done', value: { target: target.table, log: { headers: headers.value, changeIds } } }
}

/** The rare path: the whole ChangeLog range, when its ChangeId header is spelled differently. */
async function readChangeLogRange(transport: GraphTransport, paths: WorkbookPaths, sessionId: string): Promise<Round<RawTable>> {
  const replies = await readBatch(transport, tableReadRequests(paths, CHANGE_LOG, 'log'), sessionId)
  if (!replies.ok) return fromStoreError(replies.error)
  const log = tableFromReplies(CHANGE_LOG, replies.value, 'log')
  switch (log.kind) {
    case 'table':
      return { kind: 'done', value: log.table }
    case 'missing':
      return { kind: 'failed', error: missingTable(CHANGE_LOG) }
    case 'failed':
      return replyFailure(transport, log.reply, CHANGE_LOG)
    case 'unreadable':
      return { kind: 'failed', error: unreadable('the ChangeLog table in a form') }
    default:
      return exhaustiveSwitchError(log, 'table read')
  }
}

/** Chains requests with `dependsOn`, so a failure stops the rest with 424 (concepts/json-batching.md). */
export function serial(requests: readonly Omit<BatchRequest, 'id' | 'dependsOn'>[]): BatchRequest[] {
  return requests.map((r, i) => ({ ...r, id: String(i + 1), ...(i > 0 ? { dependsOn: [String(i)] } : {}) }))
}

/**
 * Round trip 2: the planned requests in one serial `$batch`, never repeated by the chain. When
 * the answer is lost or says throttled/unavailable/timeout/424, the write may or may not have
 * landed: the store runs round trip 1 again and the ChangeId (or the new key) tells.
 */
export async function applyWrites(transport: GraphTransport, requests: readonly BatchRequest[], sessionId: string): Promise<Round<null>> {
  if (requests.length === 0) return { kind: 'done', value: null }
  const replies = await sendBatch(transport, requests, { sessionId, repeatSafe: false })
  if (!replies.ok) {
    const { kind } = replies.error
    const unsure = kind === 'network' || kind === 'timeout' || kind === 'unavailable' || kind === 'throttled' || kind === 'sessionExpired'
    return unsure ? { kind: 'again', error: replies.error } : { kind: 'failed', error: replies.error }
  }
  const failed = requests.map((r) => replies.value.get(r.id)).filter((r): r is BatchReply => r !== undefined && (r.status < 200 || r.status >= 300))
  if (failed.length === 0) return { kind: 'done', value: null }
  // The root cause is the first failure that isn't a 424 passed down from it.
  const root = failed.find((r) => r.status !== 424) ?? failed[0]
  if (!root) return { kind: 'done', value: null }
  const error = replyError(transport, root.status, headerValue(root.headers, 'Retry-After'), root.body)
  if (root.status === 424 || RETRYABLE_STATUS.has(root.status) || error.kind === 'sessionExpired') {
    const after = retryAfterMs(headerValue(root.headers, 'Retry-After'), transport.clock.now())
    if (after !== null) transport.cooldown.hold(after)
    return { kind: 'again', error }
  }
  return { kind: 'failed', error }
}
