import { boxAddress, columnNumber } from '../../../src/workbook/a1.ts'
import type { CellValue } from '../../../src/workbook/raw.ts'
import type { Clock } from '../../../src/workbook/graph/chain/clock.ts'
import type { FaultPlan } from '../../../src/workbook/graph/chain/faults.ts'
import { openGraphStore } from '../../../src/workbook/graph/store/graph-store.ts'
import { staticToken } from '../../../src/auth/tokens.ts'

/**
 * A fetch stub answering the documented shapes of the Graph subset we use, over an in-memory
 * workbook: `$batch` (concepts/json-batching.md), table headerRowRange/dataBodyRange/range/columns
 * (api/table-headerrowrange.md, table-databodyrange.md, table-range.md, tablecolumn-get.md), itemAt PATCH and rows/add
 * (tablerowcollection-add.md), sessions (workbook-createsession.md, -closesession.md), shares.
 */

/** `totals`: a Total row under the data (res/workbooktable.md showTotals): in `range`, not in `dataBodyRange`. */
export type FakeTable = { name: string; sheet: string; headers: string[]; rows: CellValue[][]; formats?: string[][]; totals?: CellValue[] }

export type SubRequest = { id: string; method: string; url: string; headers: Record<string, string>; body?: unknown; dependsOn?: string[] }
export type SubReply = { status: number; headers?: Record<string, string>; body?: unknown }
export type SeenRequest = { method: string; url: string; headers: Headers; body: unknown }

export const BASE = 'https://graph.microsoft.com/v1.0'
export const ITEM = '/drives/b!drive1/items/01ITEM'

export function graphError(status: number, code: string, innerCode?: string): SubReply {
  return { status, body: { error: { code, message: 'irrelevant', innerError: { ...(innerCode ? { code: innerCode } : {}), date: '2025-01-01T00:00:00', 'request-id': 'r', 'client-request-id': 'c' } } } }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined || status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
}

export function fakeClock(start = Date.UTC(2025, 0, 6, 9, 0, 0)): Clock & { slept: number[] } {
  let now = start
  const slept: number[] = []
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms)
      now += ms
    },
  }
}

/** Excel parses written strings like typing (res/excel.md): a leading apostrophe keeps text and is not stored. */
function typed(value: CellValue): CellValue {
  return typeof value === 'string' && value.startsWith("'") ? value.slice(1) : value
}

export class FakeGraph {
  tables = new Map<string, FakeTable>()
  sessions = new Set<string>()
  seen: SeenRequest[] = []
  private nextSession = 1
  /** Answers a whole HTTP request in place of the fake (return undefined to let it through). */
  onHttp: ((request: SeenRequest) => Response | undefined) | null = null
  /** Answers one `$batch` sub-request in place of the fake. */
  onSub: ((sub: SubRequest) => SubReply | undefined) | null = null
  /** Runs after a sub-request was applied, e.g. to lose the answer. */
  afterBatch: ((request: SeenRequest) => void) | null = null

  constructor(tables: FakeTable[] = []) {
    for (const t of tables) this.tables.set(t.name.toLowerCase(), t)
  }

  table(name: string): FakeTable {
    const t = this.tables.get(name.toLowerCase())
    if (!t) throw new Error(`no table ${name}`)
    return t
  }

