import { OfficeMockObject } from 'office-addin-mock'
import { describe, expect, it } from 'vitest'
import { findHeader, goToCell, keyText, parseSheetAddress, selectStepRow } from '../../../src/taskpane/office/navigate.ts'
import type { ExcelApi } from '../../../src/taskpane/office/office-api.ts'
import { boxAddress, cellAddressOf, columnLetters, quoteSheet } from '../../../src/workbook/a1.ts'
import { findColumn } from '../../../src/workbook/contract.ts'
import { keyText as contractKeyText } from '../../../src/workbook/write-plan.ts'

/**
 * "Show in sheet" and "Go to cell" (issue 11) against office-addin-mock's OfficeMockObject, which
 * follows Office.js's proxy model: a property reads as an error string until `load()` names it
 * and `context.sync()` runs ("Error, property was not loaded" / "Error, context.sync() was not
 * called"), where real Office.js throws PropertyNotLoaded. So every passing read below was loaded
 * and synced first.
 */

const NOT_SYNCED = 'Error, context.sync() was not called'

type Visibility = 'Visible' | 'Hidden' | 'VeryHidden'
type SheetSpec = { name: string; visibility?: Visibility; cells?: string[] }
type TableSpec = { name: string; sheet: string; headerRow: number; headers: string[]; rows: unknown[][]; hiddenRows?: number[] }
type Options = {
  /** The n-th context.sync() rejects with this (Office.js reports failures at sync). */
  failAt?: { sync: number; error: unknown }
  /** When false, context.sync() brings back no loaded values: a batch that forgot to load. */
  loads?: boolean
}

/**
 * A workbook as Excel.run sees it: `context.workbook.tables` and `.worksheets` with
 * getItemOrNullObject, each table's header row, data body (rowIndex, getColumn, getRow) and
 * worksheet. `log` records run, sync, Worksheet.activate and Range.select in order.
 */
function workbook(sheets: SheetSpec[], tables: TableSpec[], options: Options = {}) {
  const log: string[] = []
  const sheetData = (spec: SheetSpec) => ({
    name: spec.name,
    visibility: spec.visibility ?? 'Visible',
    activate() {
      log.push(`activate ${spec.name}`)
    },
    cells: Object.fromEntries(
      (spec.cells ?? []).map((ref) => {
        const address = `${quoteSheet(spec.name)}!${ref}`
        return [ref, { address, select: () => log.push(`select ${address}`) }]
      }),
    ),
    getRange(this: { cells: Record<string, unknown> }, ref: string) {
      const range = this.cells[ref]
      if (!range) throw new Error(`fixture: no range ${ref}`)
      return range
    },
  })
  const tableData = (spec: TableSpec) => {
    const sheet = sheets.find((s) => s.name === spec.sheet)
    if (!sheet) throw new Error(`fixture: no sheet ${spec.sheet}`)
    const last = columnLetters(spec.headers.length)
    const rowAddress = (i: number) => `${cellAddressOf(spec.sheet, spec.headerRow + 1 + i, 1)}:${last}${spec.headerRow + 1 + i}`
    return {
      worksheet: sheetData(sheet),
      header: { values: [spec.headers] },
      body: {
        // Range.rowIndex is 0-based: the body starts on the 1-based row after the header.
        rowIndex: spec.headerRow,
        columns: Object.fromEntries(spec.headers.map((_, c) => [String(c), { values: spec.rows.map((row) => [row[c] ?? '']) }])),
        rows: Object.fromEntries(
          spec.rows.map((_, i) => [String(i), { address: rowAddress(i), rowHidden: spec.hiddenRows?.includes(i) ?? false, select: () => log.push(`select ${rowAddress(i)}`) }]),
        ),
        getColumn(this: { columns: Record<string, unknown> }, c: number) {
          return this.columns[String(c)]
        },
        getRow(this: { rows: Record<string, unknown> }, i: number) {
          return this.rows[String(i)]
        },
      },
      getHeaderRowRange(this: { header: unknown }) {
        return this.header
      },
      getDataBodyRange(this: { body: unknown }) {
        return this.body
      },
    }
  }
  const data = {
    context: {
      workbook: {
        tables: {
          byName: Object.fromEntries(tables.map((t) => [t.name, tableData(t)])),
          none: {},
          getItemOrNullObject(this: { byName: Record<string, unknown>; none: unknown }, name: string) {
            return this.byName[name] ?? this.none
          },
        },
        worksheets: {
          byName: Object.fromEntries(sheets.map((s) => [s.name, sheetData(s)])),
          none: {},
          getItemOrNullObject(this: { byName: Record<string, unknown>; none: unknown }, name: string) {
            return this.byName[name] ?? this.none
          },
        },
      },
    },
    async run(this: { context: unknown }, batch: (context: unknown) => Promise<unknown>) {
      log.push('run')
      return batch(this.context)
    },
  }
  // The mock is untyped: it takes the shape of `data`.
  const mock: any = new OfficeMockObject(data)
  // isNullObject needs no load: Office.js sets it at context.sync() (OfficeExtension.ClientObject:
  // "You must call context.sync() before reading the isNullObject property"). Until then it reads as
  // the mock's not-synced error, so a read before the sync fails loudly.
  const { tables: tableMocks, worksheets: sheetMocks } = mock.context.workbook
  const nullables: [Record<string, unknown>, boolean][] = [
    ...tables.map((t): [Record<string, unknown>, boolean] => [tableMocks.byName[t.name], false]),
    ...sheets.map((s): [Record<string, unknown>, boolean] => [sheetMocks.byName[s.name], false]),
    [tableMocks.none, true],
    [sheetMocks.none, true],
  ]
  for (const [proxy] of nullables) proxy.isNullObject = NOT_SYNCED
  const context = mock.context
  const mockSync: () => Promise<void> = context.sync.bind(context)
  let syncs = 0
  context.sync = async () => {
    syncs += 1
    log.push('sync')
    if (options.failAt?.sync === syncs) throw options.failAt.error
    if (options.loads !== false) await mockSync()
    for (const [proxy, isNull] of nullables) proxy.isNullObject = isNull
  }
  return { excel: mock as ExcelApi, log, syncs: () => syncs }
}

