import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphErrorOf, graphFetch, startHarness, writeSampleWorkbook, type Harness } from './harness.ts'

/** workbookRange replies: every property, `$select` while building, column ranges, worksheet ranges. */

/** The sample workbook plus a sheet with a formula, a hidden row and a hidden column. */
async function writeWorkbook(path: string): Promise<void> {
  await writeSampleWorkbook(path)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(path)
  const ws = wb.addWorksheet('Calc')
  ws.getCell('A1').value = 2
  ws.getCell('B1').value = { formula: 'A1*2', result: 4 }
  ws.getCell('C1').value = 'visible?'
  ws.getRow(3).hidden = true
  ws.getCell('A3').value = 'in a hidden row'
  ws.getColumn('C').hidden = true
  await wb.xlsx.writeFile(path)
}

let h: Harness
beforeAll(async () => {
  h = await startHarness({}, writeWorkbook)
})
afterAll(() => h.close())

type Range = Record<string, unknown>

/** Property names of res/workbookrange.md's Properties table, in its order. */
const WORKBOOK_RANGE_PROPERTIES = [
  'address',
  'addressLocal',
  'cellCount',
  'columnCount',
  'columnHidden',
  'columnIndex',
  'formulas',
  'formulasLocal',
  'formulasR1C1',
  'hidden',
  'numberFormat',
  'rowCount',
  'rowHidden',
  'rowIndex',
  'text',
  'valueTypes',
  'values',
]

describe('workbookRange properties (resources/workbookrange.md)', () => {
  it('answers every property the page lists, and no other, when nothing is selected', async () => {
    const range = (await h.client.api(`${h.wb}/tables/WIGs/dataBodyRange`).get()) as Range
    expect(Object.keys(range).sort()).toEqual([...WORKBOOK_RANGE_PROPERTIES].sort())
    expect(range).toMatchObject({
      address: 'Plan!B4:G5',
      addressLocal: 'Plan!B4:G5',
      cellCount: 12,
      columnCount: 6,
      rowCount: 2,
      columnIndex: 1,
      rowIndex: 3,
      hidden: false,
      rowHidden: false,
      columnHidden: false,
    })
    expect((range['values'] as unknown[][])[1]).toEqual(['W-2', 'Control tower', 45869, '', '', 'and me'])
    // res/excel.md: an empty cell is "" in values/text, General in numberFormat, Empty in valueTypes.
    expect((range['valueTypes'] as unknown[][])[1]).toEqual(['String', 'String', 'Integer', 'Empty', 'Empty', 'String'])
    expect((range['numberFormat'] as unknown[][])[1]?.[3]).toBe('General')
    expect((range['text'] as unknown[][])[0]?.[3]).toBe('18')
  })

  it('reads a formula cell as its result in values and "=…" in formulas; formulasLocal and formulasR1C1 repeat formulas here (DIFFERENCES.md)', async () => {
    const range = (await h.client.api(`${h.wb}/worksheets/Calc/range(address='A1:B1')`).get()) as Range
    expect(range['values']).toEqual([[2, 4]])
    expect(range['formulas']).toEqual([[2, '=A1*2']])
    expect(range['formulasLocal']).toEqual(range['formulas'])
    expect(range['formulasR1C1']).toEqual(range['formulas'])
  })

  it('sets rowHidden, columnHidden and hidden only when every row or column of the range is hidden', async () => {
    const flags = async (address: string) =>
      (await h.client.api(`${h.wb}/worksheets/Calc/range(address='${address}')`).select('hidden,rowHidden,columnHidden').get()) as Range
    expect(await flags('A3:B3')).toEqual({ hidden: true, rowHidden: true, columnHidden: false })
    expect(await flags('C1:C2')).toEqual({ hidden: true, rowHidden: false, columnHidden: true })
    expect(await flags('A2:C3')).toEqual({ hidden: false, rowHidden: false, columnHidden: false })
  })

  it('builds only the $select-ed properties, names compared case-insensitively and unknown ones ignored (api/range-get.md)', async () => {
    const res = await graphFetch(h.server, `${h.wb}/tables/WIGs/dataBodyRange?$select=VALUES,numberformat,noSuchProperty`)
    expect(res.status).toBe(200)
    const range = (await res.json()) as Range
    expect(Object.keys(range).sort()).toEqual(['numberFormat', 'values'])
  })

  it('selects while building: a whole-sheet range with $select=address,cellCount answers at once (api/range-get.md)', async () => {
    const started = Date.now()
    const range = (await h.client.api(`${h.wb}/worksheets/Plan/range(address='A1:XFD1048576')`).select('address,cellCount,rowCount').get()) as Range
    expect(range).toEqual({ address: 'Plan!A1:XFD1048576', cellCount: 16_384 * 1_048_576, rowCount: 1_048_576 })
    expect(Date.now() - started).toBeLessThan(1_000)
  })
})

