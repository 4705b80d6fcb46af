/**
 * exceljs's `isDateFmt`: a number cell whose format passes it is read as a Date (then turned
 * back into a serial, cell-read.ts). The same test here keeps both readers on the same cells.
 */
export function isDateFmt(format: string): boolean {
  if (!format) return false
  const bare = format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '')
  return /[ymdhMsb]+/.test(bare)
}
