import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { excelSerialFromIso, parseIsoDate, type IsoDate } from '../../../src/domain/dates.ts'
import {
  addTableRows,
  deleteTableRow,
  findTable,
  listTables,
  tableColumn,
  tableRange,
  updateTableRow,
  worksheetRange,
} from '../../../src/workbook/file/tables.ts'
import { xmlAttributes, zipEntryText } from './unzip.ts'

const serial = (iso: string): number => excelSerialFromIso(parseIsoDate(iso) as IsoDate)
const utc = (iso: string): Date => new Date(`${iso}T00:00:00Z`)

/** A sheet as a district might keep it: a title above, a table off A1, a second table beside it. */
function planWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('Plan Data', { views: [{ state: 'frozen', xSplit: 0, ySplit: 3 }] })
  ws.getCell('A1').value = 'Action steps, 2024-25'
  ws.addTable({
    name: 'Steps',
    ref: 'B3',
    headerRow: true,
    style: { theme: 'TableStyleMedium9', showRowStripes: true },
    columns: [{ name: 'StepId' }, { name: 'Title' }, { name: 'DueDate' }, { name: 'PercentComplete' }, { name: 'Status' }, { name: 'Our notes' }],
    rows: [
      ['S-1', 'Draft survey', utc('2025-01-15'), 0.5, 'In progress', 'keep'],
      ['S-2', 'Train leaders', utc('2025-03-01'), 0, 'Not started', ''],
      ['S-3', 'Publish results', utc('2025-06-30'), 1, 'Done', 'x'],
    ],
  })
  for (let row = 4; row <= 6; row += 1) {
    ws.getCell(`D${row}`).numFmt = 'yyyy-mm-dd'
    ws.getCell(`E${row}`).numFmt = '0%'
    ws.getCell(`F${row}`).dataValidation = { type: 'list', allowBlank: true, formulae: ['"Not started,In progress,Done"'] }
  }
  ws.addTable({
    name: 'Beside',
    ref: 'J3',
    columns: [{ name: 'Key' }, { name: 'Value' }],
    rows: [
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
      ['e', 5],
    ],
  })
  return wb
}

async function roundTrip(wb: ExcelJS.Workbook): Promise<{ wb: ExcelJS.Workbook; bytes: Uint8Array }> {
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer())
  const loaded = new ExcelJS.Workbook()
  await loaded.xlsx.load(bytes as unknown as ExcelJS.Buffer)
  return { wb: loaded, bytes }
}

async function loadedPlan(): Promise<ExcelJS.Workbook> {
  return (await roundTrip(planWorkbook())).wb
}

function tableXml(bytes: Uint8Array, name: string): string {
  for (let i = 1; i <= 10; i += 1) {
    const xml = zipEntryText(bytes, `xl/tables/table${i}.xml`)
    if (xml && xmlAttributes(xml, 'table')?.['name'] === name) return xml
  }
  throw new Error(`no table ${name} in the file`)
}

