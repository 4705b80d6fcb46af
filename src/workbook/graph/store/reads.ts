import { err, ok, type Result } from '../../../domain/result.ts'
import type { TableName } from '../../contract.ts'
import { columnLetters } from '../../a1.ts'
import type { CellValue, RawTable } from '../../raw.ts'
import type { StoreError } from '../../store.ts'
import { headerValue, MAX_BATCH, readBatch, type BatchReply, type BatchRequest } from '../protocol/batch.ts'
import { errorKind, isSizeLimit, parseGraphErrorCodes } from '../protocol/errors.ts'
import { parseExtent, parseRange, type RangeBody, type RangeExtent } from '../protocol/parse.ts'
import type { WorkbookPaths } from '../protocol/paths.ts'
import { replyError, type GraphTransport } from '../chain/transport.ts'

/**
 * Tables read at the floor Graph allows (GRAPH.md §6). Round 1 asks, per table, for its
 * `headerRowRange` and its `dataBodyRange`, each trimmed by `$select`, and the size of the tables
 * that grow (as room allows). A data body the service refuses as too large is read in row chunks
 * through `worksheets/{s}/range(address=…)` (round 2; measured first when round 1 had no room),
 * as many chunks per `$batch` as it holds. A chunk still too large is halved and read again.
 */

/**
 * Cells per chunk. values + numberFormat of a plan row run 20–60 bytes a cell; 40,000 cells keeps
 * a chunk near 1–2 MB, well under the 5 MB a response may carry, even with long notes.
 */
export const CHUNK_CELLS = 40_000

/** The contract's tables that grow with every check-in, step and change: the ones that outgrow a response. */
const GROWING: readonly TableName[] = ['CheckIns', 'ActionSteps', 'ChangeLog']

export type TableRead = { kind: 'table'; table: RawTable } | { kind: 'missing' } | { kind: 'failed'; error: StoreError } | { kind: 'unreadable'; what: string }

/**
 * A 404 that maps to notFound means the table is not there (workbook-error-codes.md gives
 * notFound, the service sends ItemNotFound); a lost session is a 404 too, but maps elsewhere.
 */
export function isTableMissing(reply: BatchReply): boolean {
  return reply.status === 404 && errorKind(reply.status, parseGraphErrorCodes(reply.body)) === 'notFound'
}

export function replyFailure(transport: GraphTransport, reply: BatchReply, table?: TableName): StoreError {
  return replyError(transport, reply.status, headerValue(reply.headers, 'Retry-After'), reply.body, table ? { table } : {})
}

type Origin = RangeExtent['origin']

/** The header row of a table: its names and where it sits. */
export type TableHeader = { headers: string[]; origin: Origin }

export function headerFromReply(reply: BatchReply): Result<TableHeader, 'unreadable'> {
  const range = parseRange(reply.body)
  const first = range.ok ? range.value.values[0] : undefined
  if (!range.ok || !first || !range.value.origin) return err('unreadable')
  return ok({ headers: first.map((h) => String(h)), origin: range.value.origin })
}

/** `B2:H4001`-style address of data rows `from`..`to` (0-based, inclusive) of a table whose header sits at `origin`. */
export function bodyRowsAddress(origin: Origin, columns: number, from: number, to: number): string {
  const first = columnLetters(origin.column)
  const last = columnLetters(origin.column + columns - 1)
  return `${first}${origin.row + 1 + from}:${last}${origin.row + 1 + to}`
}

type Chunk = { table: TableName; from: number; to: number }