describe('table column ranges (api/tablecolumn-databodyrange.md, tablecolumn-headerrowrange.md, tablecolumn-range.md)', () => {
  it('reads a column’s dataBodyRange, headerRowRange and range', async () => {
    const body = (await h.client.api(`${h.wb}/tables/WIGs/columns/Title/dataBodyRange`).select('address,values').get()) as Range
    expect(body).toEqual({ address: 'Plan!C4:C5', values: [['Raise PM literacy'], ['Control tower']] })
    const header = (await h.client.api(`${h.wb}/tables/WIGs/columns/Title/headerRowRange`).select('address,values').get()) as Range
    expect(header).toEqual({ address: 'Plan!C3', values: [['Title']] })
    const whole = (await h.client.api(`${h.wb}/tables/WIGs/columns/Title/range`).select('address,rowCount,columnIndex').get()) as Range
    expect(whole).toEqual({ address: 'Plan!C3:C5', rowCount: 3, columnIndex: 2 })
  })

  it('answers $select=values,numberFormat with exactly those keys (api/tablecolumn-databodyrange.md)', async () => {
    const range = (await h.client.api(`${h.wb}/tables/CheckIns/columns/Date/dataBodyRange`).select('values,numberFormat').get()) as Range
    expect(Object.keys(range).sort()).toEqual(['numberFormat', 'values'])
    expect(range['values']).toEqual([[45566]])
  })

  it('answers every range property on a column range too', async () => {
    const range = (await h.client.api(`${h.wb}/tables/ChangeLog/columns/ChangeId/dataBodyRange`).get()) as Range
    expect(Object.keys(range).sort()).toEqual([...WORKBOOK_RANGE_PROPERTIES].sort())
    expect(range).toMatchObject({ address: "'Audit Log'!K3", values: [['c-0']], cellCount: 1 })
  })

  it('works through worksheets/{ws}/tables/{t}, matching table and column names case-insensitively, and by column id', async () => {
    const viaSheet = (await h.client.api(`${h.wb}/worksheets/Plan/tables/wigs/columns/title/dataBodyRange`).select('address').get()) as Range
    expect(viaSheet).toEqual({ address: 'Plan!C4:C5' })
    const byId = (await h.client.api(`${h.wb}/tables/WIGs/columns/2/headerRowRange`).select('values').get()) as Range
    expect(byId).toEqual({ values: [['Title']] })
  })

  it('answers 404 itemNotFound for an unknown column, a name with extra spaces, or the wrong worksheet', async () => {
    for (const path of [`${h.wb}/tables/WIGs/columns/Nope/range`, `${h.wb}/tables/WIGs/columns/%20Title/range`, `${h.wb}/worksheets/CheckIns/tables/WIGs/columns/Title/range`]) {
      const failure = await h.client.api(path).get().then(() => null, graphErrorOf)
      expect(failure?.statusCode, path).toBe(404)
      expect(failure?.code, path).toBe('itemNotFound')
    }
  })

  it('answers a column part this server does not serve (totalRowRange) with ApiNotFound, and a write with 405 (DIFFERENCES.md)', async () => {
    expect((await graphFetch(h.server, `${h.wb}/tables/WIGs/columns/Title/totalRowRange`)).status).toBe(400)
    expect((await graphFetch(h.server, `${h.wb}/tables/WIGs/columns/Title/dataBodyRange`, { method: 'PATCH' })).status).toBe(405)
  })
})
