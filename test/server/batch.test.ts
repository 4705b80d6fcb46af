import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client'
import { graphFetch, jsonInit, rowsOnDisk, startHarness, type Harness } from './harness.ts'

/** JSON batching, concepts/json-batching.md. */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h.close())

type Sub = { id: string; status: number; headers: Record<string, string>; body?: { error?: { code: string; innerError?: { code?: string } } } & Record<string, unknown> }

async function batch(requests: unknown[], headers: Record<string, string> = {}): Promise<{ status: number; body: { responses?: Sub[]; error?: { code: string } } }> {
  const res = await graphFetch(h.server, '/$batch', jsonInit('POST', { requests }, headers))
  return { status: res.status, body: (await res.json()) as { responses?: Sub[]; error?: { code: string } } }
}

const get = (id: string, url: string) => ({ id, method: 'GET', url })

describe('$batch (concepts/json-batching.md)', () => {
  it('answers several range reads in one HTTP request, honouring $select (api/table-range.md, api/table-headerrowrange.md)', async () => {
    const base = `${h.server.graphBaseUrl}${h.wb}`
    const content = new BatchRequestContent([
      { id: 'wigs', request: new Request(`${base}/tables/WIGs/range?$select=address,values,numberFormat`, { method: 'GET' }) },
      { id: 'logHeader', request: new Request(`${base}/tables/ChangeLog/headerRowRange?$select=address,values`, { method: 'GET' }) },
      { id: 'changeIds', request: new Request(`${base}/tables/ChangeLog/columns/ChangeId`, { method: 'GET' }) },
    ])
    const before = h.log.length
    const reply = new BatchResponseContent(await h.client.api('/$batch').post(await content.getContent()))
    expect(h.log.slice(before)).toHaveLength(1)
    expect(h.log[before]).toMatch(/^POST \/graph\/v1\.0\/\$batch 200$/)

    const wigs = (await reply.getResponseById('wigs').json()) as Record<string, unknown>
    expect(Object.keys(wigs).sort()).toEqual(['address', 'numberFormat', 'values'])
    expect(wigs['address']).toBe('Plan!B3:G5')
    expect((wigs['values'] as unknown[][])[1]).toEqual(['W-1', 'Raise PM literacy', 45838, 18, 75, 'keep me'])

    const header = (await reply.getResponseById('logHeader').json()) as Record<string, unknown>
    expect(header).toEqual({ address: "'Audit Log'!C2:K2", values: [['At', 'By', 'Source', 'Table', 'Key', 'Column', 'OldValue', 'NewValue', 'ChangeId']] })

    // api/tablecolumn-get.md: values start with the header cell.
    const column = (await reply.getResponseById('changeIds').json()) as Record<string, unknown>
    expect(column).toMatchObject({ name: 'ChangeId', index: 8, values: [['ChangeId'], ['c-0']] })
  })

  it('labels each sub-response body with the exact "Content-Type" key the SDK parses (GRAPH.md §10)', async () => {
    const { body } = await batch([get('1', `${h.wb}/tables`)])
    expect(body.responses?.[0]?.headers).toEqual({ 'Content-Type': 'application/json' })
  })

  it('accepts sub-request urls without the leading slash', async () => {
    const { body } = await batch([get('1', `${h.wb.slice(1)}/tables/CheckIns/range?$select=address`)])
    expect(body.responses?.[0]).toMatchObject({ status: 200, body: { address: 'CheckIns!A1:D2' } })
  })

  it('answers a missing table inside the batch with 404 itemNotFound, other requests unaffected', async () => {
    const { status, body } = await batch([get('a', `${h.wb}/tables/Nope/range`), get('b', `${h.wb}/tables/WIGs/headerRowRange?$select=values`)])
    expect(status).toBe(200)
    const byId = new Map(body.responses?.map((r) => [r.id, r]))
    expect(byId.get('a')?.status).toBe(404)
    expect(byId.get('a')?.body?.error?.code).toBe('itemNotFound')
    expect(byId.get('b')?.status).toBe(200)
  })

  it('refuses more than 20 requests with 400', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => get(String(i + 1), `${h.wb}/tables`))
    const { status, body } = await batch(requests)
    expect(status).toBe(400)
    expect(body.error?.code).toBe('badRequest')
    expect((await batch(requests.slice(0, 20))).status).toBe(200)
  })

  it('refuses duplicate request ids with 400', async () => {
    const { status } = await batch([get('1', `${h.wb}/tables`), get('1', `${h.wb}/tables`)])
    expect(status).toBe(400)
  })

  it('refuses a sub-request body without Content-Type, and a dependsOn naming no request, with 400', async () => {
    expect((await batch([{ id: '1', method: 'POST', url: `${h.wb}/tables/CheckIns/rows/add`, body: { values: [['x', 'y', 'z', 1]] } }])).status).toBe(400)
    expect((await batch([{ ...get('1', `${h.wb}/tables`), dependsOn: ['9'] }])).status).toBe(400)
  })

  it('runs a dependsOn chain in order and saves its writes before replying', async () => {
    const headers = { 'Content-Type': 'application/json' }
    const { body } = await batch([
      { id: '2', method: 'POST', url: `${h.wb}/tables/ChangeLog/rows/add`, headers, body: { index: null, values: [['2025-02-01', 'b@d.org', 'test', 'CheckIns', 'C-9', 'Value', '', '9', 'c-9']] }, dependsOn: ['1'] },
      { id: '1', method: 'POST', url: `${h.wb}/tables/CheckIns/rows/add`, headers, body: { index: null, values: [['C-9', 'W-1', '2025-02-01', 9]] } },
    ])
    expect(body.responses?.map((r) => [r.id, r.status])).toEqual([
      ['2', 200],
      ['1', 200],
    ])
    expect((await rowsOnDisk(h.workbook, 'CheckIns')).map((r) => r[0])).toContain('C-9')
    expect((await rowsOnDisk(h.workbook, 'ChangeLog')).map((r) => r[8])).toContain('c-9')
  })

  it('fails the dependants of a failed request with 424 and does not run them', async () => {
    const headers = { 'Content-Type': 'application/json' }
    const { body } = await batch([
      { id: '1', method: 'PATCH', url: `${h.wb}/tables/NoSuchTable/rows/itemAt(index=0)`, headers, body: { values: [[1]] } },
      { id: '2', method: 'POST', url: `${h.wb}/tables/ChangeLog/rows/add`, headers, body: { values: [['x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'c-never']] }, dependsOn: ['1'] },
      { id: '3', method: 'GET', url: `${h.wb}/tables`, dependsOn: ['2'] },
    ])
    expect(body.responses?.map((r) => r.status)).toEqual([404, 424, 424])
    expect((await rowsOnDisk(h.workbook, 'ChangeLog')).map((r) => r[8])).not.toContain('c-never')
  })

  // concepts/json-batching.md, id: "Not case-sensitive. Must be unique within the batch."
  describe('request ids are not case-sensitive', () => {
    it('refuses two ids that differ only in case with 400', async () => {
      const { status, body } = await batch([get('a', `${h.wb}/tables`), get('A', `${h.wb}/tables`)])
      expect(status).toBe(400)
      expect(body.error?.code).toBe('badRequest')
      expect((await batch([get('a', `${h.wb}/tables`), get('b', `${h.wb}/tables`)])).status).toBe(200)
    })

    it('matches dependsOn to an id spelled in another case, and answers with the ids as sent', async () => {
      const { status, body } = await batch([
        get('Tables', `${h.wb}/tables`),
        { ...get('wigs', `${h.wb}/tables/WIGs/headerRowRange`), dependsOn: ['TABLES'] },
      ])
      expect(status).toBe(200)
      expect(body.responses?.map((r) => [r.id, r.status])).toEqual([
        ['Tables', 200],
        ['wigs', 200],
      ])
    })

    it('fails the dependant of a failed request named in another case with 424', async () => {
      const { body } = await batch([get('Missing', `${h.wb}/tables/Nope/dataBodyRange`), { ...get('next', `${h.wb}/tables`), dependsOn: ['missing'] }])
      expect(body.responses?.map((r) => [r.id, r.status])).toEqual([
        ['Missing', 404],
        ['next', 424],
      ])
    })
  })

  // concepts/json-batching.md: headers are per sub-request and inheritance is undocumented (GRAPH.md §5);
  // the server passes a workbook-session-id on the $batch itself to sub-requests that carry none.
  describe('a workbook-session-id on the $batch request', () => {
    const createSession = async (persistChanges: boolean): Promise<string> =>
      ((await h.client.api(`${h.wb}/createSession`).post({ persistChanges })) as { id: string }).id

    it('is used by sub-requests without one: an unknown session fails them with invalidSessionReCreatable', async () => {
      const { status, body } = await batch([get('1', `${h.wb}/tables`)], { 'workbook-session-id': 'made-up' })
      expect(status).toBe(200)
      expect(body.responses?.[0]?.status).toBe(404)
      expect(body.responses?.[0]?.body?.error?.innerError?.code).toBe('invalidSessionReCreatable')
    })

    it('gives way to a sub-request’s own workbook-session-id', async () => {
      const own = await createSession(true)
      const { body } = await batch(
        [
          { ...get('own', `${h.wb}/tables`), headers: { 'workbook-session-id': own } },
          get('inherits', `${h.wb}/tables`),
        ],
        { 'workbook-session-id': 'made-up' },
      )
      expect(body.responses?.map((r) => [r.id, r.status])).toEqual([
        ['own', 200],
        ['inherits', 404],
      ])
    })

    it('keeps writes of sub-requests without their own header inside a non-persistent session, off the disk', async () => {
      const id = await createSession(false)
      const headers = { 'Content-Type': 'application/json' }
      const added = await batch(
        [{ id: 'add', method: 'POST', url: `${h.wb}/tables/CheckIns/rows/add`, headers, body: { index: null, values: [['C-OUTER', 'W-1', '2025-03-01', 5]] } }],
        { 'workbook-session-id': id },
      )
      expect(added.body.responses?.[0]?.status).toBe(200)
      expect((await rowsOnDisk(h.workbook, 'CheckIns')).map((r) => r[0])).not.toContain('C-OUTER')
      const firstCells = (reply: Awaited<ReturnType<typeof batch>>) => ((reply.body.responses?.[0]?.body?.['values'] as unknown[][] | undefined) ?? []).map((r) => r[0])
      expect(firstCells(await batch([get('1', `${h.wb}/tables/CheckIns/dataBodyRange`)], { 'workbook-session-id': id }))).toContain('C-OUTER')
      expect(firstCells(await batch([get('1', `${h.wb}/tables/CheckIns/dataBodyRange`)]))).not.toContain('C-OUTER')
      await h.client.api(`${h.wb}/closeSession`).header('workbook-session-id', id).post(undefined)
    })
  })
})
