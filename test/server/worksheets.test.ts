import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadWorkbook } from '../../src/workbook/file/workbook-file.ts'
import { listTables, worksheetRange } from '../../src/workbook/file/tables.ts'
import { describeError } from '../../src/messages/errors.ts'
import { graphErrorOf, graphFetch, jsonInit, rowsOnDisk, startHarness, type Harness } from './harness.ts'

/**
 * Sheets and new tables, what Set up needs (issue 11): list and add worksheets, create a table
 * over a range, name it, and write a range's number formats. Every write is checked on disk.
 */

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(() => h.close())

type Sheet = { id: string; name: string; position: number; visibility: string }
type Table = { id: string; name: string; showHeaders: boolean; showTotals: boolean; style: string; showBandedRows: boolean; showFilterButton: boolean }
type ErrorBody = { error: { code: string; innerError: Record<string, string> } }

async function onDisk(path: string) {
  const wb = await loadWorkbook(path)
  if (!wb.ok) throw new Error(describeError(wb.error))
  return wb.value
}

describe('worksheets', () => {
  it('lists every sheet with id, name, position and visibility, in tab order (api/worksheet-list.md, res/workbookworksheet.md)', async () => {
    const sheets = (await h.client.api(`${h.wb}/worksheets`).get()) as { value: Sheet[] }
    expect(sheets.value.map((s) => [s.name, s.position, s.visibility])).toEqual([
      ['Plan', 0, 'Visible'],
      ['Audit Log', 1, 'Visible'],
      ['CheckIns', 2, 'Visible'],
    ])
    expect(new Set(sheets.value.map((s) => s.id)).size).toBe(3)
    const names = (await h.client.api(`${h.wb}/worksheets`).select('name').get()) as { value: unknown[] }
    expect(names.value).toEqual([{ name: 'Plan' }, { name: 'Audit Log' }, { name: 'CheckIns' }])
  })

  it('gets one sheet by name or by its id (api/worksheet-get.md)', async () => {
    const byName = (await h.client.api(`${h.wb}/worksheets/${encodeURIComponent('Audit Log')}`).get()) as Sheet
    expect(byName).toMatchObject({ name: 'Audit Log', position: 1 })
    const byId = (await h.client.api(`${h.wb}/worksheets/${encodeURIComponent(byName.id)}`).get()) as Sheet
    expect(byId).toEqual(byName)
    const missing = await h.client.api(`${h.wb}/worksheets/Nope`).get().then(() => null, graphErrorOf)
    expect(missing?.statusCode).toBe(404)
  })

  it('adds a sheet after the others and answers 200 with the workbookWorksheet (api/worksheetcollection-add.md)', async () => {
    const res = await graphFetch(h.server, `${h.wb}/worksheets/add`, jsonInit('POST', { name: 'Check-ins (2)' }))
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ name: 'Check-ins (2)', position: 3, visibility: 'Visible' })
    expect((await onDisk(h.workbook)).worksheets.map((ws) => ws.name)).toEqual(['Plan', 'Audit Log', 'CheckIns', 'Check-ins (2)'])
    // The page's other form, POST to the collection, and no name: Excel's next SheetN.
    const unnamed = (await h.client.api(`${h.wb}/worksheets`).post({})) as Sheet
    expect(unnamed.name).toBe('Sheet5')
  })

  it('answers a name a sheet already has, in any case, with 409 conflict / itemAlreadyExists and adds nothing (concepts/workbook-error-codes.md)', async () => {
    const res = await graphFetch(h.server, `${h.wb}/worksheets/add`, jsonInit('POST', { name: 'audit log' }))
    expect(res.status).toBe(409)
    const body = (await res.json()) as ErrorBody
    expect(body.error.code).toBe('conflict')
    expect(body.error.innerError).toMatchObject({ code: 'itemAlreadyExists' })
    expect((await onDisk(h.workbook)).worksheets).toHaveLength(3)
  })

  it('answers a name Excel refuses with 400 invalidArgument', async () => {
    for (const name of ['a/b', "'quoted'", 'x'.repeat(32), 'History', '  ']) {
      const res = await graphFetch(h.server, `${h.wb}/worksheets/add`, jsonInit('POST', { name }))
      expect(res.status, name).toBe(400)
      expect(((await res.json()) as ErrorBody).error.code).toBe('invalidArgument')
    }
    expect((await onDisk(h.workbook)).worksheets).toHaveLength(3)
  })
})