const STEPS: TableSpec = {
  name: 'ActionSteps',
  sheet: 'Steps',
  headerRow: 3,
  headers: ['Step ID', 'WigId', 'Title', 'Status'],
  rows: [
    ['ST-0040', 'WIG-01', 'Hire two counselors', 'Done'],
    ['  ST-0041 ', 'WIG-04', 'Draft the rubric', 'In progress'],
    ['ST-0042', 'WIG-04', 'Pilot the rubric', ''],
    [43, 'WIG-02', 'A key typed as a number', ''],
    ['ST-0044', 'WIG-02', 'Filtered out', 'Blocked'],
  ],
  hiddenRows: [4],
}
const DUPLICATES: TableSpec = {
  name: 'CheckIns',
  sheet: 'Check-ins',
  headerRow: 1,
  headers: ['CheckInId', 'WigId', 'Date', 'Value'],
  rows: [
    ['CI-1', 'WIG-04', '2026-10-01', 48],
    ['CI-2', 'WIG-04', '2026-11-01', 45],
    ['CI-1 ', 'WIG-04', '2026-12-01', 42],
  ],
}
const SECRET: TableSpec = { name: 'Settings', sheet: 'Config', headerRow: 1, headers: ['Key', 'Value'], rows: [['OnTrackAt', 0.9]] }
const SHEETS: SheetSpec[] = [
  { name: 'Steps', cells: ['E14'] },
  { name: 'Check-ins' },
  { name: 'Config', visibility: 'Hidden' },
  { name: 'Action Steps', cells: ['E14', 'E14:F20'] },
  { name: "Bob's plan", cells: ['A1:C3'] },
  { name: 'Archive', visibility: 'VeryHidden', cells: ['A1'] },
]
const sample = (options?: Options) => workbook(SHEETS, [STEPS, DUPLICATES, SECRET], options)

/** The calls that move Excel's selection or view. */
const moves = (log: string[]) => log.filter((l) => l.startsWith('activate') || l.startsWith('select'))

