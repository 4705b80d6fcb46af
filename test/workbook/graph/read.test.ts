import { describe, expect, it } from 'vitest'
import { staticToken } from '../../../src/auth/tokens.ts'
import { openGraphStore } from '../../../src/workbook/graph/graph-store.ts'
import { BASE, ITEM, fakeClock, graphError, jsonResponse, sampleWorkbook, type FakeGraph, type SubRequest } from './fake-graph.ts'

function open(graph: FakeGraph, clock = fakeClock()) {
  const requests: { method: string; url: string }[] = []
  const store = openGraphStore({
    location: { baseUrl: BASE, itemPath: ITEM },
    tokens: staticToken('t0ken'),
    clock,
    fetch: graph.fetch,
    onRequest: (info) => requests.push(info),
  })
  return { store, requests, clock }
}

describe('Graph store reads', () => {
  // concepts/json-batching.md: many GETs in one POST /$batch.
  it('reads several tables in exactly one HTTP request', async () => {
    const graph = sampleWorkbook()
    const { store, requests } = open(graph)
    const result = await store.read(['ActionSteps', 'CheckIns', 'ChangeLog'])
    expect(result.ok).toBe(true)
    expect(requests).toEqual([{ method: 'POST', url: `${BASE}/$batch` }])
    expect(graph.subRequests().map((s) => s.url)).toEqual([
      `${ITEM}/workbook/tables/ActionSteps/range`,
      `${ITEM}/workbook/tables/CheckIns/range`,
      `${ITEM}/workbook/tables/ChangeLog/range`,
    ])
  })

  // api/table-range.md: workbookRange address, values (header row first) and numberFormat.
  it('turns a table range into headers, rows, number formats and the sheet position', async () => {
    const { store } = open(sampleWorkbook())
    const result = await store.read(['ActionSteps'])
    if (!result.ok) throw new Error(result.error.message)
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

  // concepts/workbook-error-codes.md: 403 forbidden.
  it('reports a refused sub-request as a typed error a user understands', async () => {
    const graph = sampleWorkbook()
    graph.onSub = () => graphError(403, 'accessDenied')
    const { store } = open(graph)
    const result = await store.read(['ActionSteps'])
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.kind).toBe('forbidden')
      expect(result.error.message).toMatch(/permission to open this workbook/)
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
    expect(second.requests.map((r) => r.url)).toEqual([`${ITEM}/workbook/tables/CheckIns/range`])
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
      expect(result.error.message).toMatch(/temporarily unavailable/)
    }
    expect(requests).toHaveLength(4)
  })

  // concepts/json-batching.md: at most 20 requests per batch.
  it('splits a read into batches of at most 20 requests only past 20 tables', async () => {
    const graph = sampleWorkbook()
    const { store, requests } = open(graph)
    // The contract has 8 tables; made-up names are the only way past the limit.
    const many = Array.from({ length: 21 }, (_, i) => `T${i}`) as unknown as Parameters<typeof store.read>[0]
    await store.read(many)
    expect(requests).toHaveLength(2)
    const sizes = graph.seen.map((r) => (r.body as { requests: unknown[] }).requests.length)
    expect(sizes).toEqual([20, 1])
  })
})

describe('$batch sub-response bodies (concepts/json-batching.md)', () => {
  it('reads a JSON body, a JSON body sent as a string, and a base64-encoded body alike', async () => {
    const { parseBatchReplies } = await import('../../../src/workbook/graph/batch.ts')
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
})
