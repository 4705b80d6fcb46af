import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { noToken } from '../../src/auth/tokens.ts'
import { findColumn, TABLE_NAMES } from '../../src/workbook/contract.ts'
import type { FaultPlan } from '../../src/workbook/graph/chain/faults.ts'
import { openGraphStore } from '../../src/workbook/graph/store/graph-store.ts'
import { parseDriveItemUrl } from '../../src/workbook/graph/protocol/location.ts'
import { startServer } from '../../src/server/server.ts'
import type { UpdateRow } from '../../src/workbook/store.ts'
import { asTypedText } from '../../src/workbook/typed-text.ts'
import { createContractWorkbook, FIXTURE } from '../fixtures/contract-workbook.ts'
import { describeWorkbookStore } from './store-contract.ts'
import { describeError } from '../../src/messages/errors.ts'

// The Graph adapter over the local Graph-compatible server on loopback: the same client code
// that talks to Microsoft 365, with only the base URL and token provider changed.
describeWorkbookStore(
  'Microsoft Graph (local server)',
  async ({ path }) => {
    const server = await startServer({ workbook: path })
    const location = parseDriveItemUrl(server.driveItemUrl)
    if (!location.ok) throw new Error(location.error)
    const open = () => openGraphStore({ location: location.value, tokens: noToken })
    return { store: open(), reopen: async () => open(), cleanup: () => server.close() }
  },
)

