import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphFetch, startHarness, type Harness } from './harness.ts'

/** Reading a sheet by row chunks, as GRAPH.md §6 advises for large tables (api/range-get.md). */

const ROWS = 4_200
const COLUMNS = ['Id', 'Title', 'Due', 'Percent', 'Owner', 'Status', 'Notes', 'Score']

/** One wide, long table at A1 of a sheet whose name needs quoting, with cells below and beside it. */
async function writeBigWorkbook(path: string): Promise<void> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('Big Data')
  const rows = Array.from({ length: ROWS }, (_, i) => [`S-${i + 1}`, `Step ${i + 1}`, new Date(Date.UTC(2025, 0, 1 + (i % 365))), (i % 100) / 100, `owner${i % 7}@district.org`, i % 3 === 0 ? 'Done' : 'Open', '', i])
  ws.addTable({ name: 'Steps', ref: 'A1', headerRow: true, columns: COLUMNS.map((name) => ({ name })), rows })
  for (let r = 2; r <= ROWS + 1; r += 1) {
    ws.getCell(r, 3).numFmt = 'yyyy-mm-dd'
    ws.getCell(r, 4).numFmt = '0%'
  }
  ws.getCell(ROWS + 3, 1).value = 'note below the table'
  ws.getCell(10, 10).value = 'beside the table'
  await wb.xlsx.writeFile(path)
}

let h: Harness
beforeAll(async () => {
  h = await startHarness({}, writeBigWorkbook)
})
afterAll(() => h.close())

type Range = { values: unknown[][]; numberFormat: string[][] } & Record<string, unknown>

async function chunk(address: string, quote: "'" | '"' = "'"): Promise<Range> {
  const res = await graphFetch(h.server, `${h.wb}/worksheets/Big%20Data/range(address=${quote}${address}${quote})?$select=values,numberFormat`)
  expect(res.status, address).toBe(200)
  return (await res.json()) as Range
}

describe("worksheets/{s}/range(address='…') with $select (api/range-get.md)", () => {
  it('reads a 4,000-row chunk with exactly values and numberFormat', async () => {
    const range = await chunk('A2:H4001')
    expect(Object.keys(range).sort()).toEqual(['numberFormat', 'values'])
    expect(range.values).toHaveLength(4_000)
    expect(range.values[0]).toEqual(['S-1', 'Step 1', 45658, 0, 'owner0@district.org', 'Done', '', 0])
    expect(range.numberFormat[0]?.slice(2, 4)).toEqual(['yyyy-mm-dd', '0%'])
    expect(range.values[3_999]?.[0]).toBe('S-4000')
  })

  it('reads past the table: the cells below it and beside it, empty ones as "" and General (res/excel.md)', async () => {
    const below = await chunk(`A4001:H${ROWS + 3}`, '"')
    expect(below.values).toHaveLength(ROWS + 3 - 4001 + 1)
    expect(below.values.at(-3)?.[0]).toBe(`S-${ROWS}`)
    expect(below.values.at(-2)).toEqual(['', '', '', '', '', '', '', ''])
    expect(below.values.at(-1)?.[0]).toBe('note below the table')
    expect(below.numberFormat.at(-2)).toEqual(Array(8).fill('General'))
    const beside = await chunk('I9:J10')
    expect(beside.values).toEqual([['', ''], ['', 'beside the table']])
  })

  it("reads the whole table in chunks equal to the table's dataBodyRange (api/table-databodyrange.md)", async () => {
    const body = (await h.client.api(`${h.wb}/tables/Steps/dataBodyRange`).select('values').get()) as Range
    expect(body.values).toHaveLength(ROWS)
    const read: unknown[][] = []
    for (let top = 2; top <= ROWS + 1; top += 1_000) read.push(...(await chunk(`A${top}:H${Math.min(top + 999, ROWS + 1)}`)).values)
    expect(read).toEqual(body.values)
  })

  it('accepts the percent-encoded quote form the SDK sends', async () => {
    const res = await graphFetch(h.server, `${h.wb}/worksheets/Big%20Data/range(address=%27A2:B3%27)?$select=values`)
    expect(await res.json()).toEqual({ values: [['S-1', 'Step 1'], ['S-2', 'Step 2']] })
  })
})
