import { describe, expect, it } from 'vitest'
import { excelSerialFromIso, parseIsoDate, type IsoDate } from '../../src/domain/dates.ts'
import { CONTRACT, findColumn, TABLE_NAMES, type TableName } from '../../src/workbook/contract.ts'
import { isDateFormat } from '../../src/workbook/number-format.ts'
import type { CellValue, RawTable, RawWorkbook } from '../../src/workbook/raw.ts'
import type { AssignKey, Audit, UpdateRow, WorkbookStore } from '../../src/workbook/store.ts'
import { asTypedText } from '../../src/workbook/typed-text.ts'
import { createContractWorkbook, FIXTURE, type FixtureOptions, type FixtureWorkbook } from '../fixtures/contract-workbook.ts'
import { blankKeyCells } from './keyless-rows.ts'

/**
 * The behaviour every WorkbookStore backend must show (after unjs/unstorage's testDriver):
 * each backend registers the whole suite in a few lines and declares what it cannot do.
 */

export type Backend = {
  store: WorkbookStore
  /** a fresh store on the same workbook, to check what persisted */
  reopen(): Promise<WorkbookStore>
  cleanup(): Promise<void>
}


const serial = (iso: string): number => excelSerialFromIso(parseIsoDate(iso) as IsoDate)

const audit = (changeId: string): Audit => ({ changeId, at: '2025-02-03T09:30:00Z', by: 'ana@district.org', source: 'contract-suite' })

