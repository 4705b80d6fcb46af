import { exhaustiveSwitchError } from '../../domain/result.ts'
import type { GoToCellError, ShowRowError } from './navigate.ts'

/** What Excel could not do, in a sentence with what to try; the values carry data only. */
export function describeExcelProblem(error: ShowRowError | GoToCellError): string {
  switch (error.kind) {
    case 'missingTable':
      return `This workbook has no ${error.table} table, so the step cannot be shown in the sheet.`
    case 'missingColumn':
      return `The ${error.table} table has no ${error.column} column, so the step cannot be found in the sheet.`
    case 'unknownKey':
      return `No row of ${error.table} has ${error.column} ${error.key} in this workbook; it may have been renamed. Refresh the pane.`
    case 'duplicateKey':
      return `${error.column} ${error.key} is on more than one row of ${error.sheet} (rows ${error.rows.join(', ')}); give each row its own ${error.column}.`
    case 'sheetHidden':
      return `The sheet ${error.sheet} is hidden; unhide it to see the cell.`
    case 'badAddress':
      return `${error.address} is not a cell address Excel can go to.`
    case 'missingSheet':
      return `This workbook has no sheet named ${error.sheet}.`
    case 'officeError':
      return error.code === 'InvalidOperationInCellEditMode'
        ? 'Finish editing the cell in Excel, then try again.'
        : `Excel could not do that (${error.code}). Try again.`
    default:
      return exhaustiveSwitchError(error, 'Excel problem')
  }
}
