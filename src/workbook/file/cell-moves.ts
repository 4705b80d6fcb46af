import type ExcelJS from 'exceljs'

/** Cell surgery within a band of columns, so a table's neighbours left and right never move. */

type Validations = { model: Record<string, unknown> }

function validations(worksheet: ExcelJS.Worksheet): Validations {
  return (worksheet as unknown as { dataValidations: Validations }).dataValidations
}

function clone<T>(value: T): T {
  return structuredClone(value)
}

/**
 * A shared formula points at its master cell, which may move or stay behind: store the
 * formula as this cell's own, with its cached result.
 */
function movableValue(cell: ExcelJS.Cell): ExcelJS.CellValue {
  const value: unknown = cell.value
  if (typeof value === 'object' && value !== null && 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result
    return { formula: cell.formula, result } as ExcelJS.CellValue
  }
  if (typeof value === 'object' && value !== null && 'formula' in value) {
    const { formula, result } = value as { formula: string; result?: unknown }
    return { formula, result } as ExcelJS.CellValue
  }
  return value instanceof Date ? new Date(value.getTime()) : (clone(value) as ExcelJS.CellValue)
}

export function isEmptyCell(cell: ExcelJS.Cell): boolean {
  const value: unknown = cell.value
  return value === null || value === undefined || value === '' || cell.isMerged
}

/** Copies value, style and data validation of `from` onto `to`. */
export function copyCell(worksheet: ExcelJS.Worksheet, from: ExcelJS.Cell, to: ExcelJS.Cell): void {
  to.value = movableValue(from)
  to.style = clone(from.style)
  copyValidation(worksheet, from, to)
}

export function copyValidation(worksheet: ExcelJS.Worksheet, from: ExcelJS.Cell, to: ExcelJS.Cell): void {
  const model = validations(worksheet).model
  const rule = model[from.address]
  if (rule === undefined) delete model[to.address]
  else model[to.address] = clone(rule)
}

export function clearCell(worksheet: ExcelJS.Worksheet, cell: ExcelJS.Cell): void {
  cell.value = null
  cell.style = {}
  delete validations(worksheet).model[cell.address]
}

/** Moves rows `first..last` of the band down by `count` rows, bottom first so nothing is overwritten early. */
export function shiftBandDown(worksheet: ExcelJS.Worksheet, left: number, right: number, first: number, last: number, count: number): void {
  for (let row = last; row >= first; row -= 1) {
    for (let col = left; col <= right; col += 1) {
      copyCell(worksheet, worksheet.getCell(row, col), worksheet.getCell(row + count, col))
    }
  }
}

/** Moves rows `first..last` of the band up by one row; the vacated last row is cleared. */
export function shiftBandUp(worksheet: ExcelJS.Worksheet, left: number, right: number, first: number, last: number): void {
  for (let row = first; row <= last; row += 1) {
    for (let col = left; col <= right; col += 1) {
      copyCell(worksheet, worksheet.getCell(row, col), worksheet.getCell(row - 1, col))
    }
  }
  for (let col = left; col <= right; col += 1) clearCell(worksheet, worksheet.getCell(last, col))
}