describe('reading tables from a loaded workbook', () => {
  it('lists every table with its sheet, header position, columns and row count', async () => {
    const wb = await loadedPlan()
    expect(listTables(wb).map((t) => [t.name, t.sheet, t.top, t.left, t.rowCount, t.showTotals])).toEqual([
      ['Steps', 'Plan Data', 3, 2, 3, false],
      ['Beside', 'Plan Data', 3, 10, 5, false],
    ])
    expect(findTable(wb, 'steps')?.columns).toEqual(['StepId', 'Title', 'DueDate', 'PercentComplete', 'Status', 'Our notes'])
  })

  it('finds a table by its id as well as by name, and nothing for an unknown name', async () => {
    const wb = await loadedPlan()
    const beside = findTable(wb, 'Beside')
    expect(beside && findTable(wb, beside.id)?.name).toBe('Beside')
    expect(findTable(wb, 'Nope')).toBeNull()
  })

  it('gives the range with a quoted sheet address, dates as serials and the number formats', async () => {
    const wb = await loadedPlan()
    const range = tableRange(wb, 'Steps', 'range')
    expect(range?.address).toBe("'Plan Data'!B3:G6")
    expect(range?.values[0]).toEqual(['StepId', 'Title', 'DueDate', 'PercentComplete', 'Status', 'Our notes'])
    expect(range?.values[1]).toEqual(['S-1', 'Draft survey', serial('2025-01-15'), 0.5, 'In progress', 'keep'])
    expect(range?.numberFormat[1]?.slice(2, 4)).toEqual(['yyyy-mm-dd', '0%'])
    expect(range?.text[1]?.slice(2, 4)).toEqual(['2025-01-15', '50%'])
    expect(range?.values[2]?.[5]).toBe('')
    expect(range?.numberFormat[2]?.[5]).toBe('General')
  })

  it('splits header and body', async () => {
    const wb = await loadedPlan()
    expect(tableRange(wb, 'Steps', 'header')?.address).toBe("'Plan Data'!B3:G3")
    const body = tableRange(wb, 'Steps', 'body')
    expect(body?.address).toBe("'Plan Data'!B4:G6")
    expect(body?.rowCount).toBe(3)
    expect(body?.columnCount).toBe(6)
  })

  it('reads a column with its header first, by name in any case', async () => {
    const wb = await loadedPlan()
    expect(tableColumn(wb, 'Steps', 'status')).toEqual({ index: 4, name: 'Status', values: [['Status'], ['In progress'], ['Not started'], ['Done']] })
    expect(tableColumn(wb, 'Steps', 'Missing')).toBeNull()
  })

  it('reads any range of a sheet', async () => {
    const wb = await loadedPlan()
    const range = worksheetRange(wb, 'plan data', 'A1:B2')
    expect(range?.values).toEqual([
      ['Action steps, 2024-25', ''],
      ['', ''],
    ])
    expect(worksheetRange(wb, 'Nope', 'A1')).toBeNull()
  })

  it('turns formulas into their cached result, rich text and hyperlinks into text, errors into their code', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('S')
    ws.getCell('A1').value = { formula: '1+1', result: 2 }
    ws.getCell('A2').value = { richText: [{ text: 'bold ' }, { text: 'plain' }] }
    ws.getCell('A3').value = { text: 'site', hyperlink: 'https://example.org' }
    ws.getCell('A4').value = { error: '#N/A' }
    ws.getCell('A5').value = true
    const { wb: loaded } = await roundTrip(wb)
    expect(worksheetRange(loaded, 'S', 'A1:A5')?.values).toEqual([[2], ['bold plain'], ['site'], ['#N/A'], [true]])
  })

  it('reads dates of a 1904-system workbook as the same 1900-system serials', async () => {
    const wb = new ExcelJS.Workbook()
    wb.properties.date1904 = true
    const ws = wb.addWorksheet('S')
    ws.getCell('A1').value = utc('2025-06-30')
    ws.getCell('A1').numFmt = 'yyyy-mm-dd'
    const { wb: loaded } = await roundTrip(wb)
    expect(worksheetRange(loaded, 'S', 'A1')?.values).toEqual([[serial('2025-06-30')]])
  })

  it('keeps the time of day as the fraction of the serial', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('S')
    ws.getCell('A1').value = new Date('2025-06-30T12:00:00Z')
    const { wb: loaded } = await roundTrip(wb)
    expect(worksheetRange(loaded, 'S', 'A1')?.values).toEqual([[serial('2025-06-30') + 0.5]])
  })
})

