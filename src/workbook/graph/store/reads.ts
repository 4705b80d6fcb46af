import type { TableName } from '../../contract.ts'
import type { RawTable } from '../../raw.ts'
import type { BatchReply, BatchRequest } from '../protocol/batch.ts'
import { errorKind, parseGraphErrorCodes } from '../protocol/errors.ts'
import { parseTableRange } from '../protocol/parse.ts'
import type { WorkbookPaths } from '../protocol/paths.ts'

/**
 * A table is read as two sub-requests of one `$batch`: its `range` (header, data and any Total
 * row, api/table-range.md) and its `dataBodyRange` (the data alone, api/table-databodyrange.md).
 * The range is enough on its own; the data body, where the service answers it, keeps a Total
 * row from reading as data.
 */
export function tableReadRequests(paths: WorkbookPaths, name: TableName, id: string): BatchRequest[] {
  return [
    { id: `${id}r`, method: 'GET', url: paths.range(name) },
    { id: `${id}b`, method: 'GET', url: paths.dataBody(name) },
  ]
}

export type TableRead = { kind: 'table'; table: RawTable } | { kind: 'missing' } | { kind: 'failed'; reply: BatchReply } | { kind: 'unreadable' }

/**
 * A 404 that maps to notFound means the table is not there (workbook-error-codes.md gives
 * notFound, the service sends ItemNotFound); a lost session is a 404 too, but maps elsewhere.
 */
export function isTableMissing(reply: BatchReply): boolean {
  return reply.status === 404 && errorKind(reply.status, parseGraphErrorCodes(reply.body)) === 'notFound'
}

export function tableFromReplies(name: TableName, replies: ReadonlyMap<string, BatchReply>, id: string): TableRead {
  const range = replies.get(`${id}r`)
  const body = replies.get(`${id}b`)
  if (!range) return { kind: 'unreadable' }
  if (isTableMissing(range)) return { kind: 'missing' }
  if (range.status !== 200) return { kind: 'failed', reply: range }
  const table = parseTableRange(name, range.body, body?.status === 200 ? body.body : undefined)
  return table.ok ? { kind: 'table', table: table.value } : { kind: 'unreadable' }
}
