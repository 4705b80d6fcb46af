import { describe, expect, it } from 'vitest'
import { staticToken } from '../../../src/auth/tokens.ts'
import type { FaultPlan } from '../../../src/workbook/graph/faults.ts'
import { openGraphStore } from '../../../src/workbook/graph/graph-store.ts'
import type { Audit, UpdateRow } from '../../../src/workbook/store.ts'
import { BASE, ITEM, LOG_HEADERS, fakeClock, graphError, sampleWorkbook, type FakeGraph, type SubRequest } from './fake-graph.ts'

const audit: Audit = { changeId: 'chg-1', at: '2025-01-06T09:00:00Z', by: 'ana@district.org', source: 'test' }

const markDone: UpdateRow = {
  table: 'ActionSteps',
  key: 'S-002',
  changes: [{ column: 'Status', seen: 'In progress', value: 'Done' }],
  audit,
}

function open(graph: FakeGraph, faults?: FaultPlan, clock = fakeClock()) {
  const requests: { method: string; url: string }[] = []
  const store = openGraphStore({
    location: { baseUrl: BASE, itemPath: ITEM },
    tokens: staticToken('t0ken'),
    clock,
    fetch: graph.fetch,
    onRequest: (info) => requests.push(info),
    ...(faults ? { faults } : {}),
  })
  return { store, requests }
}

const wb = `${ITEM}/workbook`

