import { describe, expect, it } from 'vitest'
import { assignMissingKey, isFixableMissingKey } from '../../src/app/assign-key.ts'
import { rowKeyFor } from '../../src/app/change-id.ts'
import { loadPlan, type LoadedPlan } from '../../src/app/load-plan.ts'
import type { ActionMeta } from '../../src/app/update-step.ts'
import { noToken } from '../../src/auth/tokens.ts'
import { parseCheckInId, parseStepId } from '../../src/domain/ids.ts'
import { describeError } from '../../src/messages/errors.ts'
import { startServer } from '../../src/server/server.ts'
import { findColumn, TABLE_NAMES } from '../../src/workbook/contract.ts'
import { openFileStore } from '../../src/workbook/file/file-store.ts'
import { parseDriveItemUrl } from '../../src/workbook/graph/protocol/location.ts'
import { openGraphStore } from '../../src/workbook/graph/store/graph-store.ts'
import type { Problem } from '../../src/workbook/problem.ts'
import type { WorkbookStore } from '../../src/workbook/store.ts'
import { blankKeyCells } from '../contract/keyless-rows.ts'
import { createContractWorkbook, FIXTURE } from '../fixtures/contract-workbook.ts'

/**
 * The task pane's Workbook health fix, as the pane calls it: problems from the snapshot it showed,
 * a button where `isFixableMissingKey` says so, and `assignMissingKey` on a click; on each backend.
 */

const backends: Record<string, (path: string) => Promise<{ open(): WorkbookStore; close(): Promise<void> }>> = {
  file: async (path) => ({ open: () => openFileStore(path), close: async () => undefined }),
  'Graph (local server)': async (path) => {
    const server = await startServer({ workbook: path })
    const location = parseDriveItemUrl(server.driveItemUrl)
    if (!location.ok) throw new Error(location.error)
    return { open: () => openGraphStore({ location: location.value, tokens: noToken }), close: () => server.close() }
  },
}

const ana = 'ana@district.org'
const CHANGE = '3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f'
const meta = (changeId: string, by = ana): ActionMeta => ({ by, source: 'taskpane', changeId, at: new Date('2025-02-03T09:30:00Z') })

