import { parseRangeAddress, type CellValue } from '../../workbook/raw.ts'
import type { RangeData } from '../../workbook/file/tables.ts'

/** workbookRange JSON (res/workbookrange.md) from what the file adapter read. */

const ERROR_TEXTS = ['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA', '#SPILL!', '#CALC!']

/** valueTypes as res/excel.md lists them: Unknown, Empty, String, Integer, Double, Boolean, Error. */
function valueType(value: CellValue): string {
  if (value === '') return 'Empty'
  if (typeof value === 'boolean') return 'Boolean'
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Double'
  return ERROR_TEXTS.includes(value) ? 'Error' : 'String'
}

export function rangeJson(range: RangeData): Record<string, unknown> {
  const topLeft = parseRangeAddress(range.address)
  return {
    address: range.address,
    addressLocal: range.address,
    cellCount: range.rowCount * range.columnCount,
    columnCount: range.columnCount,
    columnIndex: topLeft ? topLeft.column - 1 : 0,
    rowCount: range.rowCount,
    rowIndex: topLeft ? topLeft.row - 1 : 0,
    // The file adapter reads results, not formulas: `formulas` repeats the values (DIFFERENCES.md).
    formulas: range.values,
    numberFormat: range.numberFormat,
    text: range.text,
    values: range.values,
    valueTypes: range.values.map((row) => row.map(valueType)),
  }
}
