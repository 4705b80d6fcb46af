import { describe, expect, it } from 'vitest'
import { addStep } from '../../src/app/add-step.ts'
import { loadPlan } from '../../src/app/load-plan.ts'
import { logCheckIn } from '../../src/app/log-checkin.ts'
import { readSeen, seenIn, type SeenRow } from '../../src/app/seen.ts'
import { reassignStep, updateStep, type ActionMeta } from '../../src/app/update-step.ts'
import { noToken } from '../../src/auth/tokens.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { startServer } from '../../src/server/server.ts'
import { findColumn, TABLE_NAMES } from '../../src/workbook/contract.ts'
import { openFileStore } from '../../src/workbook/file/file-store.ts'
import { parseDriveItemUrl } from '../../src/workbook/graph/protocol/location.ts'
import { openGraphStore } from '../../src/workbook/graph/store/graph-store.ts'
import type { RawTable } from '../../src/workbook/raw.ts'
import type { WorkbookStore } from '../../src/workbook/store.ts'
import { createContractWorkbook, FIXTURE } from '../fixtures/contract-workbook.ts'

/**
 * The app layer as every surface calls it: a page keeps the snapshot it showed and writes from it,
 * on each backend (the file, and Microsoft Graph through the local server).
 */
type Opened = { open(): WorkbookStore; requests: string[]; close(): Promise<void> }

const backends: Record<string, (path: string) => Promise<Opened>> = {
  file: async (path) => ({ open: () => openFileStore(path), requests: [], close: async () => undefined }),
  'Graph (local server)': async (path) => {
    const server = await startServer({ workbook: path })
    const location = parseDriveItemUrl(server.driveItemUrl)
    if (!location.ok) throw new Error(location.error)
    const requests: string[] = []
    return {
      open: () => openGraphStore({ location: location.value, tokens: noToken, onRequest: ({ method, url }) => requests.push(`${method} ${url}`) }),
      requests,
      close: () => server.close(),
    }
  },
}

const TODAY = '2025-02-03' as IsoDate
const meta = (by: string, changeId: string): ActionMeta => ({ by, source: 'app-test', changeId, at: new Date(`${TODAY}T09:30:00Z`) })
const ana = 'ana@district.org'
const ben = 'ben@district.org'