function must<T, E>(result: { ok: true; value: T } | { ok: false; error: E }): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`)
  return result.value
}

const fixable = (loaded: LoadedPlan, table: 'ActionSteps' | 'CheckIns'): Problem => {
  const found = loaded.problems.filter(isFixableMissingKey).find((p) => p.table === table)
  if (!found) throw new Error(`no fixable ${table} problem in ${JSON.stringify(loaded.problems)}`)
  return found
}

for (const [name, backend] of Object.entries(backends)) {
  describe(`assigning a missing key from the pane's snapshot, over ${name}`, () => {
    async function withKeyless(run: (open: () => WorkbookStore) => Promise<void>): Promise<void> {
      const fixture = await createContractWorkbook()
      await blankKeyCells(fixture.path, [
        { table: 'ActionSteps', key: FIXTURE.stepNotStarted },
        { table: 'CheckIns', key: 'C-2' },
      ])
      const opened = await backend(fixture.path)
      try {
        await run(opened.open)
      } finally {
        await opened.close()
        await fixture.remove()
      }
    }

    it('offers the fix on exactly the two keyless rows, assigns ST-… and CI-… keys, and the problems are gone on reload', async () => {
      await withKeyless(async (open) => {
        const store = open()
        const loaded = must(await loadPlan(store, TABLE_NAMES))
        expect(loaded.problems.filter(isFixableMissingKey).map((p) => [p.table, p.row, p.cell])).toEqual([
          ['CheckIns', 6, "'Check-ins'!C6"],
          ['ActionSteps', 5, "'Action Steps'!B5"],
        ])

        const step = must(await assignMissingKey(store, loaded.raw, fixable(loaded, 'ActionSteps'), meta(CHANGE), loaded.plan))
        expect(step).toEqual({ applied: true, changeLogRows: 1, key: rowKeyFor('ST', CHANGE), table: 'ActionSteps', keyColumn: 'StepId', row: 5, cell: "'Action Steps'!B5" })
        expect(parseStepId(step.key).ok).toBe(true)
        const checkIn = must(await assignMissingKey(store, loaded.raw, fixable(loaded, 'CheckIns'), meta('9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e'), loaded.plan))
        expect(checkIn.key).toBe('CI-9B8C7D6E5F')
        expect(parseCheckInId(checkIn.key).ok).toBe(true)

        const again = must(await loadPlan(open(), TABLE_NAMES))
        expect(again.problems.filter(isFixableMissingKey)).toEqual([])
        expect(again.plan.steps.find((s) => s.id === step.key)).toMatchObject({ title: 'Design the dashboard' })
        expect(again.plan.checkIns.find((c) => c.id === checkIn.key)).toMatchObject({ value: 0.45 })
        const log = again.raw.tables.ChangeLog
        const at = (column: string) => findColumn(log?.headers ?? [], column)
        expect(log?.rows.slice(-2).map((r) => [r[at('Table')], r[at('Key')], r[at('Column')], r[at('OldValue')], r[at('NewValue')], r[at('By')], r[at('Source')]])).toEqual([
          ['ActionSteps', step.key, 'StepId', '', step.key, ana, 'taskpane'],
          ['CheckIns', checkIn.key, 'CheckInId', '', checkIn.key, ana, 'taskpane'],
        ])
      })
    })

    it('lands a retried click once, and says the row has a key when pressed again from the old snapshot', async () => {
      await withKeyless(async (open) => {
        const loaded = must(await loadPlan(open(), TABLE_NAMES))
        const problem = fixable(loaded, 'ActionSteps')
        const first = must(await assignMissingKey(open(), loaded.raw, problem, meta(CHANGE), loaded.plan))
        // The answer was lost and the pane retries the same action: same ChangeId, same key, nothing twice.
        expect(must(await assignMissingKey(open(), loaded.raw, problem, meta(CHANGE), loaded.plan))).toEqual({ ...first, applied: false, changeLogRows: 0 })
        // A new click from the stale snapshot: the store finds the key already there.
        const stale = await assignMissingKey(open(), loaded.raw, problem, meta('0d9e8f7a-6b5c-4d3e-9f2a-1b0c9d8e7f6a'), loaded.plan)
        expect(stale.ok ? null : stale.error).toEqual({ kind: 'keyAlreadySet', table: 'ActionSteps', keyColumn: 'StepId', row: 5, key: first.key })
        if (!stale.ok) expect(describeError(stale.error)).toBe(`Row 5 of ActionSteps already has StepId "${first.key}", given since you looked; nothing was written. Refresh to see it.`)
        expect(must(await open().read(['ChangeLog'])).tables.ChangeLog?.rows).toHaveLength(FIXTURE.changeLogRows + 1)
      })
    })

    it('refuses someone not in People, and a place that is not a keyless row, writing nothing', async () => {
      await withKeyless(async (open) => {
        const store = open()
        const loaded = must(await loadPlan(store, TABLE_NAMES))
        const problem = fixable(loaded, 'ActionSteps')
        const stranger = await assignMissingKey(store, loaded.raw, problem, meta(CHANGE, 'zed@elsewhere.org'), loaded.plan)
        expect(stranger.ok ? null : stranger.error).toEqual({ kind: 'unknownPerson', email: 'zed@elsewhere.org', role: 'by' })
        const wig = await assignMissingKey(store, loaded.raw, { table: 'WIGs', row: 4 }, meta(CHANGE), loaded.plan)
        expect(wig.ok ? null : wig.error).toEqual({ kind: 'notFixable', table: 'WIGs', row: 4, reason: 'notMissingKey' })
        const keyed = await assignMissingKey(store, loaded.raw, { table: 'ActionSteps', row: 4 }, meta(CHANGE), loaded.plan)
        expect(keyed.ok ? null : keyed.error).toEqual({ kind: 'keyAlreadySet', table: 'ActionSteps', keyColumn: 'StepId', row: 4, key: FIXTURE.stepInProgress })
        const past = await assignMissingKey(store, loaded.raw, { table: 'ActionSteps', row: 40 }, meta(CHANGE), loaded.plan)
        expect(past.ok ? null : past.error).toEqual({ kind: 'notFixable', table: 'ActionSteps', row: 40, reason: 'notInSnapshot' })
        expect(must(await open().read(['ChangeLog'])).tables.ChangeLog?.rows).toHaveLength(FIXTURE.changeLogRows)
      })
    })

    it('skips a generated key the table already holds, for the next one from the same ChangeId', async () => {
      await withKeyless(async (open) => {
        const store = open()
        const loaded = must(await loadPlan(store, TABLE_NAMES))
        // As if a step already had this action's first key: the snapshot is all the app knows.
        const steps = loaded.raw.tables.ActionSteps
        const done = steps?.rows.find((r) => r[0] === FIXTURE.stepDone)
        if (done) done[0] = rowKeyFor('ST', CHANGE)
        const assigned = must(await assignMissingKey(store, loaded.raw, fixable(loaded, 'ActionSteps'), meta(CHANGE), loaded.plan))
        expect(assigned.key).toBe('ST-4D4E8A9C0F')
      })
    })
  })
}