describe('writing table rows', () => {
  it('changes only the given cells of a row and types strings like Excel', async () => {
    const wb = await loadedPlan()
    const result = updateTableRow(wb, 'Steps', 1, [null, "'=HYPERLINK(\"x\")", '2025-04-01', '25%', null, null])
    expect(result.ok).toBe(true)
    const row = tableRange(wb, 'Steps', 'body')?.values[1]
    expect(row).toEqual(['S-2', '=HYPERLINK("x")', serial('2025-04-01'), 0.25, 'Not started', ''])
    expect(tableRange(wb, 'Steps', 'body')?.numberFormat[1]?.slice(2, 4)).toEqual(['yyyy-mm-dd', '0%'])
  })

  it('refuses a row outside the table or a row of the wrong width', async () => {
    const wb = await loadedPlan()
    expect(updateTableRow(wb, 'Steps', 3, [null, null, null, null, null, null]).ok).toBe(false)
    expect(updateTableRow(wb, 'Steps', 0, [null]).ok).toBe(false)
    expect(updateTableRow(wb, 'Nope', 0, []).ok).toBe(false)
  })

  it('appends rows that take the formats and validation of the row above', async () => {
    const wb = await loadedPlan()
    const added = addTableRows(wb, 'Steps', [
      ['S-4', 'Review', '2025-07-15', '0.75', 'Not started', ''],
      ['S-5', 'Report', '2025-08-01', 0, 'Not started', 'later'],
    ])
    expect(added).toEqual({ ok: true, value: { index: 3 } })
    const body = tableRange(wb, 'Steps', 'body')
    expect(body?.address).toBe("'Plan Data'!B4:G8")
    expect(body?.values[3]).toEqual(['S-4', 'Review', serial('2025-07-15'), 0.75, 'Not started', ''])
    expect(body?.numberFormat[4]?.slice(2, 4)).toEqual(['yyyy-mm-dd', '0%'])
    expect(wb.getWorksheet('Plan Data')?.getCell('F8').dataValidation?.type).toBe('list')
  })

  it('inserts a row inside the table, moving only the rows below it within the table', async () => {
    const wb = await loadedPlan()
    expect(addTableRows(wb, 'Steps', [['S-1b', 'Inserted', '', '', '', '']], 1)).toEqual({ ok: true, value: { index: 1 } })
    expect(tableColumn(wb, 'Steps', 'StepId')?.values).toEqual([['StepId'], ['S-1'], ['S-1b'], ['S-2'], ['S-3']])
    expect(tableColumn(wb, 'Beside', 'Key')?.values).toEqual([['Key'], ['a'], ['b'], ['c'], ['d'], ['e']])
  })

  it('refuses to grow over a non-empty cell below the table, and changes nothing', async () => {
    const wb = await loadedPlan()
    const sheet = wb.getWorksheet('Plan Data')
    if (sheet) sheet.getCell('C8').value = 'notes below the table'
    const before = tableRange(wb, 'Steps', 'range')
    const result = addTableRows(wb, 'Steps', [
      ['S-4', '', '', '', '', ''],
      ['S-5', '', '', '', '', ''],
    ])
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toContain('C8')
    expect(tableRange(wb, 'Steps', 'range')).toEqual(before)
  })

  it('deletes a row, moving the rows below it up', async () => {
    const wb = await loadedPlan()
    expect(deleteTableRow(wb, 'Steps', 0).ok).toBe(true)
    expect(tableColumn(wb, 'Steps', 'StepId')?.values).toEqual([['StepId'], ['S-2'], ['S-3']])
    expect(worksheetRange(wb, 'Plan Data', 'B6:G6')?.values).toEqual([['', '', '', '', '', '']])
    expect(deleteTableRow(wb, 'Steps', 2).ok).toBe(false)
  })
})

describe('a table with a totals row', () => {
  async function withTotals(): Promise<ExcelJS.Workbook> {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Budget')
    ws.addTable({
      name: 'Costs',
      ref: 'A2',
      totalsRow: true,
      columns: [{ name: 'Item', totalsRowLabel: 'Total' }, { name: 'Amount', totalsRowFunction: 'sum' }],
      rows: [
        ['Licences', 100],
        ['Training', 50],
      ],
    })
    return (await roundTrip(wb)).wb
  }

  it('keeps the totals row out of the body and in the range', async () => {
    const wb = await withTotals()
    expect(findTable(wb, 'Costs')).toMatchObject({ rowCount: 2, showTotals: true })
    expect(tableRange(wb, 'Costs', 'body')?.address).toBe('Budget!A3:B4')
    expect(tableRange(wb, 'Costs', 'range')?.address).toBe('Budget!A2:B5')
    expect(tableColumn(wb, 'Costs', 'Item')?.values).toEqual([['Item'], ['Licences'], ['Training'], ['Total']])
  })

  it('adds rows above the totals row, which moves down with its formula', async () => {
    const wb = await withTotals()
    expect(addTableRows(wb, 'Costs', [['Travel', 25]]).ok).toBe(true)
    const { wb: reloaded, bytes } = await roundTrip(wb)
    expect(xmlAttributes(tableXml(bytes, 'Costs'), 'table')?.['ref']).toBe('A2:B6')
    expect(xmlAttributes(tableXml(bytes, 'Costs'), 'autoFilter')?.['ref']).toBe('A2:B5')
    expect(tableColumn(reloaded, 'Costs', 'Item')?.values).toEqual([['Item'], ['Licences'], ['Training'], ['Travel'], ['Total']])
    expect(reloaded.getWorksheet('Budget')?.getCell('B6').formula).toBe('SUBTOTAL(109,Costs[Amount])')
  })
})

