import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { noToken } from '../../src/auth/tokens.ts'
import { readForSetUp, setUpWorkbook, SET_UP_TABLES } from '../../src/app/set-up.ts'
import type { Clock } from '../../src/workbook/graph/chain/clock.ts'
import type { FaultPlan } from '../../src/workbook/graph/chain/faults.ts'
import { openGraphStore } from '../../src/workbook/graph/store/graph-store.ts'
import { parseDriveItemUrl } from '../../src/workbook/graph/protocol/location.ts'
import { loadWorkbook } from '../../src/workbook/file/workbook-file.ts'
import { listTables } from '../../src/workbook/file/tables.ts'
import { TABLE_LAYOUTS } from '../../src/workbook/layout.ts'
import { TABLE_NAMES } from '../../src/workbook/contract.ts'
import { startServer } from '../../src/server/server.ts'
import { describeError } from '../../src/messages/errors.ts'
import { describeSetUp } from './set-up-contract.ts'

// The Graph adapter over the local server on loopback, as the task pane runs it (one persistent session).
describeSetUp('Microsoft Graph (local server)', async (path) => {
  const server = await startServer({ workbook: path })
  const location = parseDriveItemUrl(server.driveItemUrl)
  if (!location.ok) throw new Error(location.error)
  const open = (session: 'none' | 'persistent') => openGraphStore({ location: location.value, tokens: noToken, session })
  return { store: open('persistent'), reopen: () => open('none'), cleanup: () => server.close() }
})

describe('Set up through Graph: round trips and lost answers', () => {
  /** Time that moves only when the store waits, so a retry's settle costs nothing. */
  function virtualClock(): Clock {
    let now = Date.now()
    return { now: () => now, sleep: async (ms) => void (now += Math.max(0, ms)) }
  }

  async function withEmptyWorkbook(faults: FaultPlan | undefined, run: (o: { store: ReturnType<typeof openGraphStore>; requests: string[]; path: string }) => Promise<void>): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'pmw-setup-graph-'))
    const path = join(dir, 'plan.xlsx')
    const wb = new ExcelJS.Workbook()
    wb.addWorksheet('Sheet1')
    await wb.xlsx.writeFile(path)
    const server = await startServer({ workbook: path })
    const location = parseDriveItemUrl(server.driveItemUrl)
    if (!location.ok) throw new Error(location.error)
    const requests: string[] = []
    const store = openGraphStore({
      location: location.value,
      tokens: noToken,
      session: 'persistent',
      clock: virtualClock(),
      onRequest: ({ method, url }) => requests.push(`${method} ${url.slice(server.graphBaseUrl.length).replace(/\/me\/drive\/items\/[^/]+/, '{item}')}`),
      ...(faults ? { faults } : {}),
    })
    try {
      await run({ store, requests, path })
    } finally {
      await store.close()
      await server.close()
      await rm(dir, { recursive: true, force: true })
    }
  }

  const meta = { by: 'ana@district.org', source: 'graph-set-up', changeId: 'su-1', at: new Date('2026-11-24T09:30:00Z') }

  async function tablesOnDisk(path: string): Promise<[string, string][]> {
    const wb = await loadWorkbook(path)
    if (!wb.ok) throw new Error(describeError(wb.error))
    return listTables(wb.value).map((t) => [t.name, t.sheet])
  }

  const expected = () => [...TABLE_NAMES.filter((n) => n !== 'ChangeLog'), 'ChangeLog' as const].map((n): [string, string] => [n, TABLE_LAYOUTS[n].sheet])

  // concepts/json-batching.md (≤ 20 requests, dependsOn): one read, then the sheets, cells and
  // tables of eight tables in two serial batches, and their names in the batch after each.
  it('makes all eight tables in one read and three write batches', async () => {
    await withEmptyWorkbook(undefined, async ({ store, requests, path }) => {
      const raw = await readForSetUp(store)
      if (!raw.ok) throw new Error(describeError(raw.error))
      requests.length = 0
      const done = await setUpWorkbook(store, raw.value, { withSample: false }, meta)
      expect(done.ok && done.value.kind).toBe('created')
      expect(requests).toEqual(['POST /$batch', 'POST /$batch', 'POST /$batch', 'POST /$batch'])
      expect(await tablesOnDisk(path)).toEqual(expected())
    })
  })

  // A write batch that landed but whose answer was lost: the retry finds the sheets and the
  // unnamed tables it made and only names them; nothing is made twice.
  it.each([
    ['the answer to the batch that adds the sheets', { url: '$batch', body: 'worksheets/add' }, 'dropAfterSend'],
    ['the batch that names the tables, before it is sent', { url: '$batch', body: '"name":"Strategies"' }, 'drop'],
    ['the answer to the batch that names the tables', { url: '$batch', body: '"name":"Strategies"' }, 'dropAfterSend'],
  ] as const)('finishes on the same sheets when it loses %s', async (_what, match, kind) => {
    await withEmptyWorkbook([{ match, fault: { kind } }], async ({ store, path, requests }) => {
      const raw = await readForSetUp(store)
      if (!raw.ok) throw new Error(describeError(raw.error))
      const done = await setUpWorkbook(store, raw.value, { withSample: false }, meta)
      if (!done.ok) throw new Error(describeError(done.error))
      expect(done.value).toMatchObject({ kind: 'created', applied: true })
      // The fault did strike: the read, the four rounds of a clean run, then the retry's own.
      expect(requests.filter((r) => r === 'POST /$batch').length).toBeGreaterThan(5)
      expect(await tablesOnDisk(path)).toEqual(expected())
      const wb = await loadWorkbook(path)
      expect(wb.ok && wb.value.worksheets.map((ws) => ws.name)).toEqual(['Sheet1', ...expected().map(([, sheet]) => sheet)])
      const after = await store.read(SET_UP_TABLES)
      if (!after.ok) throw new Error(describeError(after.error))
      const log = after.value.tables.ChangeLog
      expect(log?.rows.filter((r) => r[8] === 'su-1').map((r) => r[3])).toEqual(expected().map(([n]) => n))
    })
  })
})