describe('which problems get the button', () => {
  const base: Problem = { table: 'ActionSteps', row: 7, column: 'StepId', cell: 'Steps!A7', key: null, message: 'no StepId: the task pane can assign one', fix: 'assignKey' }

  it('is the missing StepId or CheckInId the codec marks, at a sheet row, and nothing else', () => {
    expect(isFixableMissingKey(base)).toBe(true)
    expect(isFixableMissingKey({ ...base, table: 'CheckIns', column: 'CheckInId' })).toBe(true)
    const { fix: _, ...unmarked } = base
    expect(isFixableMissingKey(unmarked)).toBe(false)
    // A missing StepId column is reported on the header row, without the mark: not a row to fix.
    expect(isFixableMissingKey({ ...unmarked, row: 3, cell: null, message: 'The ActionSteps table has no StepId column, so it cannot be read.' })).toBe(false)
    expect(isFixableMissingKey({ ...base, row: null })).toBe(false)
    expect(isFixableMissingKey({ ...base, table: 'WIGs', column: 'WigId' })).toBe(false)
  })
})

describe('how a refused fix is worded', () => {
  it('says which row, what changed, and what to do', () => {
    expect(describeError({ kind: 'rowChanged', table: 'ActionSteps', row: 9, columns: ['Title', 'Owner'] })).toBe(
      'Row 9 of ActionSteps is not the row you saw (Title, Owner changed): rows may have been sorted or inserted, or it was edited. Nothing was written; refresh and try again.',
    )
    expect(describeError({ kind: 'rowChanged', table: 'CheckIns', row: 30, columns: [], gone: true })).toBe(
      'Row 30 of CheckIns is no longer in the table (rows were deleted or moved since you looked); nothing was written. Refresh and try again.',
    )
    expect(describeError({ kind: 'rowChanged', table: 'ActionSteps', row: 9, columns: ['Title'], race: { restored: true } })).toBe(
      'Row 9 of ActionSteps changed at the same moment as the fix (Title changed); the key was taken back out and nothing was assigned. Refresh and try again.',
    )
    expect(describeError({ kind: 'keyAlreadySet', table: 'ActionSteps', keyColumn: 'StepId', row: 9, key: 'S-12', race: { restored: false } })).toBe(
      `Someone gave row 9 of ActionSteps the StepId "S-12" at the same moment, and putting theirs back did not finish; check that row's StepId in Excel.`,
    )
    expect(describeError({ kind: 'keyTaken', table: 'CheckIns', keyColumn: 'CheckInId', key: 'CI-1', rows: [5] })).toBe(
      'CheckInId "CI-1" is already used in CheckIns (row 5); nothing was written. Refresh and try again for another.',
    )
    expect(describeError({ kind: 'notFixable', table: 'WIGs', row: 4, reason: 'notMissingKey' })).toBe(
      'Only a row of ActionSteps or CheckIns without its StepId or CheckInId can be given one here; nothing was written.',
    )
  })
})