describe('a workbook edited through these functions and saved by exceljs', () => {
  it('keeps its tables, their refs, columns and styles, the validations and the frozen panes', async () => {
    const wb = await loadedPlan()
    expect(updateTableRow(wb, 'Steps', 0, [null, 'Draft the survey', null, null, 'Done', null]).ok).toBe(true)
    expect(addTableRows(wb, 'Steps', [['S-4', 'Review', '2025-07-15', 0.2, 'Not started', '']]).ok).toBe(true)
    expect(addTableRows(wb, 'Beside', [['f', 6]]).ok).toBe(true)
    const { wb: reloaded, bytes } = await roundTrip(wb)

    const steps = tableXml(bytes, 'Steps')
    expect(xmlAttributes(steps, 'table')?.['ref']).toBe('B3:G7')
    expect(xmlAttributes(steps, 'table')?.['headerRowCount']).not.toBe('0')
    expect(xmlAttributes(steps, 'autoFilter')?.['ref']).toBe('B3:G7')
    expect(xmlAttributes(steps, 'tableStyleInfo')).toMatchObject({ name: 'TableStyleMedium9', showRowStripes: '1' })
    expect([...steps.matchAll(/<tableColumn\b[^>]*name="([^"]*)"/g)].map((m) => m[1])).toEqual(['StepId', 'Title', 'DueDate', 'PercentComplete', 'Status', 'Our notes'])
    expect(xmlAttributes(tableXml(bytes, 'Beside'), 'table')?.['ref']).toBe('J3:K9')

    expect(findTable(reloaded, 'Steps')).toMatchObject({ top: 3, left: 2, rowCount: 4 })
    expect(tableRange(reloaded, 'Steps', 'body')?.values).toEqual([
      ['S-1', 'Draft the survey', serial('2025-01-15'), 0.5, 'Done', 'keep'],
      ['S-2', 'Train leaders', serial('2025-03-01'), 0, 'Not started', ''],
      ['S-3', 'Publish results', serial('2025-06-30'), 1, 'Done', 'x'],
      ['S-4', 'Review', serial('2025-07-15'), 0.2, 'Not started', ''],
    ])
    expect(tableRange(reloaded, 'Steps', 'body')?.numberFormat[3]?.slice(2, 4)).toEqual(['yyyy-mm-dd', '0%'])
    const sheet = reloaded.getWorksheet('Plan Data')
    expect(sheet?.getCell('A1').value).toBe('Action steps, 2024-25')
    for (const address of ['F4', 'F7']) expect(sheet?.getCell(address).dataValidation).toMatchObject({ type: 'list', formulae: ['"Not started,In progress,Done"'] })
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 })
    expect(tableColumn(reloaded, 'Beside', 'Value')?.values).toEqual([['Value'], [1], [2], [3], [4], [5], [6]])
  })

  it('keeps the header row of a table whose file leaves headerRowCount to its default', async () => {
    const first = await roundTrip(planWorkbook())
    // Excel omits headerRowCount="1"; exceljs then believes the table has no header.
    const ws = first.wb.getWorksheet('Plan Data') as unknown as { tables: Record<string, { table: { headerRow?: boolean } }> }
    for (const t of Object.values(ws.tables)) t.table.headerRow = false
    expect(findTable(first.wb, 'Steps')?.rowCount).toBe(3)
    const { bytes } = await roundTrip(first.wb)
    expect(xmlAttributes(tableXml(bytes, 'Steps'), 'table')?.['headerRowCount']).toBe('1')
  })
})
