import { exhaustiveSwitchError } from '../../domain/result.ts'
import { isExcelError } from '../../workbook/excel-errors.ts'
import type { CellBlock, CellGridName } from '../../workbook/file/tables.ts'
import type { CellValue } from '../../workbook/raw.ts'
import { selectedNames } from '../protocol/select.ts'

/** workbookRange JSON (res/workbookrange.md), built from a lazily read block of cells. */

/** Every property res/workbookrange.md lists, in its order. */
export const RANGE_PROPERTIES = [
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
] as const

export type RangeProperty = (typeof RANGE_PROPERTIES)[number]

/** The cell grid each grid property is made from. */
const GRID_OF: Partial<Record<RangeProperty, CellGridName>> = {
  formulas: 'formulas',
  formulasLocal: 'formulas',
  formulasR1C1: 'formulas',
  numberFormat: 'numberFormat',
  text: 'text',
  valueTypes: 'values',
  values: 'values',
}

/** valueTypes as res/excel.md lists them: Unknown, Empty, String, Integer, Double, Boolean, Error. */
function valueType(value: CellValue): string {
  if (value === '') return 'Empty'
  if (typeof value === 'boolean') return 'Boolean'
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Double'
  return isExcelError(value) ? 'Error' : 'String'
}

/** The properties a `$select` keeps (case-insensitive, unknown names ignored), all without one. */
export function selectedRangeProperties(select: string | null): RangeProperty[] {
  const wanted = selectedNames(select)
  return wanted === null ? [...RANGE_PROPERTIES] : RANGE_PROPERTIES.filter((p) => wanted.has(p.toLowerCase()))
}

/**
 * The fewest bytes the JSON of these properties can take: each cell of a grid property is at
 * least one character plus a separator. Lets a read that is bound to be over the response
 * limit be refused before it is built (a whole-sheet range would otherwise build billions of cells).
 */
export function minimumRangeBytes(block: CellBlock, properties: readonly RangeProperty[]): number {
  const grids = properties.filter((p) => GRID_OF[p] !== undefined).length
  return grids * 2 * block.rowCount * block.columnCount
}

/**
 * The range with only the given properties, reading only the cell grids they need. The
 * service's formulasLocal would be localized and formulasR1C1 in R1C1 style: here both repeat
 * `formulas` (DIFFERENCES.md). Hidden flags are true only when exceljs marks every row (or
 * column) of the range hidden.
 */
export function rangeJson(block: CellBlock, properties: readonly RangeProperty[] = RANGE_PROPERTIES): Record<string, unknown> {
  const grids = new Set(properties.map((p) => GRID_OF[p]).filter((g) => g !== undefined))
  const cells = block.read(grids)
  let rowHidden: boolean | undefined
  let columnHidden: boolean | undefined
  const rowsHidden = () => (rowHidden ??= block.rowsHidden())
  const columnsHidden = () => (columnHidden ??= block.columnsHidden())
  const property = (p: RangeProperty): unknown => {
    switch (p) {
      case 'address':
      case 'addressLocal':
        return block.address
      case 'cellCount':
        return block.rowCount * block.columnCount
      case 'columnCount':
        return block.columnCount
      case 'columnHidden':
        return columnsHidden()
      case 'columnIndex':
        return block.columnIndex
      case 'formulas':
      case 'formulasLocal':
      case 'formulasR1C1':
        return cells.formulas
      case 'hidden':
        return rowsHidden() || columnsHidden()
      case 'numberFormat':
        return cells.numberFormat
      case 'rowCount':
        return block.rowCount
      case 'rowHidden':
        return rowsHidden()
      case 'rowIndex':
        return block.rowIndex
      case 'text':
        return cells.text
      case 'valueTypes':
        return cells.values?.map((row) => row.map(valueType))
      case 'values':
        return cells.values
      default:
        return exhaustiveSwitchError(p, 'range property')
    }
  }
  return Object.fromEntries(properties.map((p) => [p, property(p)]))
}
