import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphFetch, jsonInit, startHarness, type Harness } from './harness.ts'

/**
 * Excel on the web's 5 MB response limit (GRAPH.md §6, office-js-docs-pr
 * docs/concepts/resource-limits-and-performance-optimization.md), answered with the codes the
 * service was seen sending (microsoft-graph-docs#15709). The limit is lowered here, as the
 * `maxResponseBytes` option allows, instead of building a 5 MB workbook.
 */

const LIMIT = 32 * 1024
const ROWS = 1_000

async function writeWorkbook(path: string): Promise<void> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('Log')
  const rows = Array.from({ length: ROWS }, (_, i) => [`R-${String(i + 1).padStart(4, '0')}`, `Entry number ${i + 1}`, i, i % 2 === 0])
  ws.addTable({ name: 'Entries', ref: 'A1', headerRow: true, columns: ['Id', 'Text', 'N', 'Flag'].map((name) => ({ name })), rows })
  await wb.xlsx.writeFile(path)
}

let h: Harness
beforeAll(async () => {
  h = await startHarness({ maxResponseBytes: LIMIT }, writeWorkbook)
})
afterAll(() => h.close())

type ErrorBody = { error: { code: string; innerError: Record<string, string> } }
type Sub = { id: string; status: number; body: Record<string, unknown> & Partial<ErrorBody> }

function expectSizeError(status: number, body: unknown): void {
  expect(status).toBe(413)
  const error = (body as ErrorBody).error
  expect(error.code).toBe('ResponsePayloadSizeLimitExceeded')
  expect(error.innerError['code']).toBe('responsePayloadSizeLimitExceeded')
}

const chunkUrl = (top: number, bottom: number) => `${h.wb}/worksheets/Log/range(address='A${top}:D${bottom}')?$select=values,numberFormat`

describe('response size limit (GRAPH.md §6; microsoft-graph-docs#15709)', () => {
  it('answers a table range over the limit with ResponsePayloadSizeLimitExceeded (api/table-databodyrange.md)', async () => {
    const res = await graphFetch(h.server, `${h.wb}/tables/Entries/dataBodyRange`, { headers: { 'client-request-id': 'size-1' } })
    const body = await res.json()
    expectSizeError(res.status, body)
    expect((body as ErrorBody).error.innerError['client-request-id']).toBe('size-1')
  })

  it('serves the same rows read in worksheet range chunks with $select=values,numberFormat (api/range-get.md)', async () => {
    const values: unknown[][] = []
    for (let top = 2; top <= ROWS + 1; top += 250) {
      const res = await graphFetch(h.server, chunkUrl(top, Math.min(top + 249, ROWS + 1)))
      const text = await res.text()
      expect(res.status).toBe(200)
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(LIMIT)
      values.push(...(JSON.parse(text) as { values: unknown[][] }).values)
    }
    expect(values).toHaveLength(ROWS)
    expect(values[999]).toEqual(['R-1000', 'Entry number 1000', 999, false])
  })

  it('limits every kind of response, not only ranges (api/table-list-rows.md)', async () => {
    const res = await graphFetch(h.server, `${h.wb}/tables/Entries/rows`)
    expectSizeError(res.status, await res.json())
    expect((await graphFetch(h.server, `${h.wb}/tables/Entries/rows?$top=100`)).status).toBe(200)
  })

  it('refuses at once a range bound to exceed the limit, such as a whole sheet', async () => {
    const started = Date.now()
    const res = await graphFetch(h.server, `${h.wb}/worksheets/Log/range(address='A1:XFD1048576')`)
    expectSizeError(res.status, await res.json())
    expect(Date.now() - started).toBeLessThan(1_000)
  })

  it('holds each $batch sub-response to the limit on its own, not the envelope (concepts/json-batching.md)', async () => {
    const requests = [
      { id: 'whole', method: 'GET', url: `${h.wb}/tables/Entries/dataBodyRange` },
      { id: 'first', method: 'GET', url: chunkUrl(2, 301) },
      { id: 'second', method: 'GET', url: chunkUrl(302, 601) },
    ]
    const res = await graphFetch(h.server, '/$batch', jsonInit('POST', { requests }))
    const text = await res.text()
    expect(res.status).toBe(200)
    expect(Buffer.byteLength(text)).toBeGreaterThan(LIMIT)
    const { responses } = JSON.parse(text) as { responses: Sub[] }
    const byId = new Map(responses.map((r) => [r.id, r]))
    expectSizeError(byId.get('whole')?.status ?? 0, byId.get('whole')?.body)
    for (const id of ['first', 'second']) {
      const sub = byId.get(id)
      expect(sub?.status, id).toBe(200)
      expect(Buffer.byteLength(JSON.stringify(sub?.body)), id).toBeLessThanOrEqual(LIMIT)
      expect((sub?.body['values'] as unknown[][]).length, id).toBe(300)
    }
  })
})