describe('office-addin-mock, as these tests rely on it', () => {
  it('reads a property as an error string, not a throw, until it is loaded and synced', async () => {
    const range: any = new OfficeMockObject({ values: [['ST-0041']] })
    expect(range.values).toBe('Error, property was not loaded')
    range.load('values')
    expect(range.values).toBe(NOT_SYNCED)
    await range.sync()
    expect(range.values).toEqual([['ST-0041']])
  })
})

describe('selectStepRow: "Show in sheet" selects the step\'s row in its table (Excel JavaScript API)', () => {
  it('activates the table\'s worksheet, then selects the row holding the key (Worksheet.activate, Range.select)', async () => {
    const book = sample()
    const shown = await selectStepRow(book.excel, 'ActionSteps', 'StepId', 'ST-0042')
    // Header on row 3, data from row 4: the third data row is sheet row 6.
    expect(shown).toEqual({ ok: true, value: { sheet: 'Steps', address: 'Steps!A6:D6', row: 6, hidden: false } })
    expect(moves(book.log)).toEqual(['activate Steps', 'select Steps!A6:D6'])
    // The selection is sent by the last sync; nothing is queued after it.
    expect(book.log.at(-1)).toBe('sync')
  })

  it('takes four syncs: the table, its header and sheet, the key column, the selection', async () => {
    const book = sample()
    await selectStepRow(book.excel, 'ActionSteps', 'StepId', 'ST-0040')
    expect(book.syncs()).toBe(4)
    expect(book.log.filter((l) => l === 'run')).toHaveLength(1)
  })

  it('finds the key column as the contract matches headers (`Step ID` is StepId)', async () => {
    const book = sample()
    const shown = await selectStepRow(book.excel, 'ActionSteps', 'Step_Id', 'ST-0040')
    expect(shown.ok && shown.value.row).toBe(4)
  })

  it('compares keys exactly after trimming both sides: spaces around either do not matter, case does', async () => {
    expect(await selectStepRow(sample().excel, 'ActionSteps', 'StepId', ' ST-0041')).toMatchObject({ ok: true, value: { row: 5 } })
    expect(await selectStepRow(sample().excel, 'ActionSteps', 'StepId', 'st-0041')).toEqual({
      ok: false,
      error: { kind: 'unknownKey', table: 'ActionSteps', column: 'StepId', key: 'st-0041' },
    })
  })

  it('matches a key typed into Excel as a number by its text', async () => {
    expect(await selectStepRow(sample().excel, 'ActionSteps', 'StepId', '43')).toMatchObject({ ok: true, value: { row: 7 } })
  })

  it('selects a row a filter hides and says so (Range.rowHidden)', async () => {
    const book = sample()
    expect(await selectStepRow(book.excel, 'ActionSteps', 'StepId', 'ST-0044')).toEqual({
      ok: true,
      value: { sheet: 'Steps', address: 'Steps!A8:D8', row: 8, hidden: true },
    })
    expect(moves(book.log)).toEqual(['activate Steps', 'select Steps!A8:D8'])
  })

  it('refuses a table the workbook lacks (TableCollection.getItemOrNullObject), moving nothing', async () => {
    const book = sample()
    expect(await selectStepRow(book.excel, 'Measures', 'MeasureId', 'M-1')).toEqual({ ok: false, error: { kind: 'missingTable', table: 'Measures' } })
    expect(moves(book.log)).toEqual([])
    expect(book.syncs()).toBe(1)
  })

  it('refuses a table without the key column, moving nothing', async () => {
    const book = sample()
    expect(await selectStepRow(book.excel, 'ActionSteps', 'MeasureId', 'M-1')).toEqual({
      ok: false,
      error: { kind: 'missingColumn', table: 'ActionSteps', column: 'MeasureId' },
    })
    expect(moves(book.log)).toEqual([])
  })

  it('refuses a key no row holds, moving nothing', async () => {
    const book = sample()
    expect(await selectStepRow(book.excel, 'ActionSteps', 'StepId', 'ST-9999')).toEqual({
      ok: false,
      error: { kind: 'unknownKey', table: 'ActionSteps', column: 'StepId', key: 'ST-9999' },
    })
    expect(moves(book.log)).toEqual([])
  })

  it('refuses a blank key without asking Excel: blank key cells are rows to fix, not a match', async () => {
    const book = sample()
    expect(await selectStepRow(book.excel, 'ActionSteps', 'StepId', '  ')).toEqual({
      ok: false,
      error: { kind: 'unknownKey', table: 'ActionSteps', column: 'StepId', key: '  ' },
    })
    expect(book.log).toEqual([])
  })

  it('refuses a key held by several rows, naming their sheet rows, moving nothing', async () => {
    const book = sample()
    expect(await selectStepRow(book.excel, 'CheckIns', 'CheckInId', 'CI-1')).toEqual({
      ok: false,
      error: { kind: 'duplicateKey', table: 'CheckIns', column: 'CheckInId', key: 'CI-1', sheet: 'Check-ins', rows: [2, 4] },
    })
    expect(moves(book.log)).toEqual([])
  })

  it('refuses a table on a hidden sheet (Worksheet.visibility): activating it would fail, and unhiding is not ours to do', async () => {
    const book = sample()
    expect(await selectStepRow(book.excel, 'Settings', 'Key', 'OnTrackAt')).toEqual({
      ok: false,
      error: { kind: 'sheetHidden', sheet: 'Config', visibility: 'Hidden' },
    })
    expect(moves(book.log)).toEqual([])
  })

  it('returns an Office.js failure as its code and failing API, not a throw (OfficeExtension.Error)', async () => {
    const error = { name: 'RichApi.Error', code: 'InvalidOperationInCellEditMode', message: 'Excel is in cell-editing mode.', debugInfo: { errorLocation: 'Range.select' } }
    const book = sample({ failAt: { sync: 4, error } })
    expect(await selectStepRow(book.excel, 'ActionSteps', 'StepId', 'ST-0040')).toEqual({
      ok: false,
      error: { kind: 'officeError', code: 'InvalidOperationInCellEditMode', location: 'Range.select' },
    })
  })

  it('lets anything but an Office.js failure through: a bug is not worded as Excel\'s', async () => {
    const book = sample({ failAt: { sync: 2, error: new TypeError('x is not a function') } })
    await expect(selectStepRow(book.excel, 'ActionSteps', 'StepId', 'ST-0040')).rejects.toThrow(TypeError)
  })

  it('reads only what it loaded and synced: with loads that never land, it stops at the first read instead of comparing the mock\'s error string', async () => {
    const book = sample({ loads: false })
    await expect(selectStepRow(book.excel, 'ActionSteps', 'StepId', 'ST-0040')).rejects.toThrow(
      `Office.js gave "${NOT_SYNCED}" for Table ActionSteps: header row Range.values: load() it and context.sync() before reading it`,
    )
    expect(moves(book.log)).toEqual([])
  })
})