export async function readTables(
  transport: GraphTransport,
  paths: WorkbookPaths,
  names: readonly TableName[],
  sessionId: string | null,
): Promise<Result<Map<TableName, TableRead>, StoreError>> {
  // The tables that grow without bound are also measured in round 1, in the room the 20-request
  // cap leaves: one too large for a response is then read in chunks straight away, in round 2.
  const room = Math.max(0, MAX_BATCH - names.length * 2)
  const measured = GROWING.filter((name) => names.includes(name)).slice(0, room)
  const round1 = await readBatch(
    transport,
    [
      ...names.flatMap((name, i): BatchRequest[] => [
        { id: `h${i}`, method: 'GET', url: paths.headerRow(name) },
        { id: `b${i}`, method: 'GET', url: paths.dataBody(name) },
      ]),
      ...measured.map((name): BatchRequest => ({ id: `x-${name}`, method: 'GET', url: paths.dataBodyExtent(name) })),
    ],
    sessionId,
  )
  if (!round1.ok) return round1
  const reads = new Map<TableName, TableRead>()
  const headers = new Map<TableName, TableHeader>()
  const tooLarge: TableName[] = []
  for (const [i, name] of names.entries()) {
    const headerReply = round1.value.get(`h${i}`)
    const bodyReply = round1.value.get(`b${i}`)
    if (!headerReply || !bodyReply) return err(unreadableAnswer())
    if (isTableMissing(headerReply)) {
      reads.set(name, { kind: 'missing' })
      continue
    }
    if (headerReply.status !== 200) {
      reads.set(name, { kind: 'failed', error: replyFailure(transport, headerReply, name) })
      continue
    }
    const header = headerFromReply(headerReply)
    if (!header.ok) {
      reads.set(name, { kind: 'unreadable', what: `the ${name} header row` })
      continue
    }
    headers.set(name, header.value)
    if (bodyReply.status !== 200) {
      if (isSizeLimit(bodyReply.body)) tooLarge.push(name)
      else reads.set(name, { kind: 'failed', error: replyFailure(transport, bodyReply, name) })
      continue
    }
    const body = parseRange(bodyReply.body)
    reads.set(name, body.ok ? { kind: 'table', table: rawTable(name, header.value, body.value) } : { kind: 'unreadable', what: `the ${name} data` })
  }
  if (tooLarge.length === 0) return ok(reads)

  const unmeasured = tooLarge.filter((name) => !measured.includes(name))
  const round2 =
    unmeasured.length === 0
      ? ok(new Map<string, BatchReply>())
      : await readBatch(
          transport,
          unmeasured.map((name) => ({ id: `x-${name}`, method: 'GET', url: paths.dataBodyExtent(name) })),
          sessionId,
        )
  if (!round2.ok) return round2
  const chunks: Chunk[] = []
  for (const name of tooLarge) {
    const reply = round1.value.get(`x-${name}`) ?? round2.value.get(`x-${name}`)
    if (!reply) return err(unreadableAnswer())
    if (reply.status !== 200) {
      reads.set(name, { kind: 'failed', error: replyFailure(transport, reply, name) })
      continue
    }
    const extent = parseExtent(reply.body)
    if (!extent.ok) {
      reads.set(name, { kind: 'unreadable', what: `the size of the ${name} table` })
      continue
    }
    const rowsPerChunk = Math.max(1, Math.floor(CHUNK_CELLS / extent.value.columnCount))
    for (let from = 0; from < extent.value.rowCount; from += rowsPerChunk) {
      chunks.push({ table: name, from, to: Math.min(extent.value.rowCount, from + rowsPerChunk) - 1 })
    }
  }
  const pieces = await readChunks(transport, paths, chunks, headers, sessionId)
  if (!pieces.ok) return pieces
  for (const name of tooLarge) {
    if (reads.has(name)) continue
    const header = headers.get(name)
    const parts = pieces.value.filter((p) => p.chunk.table === name).sort((a, b) => a.chunk.from - b.chunk.from)
    const failed = parts.find((p) => p.kind === 'failed')
    if (failed?.kind === 'failed') {
      reads.set(name, { kind: 'failed', error: failed.error })
      continue
    }
    if (!header) continue
    const values: CellValue[][] = []
    const formats: string[][] = []
    let withFormats = true
    for (const part of parts) {
      if (part.kind !== 'read') continue
      values.push(...part.range.values)
      if (part.range.numberFormat) formats.push(...part.range.numberFormat)
      else withFormats = false
    }
    reads.set(name, { kind: 'table', table: rawTable(name, header, { values, numberFormat: withFormats ? formats : null, origin: null }) })
  }
  return ok(reads)
}

type Piece = { kind: 'read'; chunk: Chunk; range: RangeBody } | { kind: 'failed'; chunk: Chunk; error: StoreError }

/** Reads chunks in as few `$batch` calls as the 20-request cap allows; halves any the service still finds too large. */
async function readChunks(
  transport: GraphTransport,
  paths: WorkbookPaths,
  chunks: readonly Chunk[],
  headers: ReadonlyMap<TableName, TableHeader>,
  sessionId: string | null,
): Promise<Result<Piece[], StoreError>> {
  const pieces: Piece[] = []
  let pending = [...chunks]
  while (pending.length > 0) {
    const requests: BatchRequest[] = []
    const byId = new Map<string, Chunk>()
    for (const [i, chunk] of pending.entries()) {
      const header = headers.get(chunk.table)
      if (!header) continue
      const address = bodyRowsAddress(header.origin, header.headers.length, chunk.from, chunk.to)
      requests.push({ id: `c${i}`, method: 'GET', url: paths.sheetRange(header.origin.sheet, address, 'values,numberFormat') })
      byId.set(`c${i}`, chunk)
    }
    const replies = await readBatch(transport, requests, sessionId)
    if (!replies.ok) return replies
    const again: Chunk[] = []
    for (const [id, chunk] of byId) {
      const reply = replies.value.get(id)
      if (!reply) return err(unreadableAnswer())
      if (reply.status === 200) {
        const range = parseRange(reply.body)
        const rows = chunk.to - chunk.from + 1
        if (range.ok && range.value.values.length === rows) pieces.push({ kind: 'read', chunk, range: range.value })
        else pieces.push({ kind: 'failed', chunk, error: unreadableAnswer() })
      } else if (isSizeLimit(reply.body) && chunk.to > chunk.from) {
        const middle = Math.floor((chunk.from + chunk.to) / 2)
        again.push({ ...chunk, to: middle }, { ...chunk, from: middle + 1 })
      } else {
        pieces.push({ kind: 'failed', chunk, error: replyFailure(transport, reply, chunk.table) })
      }
    }
    pending = again
  }
  return ok(pieces)
}

function rawTable(name: TableName, header: TableHeader, body: RangeBody): RawTable {
  const table: RawTable = { name, headers: header.headers, rows: body.values, origin: header.origin }
  if (body.numberFormat && body.numberFormat.length === body.values.length) table.numberFormats = body.numberFormat
  return table
}

export function unreadableAnswer(): StoreError {
  return { kind: 'unexpected', reason: 'answerUnreadable' }
}
