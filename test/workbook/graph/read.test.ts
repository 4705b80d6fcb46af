import { describe, expect, it } from 'vitest'
import { TABLE_NAMES } from '../../../src/workbook/contract.ts'
import { BASE, ITEM, fakeClock, openFakeStore, graphError, jsonResponse, sampleWorkbook, type FakeGraph, type SubRequest } from './fake-graph.ts'
import { describeError } from '../../../src/messages/errors.ts'

const open = (graph: FakeGraph, clock = fakeClock()) => openFakeStore(graph, { clock })
const batches = (graph: FakeGraph) => graph.seen.filter((r) => r.url.endsWith('/$batch')).map((r) => (r.body as { requests: SubRequest[] }).requests)

describe('Graph store reads', () => {
  // concepts/json-batching.md: many GETs in one POST /$batch; api/table-headerrowrange.md and
  // api/table-databodyrange.md: each table as its header row and its data body, trimmed by
  // $select (api/range-get.md supports OData query parameters).
  it('reads several tables in exactly one HTTP request', async () => {
    const graph = sampleWorkbook()
    const { store, requests } = open(graph)
    const result = await store.read(['ActionSteps', 'CheckIns', 'ChangeLog'])
    expect(result.ok).toBe(true)
    expect(requests).toEqual([{ method: 'POST', url: `${BASE}/$batch` }])
    expect(graph.subRequests().map((s) => [s.id, s.method, s.url])).toEqual([
      ['h0', 'GET', `${ITEM}/workbook/tables/ActionSteps/headerRowRange?$select=address,values`],
      ['b0', 'GET', `${ITEM}/workbook/tables/ActionSteps/dataBodyRange?$select=address,values,numberFormat`],
      ['h1', 'GET', `${ITEM}/workbook/tables/CheckIns/headerRowRange?$select=address,values`],
      ['b1', 'GET', `${ITEM}/workbook/tables/CheckIns/dataBodyRange?$select=address,values,numberFormat`],
      ['h2', 'GET', `${ITEM}/workbook/tables/ChangeLog/headerRowRange?$select=address,values`],
      ['b2', 'GET', `${ITEM}/workbook/tables/ChangeLog/dataBodyRange?$select=address,values,numberFormat`],
      // The tables that grow are measured in the same request, so one too large is read in the next.
      ['x-CheckIns', 'GET', `${ITEM}/workbook/tables/CheckIns/dataBodyRange?$select=address,rowCount,columnCount`],
      ['x-ActionSteps', 'GET', `${ITEM}/workbook/tables/ActionSteps/dataBodyRange?$select=address,rowCount,columnCount`],
      ['x-ChangeLog', 'GET', `${ITEM}/workbook/tables/ChangeLog/dataBodyRange?$select=address,rowCount,columnCount`],
    ])
  })

  // concepts/json-batching.md: the contract's tables = 2 sub-requests each, plus the growing
  // tables' sizes in the room left under the 20 cap: still one request.
  it('reads every contract table in one HTTP request', async () => {
    const graph = sampleWorkbook()
    const { store, requests } = open(graph)
    const result = await store.read(TABLE_NAMES)
    expect(result.ok).toBe(true)
    expect(requests).toHaveLength(1)
    expect(graph.subRequests()).toHaveLength(Math.min(20, 2 * TABLE_NAMES.length + 3))
  })

  // api/table-headerrowrange.md + api/table-databodyrange.md: workbookRange address, values and numberFormat.
  it("turns a table's header row and data body into headers, rows, number formats and the sheet position", async () => {
    const { store } = open(sampleWorkbook())
    const result = await store.read(['ActionSteps'])
    if (!result.ok) throw new Error(describeError(result.error))
    const steps = result.value.tables.ActionSteps
    expect(steps?.headers).toEqual(['StepId', 'WigId', 'Title', 'Owner', 'DueDate', 'Status', 'Notes'])
    expect(steps?.rows[0]).toEqual(['S-001', 'W-1', 'Draft survey', 'ana@district.org', 45800, 'Not started', 'keep me'])
    expect(steps?.numberFormats?.[0]?.[4]).toBe('yyyy-mm-dd')
    expect(steps?.origin).toEqual({ sheet: 'Steps', row: 1, column: 1 })
  })

  // concepts/workbook-error-handling.md: itemNotFound = the resource doesn't exist.
  it('lists a table the workbook lacks as missing instead of failing the read', async () => {
    const { store } = open(sampleWorkbook())
    const result = await store.read(['ActionSteps', 'People'])
    expect(result.ok && result.value.missing).toEqual(['People'])
    expect(result.ok && Object.keys(result.value.tables)).toEqual(['ActionSteps'])
  })

  // concepts/workbook-error-codes.md: a 404's top code is notFound (the service sends ItemNotFound);
  // either, with no inner code, means the table is not there.
  it.each([
    ['notFound with no inner code', graphError(404, 'notFound')],
    ['PascalCase ItemNotFound with no inner code', graphError(404, 'ItemNotFound')],
    ['a body that is not a Graph error', { status: 404, body: 'Not Found' }],
  ])('takes a 404 with %s for a missing table', async (_, reply) => {
    const graph = sampleWorkbook()
    // CheckIns is in the fake: only this answer makes it missing.
    graph.onSub = (sub) => (sub.url.includes('/tables/CheckIns/') ? reply : undefined)
    const { store } = open(graph)
    const result = await store.read(['ActionSteps', 'CheckIns'])
    if (!result.ok) throw new Error(describeError(result.error))
    expect(result.value.missing).toEqual(['CheckIns'])
    expect(result.value.tables.ActionSteps?.rows).toHaveLength(2)
  })

  // api/table-headerrowrange.md: a 404 for the header row is the table missing.
  it('takes a table whose header row answers 404 for a missing table', async () => {
    const graph = sampleWorkbook()
    graph.onSub = (sub) => (sub.url.includes('/CheckIns/headerRowRange') ? graphError(404, 'notFound') : undefined)
    const { store } = open(graph)
    const result = await store.read(['ActionSteps', 'CheckIns'])
    expect(result.ok && result.value.missing).toEqual(['CheckIns'])
  })

  // concepts/workbook-error-handling.md: invalidSession* inner codes are about the session, not the table.
  it('does not take a 404 whose inner code is invalidSessionReCreatable for a missing table', async () => {
    const graph = sampleWorkbook()
    graph.onSub = (sub) => (sub.url.includes('/tables/CheckIns/') ? graphError(404, 'notFound', 'invalidSessionReCreatable') : undefined)
    const { store } = open(graph)
    const result = await store.read(['ActionSteps', 'CheckIns'])
    expect(!result.ok && result.error.kind).toBe('sessionExpired')
  })

  // concepts/workbook-error-codes.md: Graph answers 404 alike for a missing workbook and a missing
  // table; when none of the asked tables is there, the link is the likely fault.
  it('says the workbook was not found when every requested table is missing', async () => {
    const graph = sampleWorkbook()
    const { store, requests } = open(graph)
    const result = await store.read(['People', 'Measures', 'Settings'])
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error).toEqual({ kind: 'notFound', tables: ['People', 'Measures', 'Settings'] })
      expect(describeError(result.error)).toMatch(/workbook was not found.*People, Measures, Settings/)
    }
    expect(requests).toHaveLength(1)
  })

  it('says the workbook was not found when the item itself is gone', async () => {
    const graph = sampleWorkbook()
    graph.onSub = () => graphError(404, 'ItemNotFound')
    const { store } = open(graph)
    const result = await store.read(TABLE_NAMES)
    expect(!result.ok && result.error.kind).toBe('notFound')
  })

  // api/table-range.md includes a Total row (res/workbooktable.md showTotals); api/table-databodyrange.md does not.
  it('never reads a Total row as data when the data body is answered', async () => {
    const graph = sampleWorkbook()
    graph.table('CheckIns').totals = ['Total', '', '', 18, '']
    graph.table('ActionSteps').totals = ['Total', '', '', '', '', '', '2 steps']
    const { store } = open(graph)
    const result = await store.read(['ActionSteps', 'CheckIns'])
    if (!result.ok) throw new Error(describeError(result.error))
    expect(result.value.tables.CheckIns?.rows).toEqual([['C-1', 'W-1', 45700, 18, '']])
    expect(result.value.tables.ActionSteps?.rows.map((r) => r[0])).toEqual(['S-001', 'S-002'])
    expect(result.value.tables.ActionSteps?.numberFormats).toHaveLength(2)
    // The fake's range does carry the Total row: the data body is what keeps it out.
    expect(graph.route('GET', `${ITEM}/workbook/tables/CheckIns/range`, undefined, {}).body).toMatchObject({ values: [expect.anything(), expect.anything(), ['Total', '', '', 18, '']] })
  })

  // concepts/workbook-error-codes.md: 403 forbidden.
  it('reports a refused sub-request as a typed error a user understands', async () => {
    const graph = sampleWorkbook()
    graph.onSub = () => graphError(403, 'accessDenied')
    const { store } = open(graph)
    const result = await store.read(['ActionSteps'])
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.kind).toBe('forbidden')
      expect(describeError(result.error)).toMatch(/permission to open this workbook/)
    }
  })

  // concepts/throttling.md: a 429 inside a 200 $batch carries its own Retry-After; retry only it.
  it('retries only the sub-request throttled inside a 200 batch, after its Retry-After', async () => {
    const graph = sampleWorkbook()
    let throttled = false
    graph.onSub = (sub: SubRequest) => {
      if (!throttled && sub.url.includes('/CheckIns/')) {
        throttled = true
        return { status: 429, headers: { 'Retry-After': '3' }, body: graphError(429, 'tooManyRequests').body }
      }
      return undefined
    }
    const { store, requests, clock } = open(graph)
    const result = await store.read(['ActionSteps', 'CheckIns'])
    expect(result.ok && result.value.tables.CheckIns?.rows).toEqual([['C-1', 'W-1', 45700, 18, '']])
    expect(requests).toHaveLength(2)
    const second = graph.seen[1]?.body as { requests: SubRequest[] }
    // Only the throttled header row goes again; CheckIns' data body was answered the first time.
    expect(second.requests.map((r) => [r.id, r.url])).toEqual([['h1', `${ITEM}/workbook/tables/CheckIns/headerRowRange?$select=address,values`]])
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3000)
  })

  it('never reports a sub-request that stays throttled as data', async () => {
    const graph = sampleWorkbook()
    graph.onSub = () => ({ status: 429, headers: { 'Retry-After': '1' }, body: graphError(429, 'tooManyRequests').body })
    const { store, requests } = open(graph)
    const result = await store.read(['ActionSteps'])
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.kind).toBe('throttled')
    expect(requests).toHaveLength(4)
  })

  // concepts/errors.md: 503 may persist; bounded tries, then a clear error, never a hang.
  it('ends a persistent 503 with an unavailable error after four tries', async () => {
    const graph = sampleWorkbook()
    graph.onHttp = () => jsonResponse(503, graphError(503, 'serviceUnavailable').body)
    const { store, requests } = open(graph)
    const result = await store.read(['ActionSteps'])
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.kind).toBe('unavailable')
      expect(describeError(result.error)).toMatch(/temporarily unavailable/)
    }
    expect(requests).toHaveLength(4)
  })

  // concepts/json-batching.md: at most 20 requests per batch.
  it('splits a read into batches of at most 20 requests only past 20 sub-requests', async () => {
    const graph = sampleWorkbook()
    const { store, requests } = open(graph)
    // The contract has 8 tables (16 sub-requests); made-up names are the only way past the limit.
    const tables = (n: number) => Array.from({ length: n }, (_, i) => `T${i}`) as unknown as Parameters<typeof store.read>[0]
    await store.read(tables(10))
    expect(requests).toHaveLength(1)
    await store.read(tables(21))
    expect(requests).toHaveLength(4)
    const sizes = graph.seen.map((r) => (r.body as { requests: unknown[] }).requests.length)
    expect(sizes).toEqual([20, 20, 20, 2])
  })
})