describe('Graph adapter against the local server', () => {
  type Opened = { requests: string[]; store: ReturnType<typeof openGraphStore>; reopen: () => ReturnType<typeof openGraphStore> }

  async function withServer(
    run: (opened: Opened, advanceServerClock: (ms: number) => void) => Promise<void>,
    faults?: FaultPlan,
    session: 'none' | 'persistent' = 'none',
  ): Promise<void> {
    const fixture = await createContractWorkbook()
    let serverNow = Date.now()
    const server = await startServer({ workbook: fixture.path, clock: () => serverNow })
    try {
      const location = parseDriveItemUrl(server.driveItemUrl)
      if (!location.ok) throw new Error(location.error)
      const requests: string[] = []
      const open = (withFaults?: FaultPlan) =>
        openGraphStore({
          location: location.value,
          tokens: noToken,
          onRequest: ({ method, url }) => requests.push(`${method} ${url.slice(server.graphBaseUrl.length)}`),
          session,
          ...(withFaults ? { faults: withFaults } : {}),
        })
      const store = open(faults)
      try {
        await run({ requests, store, reopen: () => open() }, (ms) => {
          serverNow += ms
        })
      } finally {
        await store.close()
      }
    } finally {
      await server.close()
      await fixture.remove()
    }
  }

  const command = (changeId: string): UpdateRow => ({
    table: 'ActionSteps',
    key: FIXTURE.stepNotStarted,
    changes: [{ column: 'Status', seen: 'Not started', value: asTypedText('In progress') }],
    audit: { changeId, at: '2025-02-03T09:30:00Z', by: 'ana@district.org', source: 'graph-e2e' },
  })

  // concepts/json-batching.md: the dashboard's read is one round trip; concepts/excel-manage-sessions.md:
  // a surface that writes often keeps a persistent session, and then an update is two round trips.
  it('reads all tables in one HTTP request and, in a persistent session, updates a row it read in two', async () => {
    await withServer(
      async ({ requests, store }) => {
        expect((await store.read(TABLE_NAMES)).ok).toBe(true)
        expect(requests.map((r) => r.replace(/\/me\/drive\/items\/[^/]+/, '{item}'))).toEqual(['POST {item}/workbook/createSession', 'POST /$batch'])
        requests.length = 0
        expect(await store.updateRow(command('e2e-1'))).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
        expect(requests).toEqual(['POST /$batch', 'POST /$batch'])
      },
      undefined,
      'persistent',
    )
  })

  // WORKBOOK.md "Writing": a retried action lands once, even when the answer was lost after it landed.
  it('lands an update once when the answer to its write batch is lost', async () => {
    await withServer(
      async ({ store, reopen }) => {
        expect(await store.updateRow(command('e2e-2'))).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
        const after = await reopen().read(['ChangeLog', 'ActionSteps'])
        if (!after.ok) throw new Error(describeError(after.error))
        const log = after.value.tables.ChangeLog
        const changeId = findColumn(log?.headers ?? [], 'ChangeId')
        expect(log?.rows.filter((r) => r[changeId] === 'e2e-2')).toHaveLength(1)
      },
      [{ match: { url: '$batch', body: 'rows/add' }, fault: { kind: 'dropAfterSend' } }],
    )
  })

  // api/tablerowcollection-add.md ("on 504, repeat"): the first rows/add times out at the client but
  // still reaches the server, after the client has read back and sent it again.
  it('ends with exactly one row and one set of ChangeLog rows when the first rows/add lands after the timeout and the retry', async () => {
    await withServer(
      async ({ store, reopen }) => {
        const appended = await store.appendRows({
          table: 'CheckIns',
          rows: [{ CheckInId: 'C-LATE', WigId: 'W-1', Date: '2025-03-01', Value: 0.5 }],
          audit: { changeId: 'late-1', at: '2025-03-01T09:00:00Z', by: 'ana@district.org', source: 'graph-e2e' },
        })
        expect(appended.ok && appended.value).toEqual({ applied: true, changeLogRows: 4 })
        const after = await reopen().read(['CheckIns', 'ChangeLog'])
        if (!after.ok) throw new Error(describeError(after.error))
        const checkIns = after.value.tables.CheckIns
        expect(checkIns?.rows.filter((r) => r[0] === 'C-LATE')).toHaveLength(1)
        const log = after.value.tables.ChangeLog
        const at = (name: string) => findColumn(log?.headers ?? [], name)
        const ofAction = log?.rows.filter((r) => r[at('ChangeId')] === 'late-1' && !String(r[at('Source')]).includes('duplicate')) ?? []
        expect(ofAction.map((r) => r[at('Column')])).toEqual(['CheckInId', 'WigId', 'Date', 'Value'])
        // The removal is on record.
        expect(log?.rows.filter((r) => String(r[at('Source')]).includes('late duplicate removed')).map((r) => r[at('Key')])).toEqual(['C-LATE'])
      },
      [{ match: { url: '$batch', body: 'rows/add' }, fault: { kind: 'late' } }],
    )
  })

  // concepts/workbook-error-handling.md: invalidSessionReCreatable → create a new session and resume.
  it('recreates a session the server let expire and resumes', async () => {
    await withServer(
      async ({ requests, store }, advance) => {
        expect((await store.updateRow(command('e2e-3'))).ok).toBe(true)
        advance(60 * 60_000)
        const second = await store.updateRow({ ...command('e2e-4'), changes: [{ column: 'Status', seen: 'In progress', value: asTypedText('Done') }] })
        expect(second).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
        expect(requests.filter((r) => r.endsWith('/createSession'))).toHaveLength(2)
      },
      undefined,
      'persistent',
    )
  })

  // concepts/workbook-error-codes.md: 404 for every table of a wrong item; the read says the
  // workbook was not found instead of listing all tables as missing.
  it('says the workbook was not found when the drive item address names no workbook', async () => {
    const fixture = await createContractWorkbook()
    const server = await startServer({ workbook: fixture.path })
    try {
      const location = parseDriveItemUrl(server.driveItemUrl.replace(/items\/[^/]+$/, 'items/NO-SUCH-ITEM'))
      if (!location.ok) throw new Error(location.error)
      const store = openGraphStore({ location: location.value, tokens: noToken })
      const result = await store.read(TABLE_NAMES)
      expect(!result.ok && result.error.kind).toBe('notFound')
      await store.close()
    } finally {
      await server.close()
      await fixture.remove()
    }
  })

  // api/table-range.md includes the Total row; api/table-headerrowrange.md and
  // api/table-databodyrange.md, which the client reads, do not.
  it('reads a table with a Total row without the Total row, and appends above it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pmw-totals-'))
    const path = join(dir, 'totals.xlsx')
    const wb = new ExcelJS.Workbook()
    wb.addWorksheet('Data').addTable({
      name: 'CheckIns',
      ref: 'B2',
      headerRow: true,
      totalsRow: true,
      columns: [
        { name: 'CheckInId', totalsRowLabel: 'Total' },
        { name: 'WigId' },
        { name: 'Date' },
        { name: 'Value', totalsRowFunction: 'sum' },
        { name: 'MeasureId' },
      ],
      rows: [
        ['C-1', 'W-1', '2025-01-10', 18, ''],
        ['C-2', 'W-1', '2025-02-10', 21, ''],
      ],
    })
    wb.addWorksheet('Log').addTable({
      name: 'ChangeLog',
      ref: 'A1',
      headerRow: true,
      columns: ['At', 'By', 'Source', 'Table', 'Key', 'Column', 'OldValue', 'NewValue', 'ChangeId'].map((name) => ({ name })),
      rows: [['2025-01-01T00:00:00Z', 'a@district.org', 'cli', 'CheckIns', 'C-1', 'Value', '', '18', 'c-0']],
    })
    await wb.xlsx.writeFile(path)
    const server = await startServer({ workbook: path })
    try {
      // The table's whole range does end in the Total row: reading it would count it as data.
      const whole = (await (await fetch(`${server.driveItemUrl}/workbook/tables/CheckIns/range`)).json()) as { values: unknown[][] }
      expect(whole.values.at(-1)?.[0]).toBe('Total')
      const location = parseDriveItemUrl(server.driveItemUrl)
      if (!location.ok) throw new Error(location.error)
      const store = openGraphStore({ location: location.value, tokens: noToken })
      const read = await store.read(['CheckIns'])
      if (!read.ok) throw new Error(describeError(read.error))
      const table = read.value.tables.CheckIns
      expect(table?.rows.map((r) => r[0])).toEqual(['C-1', 'C-2'])
      expect(table?.origin).toEqual({ sheet: 'Data', row: 2, column: 2 })
      const appended = await store.appendRows({
        table: 'CheckIns',
        rows: [{ CheckInId: 'C-3', WigId: 'W-1', Date: '2025-03-10', Value: 25 }],
        audit: { changeId: 'tot-1', at: '2025-03-10T09:00:00Z', by: 'ana@district.org', source: 'graph-e2e' },
      })
      expect(appended.ok && appended.value.applied).toBe(true)
      await store.close()
      const again = await openGraphStore({ location: location.value, tokens: noToken }).read(['CheckIns'])
      if (!again.ok) throw new Error(describeError(again.error))
      expect(again.value.tables.CheckIns?.rows.map((r) => r[0])).toEqual(['C-1', 'C-2', 'C-3'])
    } finally {
      await server.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
