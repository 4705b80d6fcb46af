import { readFileSync } from 'node:fs'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { runCli } from '../cli/run-cli.ts'

/**
 * Reading an exported packet back, apart from src/: exceljs for the cells, jszip for the parts as
 * stored. A packet sheet has a few lines of text, then a header row whose first cell is the first
 * column's name, then one row per record until the first empty row.
 */

export type SheetRows = { name: string; headerRow: number; headers: string[]; rows: Record<string, ExcelJS.CellValue>[]; cells: ExcelJS.Cell[][] }

export async function readPacket(file: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(file)
  return workbook
}

export function sheetRows(workbook: ExcelJS.Workbook, name: string, firstHeader: string): SheetRows {
  const sheet = workbook.getWorksheet(name)
  if (!sheet) throw new Error(`the packet has no sheet "${name}"; it has ${workbook.worksheets.map((s) => s.name).join(', ')}`)
  let headerRow = 0
  for (let r = 1; r <= 20 && headerRow === 0; r++) if (sheet.getRow(r).getCell(1).value === firstHeader) headerRow = r
  if (headerRow === 0) throw new Error(`sheet "${name}" has no header row starting with ${firstHeader}`)
  const header = sheet.getRow(headerRow)
  const headers: string[] = []
  // Up to the row's last cell: getCell past it would add a cell to the sheet.
  for (let c = 1; c <= header.cellCount && header.getCell(c).value !== null; c++) headers.push(String(header.getCell(c).value))
  const rows: Record<string, ExcelJS.CellValue>[] = []
  const cells: ExcelJS.Cell[][] = []
  for (let r = headerRow + 1; ; r++) {
    const row = sheet.getRow(r)
    const line = headers.map((_, i) => row.getCell(i + 1))
    if (line.every((cell) => cell.value === null || cell.value === undefined || cell.value === '')) break
    cells.push(line)
    rows.push(Object.fromEntries(headers.map((h, i) => [h, line[i]?.value ?? null])))
  }
  return { name, headerRow, headers, rows, cells }
}

/** Every cell's text in the workbook, for "nothing in it says …" checks. */
export function allText(workbook: ExcelJS.Workbook): string {
  const parts: string[] = []
  workbook.eachSheet((sheet) => {
    parts.push(sheet.name, sheet.headerFooter?.oddHeader ?? '', sheet.headerFooter?.oddFooter ?? '')
    sheet.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: false }, (cell) => void parts.push(cell.text)))
  })
  return parts.join('\n')
}

/** The stored parts of the .xlsx: every worksheet's XML, the shared strings and the styles, by path. */
export async function packetParts(file: string): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(readFileSync(file))
  const parts = new Map<string, string>()
  for (const path of Object.keys(zip.files).filter((p) => p.endsWith('.xml'))) parts.set(path, (await zip.file(path)?.async('string')) ?? '')
  return parts
}

export type StatusJson = {
  asOf: string
  wigs: { id: string; title: string; status: string; department: string; owner: string; ownerName: string; note: string; manual: boolean; steps: { total: number; done: number; overdue: number } }[]
}
export type StepsJson = { id: string | null; wigId: string; title: string; status: string }[]

/** `pm-workbook status SOURCE --as-of D --json`, in-process: the statuses the packet must show. */
export async function statusJson(file: string, asOf: string): Promise<StatusJson> {
  const run = await runCli(['status', file, '--as-of', asOf, '--json'])
  if (run.code !== 0) throw new Error(`status failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as StatusJson
}

/** `pm-workbook steps SOURCE --json`: every step, as the CLI lists it. */
export async function stepsJson(file: string, asOf: string): Promise<StepsJson> {
  const run = await runCli(['steps', file, '--as-of', asOf, '--json'])
  if (run.code !== 0) throw new Error(`steps failed: ${run.stderr}`)
  const parsed = JSON.parse(run.stdout) as StepsJson | { steps: StepsJson }
  return Array.isArray(parsed) ? parsed : parsed.steps
}

export const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/
