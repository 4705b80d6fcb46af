/**
 * The error values a cell can show, as Excel spells them (the one list: the codec reports them as
 * broken cells, the server types them `Error` in `valueTypes`).
 */
export const EXCEL_ERRORS: readonly string[] = [
  '#NULL!',
  '#DIV/0!',
  '#VALUE!',
  '#REF!',
  '#NAME?',
  '#NUM!',
  '#N/A',
  '#GETTING_DATA',
  '#SPILL!',
  '#CALC!',
  '#FIELD!',
  '#BLOCKED!',
  '#CONNECT!',
  '#BUSY!',
  '#UNKNOWN!',
]

/** Is this text, exactly as stored, one of Excel's error values? */
export function isExcelError(text: string): boolean {
  return EXCEL_ERRORS.includes(text)
}