  readonly fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const headers = new Headers(init.headers)
    const text = typeof init.body === 'string' ? init.body : ''
    const request: SeenRequest = { method: (init.method ?? 'GET').toUpperCase(), url, headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) }
    this.seen.push(request)
    const override = this.onHttp?.(request)
    if (override) return override
    const path = url.startsWith(BASE) ? url.slice(BASE.length) : new URL(url).pathname.replace(/^\/v1\.0/, '')
    if (request.method === 'POST' && path === '/$batch') {
      const response = this.batch(request)
      this.afterBatch?.(request)
      return response
    }
    const reply = this.route(request.method, path, request.body, Object.fromEntries(headers.entries()))
    return jsonResponse(reply.status, reply.body, reply.headers)
  }

  private batch(request: SeenRequest): Response {
    const body = request.body as { requests: SubRequest[] }
    const statuses = new Map<string, number>()
    const responses = body.requests.map((sub) => {
      const failedDep = (sub.dependsOn ?? []).some((d) => (statuses.get(d) ?? 500) >= 400)
      const reply: SubReply = failedDep
        ? graphError(424, 'failedDependency')
        : (this.onSub?.(sub) ?? this.route(sub.method, sub.url.startsWith('/') ? sub.url : `/${sub.url}`, sub.body, sub.headers ?? {}))
      statuses.set(sub.id, reply.status)
      return { id: sub.id, status: reply.status, headers: { 'Content-Type': 'application/json', ...reply.headers }, body: reply.body ?? null }
    })
    if (responses.reduce((n, r) => n + cellsIn(r.body), 0) > this.maxBatchCells) {
      const refused = graphError(413, 'ResponsePayloadSizeLimitExceeded', 'responsePayloadSizeLimitExceeded')
      return jsonResponse(refused.status, refused.body)
    }
    return jsonResponse(200, { responses })
  }

  /**
   * A whole `$batch` reply carrying more cells than this is refused as too large, as if the
   * service applied its response limit to the envelope too (undocumented; the client must cope).
   */
  maxBatchCells = Number.POSITIVE_INFINITY

  /** Cell of a sheet as the fake lays tables out: header on row 1 from column A, data below, a Total row last. */
  private cellAt(sheet: string, row: number, column: number): { value: CellValue; format: string } {
    for (const t of this.tables.values()) {
      if (t.sheet.toLowerCase() !== sheet.toLowerCase() || column > t.headers.length) continue
      if (row === 1) return { value: t.headers[column - 1] ?? '', format: 'General' }
      const body = t.rows[row - 2]
      if (body) return { value: body[column - 1] ?? '', format: t.formats?.[row - 2]?.[column - 1] ?? 'General' }
      if (t.totals && row === t.rows.length + 2) return { value: t.totals[column - 1] ?? '', format: 'General' }
    }
    return { value: '', format: 'General' }
  }

  /** A workbookRange (res/workbookrange.md) of a rectangle, with every property a reader may `$select`. */
  private rangeAt(sheet: string, top: number, left: number, bottom: number, right: number) {
    const rows: { value: CellValue; format: string }[][] = []
    for (let r = top; r <= bottom; r += 1) {
      const cells = []
      for (let c = left; c <= right; c += 1) cells.push(this.cellAt(sheet, r, c))
      rows.push(cells)
    }
    return {
      address: boxAddress(sheet, { top, left, bottom, right }),
      rowCount: bottom - top + 1,
      columnCount: right - left + 1,
      values: rows.map((r) => r.map((c) => c.value)),
      numberFormat: rows.map((r) => r.map((c) => c.format)),
      text: rows.map((r) => r.map((c) => String(c.value))),
    }
  }

  /** Ranges larger than this many cells answer as the service does past 5 MB (GRAPH.md §6). */
  maxCells = Number.POSITIVE_INFINITY

  private rangeReply(range: ReturnType<FakeGraph['rangeAt']>, select: string | null): SubReply {
    const wanted = select === null ? null : select.split(',').map((s) => s.trim().toLowerCase())
    // Only cell arrays weigh: a range trimmed to its address and counts is small at any size.
    const carriesCells = wanted === null || wanted.some((w) => ['values', 'numberformat', 'text'].includes(w))
    if (carriesCells && range.rowCount * range.columnCount > this.maxCells) return graphError(413, 'ResponsePayloadSizeLimitExceeded', 'responsePayloadSizeLimitExceeded')
    if (wanted === null) return { status: 200, body: range }
    return { status: 200, body: Object.fromEntries(Object.entries(range).filter(([k]) => wanted.includes(k.toLowerCase()))) }
  }

  private patchCells(sheet: string, top: number, left: number, values: (CellValue | null)[][]): void {
    values.forEach((row, r) =>
      row.forEach((v, c) => {
        if (v === null) return
        for (const t of this.tables.values()) {
          const body = t.rows[top + r - 2]
          if (t.sheet.toLowerCase() === sheet.toLowerCase() && body && left + c <= t.headers.length) body[left + c - 1] = typed(v)
        }
      }),
    )
  }

  route(method: string, pathAndQuery: string, body: unknown, headers: Record<string, string>): SubReply {
    const [path = '', query = ''] = pathAndQuery.split('?')
    const select = new URLSearchParams(query).get('$select')
    const wb = `${ITEM}/workbook`
    if (path.startsWith('/shares/') && path.endsWith('/driveItem')) {
      return { status: 200, body: { id: '01SHARED', name: 'Plan.xlsx', file: {}, parentReference: { driveId: 'b!sharedDrive' } } }
    }
    if (!path.startsWith(wb)) return graphError(400, 'ApiNotFound')
    const rest = path.slice(wb.length)
    const sessionHeader = Object.entries(headers).find(([k]) => k.toLowerCase() === 'workbook-session-id')?.[1]
    if (method === 'POST' && rest === '/createSession') {
      const id = `session-${this.nextSession++}`
      this.sessions.add(id)
      return { status: 201, body: { id, persistChanges: true } }
    }
    if (sessionHeader !== undefined && !this.sessions.has(sessionHeader)) return graphError(404, 'notFound', 'invalidSessionReCreatable')
    if (method === 'POST' && rest === '/closeSession') {
      this.sessions.delete(sessionHeader ?? '')
      return { status: 204 }
    }
    if (method === 'POST' && rest === '/refreshSession') return { status: 204 }
    // api/range-get.md, api/range-update.md
    const sheetRange = /^\/worksheets\/([^/]+)\/range\(address='([A-Z]+)(\d+):([A-Z]+)(\d+)'\)$/.exec(decodeURIComponent(rest))
    if (sheetRange) {
      const [, sheet = '', l = 'A', t = '1', r = 'A', b = '1'] = sheetRange
      const [top, left, bottom, right] = [Number(t), columnNumber(l), Number(b), columnNumber(r)]
      if (method === 'PATCH') this.patchCells(sheet, top, left, (body as { values: (CellValue | null)[][] }).values)
      if (method === 'GET' || method === 'PATCH') return this.rangeReply(this.rangeAt(sheet, top, left, bottom, right), method === 'GET' ? select : null)
      return graphError(405, 'methodNotAllowed')
    }
    const m = /^\/tables\/([^/]+)\/(dataBodyRange|headerRowRange|range|columns\/([^/]+)(\/dataBodyRange)?|rows\/itemAt\(index=(\d+)\)|rows\/add)$/.exec(rest)
    if (!m) return graphError(400, 'ApiNotFound')
    const t = this.tables.get(decodeURIComponent(m[1] ?? '').toLowerCase())
    if (!t) return graphError(404, 'itemNotFound', 'itemNotFound')
    const part = m[2] ?? ''
    const width = t.headers.length
    const bottom = Math.max(2, t.rows.length + 1)
    if (method === 'GET' && part === 'dataBodyRange') return this.rangeReply(this.rangeAt(t.sheet, 2, 1, bottom, width), select)
    if (method === 'GET' && part === 'range') return this.rangeReply(this.rangeAt(t.sheet, 1, 1, bottom + (t.totals ? 1 : 0), width), select)
    if (method === 'GET' && part === 'headerRowRange') return this.rangeReply(this.rangeAt(t.sheet, 1, 1, 1, width), select)
    if (method === 'GET' && m[3] !== undefined) {
      // Column names are looked up as spelled (api/tablecolumn-get.md takes {id|name}).
      const name = decodeURIComponent(m[3])
      const index = t.headers.indexOf(name)
      if (index < 0) return graphError(404, 'itemNotFound', 'itemNotFound')
      if (m[4] !== undefined) return this.rangeReply(this.rangeAt(t.sheet, 2, index + 1, bottom, index + 1), select)
      return { status: 200, body: { id: String(index + 1), index, name, values: [[name], ...t.rows.map((r) => [r[index] ?? ''])] } }
    }
    if (m[5] !== undefined) {
      const at = Number(m[5])
      const row = t.rows[at]
      if (!row) return graphError(400, 'invalidArgument', 'invalidArgument')
      if (method === 'DELETE') {
        t.rows.splice(at, 1)
        t.formats?.splice(at, 1)
        return { status: 200 }
      }
      if (method === 'PATCH') {
        const values = (body as { values: (CellValue | null)[][] }).values[0] ?? []
        values.forEach((v, i) => {
          if (v !== null) row[i] = typed(v)
        })
      }
      return { status: 200, body: { index: at, values: [row] } }
    }
    if (method === 'POST' && part === 'rows/add') {
      const values = (body as { values: CellValue[][] }).values
      const index = t.rows.length
      t.rows.push(...values.map((r) => r.map(typed)))
      return { status: 200, body: { index, values } }
    }
    return graphError(405, 'methodNotAllowed')
  }

  /** Sub-requests of every `$batch` sent so far, in order. */
  subRequests(): SubRequest[] {
    return this.seen.filter((r) => r.url.endsWith('/$batch')).flatMap((r) => (r.body as { requests: SubRequest[] }).requests)
  }
}

