import { describe, expect, it } from 'vitest'
import type { FaultPlan } from '../../../src/workbook/graph/chain/faults.ts'
import type { Audit, UpdateRow } from '../../../src/workbook/store.ts'
import { BASE, ITEM, LOG_HEADERS, fakeClock, openFakeStore, graphError, sampleWorkbook, type FakeGraph, type SubRequest } from './fake-graph.ts'

const audit: Audit = { changeId: 'chg-1', at: '2025-01-06T09:00:00Z', by: 'ana@district.org', source: 'test' }

const markDone: UpdateRow = {
  table: 'ActionSteps',
  key: 'S-002',
  changes: [{ column: 'Status', seen: 'In progress', value: 'Done' }],
  audit,
}

const open = (graph: FakeGraph, faults?: FaultPlan, clock = fakeClock()) => openFakeStore(graph, { clock, ...(faults ? { faults } : {}) })

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

  // res/excel.md: null in the values array leaves that cell alone; api/tablerowcollection-add.md for the log;
  // api/table-headerrowrange.md, table-databodyrange.md, tablecolumn-get.md for round trip 1.
  it('patches only the changed cell by current position and logs it after, depending on the patch', async () => {
    const graph = sampleWorkbook()
    const { store } = open(graph)
    await store.updateRow(markDone)
    const [read1, read2, read3, read4, patch, log] = graph.subRequests()
    expect([read1, read2, read3, read4].map((r) => [r?.id, r?.method, r?.url])).toEqual([
      ['targetr', 'GET', `${wb}/tables/ActionSteps/range`],
      ['targetb', 'GET', `${wb}/tables/ActionSteps/dataBodyRange`],
      ['logHeader', 'GET', `${wb}/tables/ChangeLog/headerRowRange`],
      ['logIds', 'GET', `${wb}/tables/ChangeLog/columns/ChangeId`],
    ])
    // Round trip 1 is one $batch of these four; round trip 2 another.
    expect(graph.seen.filter((r) => r.url.endsWith('/$batch')).map((r) => (r.body as { requests: unknown[] }).requests.length)).toEqual([4, 2])
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

  // api/table-databodyrange.md: the ChangeLog's data rows, when columns/ChangeId finds no column by that exact name.
  it('finds ChangeIds under a header spelled "Change Id" by reading the ChangeLog data body', async () => {
    const graph = sampleWorkbook()
    const log = graph.table('ChangeLog')
    log.headers = [...LOG_HEADERS.slice(0, -1), 'Change Id']
    log.rows = [['2025-01-05', 'ana', 'test', 'ActionSteps', 'S-002', 'Status', 'In progress', 'Done', 'chg-1']]
    const { store } = open(graph)
    const result = await store.updateRow(markDone)
    // chg-1 is already logged: nothing is written again.
    expect(result).toEqual({ ok: true, value: { applied: false, changeLogRows: 0 } })
    expect(graph.subRequests().filter((s) => s.id.startsWith('log') && s.id !== 'logHeader' && s.id !== 'logIds').map((s) => [s.id, s.url])).toEqual([
      ['logr', `${wb}/tables/ChangeLog/range`],
      ['logb', `${wb}/tables/ChangeLog/dataBodyRange`],
    ])
  })

  it('refuses to write to a table the workbook lacks', async () => {
    const graph = sampleWorkbook()
    const { store } = open(graph)
    const result = await store.updateRow({ ...markDone, table: 'WIGs', key: 'W-1', changes: [{ column: 'Title', seen: 'a', value: 'b' }] })
    expect(!result.ok && result.error.kind).toBe('missingTable')
  })

  // concepts/throttling.md: without Retry-After, back off exponentially; concepts/workbook-error-handling.md:
  // after a 503 with no known code, recreate the session.
  it('waits at least a second and opens a new session before running a write again after a 503 without Retry-After', async () => {
    const graph = sampleWorkbook()
    const clock = fakeClock()
    const at: { url: string; now: number }[] = []
    graph.onHttp = (request) => {
      at.push({ url: request.url.slice(BASE.length), now: clock.now() })
      return undefined
    }
    let failed = false
    graph.onSub = (sub: SubRequest) => {
      if (failed || sub.method !== 'PATCH') return undefined
      failed = true
      return graphError(503, 'serviceUnavailable')
    }
    const { store } = open(graph, undefined, clock)
    const result = await store.updateRow(markDone)
    expect(result).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
    expect(at.map((r) => r.url)).toEqual([`${wb}/createSession`, '/$batch', '/$batch', `${wb}/createSession`, '/$batch', '/$batch'])
    const [, , failedWrite, again] = at
    expect((again?.now ?? 0) - (failedWrite?.now ?? 0)).toBeGreaterThanOrEqual(1000)
    // The new session carries the write; the old one is not used again.
    const lastTwo = graph.seen.slice(-2)
    for (const request of lastTwo) expect(request.headers.get('workbook-session-id')).toBe('session-2')
    expect(graph.table('ChangeLog').rows).toHaveLength(1)
    expect(graph.table('ActionSteps').rows[1]?.[5]).toBe('Done')
  })

  it('backs off 1 s, then 2 s, while round trip 2 keeps answering 503', async () => {
    const graph = sampleWorkbook()
    const clock = fakeClock()
    let failures = 0
    graph.onSub = (sub: SubRequest) => {
      if (failures >= 2 || sub.method !== 'PATCH') return undefined
      failures += 1
      return graphError(503, 'serviceUnavailable', 'serviceUnavailableUncategorized')
    }
    const { store } = open(graph, undefined, clock)
    const result = await store.updateRow(markDone)
    expect(result.ok && result.value.applied).toBe(true)
    expect(clock.slept).toEqual([1000, 2000])
    expect(graph.seen.filter((r) => r.url.endsWith('/createSession'))).toHaveLength(3)
    expect(graph.table('ChangeLog').rows).toHaveLength(1)
  })

  it('ends a write that keeps meeting 503 after the bounded tries, with an unavailable error', async () => {
    const graph = sampleWorkbook()
    const clock = fakeClock()
    graph.onSub = (sub: SubRequest) => (sub.method === 'PATCH' ? graphError(503, 'serviceUnavailable') : undefined)
    const { store } = open(graph, undefined, clock)
    const result = await store.updateRow(markDone)
    expect(!result.ok && result.error.kind).toBe('unavailable')
    expect(graph.subRequests().filter((s) => s.method === 'PATCH')).toHaveLength(4)
    // No back-off after the last try: nothing follows it.
    expect(clock.slept).toEqual([1000, 2000, 4000])
  })

  // concepts/throttling.md: a Retry-After longer than the back-off is the wait.
  it('waits the Retry-After, not the back-off on top of it, before running a throttled write again', async () => {
    const graph = sampleWorkbook()
    const clock = fakeClock()
    let throttled = false
    graph.onSub = (sub: SubRequest) => {
      if (throttled || sub.method !== 'PATCH') return undefined
      throttled = true
      return { status: 429, headers: { 'Retry-After': '5' }, body: graphError(429, 'tooManyRequests').body }
    }
    const { store } = open(graph, undefined, clock)
    expect((await store.updateRow(markDone)).ok).toBe(true)
    expect(clock.slept).toEqual([5000])
  })

  // concepts/workbook-error-handling.md: a 500 (generalException) means the session is unusable: no resend, new session next time.
  it('reports a 500 without resending, and opens a new session for the next write', async () => {
    const graph = sampleWorkbook()
    let failed = false
    graph.onSub = (sub: SubRequest) => {
      if (failed || sub.method !== 'PATCH') return undefined
      failed = true
      return graphError(500, 'internalServerError', 'generalException')
    }
    const { store } = open(graph)
    const first = await store.updateRow(markDone)
    expect(!first.ok && first.error.kind).toBe('unexpected')
    expect(graph.subRequests().filter((s) => s.method === 'PATCH')).toHaveLength(1)
    const second = await store.updateRow(markDone)
    expect(second).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
    expect(graph.seen.filter((r) => r.url.endsWith('/createSession'))).toHaveLength(2)
    expect(graph.seen.at(-1)?.headers.get('workbook-session-id')).toBe('session-2')
  })

  // concepts/workbook-error-codes.md: a 404 with top code notFound and no inner code is the table missing.
  it('refuses to write when the target table answers 404 notFound with no inner code', async () => {
    const graph = sampleWorkbook()
    graph.onSub = (sub) => (sub.url.includes('/tables/ActionSteps/') ? graphError(404, 'notFound') : undefined)
    const { store } = open(graph)
    const result = await store.updateRow(markDone)
    expect(!result.ok && result.error.kind).toBe('missingTable')
    expect(graph.subRequests().some((s) => s.method === 'PATCH')).toBe(false)
  })

  // api/table-range.md includes a Total row; api/table-databodyrange.md does not.
  it('does not take a Total row for data in round trip 1 of an append', async () => {
    const graph = sampleWorkbook()
    graph.table('CheckIns').totals = ['C-2', '', '', 18, '']
    const { store } = open(graph)
    // A Total row whose first cell looked like the new key would make the append look done already.
    const result = await store.appendRows({ table: 'CheckIns', rows: [{ CheckInId: 'C-2', WigId: 'W-1', Date: '2025-01-06', Value: 25 }], audit: { ...audit, changeId: 'chg-t' } })
    expect(result.ok && result.value.applied).toBe(true)
    expect(graph.table('CheckIns').rows.map((r) => r[0])).toEqual(['C-1', 'C-2'])
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
