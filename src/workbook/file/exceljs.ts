import type ExcelJS from 'exceljs'

/**
 * exceljs, loaded the first time a command needs it (a save, a workbook our reader does not model,
 * a new workbook): commands that only read go through xlsx/read-tables.ts and never pay for
 * loading it (about a quarter of a second, and its memory).
 */
let loading: Promise<typeof ExcelJS> | null = null

export function loadExcelJS(): Promise<typeof ExcelJS> {
  loading ??= import('exceljs').then((module) => module.default)
  return loading
}
