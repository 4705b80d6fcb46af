import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { graphErrorOf, graphFetch, jsonInit, rowsOnDisk, startHarness, type Harness } from './harness.ts'

/** Table rows, columns and ranges; every write is checked in the file on disk. */

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(() => h.close())

type Row = { index: number; values: unknown[][] }
type ErrorBody = { error: { code: string; message: string; innerError: Record<string, string> } }

describe('rows', () => {
  it('rows/add answers 200 with the new row, typed like Excel, and saves it (api/tablerowcollection-add.md)', async () => {
    const row = (await h.client.api(`${h.wb}/tables/WIGs/rows/add`).post({ index: null, values: [['W-3', 'Cut absences', '2025-06-30', '49', '37', '']] })) as Row
    expect(row.index).toBe(2)
    expect(row.values).toEqual([['W-3', 'Cut absences', 45838, 49, 37, '']])
    const onDisk = await rowsOnDisk(h.workbook, 'WIGs')
    expect(onDisk[2]).toEqual(['W-3', 'Cut absences', 45838, 49, 37, ''])
    expect(onDisk[0]?.[5]).toBe('keep me')
  })

  it('rows/add of several rows answers the first index and every new row', async () => {
    const row = (await h.client.api(`${h.wb}/tables/CheckIns/rows/add`).post({ values: [['C-2', 'W-1', 21, 21], ['C-3', 'W-1', 22, 22]] })) as Row
    expect(row).toEqual({ index: 1, values: [['C-2', 'W-1', 21, 21], ['C-3', 'W-1', 22, 22]] })
    expect((await rowsOnDisk(h.workbook, 'CheckIns')).map((r) => r[0])).toEqual(['C-1', 'C-2', 'C-3'])
  })

  it('POST rows answers 201 Created (api/table-post-rows.md)', async () => {
    const res = await graphFetch(h.server, `${h.wb}/tables/CheckIns/rows`, jsonInit('POST', { index: null, values: [['C-4', 'W-2', '2025-01-15', 1]] }))
    expect(res.status).toBe(201)
    expect((await rowsOnDisk(h.workbook, 'CheckIns')).at(-1)?.[0]).toBe('C-4')
  })

  it('PATCH itemAt(index=N) changes the given cells, leaves null ones alone, and saves (api/tablerow-update.md)', async () => {
    const row = (await h.client.api(`${h.wb}/tables/WIGs/rows/itemAt(index=1)`).patch({ values: [[null, 'Control tower live', null, null, null, null]] })) as Row
    expect(row).toEqual({ index: 1, values: [['W-2', 'Control tower live', 45869, '', '', 'and me']] })
    expect((await rowsOnDisk(h.workbook, 'WIGs'))[1]).toEqual(['W-2', 'Control tower live', 45869, '', '', 'and me'])
  })

  it('GET itemAt(index=N) reads one row (res/workbooktablerow.md)', async () => {
    expect(await h.client.api(`${h.wb}/tables/WIGs/rows/itemAt(index=0)`).get()).toEqual({ index: 0, values: [['W-1', 'Raise PM literacy', 45838, 18, 75, 'keep me']] })
  })

  it('DELETE itemAt(index=N) answers 200 with no body and removes the row on disk (api/tablerow-delete.md)', async () => {
    const res = await graphFetch(h.server, `${h.wb}/tables/WIGs/rows/itemAt(index=0)`, { method: 'DELETE' })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
    expect((await rowsOnDisk(h.workbook, 'WIGs')).map((r) => r[0])).toEqual(['W-2'])
  })

  it('answers rows/{N} with ApiNotFound, as the service does (GRAPH.md §2)', async () => {
    const failure = await h.client.api(`${h.wb}/tables/WIGs/rows/0`).get().then(() => null, graphErrorOf)
    expect(failure?.statusCode).toBe(400)
    expect(failure?.code).toBe('ApiNotFound')
  })

  it('answers a row body that is not a 2-D array with 400 invalidArgument', async () => {
    const res = await graphFetch(h.server, `${h.wb}/tables/WIGs/rows/add`, jsonInit('POST', { values: ['W-9', 'flat'] }))
    expect(res.status).toBe(400)
    expect(((await res.json()) as ErrorBody).error.code).toBe('invalidArgument')
  })

  it('answers a row of the wrong width with 400 invalidArgument and writes nothing', async () => {
    const res = await graphFetch(h.server, `${h.wb}/tables/WIGs/rows/add`, jsonInit('POST', { values: [['W-9', 'too short']] }))
    expect(res.status).toBe(400)
    expect((await rowsOnDisk(h.workbook, 'WIGs'))).toHaveLength(2)
  })

  it('answers malformed JSON with 400 badRequest (concepts/workbook-error-codes.md)', async () => {
    const res = await graphFetch(h.server, `${h.wb}/tables/WIGs/rows/add`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"values": [[' })
    expect(res.status).toBe(400)
    const body = (await res.json()) as ErrorBody
    expect(body.error.code).toBe('badRequest')
    expect(body.error.innerError).toMatchObject({ code: 'invalidRequest' })
  })

  it('answers a missing table with 404 itemNotFound and the OData error body (concepts/errors.md)', async () => {
    const res = await graphFetch(h.server, `${h.wb}/tables/Nope/rows`, { headers: { 'client-request-id': 'abc-123' } })
    expect(res.status).toBe(404)
    const body = (await res.json()) as ErrorBody
    expect(body.error.code).toBe('itemNotFound')
    expect(typeof body.error.message).toBe('string')
    expect(body.error.innerError).toMatchObject({ code: 'itemNotFound', 'client-request-id': 'abc-123' })
    expect(body.error.innerError['request-id']).toMatch(/\S/)
    expect(body.error.innerError['date']).toMatch(/^\d{4}-\d{2}-\d{2}T/)
  })

  it('pages rows with $top and $skip (api/table-list-rows.md)', async () => {
    const page = (await h.client.api(`${h.wb}/tables/WIGs/rows`).top(1).skip(1).get()) as { value: Row[] }
    expect(page.value.map((r) => [r.index, r.values[0]?.[0]])).toEqual([[1, 'W-2']])
  })

  it('matches table names case-insensitively and through the worksheet', async () => {
    const viaSheet = (await h.client.api(`${h.wb}/worksheets/Plan/tables/wigs/headerRowRange`).get()) as { values: unknown[][] }
    expect(viaSheet.values[0]?.[0]).toBe('WigId')
  })
})

describe('columns and ranges', () => {
  it('lists tables (api/workbook-list-tables.md)', async () => {
    const tables = (await h.client.api(`${h.wb}/tables`).get()) as { value: { name: string }[] }
    expect(tables.value.map((t) => t.name)).toEqual(['WIGs', 'ChangeLog', 'CheckIns'])
  })

  it('lists columns with the header cell first in values (api/table-list-columns.md)', async () => {
    const columns = (await h.client.api(`${h.wb}/tables/CheckIns/columns`).get()) as { value: { id: string; name: string; index: number; values: unknown[][] }[] }
    expect(columns.value.map((c) => c.name)).toEqual(['CheckInId', 'WigId', 'Date', 'Value'])
    expect(columns.value[3]).toEqual({ id: '4', index: 3, name: 'Value', values: [['Value'], [20]] })
  })

  it('reads dataBodyRange with numberFormat and text (api/table-databodyrange.md)', async () => {
    const range = (await h.client.api(`${h.wb}/tables/CheckIns/dataBodyRange`).select('address,values,numberFormat,text').get()) as Record<string, unknown[][]>
    expect(range['address']).toBe('CheckIns!A2:D2')
    expect(range['values']?.[0]?.[2]).toBe(45566)
    expect(Object.keys(range).sort()).toEqual(['address', 'numberFormat', 'text', 'values'])
  })

  it("reads a worksheet range(address='…') (api/range-get.md)", async () => {
    const range = (await h.client.api(`${h.wb}/worksheets/Plan/range(address='A1:C3')`).get()) as { address: string; values: unknown[][]; rowIndex: number; columnCount: number }
    expect(range.address).toBe('Plan!A1:C3')
    expect(range.values[0]?.[0]).toBe('District plan 2024-25')
    expect(range.values[2]).toEqual(['', 'WigId', 'Title'])
    expect(range.columnCount).toBe(3)
  })

  it('answers a missing worksheet with 404 itemNotFound', async () => {
    const res = await graphFetch(h.server, `${h.wb}/worksheets/Nope/range(address='A1')`)
    expect(res.status).toBe(404)
  })
})