describe('Graph store writes', () => {
  // api/workbook-createsession.md + concepts/json-batching.md: session, then two $batch round trips.
  it('changes a cell in two batches inside one persistent session', async () => {
    const graph = sampleWorkbook()
    const { store, requests } = open(graph)
    const result = await store.updateRow(markDone)
    expect(result).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
    expect(requests.map((r) => `${r.method} ${r.url.slice(BASE.length)}`)).toEqual([`POST ${wb}/createSession`, 'POST /$batch', 'POST /$batch'])
    expect(graph.seen[0]?.body).toEqual({ persistChanges: true })
    await store.close()
    expect(requests.at(-1)).toEqual({ method: 'POST', url: `${BASE}${wb}/closeSession` })
  })

  // concepts/excel-manage-sessions.md: the session id goes on every request; GRAPH.md §5: in each sub-request too.
  it('sends the session id on each $batch and each of its sub-requests', async () => {
    const graph = sampleWorkbook()
    const { store } = open(graph)
    await store.updateRow(markDone)
    for (const request of graph.seen.slice(1)) expect(request.headers.get('workbook-session-id')).toBe('session-1')
    for (const sub of graph.subRequests()) expect(sub.headers['workbook-session-id']).toBe('session-1')
  })

  // res/excel.md: null in the values array leaves that cell alone; api/tablerowcollection-add.md for the log.
  it('patches only the changed cell by current position and logs it after, depending on the patch', async () => {
    const graph = sampleWorkbook()
    const { store } = open(graph)
    await store.updateRow(markDone)
    const [read1, read2, read3, patch, log] = graph.subRequests()
    expect([read1?.url, read2?.url, read3?.url]).toEqual([
      `${wb}/tables/ActionSteps/range`,
      `${wb}/tables/ChangeLog/headerRowRange`,
      `${wb}/tables/ChangeLog/columns/ChangeId`,
    ])
    expect(patch).toMatchObject({ method: 'PATCH', url: `${wb}/tables/ActionSteps/rows/itemAt(index=1)` })
    expect(patch?.body).toEqual({ values: [[null, null, null, null, null, 'Done', null]] })
    expect(patch?.headers['Content-Type']).toBe('application/json')
    expect(log).toMatchObject({ method: 'POST', url: `${wb}/tables/ChangeLog/rows/add`, dependsOn: [patch?.id] })
    expect(graph.table('ActionSteps').rows[1]).toEqual(['S-002', 'W-1', 'Send survey', 'ben@district.org', 45810, 'Done', ''])
    expect(graph.table('ChangeLog').rows).toEqual([[audit.at, audit.by, 'test', 'ActionSteps', 'S-002', 'Status', 'In progress', 'Done', 'chg-1']])
  })

  // WORKBOOK.md "Writing": a retried action lands once; concepts/json-batching.md: batches are not atomic.
  it('lands a write once when the answer to round trip 2 is lost after it landed', async () => {
    const graph = sampleWorkbook()
    const { store, requests } = open(graph, [{ match: { url: '$batch', body: 'rows/add' }, fault: { kind: 'dropAfterSend' } }])
    const result = await store.updateRow(markDone)
    expect(result).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
    expect(graph.table('ChangeLog').rows).toHaveLength(1)
    expect(graph.table('ActionSteps').rows[1]?.[5]).toBe('Done')
    // createSession, read, write (answer lost), read again (finds chg-1): no second write.
    expect(requests).toHaveLength(4)
  })

  it('appends new rows with their ChangeLog rows, and a lost answer does not append them twice', async () => {
    const graph = sampleWorkbook()
    const { store } = open(graph, [{ match: { url: '$batch', body: 'rows/add' }, fault: { kind: 'dropAfterSend' } }])
    const result = await store.appendRows({
      table: 'CheckIns',
      rows: [{ CheckInId: 'C-2', WigId: 'W-1', Date: '2025-01-06', Value: 25 }],
      audit: { ...audit, changeId: 'chg-2' },
    })
    expect(result.ok && result.value.applied).toBe(true)
    expect(graph.table('CheckIns').rows.map((r) => r[0])).toEqual(['C-1', 'C-2'])
    expect(graph.table('ChangeLog').rows).toHaveLength(4)
    const add = graph.subRequests().find((s) => s.url.endsWith('/CheckIns/rows/add'))
    expect(add?.body).toEqual({ index: null, values: [['C-2', 'W-1', '2025-01-06', 25, '']] })
  })

  it('reports an action already in the workbook as not applied again', async () => {
    const graph = sampleWorkbook()
    const { store } = open(graph)
    await store.updateRow(markDone)
    const again = await store.updateRow(markDone)
    expect(again).toEqual({ ok: true, value: { applied: false, changeLogRows: 0 } })
    expect(graph.table('ChangeLog').rows).toHaveLength(1)
  })

  it('shows both versions and writes nothing when someone changed the cell since it was read', async () => {
    const graph = sampleWorkbook()
    const row = graph.table('ActionSteps').rows[1]
    if (row) row[5] = 'Blocked'
    const { store } = open(graph)
    const result = await store.updateRow(markDone)
    expect(result.ok).toBe(false)
    if (!result.ok && result.error.kind === 'conflict') expect(result.error.conflicts).toEqual([{ column: 'Status', seen: 'In progress', now: 'Blocked', value: 'Done' }])
    expect(graph.subRequests().some((s) => s.method === 'PATCH')).toBe(false)
  })

  // concepts/workbook-error-handling.md: invalidSessionReCreatable → recreate a session and resume.
  it('recreates an expired session and resumes the write', async () => {
    const graph = sampleWorkbook()
    const { store } = open(graph)
    await store.updateRow(markDone)
    graph.sessions.clear()
    const result = await store.updateRow({ ...markDone, key: 'S-001', changes: [{ column: 'Status', seen: 'Not started', value: 'In progress' }], audit: { ...audit, changeId: 'chg-3' } })
    expect(result.ok && result.value.applied).toBe(true)
    expect(graph.seen.filter((r) => r.url.endsWith('/createSession'))).toHaveLength(2)
    expect(graph.table('ActionSteps').rows[0]?.[5]).toBe('In progress')
  })

  // concepts/json-batching.md: a failed request fails its dependants with 424; concepts/throttling.md.
  it('runs the whole write again when a sub-request of round trip 2 is throttled, and lands it once', async () => {
    const graph = sampleWorkbook()
    let throttled = false
    graph.onSub = (sub: SubRequest) => {
      if (!throttled && sub.method === 'PATCH') {
        throttled = true
        return { status: 429, headers: { 'Retry-After': '2' }, body: graphError(429, 'tooManyRequests').body }
      }
      return undefined
    }
    const { store } = open(graph)
    const result = await store.updateRow(markDone)
    expect(result.ok).toBe(true)
    expect(graph.table('ChangeLog').rows).toHaveLength(1)
  })

  // concepts/workbook-error-handling.md: accessConflict — don't resend until resolved; tell the user.
  it('stops with a locked message when another client holds the workbook', async () => {
    const graph = sampleWorkbook()
    graph.onSub = (sub) => (sub.method === 'PATCH' ? graphError(409, 'conflict', 'accessConflict') : undefined)
    const { store } = open(graph)
    const result = await store.updateRow(markDone)
    expect(!result.ok && result.error.kind).toBe('locked')
    expect(graph.subRequests().filter((s) => s.method === 'PATCH')).toHaveLength(1)
  })

  it('finds ChangeIds under a header spelled "Change Id" by reading the ChangeLog range', async () => {
    const graph = sampleWorkbook()
    const log = graph.table('ChangeLog')
    log.headers = [...LOG_HEADERS.slice(0, -1), 'Change Id']
    log.rows = [['2025-01-05', 'ana', 'test', 'ActionSteps', 'S-002', 'Status', 'In progress', 'Done', 'chg-1']]
    const { store } = open(graph)
    const result = await store.updateRow(markDone)
    // chg-1 is already logged: nothing is written again.
    expect(result).toEqual({ ok: true, value: { applied: false, changeLogRows: 0 } })
    expect(graph.subRequests().some((s) => s.url.endsWith('/ChangeLog/range'))).toBe(true)
  })

  it('refuses to write to a table the workbook lacks', async () => {
    const graph = sampleWorkbook()
    const { store } = open(graph)
    const result = await store.updateRow({ ...markDone, table: 'WIGs', key: 'W-1', changes: [{ column: 'Title', seen: 'a', value: 'b' }] })
    expect(!result.ok && result.error.kind).toBe('missingTable')
  })

  // api/workbook-refreshsession.md: keep a session that sat idle alive instead of letting it lapse.
  it('refreshes a session that has been idle for minutes before using it again', async () => {
    const graph = sampleWorkbook()
    const clock = fakeClock()
    const { store, requests } = open(graph, undefined, clock)
    await store.updateRow(markDone)
    await clock.sleep(4 * 60_000)
    await store.updateRow({ ...markDone, key: 'S-001', changes: [{ column: 'Status', seen: 'Not started', value: 'Done' }], audit: { ...audit, changeId: 'chg-4' } })
    expect(requests.map((r) => r.url.slice(BASE.length))).toEqual([
      `${wb}/createSession`,
      '/$batch',
      '/$batch',
      `${wb}/refreshSession`,
      '/$batch',
      '/$batch',
    ])
  })

  it('closes its session once even when close is called twice', async () => {
    const graph = sampleWorkbook()
    const { store, requests } = open(graph)
    await store.updateRow(markDone)
    await store.close()
    await store.close()
    expect(requests.filter((r) => r.url.endsWith('/closeSession'))).toHaveLength(1)
  })
})
