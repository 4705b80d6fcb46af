import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { tableBlock, tableColumnBlock, worksheetBlock } from '../../../src/workbook/file/tables.ts'

/** Lazy range reads (the local server's workbookRange, resources/workbookrange.md): only what is asked, nothing added. */

function workbook(): { wb: ExcelJS.Workbook; ws: ExcelJS.Worksheet } {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('Data')
  ws.addTable({ name: 'T', ref: 'A1', headerRow: true, columns: [{ name: 'Key' }, { name: 'N' }], rows: [['a', 1], ['b', 2]] })
  ws.getCell('C2').value = { formula: 'B2*10', result: 10 }
  ws.getCell('C3').value = { sharedFormula: 'C2', result: 20 } as unknown as ExcelJS.CellValue
  return { wb, ws }
}

describe('cell blocks', () => {
  it('reads only the grids asked for', () => {
    const { wb } = workbook()
    const block = tableBlock(wb, 'T', 'body')
    expect(block).toMatchObject({ address: 'Data!A2:B3', rowIndex: 1, columnIndex: 0, rowCount: 2, columnCount: 2 })
    expect(block?.read(new Set(['values']))).toEqual({ values: [['a', 1], ['b', 2]] })
    expect(block?.read(new Set(['numberFormat', 'text']))).toEqual({ numberFormat: [['General', 'General'], ['General', 'General']], text: [['a', '1'], ['b', '2']] })
    expect(block?.read(new Set())).toEqual({})
  })

  it('never adds rows, cells or columns to the sheet while reading', () => {
    const { wb, ws } = workbook()
    const before = { rows: ws.rowCount, last: ws.lastRow?.number, columns: ws.columns?.length }
    const block = worksheetBlock(wb, 'data', 'A1:H5000')
    const grids = block?.read(new Set(['values', 'numberFormat', 'text', 'formulas']))
    expect(grids?.values).toHaveLength(5_000)
    expect(grids?.values?.[4_999]).toEqual(Array(8).fill(''))
    expect(block?.rowsHidden()).toBe(false)
    expect(block?.columnsHidden()).toBe(false)
    expect({ rows: ws.rowCount, last: ws.lastRow?.number, columns: ws.columns?.length }).toEqual(before)
    expect(ws.findRow(4_000)).toBeUndefined()
    expect(ws.findRow(1)?.findCell(8)).toBeUndefined()
  })

  it('gives "=" + the formula, shared ones translated, and the value elsewhere', () => {
    const { wb } = workbook()
    expect(worksheetBlock(wb, 'Data', 'B2:C3')?.read(new Set(['formulas', 'values']))).toEqual({
      values: [[1, 10], [2, 20]],
      formulas: [[1, '=B2*10'], [2, '=B3*10']],
    })
  })

  it("finds a table column's parts by name, case-insensitively and untrimmed, or by 1-based id", () => {
    const { wb } = workbook()
    expect(tableColumnBlock(wb, 'T', 'n', 'body')?.address).toBe('Data!B2:B3')
    expect(tableColumnBlock(wb, 'T', 'N', 'header')?.address).toBe('Data!B1')
    expect(tableColumnBlock(wb, 'T', '1', 'range')?.address).toBe('Data!A1:A3')
    expect(tableColumnBlock(wb, 'T', ' N', 'range')).toBeNull()
    expect(tableColumnBlock(wb, 'T', '3', 'range')).toBeNull()
  })
})