describe('new tables', () => {
  it('creates a table over a sheet range, 201 with the workbookTable, named TableN (api/worksheet-post-tables.md)', async () => {
    await h.client.api(`${h.wb}/worksheets/add`).post({ name: 'Goals' })
    await h.client.api(`${h.wb}/worksheets/Goals/range(address='A1:C2')`).patch({ values: [['WigId', 'Title', 'TargetDate'], ['W-9', "'2026", '2026-06-30']] })
    const res = await graphFetch(h.server, `${h.wb}/worksheets/Goals/tables/add`, jsonInit('POST', { address: 'A1:C2', hasHeaders: true }))
    expect(res.status).toBe(201)
    const made = (await res.json()) as Table
    expect(made).toMatchObject({ name: 'Table1', showHeaders: true, showTotals: false, style: 'TableStyleMedium2', showBandedRows: true, showFilterButton: true })
    const header = (await h.client.api(`${h.wb}/tables/${made.id}/headerRowRange`).get()) as { address: string; values: unknown[][] }
    expect(header).toMatchObject({ address: 'Goals!A1:C1', values: [['WigId', 'Title', 'TargetDate']] })
    expect(await rowsOnDisk(h.workbook, 'Table1')).toEqual([['W-9', '2026', 46203]])
    const listed = (await h.client.api(`${h.wb}/worksheets/Goals/tables`).get()) as { value: Table[] }
    expect(listed.value.map((t) => [t.id, t.name])).toEqual([[made.id, 'Table1']])
  })

  it('creates a table through the workbook with a sheet-qualified address, 200 (api/tablecollection-add.md)', async () => {
    const res = await graphFetch(h.server, `${h.wb}/tables/add`, jsonInit('POST', { address: "'Audit Log'!L2:M3", hasHeaders: true }))
    expect(res.status).toBe(200)
    expect(((await res.json()) as Table).name).toBe('Table1')
    // One row of headers only: the table takes the empty row below as its data row, as Excel does.
    const oneRow = await graphFetch(h.server, `${h.wb}/tables/add`, jsonInit('POST', { address: 'Plan!K1:L1', hasHeaders: true }))
    expect(oneRow.status).toBe(200)
    expect(listTables(await onDisk(h.workbook)).find((t) => t.name === 'Table2')).toMatchObject({ sheet: 'Plan', top: 1, left: 11, columns: ['Column1', 'Column2'], rowCount: 1 })
    // Without a sheet there is nothing to resolve it against (no active sheet here).
    const bare = await graphFetch(h.server, `${h.wb}/tables/add`, jsonInit('POST', { address: 'A1:B2', hasHeaders: true }))
    expect(bare.status).toBe(400)
  })

  it('makes headers of a range without them, moving its cells down a row (api/worksheet-post-tables.md, hasHeaders false)', async () => {
    await h.client.api(`${h.wb}/worksheets/add`).post({ name: 'Raw' })
    await h.client.api(`${h.wb}/worksheets/Raw/range(address='A1:B2')`).patch({ values: [['x', 1], ['y', 2]] })
    const made = (await h.client.api(`${h.wb}/worksheets/Raw/tables/add`).post({ address: 'A1:B2', hasHeaders: false })) as Table
    const range = (await h.client.api(`${h.wb}/tables/${made.id}/range`).select('address,values').get()) as { address: string; values: unknown[][] }
    expect(range).toEqual({ address: 'Raw!A1:B3', values: [['Column1', 'Column2'], ['x', 1], ['y', 2]] })
  })

  it('refuses a table overlapping another one with 400 invalidArgument, and a missing sheet with 404', async () => {
    const overlap = await graphFetch(h.server, `${h.wb}/worksheets/CheckIns/tables/add`, jsonInit('POST', { address: 'C1:F4', hasHeaders: true }))
    expect(overlap.status).toBe(400)
    expect(((await overlap.json()) as ErrorBody).error.code).toBe('invalidArgument')
    const noSheet = await graphFetch(h.server, `${h.wb}/worksheets/Nope/tables/add`, jsonInit('POST', { address: 'A1:B2', hasHeaders: true }))
    expect(noSheet.status).toBe(404)
    expect(listTables(await onDisk(h.workbook)).map((t) => t.name)).toEqual(['WIGs', 'ChangeLog', 'CheckIns'])
  })

  it('renames a table by its id, which stays the same, 200 with the table (api/table-update.md)', async () => {
    await h.client.api(`${h.wb}/worksheets/add`).post({ name: 'People' })
    await h.client.api(`${h.wb}/worksheets/People/range(address='A1:B1')`).patch({ values: [['Email', 'Name']] })
    const made = (await h.client.api(`${h.wb}/worksheets/People/tables/add`).post({ address: 'A1:B2', hasHeaders: true })) as Table
    const renamed = (await h.client.api(`${h.wb}/tables/${made.id}`).patch({ name: 'People' })) as Table
    expect(renamed).toMatchObject({ id: made.id, name: 'People' })
    expect(((await h.client.api(`${h.wb}/tables/People`).get()) as Table).id).toBe(made.id)
    expect(listTables(await onDisk(h.workbook)).map((t) => t.name)).toEqual(['WIGs', 'ChangeLog', 'CheckIns', 'People'])
    expect(await rowsOnDisk(h.workbook, 'People')).toEqual([['', '']])
  })

  it('refuses a name another table has with 409 itemAlreadyExists, and a name Excel refuses with 400', async () => {
    const taken = await h.client.api(`${h.wb}/tables/CheckIns`).patch({ name: 'wigs' }).then(() => null, graphErrorOf)
    expect(taken?.statusCode).toBe(409)
    expect(taken?.body).toMatchObject({ code: 'conflict', innerError: { code: 'itemAlreadyExists' } })
    for (const name of ['Check Ins', 'A1', '1st', 'R2C3']) {
      const bad = await h.client.api(`${h.wb}/tables/CheckIns`).patch({ name }).then(() => null, graphErrorOf)
      expect(bad?.statusCode, name).toBe(400)
    }
    const unknown = await h.client.api(`${h.wb}/tables/CheckIns`).patch({ color: 'red' }).then(() => null, graphErrorOf)
    expect(unknown?.statusCode).toBe(400)
    expect(listTables(await onDisk(h.workbook)).map((t) => t.name)).toEqual(['WIGs', 'ChangeLog', 'CheckIns'])
  })

  it("writes a range's number formats with its values, a null leaving a cell alone (api/range-update.md)", async () => {
    await h.client.api(`${h.wb}/worksheets/add`).post({ name: 'Dates' })
    const range = (await h.client.api(`${h.wb}/worksheets/Dates/range(address='A1:B2')`).patch({
      values: [['Due', 'Done'], ['2026-06-30', 45]],
      numberFormat: [[null, null], ['yyyy-mm-dd', '0']],
    })) as { values: unknown[][]; numberFormat: string[][]; text: string[][] }
    expect(range.values).toEqual([['Due', 'Done'], [46203, 45]])
    expect(range.numberFormat[1]).toEqual(['yyyy-mm-dd', '0'])
    expect(range.text[1]).toEqual(['2026-06-30', '45'])
    const wb = await onDisk(h.workbook)
    expect(worksheetRange(wb, 'Dates', 'A2:B2')?.numberFormat).toEqual([['yyyy-mm-dd', '0']])
    const bad = await h.client.api(`${h.wb}/worksheets/Dates/range(address='A1:B2')`).patch({ numberFormat: [['0']] }).then(() => null, graphErrorOf)
    expect(bad?.statusCode).toBe(400)
  })

  // concepts/json-batching.md: a new sheet, its cells and its table in one serial $batch.
  it('adds a sheet, writes its cells and makes its table in one $batch with dependsOn', async () => {
    const json = { 'Content-Type': 'application/json' }
    const res = await graphFetch(
      h.server,
      '/$batch',
      jsonInit('POST', {
        requests: [
          { id: 's', method: 'POST', url: `${h.wb}/worksheets/add`, headers: json, body: { name: 'Settings' } },
          { id: 'c', method: 'PATCH', url: `${h.wb}/worksheets/Settings/range(address='A1:B2')`, headers: json, body: { values: [['Key', 'Value'], ['StaleAfterDays', 30]] }, dependsOn: ['s'] },
          { id: 't', method: 'POST', url: `${h.wb}/worksheets/Settings/tables/add`, headers: json, body: { address: 'A1:B2', hasHeaders: true }, dependsOn: ['c'] },
          // A second add of the same sheet fails, and so does what depends on it (424).
          { id: 's2', method: 'POST', url: `${h.wb}/worksheets/add`, headers: json, body: { name: 'SETTINGS' }, dependsOn: ['t'] },
          { id: 't2', method: 'POST', url: `${h.wb}/worksheets/SETTINGS/tables/add`, headers: json, body: { address: 'D1:E2', hasHeaders: true }, dependsOn: ['s2'] },
        ],
      }),
    )
    const body = (await res.json()) as { responses: { id: string; status: number; body?: { name?: string } }[] }
    expect(body.responses.map((r) => [r.id, r.status])).toEqual([
      ['s', 200],
      ['c', 200],
      ['t', 201],
      ['s2', 409],
      ['t2', 424],
    ])
    expect(await rowsOnDisk(h.workbook, body.responses[2]?.body?.name ?? '')).toEqual([['StaleAfterDays', 30]])
    expect((await onDisk(h.workbook)).worksheets.map((ws) => ws.name)).toEqual(['Plan', 'Audit Log', 'CheckIns', 'Settings'])
  })
})