describe('goToCell: "Go to cell" for a workbook problem', () => {
  it('activates the sheet and selects the cell (Worksheet.getRange, Worksheet.activate, Range.select)', async () => {
    const book = sample()
    expect(await goToCell(book.excel, 'Steps!E14')).toEqual({ ok: true, value: { sheet: 'Steps', address: 'Steps!E14' } })
    expect(moves(book.log)).toEqual(['activate Steps', 'select Steps!E14'])
    expect(book.syncs()).toBe(3)
  })

  it('reads quoted sheet names, doubled apostrophes, $ signs and ranges', async () => {
    const book = sample()
    expect(await goToCell(book.excel, "'Action Steps'!$E$14")).toEqual({ ok: true, value: { sheet: 'Action Steps', address: "'Action Steps'!E14" } })
    expect(await goToCell(book.excel, "'Action Steps'!E14:F20")).toMatchObject({ ok: true, value: { address: "'Action Steps'!E14:F20" } })
    expect(await goToCell(book.excel, "'Bob''s plan'!a1:c3")).toEqual({ ok: true, value: { sheet: "Bob's plan", address: "'Bob''s plan'!A1:C3" } })
    expect(moves(book.log)).toEqual([
      'activate Action Steps',
      "select 'Action Steps'!E14",
      'activate Action Steps',
      "select 'Action Steps'!E14:F20",
      "activate Bob's plan",
      "select 'Bob''s plan'!A1:C3",
    ])
  })

  it.each([
    ['no sheet', 'E14'],
    ['no reference', 'Steps!'],
    ['an empty text', ''],
    ['a name, not a cell', 'Steps!Total'],
    ['row 0', 'Steps!A0'],
    ['past the last row', 'Steps!A1048577'],
    ['past the last column (XFD)', 'Steps!XFE1'],
    ['an unclosed quote', "'Action Steps!E14"],
    ['an unquoted apostrophe', "Bob's plan!A1"],
    ['two sheet separators', 'Steps!E14!F2'],
    ['three corners', 'Steps!A1:B2:C3'],
    ['a character no sheet name may hold', 'Q1/Q2!A1'],
  ])('refuses %s (%j) without asking Excel', async (_, address) => {
    const book = sample()
    expect(await goToCell(book.excel, address)).toEqual({ ok: false, error: { kind: 'badAddress', address } })
    expect(book.log).toEqual([])
  })

  it('refuses a sheet the workbook lacks (WorksheetCollection.getItemOrNullObject)', async () => {
    const book = sample()
    expect(await goToCell(book.excel, 'Measures!B2')).toEqual({ ok: false, error: { kind: 'missingSheet', sheet: 'Measures' } })
    expect(moves(book.log)).toEqual([])
  })

  it('refuses a hidden or very hidden sheet (Worksheet.visibility)', async () => {
    const book = sample()
    expect(await goToCell(book.excel, 'Config!A1')).toEqual({ ok: false, error: { kind: 'sheetHidden', sheet: 'Config', visibility: 'Hidden' } })
    expect(await goToCell(book.excel, 'Archive!A1')).toEqual({ ok: false, error: { kind: 'sheetHidden', sheet: 'Archive', visibility: 'VeryHidden' } })
    expect(moves(book.log)).toEqual([])
  })

  it('returns an Office.js failure as a value (OfficeExtension.Error)', async () => {
    const error = { code: 'AccessDenied', message: 'denied', debugInfo: {} }
    const book = sample({ failAt: { sync: 3, error } })
    expect(await goToCell(book.excel, 'Steps!E14')).toEqual({ ok: false, error: { kind: 'officeError', code: 'AccessDenied', location: null } })
  })

  it('reads only what it loaded and synced: with loads that never land, it stops instead of taking the mock\'s error string for a visibility', async () => {
    const book = sample({ loads: false })
    await expect(goToCell(book.excel, 'Steps!E14')).rejects.toThrow(`Office.js gave "${NOT_SYNCED}" for Worksheet Steps: visibility`)
    expect(moves(book.log)).toEqual([])
  })
})