describe('$batch sub-response bodies (concepts/json-batching.md)', () => {
  it('reads a JSON body, a JSON body sent as a string, and a base64-encoded body alike', async () => {
    const { parseBatchReplies } = await import('../../../src/workbook/graph/protocol/batch.ts')
    const range = { address: 'Sheet1!A1:B2', values: [['Key', 'Value'], ['PlanYear', '2026-27']] }
    const text = JSON.stringify(range)
    const replies = parseBatchReplies({
      responses: [
        { id: '1', status: 200, headers: { 'Content-Type': 'application/json' }, body: range },
        { id: '2', status: 200, headers: { 'content-type': 'application/json' }, body: text },
        { id: '3', status: 200, headers: {}, body: Buffer.from(text).toString('base64') },
      ],
    })
    if (!replies.ok) throw new Error(replies.error)
    expect([...replies.value.values()].map((r) => r.body)).toEqual([range, range, range])
  })

  // concepts/json-batching.md: a body that is not JSON comes as "a base64 URL-encoded value";
  // RFC 4648 §5: base64url uses - and _ for + and /, and may leave out the = padding.
  it('reads a base64url-encoded body with - and _, padded or not', async () => {
    const { parseBatchReplies } = await import('../../../src/workbook/graph/protocol/batch.ts')
    // ">>>" and "???" encode to "Pj4-" and "Pz8_" in base64url: both URL-safe letters occur.
    const range = { address: 'Sheet1!A1:B2', values: [['Key', 'Value'], ['Note', '>>>???'], ['Odd', 'é']] }
    // A trailing space (still JSON) makes a length that standard base64 would pad with "==".
    const text = `${JSON.stringify(range)} `
    const unpadded = Buffer.from(text).toString('base64url')
    expect(unpadded).toMatch(/-/)
    expect(unpadded).toMatch(/_/)
    expect(unpadded.length % 4).not.toBe(0)
    const replies = parseBatchReplies({
      responses: [
        { id: '1', status: 200, headers: {}, body: unpadded },
        { id: '2', status: 200, headers: {}, body: `${unpadded}${'='.repeat(4 - (unpadded.length % 4))}` },
      ],
    })
    if (!replies.ok) throw new Error(replies.error)
    expect(replies.value.get('1')?.body).toEqual(range)
    expect(replies.value.get('2')?.body).toEqual(range)
  })

  it('reads a table whose sub-responses come base64url-encoded', async () => {
    const graph = sampleWorkbook()
    const inner = graph.route.bind(graph)
    graph.onSub = (sub) => {
      const reply = inner(sub.method, sub.url, sub.body, sub.headers ?? {})
      return { status: reply.status, headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.from(JSON.stringify(reply.body)).toString('base64url') }
    }
    const { store } = open(graph)
    const result = await store.read(['ActionSteps'])
    if (!result.ok) throw new Error(describeError(result.error))
    expect(result.value.tables.ActionSteps?.headers[0]).toBe('StepId')
    expect(result.value.tables.ActionSteps?.rows).toHaveLength(2)
  })

  // GRAPH.md §6: Excel sends at most 5 MB a response and answers a larger range with
  // ResponsePayloadSizeLimitExceeded (microsoft-graph-docs#15709); api/range-get.md reads row
  // chunks by address; concepts/json-batching.md: up to 20 chunks per $batch.
  describe('a table too large for one response', () => {
    function bigWorkbook(rows: number): FakeGraph {
      const graph = sampleWorkbook()
      const checkIns = graph.table('CheckIns')
      checkIns.rows = Array.from({ length: rows }, (_, i) => [`C-${i + 1}`, 'W-1', 45000 + (i % 300), i % 97, i % 5 === 0 ? 'M-1' : ''])
      checkIns.formats = checkIns.rows.map(() => ['General', 'General', 'm/d/yyyy', '0.0', 'General'])
      return graph
    }

    it('is read in row chunks, in two requests, with every row and format in order', async () => {
      const graph = bigWorkbook(20_000)
      // As if 40,000 cells were about 5 MB: the 100,000-cell body is refused whole.
      graph.maxCells = 40_000
      const { store, requests } = open(graph)
      const result = await store.read(['ActionSteps', 'CheckIns'])
      if (!result.ok) throw new Error(describeError(result.error))
      const checkIns = result.value.tables.CheckIns
      expect(checkIns?.rows).toEqual(graph.table('CheckIns').rows)
      expect(checkIns?.numberFormats?.[19_999]).toEqual(['General', 'General', 'm/d/yyyy', '0.0', 'General'])
      expect(checkIns?.origin).toEqual({ sheet: 'CheckIns', row: 1, column: 1 })
      expect(result.value.tables.ActionSteps?.rows).toHaveLength(2)
      expect(requests).toHaveLength(2)
      const [first, chunks] = batches(graph)
      expect(first?.map((r) => r.url)).toContain(`${ITEM}/workbook/tables/CheckIns/dataBodyRange?$select=address,rowCount,columnCount`)
      expect(chunks?.map((r) => r.url)).toEqual([
        `${ITEM}/workbook/worksheets/CheckIns/range(address='A2:E8001')?$select=values,numberFormat`,
        `${ITEM}/workbook/worksheets/CheckIns/range(address='A8002:E16001')?$select=values,numberFormat`,
        `${ITEM}/workbook/worksheets/CheckIns/range(address='A16002:E20001')?$select=values,numberFormat`,
      ])
    })

    it('reads the chunks in halves when the service refuses a whole batch reply as too large, every row in order', async () => {
      const graph = bigWorkbook(20_000)
      graph.maxCells = 40_000
      // Three chunks of up to 40,000 cells answer 100,000 cells: more than one reply may carry here.
      graph.maxBatchCells = 60_000
      const { store, requests } = open(graph)
      const result = await store.read(['CheckIns'])
      if (!result.ok) throw new Error(describeError(result.error))
      expect(result.value.tables.CheckIns?.rows).toEqual(graph.table('CheckIns').rows)
      expect(result.value.tables.CheckIns?.numberFormats).toEqual(graph.table('CheckIns').formats)
      // Round 1, then the three chunks refused together, two refused together, then each alone.
      expect(requests).toHaveLength(6)
    })

    it('halves a chunk the service still finds too large, and reads it again', async () => {
      const graph = bigWorkbook(10_000)
      graph.maxCells = 25_000
      const { store, requests } = open(graph)
      const result = await store.read(['CheckIns'])
      if (!result.ok) throw new Error(describeError(result.error))
      expect(result.value.tables.CheckIns?.rows).toEqual(graph.table('CheckIns').rows)
      // Tables and sizes, the chunks, the halves of the one still too large.
      expect(requests).toHaveLength(3)
    })

    it('never reports the size limit to the user as an error', async () => {
      const graph = bigWorkbook(3_000)
      graph.maxCells = 1_000
      const { store } = open(graph)
      const result = await store.read(['CheckIns'])
      expect(result.ok && result.value.tables.CheckIns?.rows).toHaveLength(3_000)
    })
  })
})
