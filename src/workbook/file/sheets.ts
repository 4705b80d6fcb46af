import type ExcelJS from 'exceljs'
import { err, ok, type Result } from '../../domain/result.ts'
import { MAX_SHEET_NAME } from '../new-tables.ts'

/**
 * Worksheets as Graph describes them (res/workbookworksheet.md: id, name, position, visibility) on
 * an in-memory exceljs workbook, no I/O: the local server lists and adds them through here.
 */

export type WorksheetInfo = { id: string; name: string; position: number; visibility: 'Visible' | 'Hidden' | 'VeryHidden' }

/**
 * "A value that uniquely identifies the worksheet … the same even when the worksheet is renamed
 * or moved" (res/workbookworksheet.md): built from the sheet number the file keeps, in the braced
 * GUID form the service uses.
 */
export function worksheetId(worksheet: ExcelJS.Worksheet): string {
  return `{00000000-0001-0000-0000-${worksheet.id.toString(16).toUpperCase().padStart(12, '0')}}`
}

function visibility(worksheet: ExcelJS.Worksheet): WorksheetInfo['visibility'] {
  switch (worksheet.state) {
    case 'hidden':
      return 'Hidden'
    case 'veryHidden':
      return 'VeryHidden'
    default:
      return 'Visible'
  }
}

export function listWorksheets(wb: ExcelJS.Workbook): WorksheetInfo[] {
  return wb.worksheets.map((worksheet, position) => ({ id: worksheetId(worksheet), name: worksheet.name, position, visibility: visibility(worksheet) }))
}

/** A sheet by name (ignoring case, as Excel compares sheet names) or by id, as Graph paths take `{id|name}`. */
export function findWorksheet(wb: ExcelJS.Workbook, idOrName: string): ExcelJS.Worksheet | null {
  const wanted = idOrName.toLowerCase()
  return wb.worksheets.find((ws) => ws.name.toLowerCase() === wanted) ?? wb.worksheets.find((ws) => worksheetId(ws).toLowerCase() === wanted) ?? null
}

/** Why Excel would refuse a sheet name (its rules; exceljs enforces the same ones by throwing). */
export type SheetNameProblem = 'blank' | 'tooLong' | 'character' | 'apostrophe' | 'reserved'

export function sheetNameProblem(name: string): SheetNameProblem | null {
  if (name.trim() === '') return 'blank'
  if (name.length > MAX_SHEET_NAME) return 'tooLong'
  if (/[*?:/\\[\]]/.test(name)) return 'character'
  if (name.startsWith("'") || name.endsWith("'")) return 'apostrophe'
  if (name.toLowerCase() === 'history') return 'reserved'
  return null
}

export type AddSheetRefusal = { kind: 'exists'; name: string } | { kind: 'badName'; name: string; problem: SheetNameProblem }

/**
 * Adds an empty sheet after the others (api/worksheetcollection-add.md). Without a name, the first
 * free `SheetN` from the sheet count up, as Excel names a new sheet.
 */
export function addWorksheet(wb: ExcelJS.Workbook, name: string | null): Result<WorksheetInfo, AddSheetRefusal> {
  let chosen = name
  if (chosen === null) {
    for (let n = wb.worksheets.length + 1; chosen === null; n += 1) if (!findWorksheet(wb, `Sheet${n}`)) chosen = `Sheet${n}`
  }
  const problem = sheetNameProblem(chosen)
  if (problem !== null) return err({ kind: 'badName', name: chosen, problem })
  if (wb.worksheets.some((ws) => ws.name.toLowerCase() === chosen.toLowerCase())) return err({ kind: 'exists', name: chosen })
  const worksheet = wb.addWorksheet(chosen)
  const info = listWorksheets(wb).find((s) => s.id === worksheetId(worksheet))
  if (!info) throw new Error(`The new sheet ${chosen} is not in the workbook`)
  return ok(info)
}
