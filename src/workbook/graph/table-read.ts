import type { TableName } from '../contract.ts'
import type { RawTable } from '../raw.ts'
import type { BatchReply, BatchRequest } from './batch.ts'
import { parseGraphErrorCodes } from './errors.ts'
import { parseTableParts } from './parse.ts'
import type { WorkbookPaths } from './paths.ts'

/**
 * A table is read as two sub-requests of one `$batch`, its header row and its data body, so a
 * Total row never reads as data (the table's `range` includes it, api/table-range.md).
 */
export function tableReadRequests(paths: WorkbookPaths, name: TableName, id: string): BatchRequest[] {
  return [
    { id: `${id}h`, method: 'GET', url: paths.headerRow(name) },
    { id: `${id}b`, method: 'GET', url: paths.dataBody(name) },
  ]
}

export type TableRead = { kind: 'table'; table: RawTable } | { kind: 'missing' } | { kind: 'failed'; reply: BatchReply } | { kind: 'unreadable' }

/**
 * A 404 that is not about the session means the table is not there (workbook-error-codes.md
 * gives notFound, the service sends ItemNotFound); an expired session is a 404 too.
 */
export function isTableMissing(reply: BatchReply): boolean {
  return reply.status === 404 && !(parseGraphErrorCodes(reply.body).innerCode ?? '').startsWith('invalidsession')
}

export function tableFromReplies(name: TableName, replies: ReadonlyMap<string, BatchReply>, id: string): TableRead {
  const header = replies.get(`${id}h`)
  const body = replies.get(`${id}b`)
  if (!header || !body) return { kind: 'unreadable' }
  if (isTableMissing(header) || isTableMissing(body)) return { kind: 'missing' }
  if (header.status !== 200) return { kind: 'failed', reply: header }
  if (body.status !== 200) return { kind: 'failed', reply: body }
  const table = parseTableParts(name, header.body, body.body)
  return table.ok ? { kind: 'table', table: table.value } : { kind: 'unreadable' }
}