function must<T, E>(result: { ok: true; value: T } | { ok: false; error: E }): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`)
  return result.value
}

function cellOf(table: RawTable | undefined, key: string, column: string) {
  if (!table) return undefined
  const keyAt = findColumn(table.headers, table.name === 'CheckIns' ? 'CheckInId' : 'StepId')
  return table.rows.find((r) => r[keyAt] === key)?.[findColumn(table.headers, column)]
}

for (const [name, backend] of Object.entries(backends)) {
  describe(`edits from a page's snapshot, over ${name}`, () => {
    async function withWorkbook(run: (opened: Opened) => Promise<void>): Promise<void> {
      const fixture = await createContractWorkbook()
      const opened = await backend(fixture.path)
      try {
        await run(opened)
      } finally {
        await opened.close()
        await fixture.remove()
      }
    }

    async function snapshotRow(store: WorkbookStore, key: string): Promise<{ seen: SeenRow; people: Awaited<ReturnType<typeof loadPlan>> }> {
      const loaded = await loadPlan(store, TABLE_NAMES)
      const snapshot = must(loaded)
      return { seen: must(seenIn(snapshot.raw, 'ActionSteps', key)), people: loaded }
    }

    it("ends in a conflict with both values when a colleague changed the same cell after the page loaded, and lets an edit to another cell land", async () => {
      await withWorkbook(async ({ open }) => {
        const page = open()
        const { seen, people } = await snapshotRow(page, FIXTURE.stepNotStarted)
        const directory = { people: must(people).plan.people }

        // A colleague, in Excel or another page, starts the step meanwhile.
        const colleague = open()
        const theirs = await updateStep(colleague, { stepId: FIXTURE.stepNotStarted, status: 'In progress' }, must(await readSeen(colleague, 'ActionSteps', FIXTURE.stepNotStarted)), meta(ben, 'ben-1'), directory)
        expect(must(theirs).applied).toBe(true)

        const mine = await updateStep(page, { stepId: FIXTURE.stepNotStarted, status: 'Done' }, seen, meta(ana, 'ana-1'), directory)
        expect(mine.ok ? mine.value : mine.error).toMatchObject({ kind: 'conflict', conflicts: [{ column: 'Status', seen: 'Not started', now: 'In progress', value: 'Done' }] })

        const after = must(await open().read(['ActionSteps', 'ChangeLog']))
        expect(cellOf(after.tables.ActionSteps, FIXTURE.stepNotStarted, 'Status')).toBe('In progress')
        const changeIds = after.tables.ChangeLog?.rows.map((r) => r[findColumn(after.tables.ChangeLog?.headers ?? [], 'ChangeId')]) ?? []
        expect(changeIds.filter((id) => String(id).startsWith('ana'))).toEqual([])

        // Another cell of the same row, from the same old snapshot: no one else touched it, so it lands.
        const due = await updateStep(page, { stepId: FIXTURE.stepNotStarted, dueDate: '2025-05-15' as IsoDate }, seen, meta(ana, 'ana-2'), directory)
        expect(must(due).changes).toEqual([{ column: 'DueDate', from: '2025-04-01', to: '2025-05-15' }])
        const final = must(await open().read(['ActionSteps']))
        expect(cellOf(final.tables.ActionSteps, FIXTURE.stepNotStarted, 'Status')).toBe('In progress')
        expect(cellOf(final.tables.ActionSteps, FIXTURE.stepNotStarted, 'Due Date')).toBe(45792)
      })
    })

    it('writes nothing and logs nothing for an edit that changes nothing', async () => {
      await withWorkbook(async ({ open, requests }) => {
        const page = open()
        const { seen, people } = await snapshotRow(page, FIXTURE.stepInProgress)
        requests.length = 0
        const same = await updateStep(page, { stepId: FIXTURE.stepInProgress, status: 'In progress', dueDate: '2025-02-01' as IsoDate }, seen, meta(ana, 'noop-1'), { people: must(people).plan.people })
        expect(must(same)).toEqual({ applied: false, changeLogRows: 0, changes: [] })
        expect(requests).toEqual([])
        const log = must(await open().read(['ChangeLog'])).tables.ChangeLog
        expect(log?.rows).toHaveLength(FIXTURE.changeLogRows)
      })
    })

    it('appends a dated note line by its author and reassigns to someone in People, refusing someone who is not', async () => {
      await withWorkbook(async ({ open }) => {
        const page = open()
        const { seen, people } = await snapshotRow(page, FIXTURE.stepNotStarted)
        const directory = { people: must(people).plan.people }
        const stranger = await reassignStep(page, { stepId: FIXTURE.stepNotStarted, owner: 'zed@elsewhere.org' }, seen, meta(ana, 'own-0'), directory)
        expect(stranger.ok ? stranger.value : stranger.error).toEqual({ kind: 'unknownPerson', email: 'zed@elsewhere.org', role: 'owner' })
        const done = must(await updateStep(page, { stepId: FIXTURE.stepNotStarted, owner: ben, addNote: 'Data arrived' }, seen, meta(ana, 'own-1'), directory))
        expect(done.changes.map((c) => c.column)).toEqual(['Owner', 'Notes'])
        const steps = must(await open().read(['ActionSteps'])).tables.ActionSteps
        expect(cellOf(steps, FIXTURE.stepNotStarted, 'Owner')).toBe(ben)
        expect(cellOf(steps, FIXTURE.stepNotStarted, 'Notes')).toBe(`needs data\n${TODAY} ${ana}: Data arrived`)
      })
    })

    it('refuses a check-in dated after today, a WIG-level check-in on a milestone WIG, and a --by not in People, writing nothing', async () => {
      await withWorkbook(async ({ open }) => {
        const store = open()
        const plan = must(await loadPlan(store, ['WIGs', 'Measures', 'People'])).plan
        const future = await logCheckIn(store, plan, { wigId: 'W-1', value: 0.5, date: '2025-02-04' as IsoDate }, meta(ana, 'ci-1'), TODAY)
        expect(future.ok ? null : future.error).toEqual({ kind: 'futureDate', date: '2025-02-04', today: TODAY })
        const milestone = await logCheckIn(store, plan, { wigId: 'W-2', value: 1, date: TODAY }, meta(ana, 'ci-2'), TODAY)
        expect(milestone.ok ? null : milestone.error).toEqual({ kind: 'milestoneNeedsMeasure', wigId: 'W-2', measureIds: [] })
        const stranger = await logCheckIn(store, plan, { wigId: 'W-1', value: 0.5, date: TODAY }, meta('zed@elsewhere.org', 'ci-3'), TODAY)
        expect(stranger.ok ? null : stranger.error).toEqual({ kind: 'unknownPerson', email: 'zed@elsewhere.org', role: 'by' })
        expect(must(await open().read(['CheckIns'])).tables.CheckIns?.rows).toHaveLength(2)

        const logged = must(await logCheckIn(store, plan, { wigId: 'W-1', value: 0.52, date: TODAY, measureId: 'M-1' }, meta(ana, 'ci-4'), TODAY))
        expect(cellOf(must(await open().read(['CheckIns'])).tables.CheckIns, logged.checkInId, 'Value')).toBe(0.52)
      })
    })

    it('adds a step under a WIG, Not started, owned by someone in People', async () => {
      await withWorkbook(async ({ open }) => {
        const store = open()
        const plan = must(await loadPlan(store, ['WIGs', 'Measures', 'People'])).plan
        const added = must(await addStep(store, plan, { wigId: 'W-2', title: 'Publish the dashboard', owner: ben, dueDate: '2025-06-01' as IsoDate }, meta(ana, 'add-1')))
        const steps = must(await open().read(['ActionSteps'])).tables.ActionSteps
        expect(cellOf(steps, added.stepId, 'Title')).toBe('Publish the dashboard')
        expect(cellOf(steps, added.stepId, 'Status')).toBe('Not started')
        expect(cellOf(steps, added.stepId, 'Owner')).toBe(ben)
        const unknownWig = await addStep(store, plan, { wigId: 'W-9', title: 'x', owner: ben, dueDate: '2025-06-01' as IsoDate }, meta(ana, 'add-2'))
        expect(unknownWig.ok ? null : unknownWig.error).toEqual({ kind: 'unknownWig', wigId: 'W-9' })
      })
    })
  })
}
