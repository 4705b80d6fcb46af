import { describe, expect, it } from 'vitest'
import { missingTables, readForSetUp, setUpWorkbook, SET_UP_TABLES } from '../../src/app/set-up.ts'
import type { ActionMeta } from '../../src/app/update-step.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { err, ok, type Result } from '../../src/domain/result.ts'
import { describeError } from '../../src/messages/errors.ts'
import { sampleDistrict } from '../../src/sample/district.ts'
import { TABLE_NAMES, type TableName } from '../../src/workbook/contract.ts'
import { headersOf } from '../../src/workbook/layout.ts'
import type { RawTable, RawWorkbook } from '../../src/workbook/raw.ts'
import type { CreateTables, CreateTablesError, StoreError, TablesCreated, WorkbookStore } from '../../src/workbook/store.ts'

/** setUpWorkbook as the task pane calls it: which tables, what rows, what the store is asked. */

const meta: ActionMeta = { by: 'ana@district.org', source: 'taskpane', changeId: 'c-1', at: new Date('2026-11-24T09:30:00Z') }

function tableOf(name: TableName): RawTable {
  return { name, headers: headersOf(name), rows: [] }
}

function workbookWith(names: readonly TableName[]): RawWorkbook {
  const tables: RawWorkbook['tables'] = {}
  for (const name of names) tables[name] = tableOf(name)
  return { tables, missing: TABLE_NAMES.filter((n) => !names.includes(n)) }
}

/** A store that records what it is asked to create and answers as told; it reads as told too. */
function recordingStore(answer: Result<TablesCreated, CreateTablesError> = ok({ applied: true, changeLogRows: 0, tables: [] }), read?: Result<RawWorkbook, StoreError>) {
  const asked: CreateTables[] = []
  const refuse = () => Promise.reject(new Error('not used by set up'))
  const store: WorkbookStore = {
    read: async () => read ?? ok(workbookWith([])),
    readRow: refuse,
    updateRow: refuse,
    appendRows: refuse,
    assignKey: refuse,
    createTables: async (command) => {
      asked.push(command)
      return answer
    },
    close: async () => undefined,
  }
  return { store, asked }
}

describe('missingTables', () => {
  it('lists the contract tables a read did not find, ChangeLog and Settings included, in contract order', () => {
    expect(missingTables(workbookWith(['People', 'WIGs', 'Strategies']))).toEqual(['Measures', 'CheckIns', 'ActionSteps', 'ChangeLog', 'Settings', 'Reminders'])
    expect(missingTables(workbookWith(TABLE_NAMES))).toEqual([])
    expect(missingTables({ tables: {}, missing: [] })).toEqual([...TABLE_NAMES])
  })
})

describe('setUpWorkbook', () => {
  it('asks the store for the missing tables only: header rows, and Settings with its default keys', async () => {
    const { store, asked } = recordingStore()
    const done = await setUpWorkbook(store, workbookWith(['People', 'ChangeLog']), { withSample: false }, meta)
    expect(done.ok && done.value.kind).toBe('created')
    expect(asked).toHaveLength(1)
    const command = asked[0]
    expect(command?.audit).toEqual({ changeId: 'c-1', at: '2026-11-24T09:30:00.000Z', by: 'ana@district.org', source: 'taskpane' })
    expect(command?.tables.map((t) => t.name)).toEqual(['Strategies', 'WIGs', 'Measures', 'CheckIns', 'ActionSteps', 'Settings', 'Reminders'])
    for (const t of command?.tables ?? []) expect(t.headers).toEqual(headersOf(t.name))
    expect(command?.tables.filter((t) => t.rows.length > 0).map((t) => t.name)).toEqual(['Settings'])
    // Key text is written as text (a leading apostrophe, GRAPH.md §3); numbers stay numbers.
    expect(command?.tables.find((t) => t.name === 'Settings')?.rows).toEqual([
      ["'DistrictName", ''],
      ["'PlanYear", ''],
      ["'OnTrackAt", 0.9],
      ["'AtRiskAt", 0.7],
      ["'StaleAfterDays", 30],
      ["'DueSoonDays", 7],
    ])
  })

  it("takes the sample's rows for the missing tables: dates left for Excel to type as dates, text kept as text", async () => {
    const sample = sampleDistrict('2026-11-24' as IsoDate)
    const { store, asked } = recordingStore()
    await setUpWorkbook(store, workbookWith(['People']), { withSample: true, sample: sample.tables }, meta)
    const tables = asked[0]?.tables ?? []
    expect(tables.map((t) => t.name)).toEqual(TABLE_NAMES.filter((n) => n !== 'People'))
    const wigs = tables.find((t) => t.name === 'WIGs')
    expect(wigs?.rows).toHaveLength(sample.tables.WIGs.rows.length)
    const at = (column: string) => headersOf('WIGs').indexOf(column)
    const first = sample.tables.WIGs.rows[0] ?? []
    expect(wigs?.rows[0]?.[at('TargetDate')]).toBe(first[at('TargetDate')])
    expect(wigs?.rows[0]?.[at('WigId')]).toBe(`'${String(first[at('WigId')])}`)
    expect(typeof first[at('TargetDate')]).toBe('string')
    const settings = tables.find((t) => t.name === 'Settings')?.rows ?? []
    expect(settings.find((r) => r[0] === "'PlanYear")?.[1]).toBe(`'${sample.planYear.label}`)
    expect(tables.find((t) => t.name === 'CheckIns')?.rows).toHaveLength(sample.tables.CheckIns.rows.length)
  })

  it('has nothing to do, and asks nothing, when every table is there', async () => {
    const { store, asked } = recordingStore()
    expect(await setUpWorkbook(store, workbookWith(TABLE_NAMES), { withSample: false }, meta)).toEqual({ ok: true, value: { kind: 'nothingToDo' } })
    expect(asked).toEqual([])
  })

  it('refuses a "by" that is not an email before asking the store', async () => {
    const { store, asked } = recordingStore()
    const done = await setUpWorkbook(store, workbookWith([]), { withSample: false }, { ...meta, by: 'Ana' })
    expect(done.ok).toBe(false)
    expect(asked).toEqual([])
  })

  it("passes the store's refusal on, worded once", async () => {
    const { store } = recordingStore(err({ kind: 'tableExists', table: 'WIGs', sheet: 'Goals' }))
    const done = await setUpWorkbook(store, workbookWith([]), { withSample: false }, meta)
    expect(!done.ok && done.error).toEqual({ kind: 'tableExists', table: 'WIGs', sheet: 'Goals' })
    if (!done.ok) expect(describeError(done.error)).toBe('The workbook already has a WIGs table (on the sheet Goals), so Set up did not make one. Refresh to see which tables are still missing.')
    expect(describeError({ kind: 'sheetTaken', table: 'CheckIns', sheet: 'Check-ins' })).toMatch(/^A sheet named Check-ins was added/)
  })
})

describe('readForSetUp', () => {
  it('reads every contract table, and takes "none of the tables found" for a workbook to set up', async () => {
    const none = recordingStore(undefined, err({ kind: 'notFound', tables: [...SET_UP_TABLES] }))
    expect(await readForSetUp(none.store)).toEqual({ ok: true, value: { tables: {}, missing: [...TABLE_NAMES] } })
    const gone = recordingStore(undefined, err({ kind: 'notFound', path: '/tmp/nowhere.xlsx' }))
    expect(await readForSetUp(gone.store)).toEqual({ ok: false, error: { kind: 'notFound', path: '/tmp/nowhere.xlsx' } })
  })
})