export const LOG_HEADERS = ['At', 'By', 'Source', 'Table', 'Key', 'Column', 'OldValue', 'NewValue', 'ChangeId']

export function sampleWorkbook(): FakeGraph {
  return new FakeGraph([
    {
      name: 'ActionSteps',
      sheet: 'Steps',
      headers: ['StepId', 'WigId', 'Title', 'Owner', 'DueDate', 'Status', 'Notes'],
      rows: [
        ['S-001', 'W-1', 'Draft survey', 'ana@district.org', 45800, 'Not started', 'keep me'],
        ['S-002', 'W-1', 'Send survey', 'ben@district.org', 45810, 'In progress', ''],
      ],
      formats: [
        ['General', 'General', 'General', 'General', 'yyyy-mm-dd', 'General', 'General'],
        ['General', 'General', 'General', 'General', 'yyyy-mm-dd', 'General', 'General'],
      ],
    },
    { name: 'CheckIns', sheet: 'CheckIns', headers: ['CheckInId', 'WigId', 'Date', 'Value', 'MeasureId'], rows: [['C-1', 'W-1', 45700, 18, '']] },
    { name: 'ChangeLog', sheet: 'Log', headers: [...LOG_HEADERS], rows: [] },
  ])
}

/** A Graph store over the fake, counting HTTP requests; faults and clock as a test needs them. */
export function openFakeStore(graph: FakeGraph, options: { faults?: FaultPlan; clock?: ReturnType<typeof fakeClock>; session?: 'none' | 'persistent' } = {}) {
  const clock = options.clock ?? fakeClock()
  const requests: { method: string; url: string }[] = []
  const store = openGraphStore({
    location: { baseUrl: BASE, itemPath: ITEM },
    tokens: staticToken('t0ken'),
    clock,
    fetch: graph.fetch,
    onRequest: (info) => requests.push(info),
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.session ? { session: options.session } : {}),
  })
  return { store, requests, clock }
}

/** Cells a sub-response carries in its values. */
function cellsIn(body: unknown): number {
  const values = typeof body === 'object' && body !== null && 'values' in body ? (body as { values: unknown }).values : null
  return Array.isArray(values) ? values.reduce((n: number, row: unknown) => n + (Array.isArray(row) ? row.length : 0), 0) : 0
}
