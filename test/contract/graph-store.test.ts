import { describe, expect, it } from 'vitest'
import { noToken } from '../../src/auth/tokens.ts'
import { findColumn, TABLE_NAMES } from '../../src/workbook/contract.ts'
import type { FaultPlan } from '../../src/workbook/graph/faults.ts'
import { openGraphStore } from '../../src/workbook/graph/graph-store.ts'
import { parseDriveItemUrl } from '../../src/workbook/graph/location.ts'
import { startServer } from '../../src/server/server.ts'
import type { UpdateRow } from '../../src/workbook/store.ts'
import { asTypedText } from '../../src/workbook/typed-text.ts'
import { createContractWorkbook, FIXTURE } from '../fixtures/contract-workbook.ts'
import { describeWorkbookStore } from './store-contract.ts'

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
  { sessions: true },
)

describe('Graph adapter against the local server', () => {
  type Opened = { requests: string[]; store: ReturnType<typeof openGraphStore>; reopen: () => ReturnType<typeof openGraphStore> }

  async function withServer(run: (opened: Opened, advanceServerClock: (ms: number) => void) => Promise<void>, faults?: FaultPlan): Promise<void> {
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

  // concepts/json-batching.md: the dashboard's read is one round trip.
  it('reads all tables in one HTTP request and writes in two $batch round trips plus the session', async () => {
    await withServer(async ({ requests, store }) => {
      expect((await store.read(TABLE_NAMES)).ok).toBe(true)
      expect(requests).toEqual(['POST /$batch'])
      requests.length = 0
      expect(await store.updateRow(command('e2e-1'))).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
      expect(requests.map((r) => r.replace(/\/me\/drive\/items\/[^/]+/, '{item}'))).toEqual([
        'POST {item}/workbook/createSession',
        'POST /$batch',
        'POST /$batch',
      ])
    })
  })

  // WORKBOOK.md "Writing": a retried action lands once, even when the answer was lost after it landed.
  it('lands an update once when the answer to its write batch is lost', async () => {
    await withServer(
      async ({ store, reopen }) => {
        expect(await store.updateRow(command('e2e-2'))).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
        const after = await reopen().read(['ChangeLog', 'ActionSteps'])
        if (!after.ok) throw new Error(after.error.message)
        const log = after.value.tables.ChangeLog
        const changeId = findColumn(log?.headers ?? [], 'ChangeId')
        expect(log?.rows.filter((r) => r[changeId] === 'e2e-2')).toHaveLength(1)
      },
      [{ match: { url: '$batch', body: 'rows/add' }, fault: { kind: 'dropAfterSend' } }],
    )
  })

  // concepts/workbook-error-handling.md: invalidSessionReCreatable → create a new session and resume.
  it('recreates a session the server let expire and resumes', async () => {
    await withServer(async ({ requests, store }, advance) => {
      expect((await store.updateRow(command('e2e-3'))).ok).toBe(true)
      advance(60 * 60_000)
      const second = await store.updateRow({ ...command('e2e-4'), changes: [{ column: 'Status', seen: 'In progress', value: asTypedText('Done') }] })
      expect(second).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
      expect(requests.filter((r) => r.endsWith('/createSession'))).toHaveLength(2)
    })
  })
})