describe('parseSheetAddress', () => {
  it.each(['Steps', 'Action Steps', "Bob's plan", 'R2C3', 'A1', '2026', 'Q1!', 'Plan.v2', 'Check-ins'])(
    'reads back how workbook/a1.ts spells a cell and a range on sheet %j',
    (sheet) => {
      expect(parseSheetAddress(cellAddressOf(sheet, 14, 5))).toEqual({ sheet, ref: 'E14' })
      expect(parseSheetAddress(boxAddress(sheet, { top: 2, left: 1, bottom: 20, right: 14 }))).toEqual({ sheet, ref: 'A2:N20' })
    },
  )

  it('accepts the corners of the grid', () => {
    expect(parseSheetAddress('Steps!A1:XFD1048576')).toEqual({ sheet: 'Steps', ref: 'A1:XFD1048576' })
  })
})

describe('the pane\'s copies of the contract\'s rules (the import guard keeps workbook/ from the pages)', () => {
  it.each([
    [['Step ID', 'WigId'], 'StepId'],
    [['step_id'], 'StepId'],
    [['Check-in Id'], 'CheckInId'],
    [['E-mail', 'Email'], 'Email'],
    [['E-mail'], 'Email'],
    [['Target Date', 'TargetDate'], 'TargetDate'],
    [['Title'], 'StepId'],
    [[], 'StepId'],
  ])('findHeader(%j, %j) is findColumn in workbook/contract.ts', (headers, column) => {
    expect(findHeader(headers, column)).toBe(findColumn(headers, column))
  })

  it.each([['ST-1'], ['  ST-1 '], [41], [0], [true], [''], ['\tCI-9\n']])('keyText(%j) is keyText in workbook/write-plan.ts', (value) => {
    expect(keyText(value)).toBe(contractKeyText(value))
  })
})