function expectOk<T, E>(result: { ok: true; value: T } | { ok: false; error: E }): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`)
  return result.value
}

function table(workbook: RawWorkbook, name: TableName): RawTable {
  const found = workbook.tables[name]
  if (!found) throw new Error(`the read returned no ${name} table`)
  return found
}

function cell(t: RawTable, row: CellValue[] | undefined, column: string): CellValue | undefined {
  return row?.[findColumn(t.headers, column)]
}

/** Sheet row of a data row, as the store names it in errors. */
function sheetRowOf(t: RawTable, index: number): number {
  return t.origin ? t.origin.row + 1 + index : index + 2
}

function rowByKey(t: RawTable, key: string): CellValue[] | undefined {
  const keyColumn = CONTRACT[t.name].key ?? ''
  return t.rows.find((row) => cell(t, row, keyColumn) === key)
}

/** ChangeLog rows as records keyed by contract column name. */
function logRecords(t: RawTable): Record<string, CellValue | undefined>[] {
  const columns = [...CONTRACT.ChangeLog.required, ...CONTRACT.ChangeLog.optional]
  return t.rows.map((row) => Object.fromEntries(columns.map((c) => [c, cell(t, row, c)])))
}

async function readAll(store: WorkbookStore, tables: readonly TableName[] = TABLE_NAMES): Promise<RawWorkbook> {
  return expectOk(await store.read(tables))
}

const setStatus = (key: string, seen: string, value: string, changeId: string): UpdateRow => ({
  table: 'ActionSteps',
  key,
  changes: [{ column: 'Status', seen, value: asTypedText(value) }],
  audit: audit(changeId),
})

const newCheckIn = (changeId: string) => ({
  table: 'CheckIns' as const,
  rows: [{ CheckInId: 'C-3', WigId: 'W-1', Date: '2025-03-01', Value: 0.5, Note: asTypedText('spring survey') }],
  audit: audit(changeId),
})

/** The rows the suite empties the key cell of, as a person typing a row into Excel would leave it. */
const KEYLESS = { step: FIXTURE.stepNotStarted, checkIn: 'C-2' } as const

/** The data row (0-based) typed without its key, and its cells as read. */
function keylessRow(t: RawTable): { index: number; seen: CellValue[] } {
  const keyIndex = findColumn(t.headers, CONTRACT[t.name].key ?? '')
  const index = t.rows.findIndex((row) => row[keyIndex] === '' && row.some((v) => v !== ''))
  const seen = t.rows[index]
  if (!seen) throw new Error(`the fixture has no keyless ${t.name} row`)
  return { index, seen }
}

const assign = (t: RawTable, key: string, changeId: string, at?: { index: number; seen: CellValue[] }): AssignKey => {
  const { index, seen } = at ?? keylessRow(t)
  return { table: t.name, index, seen, key, audit: audit(changeId) }
}

export function describeWorkbookStore(name: string, open: (workbook: FixtureWorkbook) => Promise<Backend>): void {
  /** Runs a test on a backend over a fresh fixture, and removes both afterwards. */
  async function withBackend(options: FixtureOptions & { keyless?: boolean }, run: (backend: Backend) => Promise<void>): Promise<void> {
    const fixture = await createContractWorkbook(options)
    if (options.keyless) {
      const rows = [
        { table: 'ActionSteps', key: KEYLESS.step },
        { table: 'CheckIns', key: KEYLESS.checkIn },
      ] as const
      // A table whose key column the test dropped has no key cell to empty.
      await blankKeyCells(fixture.path, rows.filter(({ table }) => !options.dropColumns?.[table]?.includes(CONTRACT[table].key ?? '')))
    }
    try {
      const backend = await open(fixture)
      try {
        await run(backend)
      } finally {
        await backend.store.close()
        await backend.cleanup()
      }
    } finally {
      await fixture.remove()
    }
  }

  /** What a refused write must leave behind: the same tables as before it. */
  async function expectUnchanged(backend: Backend, before: RawWorkbook, tables: readonly TableName[]): Promise<void> {
    const after = await readAll(await backend.reopen(), tables)
    for (const t of tables) expect(table(after, t).rows).toEqual(table(before, t).rows)
  }

  describe(`WorkbookStore over ${name}`, () => {
    it('reads every contract table in one call, in the raw shape Graph returns', async () => {
      await withBackend({}, async ({ store }) => {
        const workbook = await readAll(store)
        // The fixture is a district workbook from before the optional Reminders table.
        expect(workbook.missing).toEqual(['Reminders'])
        expect(Object.keys(workbook.tables).sort()).toEqual(TABLE_NAMES.filter((n) => n !== 'Reminders').sort())
        const steps = table(workbook, 'ActionSteps')
        expect(steps.headers).toEqual(['StepId', 'WigId', 'Title', FIXTURE.extraActionStepColumn, 'Owner', 'Due Date', 'Status', 'Notes'])
        expect(steps.rows.map((r) => r[0])).toEqual(['S-1', 'S-2', 'S-3'])
        expect(cell(steps, rowByKey(steps, 'S-2'), 'DueDate')).toBe(serial('2025-04-01'))

        const wigs = table(workbook, 'WIGs')
        const w1 = rowByKey(wigs, 'W-1')
        expect(cell(wigs, w1, 'TargetDate')).toBe(serial(FIXTURE.wigTargetDate))
        expect(cell(wigs, w1, 'Baseline')).toBe(0.18)
        expect(cell(wigs, rowByKey(wigs, 'W-2'), 'Baseline')).toBe('')
        if (wigs.numberFormats) expect(isDateFormat(wigs.numberFormats[0]?.[findColumn(wigs.headers, 'TargetDate')])).toBe(true)
        if (steps.origin) expect(steps.origin).toEqual({ sheet: 'Action Steps', row: 3, column: 2 })

        const checkIns = table(workbook, 'CheckIns')
        expect(cell(checkIns, rowByKey(checkIns, 'C-1'), 'Verified')).toBe(true)
        expect(table(workbook, 'Settings').rows).toContainEqual(['OnTrackAt', 0.9])
      })
    })

    it('lists a table that is not in the workbook as missing and still reads the others', async () => {
      await withBackend({ omitTables: ['Settings'] }, async ({ store }) => {
        const workbook = await readAll(store)
        expect(workbook.missing).toEqual(['Settings', 'Reminders'])
        expect(workbook.tables.Settings).toBeUndefined()
        expect(table(workbook, 'People').rows).toHaveLength(2)
      })
    })

    it('changes only the named cells of the row found by key, logs each change, and keeps it after reopening', async () => {
      await withBackend({}, async (backend) => {
        const before = await readAll(backend.store)
        const receipt = await backend.store.updateRow({
          table: 'ActionSteps',
          key: FIXTURE.stepNotStarted,
          changes: [
            { column: 'Status', seen: 'Not started', value: asTypedText('In progress') },
            { column: 'Notes', seen: 'needs data', value: asTypedText('data arrived') },
          ],
          audit: audit('chg-1'),
        })
        expect(expectOk(receipt)).toEqual({ applied: true, changeLogRows: 2 })

        const after = await readAll(await backend.reopen())
        const steps = table(after, 'ActionSteps')
        const stepsBefore = table(before, 'ActionSteps')
        const expected = stepsBefore.rows.map((row) => [...row])
        const index = stepsBefore.rows.findIndex((r) => r[0] === FIXTURE.stepNotStarted)
        const changed = expected[index] ?? []
        changed[findColumn(steps.headers, 'Status')] = 'In progress'
        changed[findColumn(steps.headers, 'Notes')] = 'data arrived'
        expect(steps.rows).toEqual(expected)
        for (const other of ['Strategies', 'WIGs', 'CheckIns', 'People'] as const) expect(table(after, other).rows).toEqual(table(before, other).rows)

        const log = logRecords(table(after, 'ChangeLog'))
        expect(log).toHaveLength(FIXTURE.changeLogRows + 2)
        expect(log.slice(-2)).toEqual([
          expect.objectContaining({ Table: 'ActionSteps', Key: 'S-2', Column: 'Status', OldValue: 'Not started', NewValue: 'In progress', ChangeId: 'chg-1', By: 'ana@district.org' }),
          expect.objectContaining({ Table: 'ActionSteps', Key: 'S-2', Column: 'Notes', OldValue: 'needs data', NewValue: 'data arrived', ChangeId: 'chg-1' }),
        ])
      })
    })

    it('returns both versions and writes nothing when a cell changed since the user read it', async () => {
      await withBackend({}, async (backend) => {
        const before = await readAll(backend.store)
        const result = await backend.store.updateRow(setStatus(FIXTURE.stepInProgress, 'Not started', 'Done', 'chg-2'))
        expect(result.ok).toBe(false)
        if (!result.ok && result.error.kind === 'conflict') {
          expect(result.error.conflicts).toEqual([{ column: 'Status', seen: 'Not started', now: 'In progress', value: asTypedText('Done') }])
        } else {
          expect.fail(`expected a conflict, got ${JSON.stringify(result)}`)
        }
        await expectUnchanged(backend, before, ['ActionSteps', 'ChangeLog'])
      })
    })

    it('refuses a key that is not in the table and writes nothing', async () => {
      await withBackend({}, async (backend) => {
        const before = await readAll(backend.store)
        const result = await backend.store.updateRow(setStatus('S-999', 'Not started', 'Done', 'chg-3'))
        expect(result.ok ? null : result.error).toMatchObject({ kind: 'missingKey', table: 'ActionSteps', key: 'S-999' })
        await expectUnchanged(backend, before, ['ActionSteps', 'ChangeLog'])
      })
    })

    it('refuses a key found on two rows and writes nothing', async () => {
      await withBackend({ duplicateKey: true }, async (backend) => {
        const before = await readAll(backend.store)
        const result = await backend.store.updateRow(setStatus(FIXTURE.duplicateKey, 'Not started', 'Done', 'chg-4'))
        expect(result.ok ? null : result.error).toMatchObject({ kind: 'duplicateKey', key: FIXTURE.duplicateKey })
        if (!result.ok && result.error.kind === 'duplicateKey') expect(result.error.rows).toHaveLength(2)
        await expectUnchanged(backend, before, ['ActionSteps', 'ChangeLog'])
      })
    })

    it('appends rows with a ChangeLog row per filled cell, leaving extra columns empty', async () => {
      await withBackend({}, async (backend) => {
        const receipt = expectOk(await backend.store.appendRows(newCheckIn('chg-5')))
        expect(receipt).toEqual({ applied: true, changeLogRows: 5 })

        const after = await readAll(await backend.reopen())
        const checkIns = table(after, 'CheckIns')
        expect(checkIns.rows).toHaveLength(3)
        const added = rowByKey(checkIns, 'C-3')
        expect(cell(checkIns, added, 'Date')).toBe(serial('2025-03-01'))
        expect(cell(checkIns, added, 'Value')).toBe(0.5)
        expect(cell(checkIns, added, 'Note')).toBe('spring survey')
        expect(cell(checkIns, added, 'MeasureId')).toBe('')
        expect(cell(checkIns, added, 'Verified')).toBe('')

        const log = logRecords(table(after, 'ChangeLog'))
        expect(log).toHaveLength(FIXTURE.changeLogRows + 5)
        expect(log.slice(-5).map((r) => [r.Key, r.Column, r.NewValue, r.ChangeId])).toEqual([
          ['C-3', 'CheckInId', 'C-3', 'chg-5'],
          ['C-3', 'WigId', 'W-1', 'chg-5'],
          ['C-3', 'Date', '2025-03-01', 'chg-5'],
          ['C-3', 'Value', '0.5', 'chg-5'],
          ['C-3', 'Note', 'spring survey', 'chg-5'],
        ])
      })
    })

    it('lands a retried update once: the retry reports applied: false and logs nothing', async () => {
      await withBackend({}, async (backend) => {
        const command = setStatus(FIXTURE.stepNotStarted, 'Not started', 'Blocked', 'chg-6')
        expect(expectOk(await backend.store.updateRow(command)).applied).toBe(true)
        expect(expectOk(await (await backend.reopen()).updateRow(command))).toEqual({ applied: false, changeLogRows: 0 })

        const after = await readAll(await backend.reopen())
        const steps = table(after, 'ActionSteps')
        expect(cell(steps, rowByKey(steps, FIXTURE.stepNotStarted), 'Status')).toBe('Blocked')
        expect(table(after, 'ChangeLog').rows).toHaveLength(FIXTURE.changeLogRows + 1)
      })
    })

    it('lands a retried append once: no duplicate rows, no duplicate ChangeLog rows', async () => {
      await withBackend({}, async (backend) => {
        expect(expectOk(await backend.store.appendRows(newCheckIn('chg-7'))).applied).toBe(true)
        expect(expectOk(await backend.store.appendRows(newCheckIn('chg-7'))).applied).toBe(false)

        const after = await readAll(await backend.reopen())
        expect(table(after, 'CheckIns').rows.filter((r) => r[0] === 'C-3')).toHaveLength(1)
        expect(table(after, 'ChangeLog').rows).toHaveLength(FIXTURE.changeLogRows + 5)
      })
    })

    it('refuses to write to a table that lacks a required column', async () => {
      await withBackend({ dropColumns: { ActionSteps: ['Owner'] } }, async (backend) => {
        const before = await readAll(backend.store)
        const update = await backend.store.updateRow(setStatus(FIXTURE.stepNotStarted, 'Not started', 'Done', 'chg-8'))
        expect(update.ok ? null : update.error).toMatchObject({ kind: 'badColumns', table: 'ActionSteps', columns: ['Owner'] })
        const append = await backend.store.appendRows({ table: 'ActionSteps', rows: [{ StepId: 'S-9', WigId: 'W-2', Title: asTypedText('New') }], audit: audit('chg-9') })
        expect(append.ok ? null : append.error).toMatchObject({ kind: 'badColumns', table: 'ActionSteps' })
        await expectUnchanged(backend, before, ['ActionSteps', 'ChangeLog'])
      })
    })

    it('refuses to append to a table the workbook does not have', async () => {
      await withBackend({ omitTables: ['Settings'] }, async (backend) => {
        const result = await backend.store.appendRows({ table: 'Settings', rows: [{ Key: 'DueSoonDays', Value: 7 }], audit: audit('chg-10') })
        expect(result.ok ? null : result.error).toMatchObject({ kind: 'missingTable', table: 'Settings' })
      })
    })

    it('stores formula-looking text written with the text prefix as text, not as a formula', async () => {
      await withBackend({}, async (backend) => {
        const formula = '=HYPERLINK("https://example.org/plan","plan")'
        const result = await backend.store.updateRow({
          table: 'ActionSteps',
          key: FIXTURE.stepDone,
          changes: [{ column: 'Notes', seen: '', value: asTypedText(formula) }],
          audit: audit('chg-11'),
        })
        expectOk(result)
        const steps = table(await readAll(await backend.reopen(), ['ActionSteps']), 'ActionSteps')
        expect(cell(steps, rowByKey(steps, FIXTURE.stepDone), 'Notes')).toBe(formula)
      })
    })

    // WORKBOOK.md: a missing CheckInId/StepId is a problem the task pane can fix (assign one).
    describe('assigning a key to a row typed without one', () => {
      it('writes the key cell alone and one ChangeLog row, and keeps it after reopening', async () => {
        await withBackend({ keyless: true }, async (backend) => {
          const before = await readAll(backend.store)
          const steps = table(before, 'ActionSteps')
          const { index } = keylessRow(steps)
          expect(expectOk(await backend.store.assignKey(assign(steps, 'ST-NEW0000001', 'key-1')))).toEqual({ applied: true, changeLogRows: 1 })

          const after = await readAll(await backend.reopen())
          const expected = steps.rows.map((row) => [...row])
          const changed = expected[index] ?? []
          changed[findColumn(steps.headers, 'StepId')] = 'ST-NEW0000001'
          expect(table(after, 'ActionSteps').rows).toEqual(expected)
          for (const other of ['Strategies', 'WIGs', 'Measures', 'CheckIns', 'People', 'Settings'] as const) expect(table(after, other).rows).toEqual(table(before, other).rows)
          const log = logRecords(table(after, 'ChangeLog'))
          expect(log).toHaveLength(FIXTURE.changeLogRows + 1)
          expect(log.at(-1)).toEqual({
            At: '2025-02-03T09:30:00Z',
            By: 'ana@district.org',
            Source: 'contract-suite',
            Table: 'ActionSteps',
            Key: 'ST-NEW0000001',
            Column: 'StepId',
            OldValue: '',
            NewValue: 'ST-NEW0000001',
            ChangeId: 'key-1',
          })
        })
      })

      it('gives a check-in its CheckInId the same way', async () => {
        await withBackend({ keyless: true }, async (backend) => {
          const checkIns = table(await readAll(backend.store), 'CheckIns')
          const { index } = keylessRow(checkIns)
          expect(expectOk(await backend.store.assignKey(assign(checkIns, 'CI-0000000042', 'key-2'))).applied).toBe(true)
          const after = table(await readAll(await backend.reopen(), ['CheckIns']), 'CheckIns')
          expect(after.rows[index]?.[findColumn(after.headers, 'CheckInId')]).toBe('CI-0000000042')
        })
      })

      it('refuses, writing nothing, when the row at that position is not the one the user saw', async () => {
        await withBackend({ keyless: true }, async (backend) => {
          const before = await readAll(backend.store)
          const steps = table(before, 'ActionSteps')
          const { index, seen } = keylessRow(steps)
          // Someone sorted: the row the user saw is no longer at the position they saw it.
          const sorted = await backend.store.assignKey(assign(steps, 'ST-NEW0000002', 'key-3', { index: index - 1, seen }))
          expect(sorted.ok ? null : sorted.error).toMatchObject({ kind: 'rowChanged', table: 'ActionSteps', row: sheetRowOf(steps, index - 1) })
          if (!sorted.ok && sorted.error.kind === 'rowChanged') expect(sorted.error.columns).toContain('Title')
          // Someone edited one of its cells.
          const edited = seen.map((v, i) => (i === findColumn(steps.headers, 'Notes') ? 'what the user saw' : v))
          const result = await backend.store.assignKey(assign(steps, 'ST-NEW0000002', 'key-4', { index, seen: edited }))
          expect(result.ok ? null : result.error).toEqual({ kind: 'rowChanged', table: 'ActionSteps', row: sheetRowOf(steps, index), columns: ['Notes'] })
          await expectUnchanged(backend, before, ['ActionSteps', 'ChangeLog'])
        })
      })

      it('refuses, writing nothing, when the table no longer has a row at that position', async () => {
        await withBackend({ keyless: true }, async (backend) => {
          const before = await readAll(backend.store)
          const steps = table(before, 'ActionSteps')
          const { seen } = keylessRow(steps)
          const result = await backend.store.assignKey(assign(steps, 'ST-NEW0000003', 'key-5', { index: steps.rows.length, seen }))
          expect(result.ok ? null : result.error).toEqual({ kind: 'rowChanged', table: 'ActionSteps', row: sheetRowOf(steps, steps.rows.length), columns: [], gone: true })
          await expectUnchanged(backend, before, ['ActionSteps', 'ChangeLog'])
        })
      })

      it('refuses, writing nothing, when the key cell is no longer blank', async () => {
        await withBackend({ keyless: true }, async (backend) => {
          const before = await readAll(backend.store)
          const steps = table(before, 'ActionSteps')
          // The user saw S-1's row without its key; someone has typed S-1 since.
          const index = steps.rows.findIndex((r) => r[0] === FIXTURE.stepInProgress)
          const seen = (steps.rows[index] ?? []).map((v, i) => (i === 0 ? '' : v))
          const result = await backend.store.assignKey(assign(steps, 'ST-NEW0000004', 'key-6', { index, seen }))
          expect(result.ok ? null : result.error).toEqual({ kind: 'keyAlreadySet', table: 'ActionSteps', keyColumn: 'StepId', row: sheetRowOf(steps, index), key: FIXTURE.stepInProgress })
          await expectUnchanged(backend, before, ['ActionSteps', 'ChangeLog'])
        })
      })

      it('refuses, writing nothing, a key that another row already has', async () => {
        await withBackend({ keyless: true }, async (backend) => {
          const before = await readAll(backend.store)
          const steps = table(before, 'ActionSteps')
          const holder = steps.rows.findIndex((r) => r[0] === FIXTURE.stepDone)
          const result = await backend.store.assignKey(assign(steps, FIXTURE.stepDone, 'key-7'))
          expect(result.ok ? null : result.error).toEqual({ kind: 'keyTaken', table: 'ActionSteps', keyColumn: 'StepId', key: FIXTURE.stepDone, rows: [sheetRowOf(steps, holder)] })
          await expectUnchanged(backend, before, ['ActionSteps', 'ChangeLog'])
        })
      })

      it('lands a retried assignment once: the retry reports applied: false and logs nothing', async () => {
        await withBackend({ keyless: true }, async (backend) => {
          const steps = table(await readAll(backend.store), 'ActionSteps')
          const command = assign(steps, 'ST-NEW0000005', 'key-8')
          expect(expectOk(await backend.store.assignKey(command)).applied).toBe(true)
          expect(expectOk(await (await backend.reopen()).assignKey(command))).toEqual({ applied: false, changeLogRows: 0 })
          const after = await readAll(await backend.reopen())
          expect(table(after, 'ActionSteps').rows.filter((r) => r[0] === 'ST-NEW0000005')).toHaveLength(1)
          expect(table(after, 'ChangeLog').rows).toHaveLength(FIXTURE.changeLogRows + 1)
        })
      })

      it('refuses a table without a key column, and a blank key', async () => {
        await withBackend({ keyless: true, dropColumns: { CheckIns: ['CheckInId'] } }, async (backend) => {
          const before = await readAll(backend.store)
          const checkIns = table(before, 'CheckIns')
          const noColumn = await backend.store.assignKey({ table: 'CheckIns', index: 0, seen: checkIns.rows[0] ?? [], key: 'CI-0000000001', audit: audit('key-9') })
          expect(noColumn.ok ? null : noColumn.error).toMatchObject({ kind: 'badColumns', table: 'CheckIns', columns: ['CheckInId'] })
          const steps = table(before, 'ActionSteps')
          const blank = await backend.store.assignKey(assign(steps, '  ', 'key-10'))
          expect(blank.ok ? null : blank.error).toMatchObject({ kind: 'missingKey', table: 'ActionSteps', newRow: true })
          await expectUnchanged(backend, before, ['ActionSteps', 'CheckIns', 'ChangeLog'])
        })
      })
    })

    it('can be closed twice', async () => {
      await withBackend({}, async ({ store }) => {
        await store.close()
        await expect(store.close()).resolves.toBeUndefined()
      })
    })

    it('ends any session on close, and a store opened afterwards sees every write', async () => {
      await withBackend({}, async (backend) => {
        expectOk(await backend.store.updateRow(setStatus(FIXTURE.stepNotStarted, 'Not started', 'Done', 'chg-12')))
        await backend.store.close()
        const steps = table(await readAll(await backend.reopen(), ['ActionSteps']), 'ActionSteps')
        expect(cell(steps, rowByKey(steps, FIXTURE.stepNotStarted), 'Status')).toBe('Done')
      })
    })
  })
}
