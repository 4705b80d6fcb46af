import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IsoDate } from '../../src/domain/dates.ts'
import { WIG_STATUSES } from '../../src/domain/model.ts'
import { planReport } from '../../src/domain/report.ts'
import { sampleDistrict } from '../../src/sample/district.ts'
import { TABLE_LAYOUTS } from '../../src/workbook/layout.ts'
import { writeTemplateWorkbook } from '../../src/workbook/file/template.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { decodePlan } from '../../src/workbook/codec.ts'
import { TABLE_NAMES, type TableName } from '../../src/workbook/contract.ts'
import { openFileStore } from '../../src/workbook/file/file-store.ts'
import { formatProblem } from '../../src/workbook/problem.ts'
import { columnLetters } from '../../src/workbook/a1.ts'
import { describeError } from '../../src/messages/errors.ts'

const AS_OF = '2026-01-12' as IsoDate
let dir = ''

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmw-sample-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Each table part's name and ref, read straight from the .xlsx package as Excel would. */
async function tableRefs(path: string): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(await readFile(path))
  const refs = new Map<string, string>()
  for (const file of Object.keys(zip.files).filter((f) => /^xl\/tables\/table\d+\.xml$/.test(f))) {
    const xml = (await zip.file(file)?.async('string')) ?? ''
    const name = /<table [^>]*\bname="([^"]+)"/.exec(xml)?.[1] ?? ''
    const ref = /<table [^>]*\bref="([^"]+)"/.exec(xml)?.[1] ?? ''
    refs.set(name, ref)
  }
  return refs
}

async function open(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(path)
  return workbook
}

function sheetOf(workbook: ExcelJS.Workbook, table: TableName): ExcelJS.Worksheet {
  const sheet = workbook.getWorksheet(TABLE_LAYOUTS[table].sheet)
  if (!sheet) throw new Error(`no sheet for ${table}`)
  return sheet
}

/** The workbook as `pm-workbook check` reads it: through the file store, then the codec. */
async function decodeFile(path: string) {
  const store = openFileStore(path)
  const read = await store.read(TABLE_NAMES)
  await store.close()
  if (!read.ok) throw new Error(describeError(read.error))
  const { plan, problems } = decodePlan(read.value)
  return { plan, problems: problems.map(formatProblem) }
}

function headerRow(sheet: ExcelJS.Worksheet, count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(sheet.getRow(1).getCell(i + 1).value))
}

function expectDropDowns(workbook: ExcelJS.Workbook, lastDataRow: (table: TableName) => number): void {
  for (const [table, column] of [
    ['WIGs', 'Kind'],
    ['WIGs', 'Direction'],
    ['Measures', 'Type'],
    ['ActionSteps', 'Status'],
  ] as const) {
    const layout = TABLE_LAYOUTS[table]
    const index = layout.columns.findIndex((c) => c.header === column) + 1
    const sheet = sheetOf(workbook, table)
    for (const row of [2, lastDataRow(table), lastDataRow(table) + 100]) {
      const validation = sheet.getCell(row, index).dataValidation
      expect(validation?.type, `${table}.${column} row ${row}`).toBe('list')
      for (const choice of layout.columns[index - 1]?.choices ?? []) expect(validation?.formulae?.[0]).toContain(choice)
    }
  }
}

describe('the empty template', () => {
  it('holds the eight contract tables, each on its own sheet with its headers and one blank row', async () => {
    const path = join(dir, 'template.xlsx')
    await writeTemplateWorkbook(path)
    const refs = await tableRefs(path)
    expect([...refs.keys()].sort()).toEqual([...TABLE_NAMES].sort())
    const workbook = await open(path)
    for (const name of TABLE_NAMES) {
      const columns = TABLE_LAYOUTS[name].columns
      expect(refs.get(name)).toBe(`A1:${columnLetters(columns.length)}2`)
      const sheet = sheetOf(workbook, name)
      expect(headerRow(sheet, columns.length)).toEqual(columns.map((c) => c.header))
      expect(sheet.getRow(2).values).toEqual([])
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    }
    expectDropDowns(workbook, () => 2)
  })

  it('reads back through the file store as an empty plan with no problems', async () => {
    const path = join(dir, 'template-read.xlsx')
    await writeTemplateWorkbook(path)
    const { plan, problems } = await decodeFile(path)
    expect(problems).toEqual([])
    expect([plan.strategies, plan.wigs, plan.measures, plan.checkIns, plan.steps, plan.people]).toEqual([[], [], [], [], [], []])
  })

  it('replaces a file already at the path and leaves no temporary file behind', async () => {
    const path = join(dir, 'replaced.xlsx')
    await writeFile(path, 'not a workbook')
    await writeTemplateWorkbook(path)
    expect((await open(path)).worksheets).toHaveLength(9)
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })
})

describe('the sample workbook', () => {
  const data = sampleDistrict(AS_OF)
  const path = () => join(dir, 'sample.xlsx')

  beforeAll(async () => {
    await writeSampleWorkbook(path(), AS_OF)
  })

  it('has each table’s ref cover its header and every data row', async () => {
    const refs = await tableRefs(path())
    for (const name of TABLE_NAMES) {
      const { headers, rows } = data.tables[name]
      expect(refs.get(name), name).toBe(`A1:${columnLetters(headers.length)}${Math.max(rows.length, 1) + 1}`)
    }
  })

  it('opens with exceljs holding the same cells, dates as real dates formatted yyyy-mm-dd', async () => {
    const workbook = await open(path())
    for (const name of TABLE_NAMES) {
      const sheet = sheetOf(workbook, name)
      const { headers, rows } = data.tables[name]
      expect(headerRow(sheet, headers.length)).toEqual(headers)
      const kinds = TABLE_LAYOUTS[name].columns.map((c) => c.kind)
      rows.forEach((row, r) => {
        row.forEach((value, c) => {
          const cell = sheet.getCell(r + 2, c + 1)
          if (kinds[c] === 'date' && value !== '') {
            expect(cell.value).toEqual(new Date(`${String(value)}T00:00:00Z`))
            expect(cell.numFmt).toBe('yyyy-mm-dd')
          } else {
            expect(cell.value ?? '').toEqual(value)
          }
        })
      })
    }
  })

  it('reads back through the file store with no problems and every WIG status', async () => {
    const { plan, problems } = await decodeFile(path())
    expect(problems).toEqual([])
    expect(plan.steps).toHaveLength(data.tables.ActionSteps.rows.length)
    const shown = new Set(planReport(plan, AS_OF).wigs.map((w) => w.computedStatus))
    expect([...WIG_STATUSES].filter((s) => !shown.has(s))).toEqual([])
  })

  it('guides Kind, Direction, Type and Status with drop-downs beyond the last row', async () => {
    const workbook = await open(path())
    expectDropDowns(workbook, (table) => data.tables[table].rows.length + 1)
  })

  it('wraps long text and sizes its columns', async () => {
    const sheet = sheetOf(await open(path()), 'WIGs')
    const title = TABLE_LAYOUTS.WIGs.columns.findIndex((c) => c.header === 'Title') + 1
    expect(sheet.getCell(2, title).alignment?.wrapText).toBe(true)
    expect(sheet.getColumn(title).width).toBeGreaterThanOrEqual(40)
  })
})
