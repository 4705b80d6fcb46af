import { describe, expect, it } from 'vitest'
import type { FaultPlan } from '../../../src/workbook/graph/chain/faults.ts'
import type { Audit, UpdateRow, WorkbookStore } from '../../../src/workbook/store.ts'
import { BASE, ITEM, LOG_HEADERS, fakeClock, openFakeStore, graphError, sampleWorkbook, type FakeGraph, type SubRequest } from './fake-graph.ts'

const audit: Audit = { changeId: 'chg-1', at: '2025-01-06T09:00:00Z', by: 'ana@district.org', source: 'test' }

const markDone: UpdateRow = {
  table: 'ActionSteps',
  key: 'S-002',
  changes: [{ column: 'Status', seen: 'In progress', value: 'Done' }],
  audit,
}

/** Another writer's edit (logged, as the task pane logs it) lands just before our write batch. */
function benBlocksTheStepJustBeforeOurWrite(graph: FakeGraph): void {
  graph.onSub = (sub) => {
    if (sub.id === 'before') {
      const step = graph.table('ActionSteps').rows[1]
      if (step && step[5] === 'In progress') {
        step[5] = 'Blocked'
        graph.table('ChangeLog').rows.push(['2025-01-06T08:59:00Z', 'ben@district.org', 'excel', 'ActionSteps', 'S-002', 'Status', 'In progress', 'Blocked', 'chg-ben'])
      }
    }
    return undefined
  }
}

/** Ben's Blocked is back, the caller heard the conflict, and the ChangeLog says so: In progress → Blocked → Done → Blocked. */
function expectBensChangeBackAndAConflict(result: Awaited<ReturnType<WorkbookStore['updateRow']>>, graph: FakeGraph): void {
  expect(!result.ok && result.error.kind === 'conflict' && result.error.conflicts).toEqual([{ column: 'Status', seen: 'In progress', now: 'Blocked', value: 'Done' }])
  expect(!result.ok && result.error.kind === 'conflict' && result.error.race).toEqual({ restored: true })
  expect(graph.table('ActionSteps').rows[1]?.[5]).toBe('Blocked')
  expect(graph.table('ChangeLog').rows.map((r) => [r[2], r[6], r[7]])).toEqual([
    ['excel', 'In progress', 'Blocked'],
    ['test', 'Blocked', 'Done'],
    ['test (undone: conflict)', 'Done', 'Blocked'],
  ])
}

/** Someone sorts ActionSteps between our read and our first write (once): the PATCH by address hits the other row. */
function sortTheStepsJustBeforeOurFirstWrite(graph: FakeGraph): void {
  let sorted = false
  graph.onSub = (sub) => {
    if (sub.id === 'before' && !sorted) {
      sorted = true
      graph.table('ActionSteps').rows.reverse()
      graph.table('ActionSteps').formats?.reverse()
    }
    return undefined
  }
}

const open = (graph: FakeGraph, faults?: FaultPlan, clock = fakeClock(), session?: 'none' | 'persistent') =>
  openFakeStore(graph, { clock, ...(faults ? { faults } : {}), ...(session ? { session } : {}) })

const wb = `${ITEM}/workbook`
const batches = (graph: FakeGraph) => graph.seen.filter((r) => r.url.endsWith('/$batch')).map((r) => (r.body as { requests: SubRequest[] }).requests)
const writesSent = (graph: FakeGraph) => graph.subRequests().filter((s) => s.method !== 'GET')

describe('Graph store writes that touch one row', () => {
  // concepts/excel-manage-sessions.md: sessionless calls suit occasional requests (a CLI command).
  // api/table-headerrowrange.md, api/tablecolumn-databodyrange.md, api/range-get.md: round 1 reads
  // header rows and the key column only, never a whole table.
  it('updates sessionless: header rows and key column, the row, then one write batch', async () => {
    const graph = sampleWorkbook()
    const { store, requests } = open(graph)
    const result = await store.updateRow(markDone)
    expect(result).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
    expect(requests.map((r) => `${r.method} ${r.url.slice(BASE.length)}`)).toEqual(['POST /$batch', 'POST /$batch', 'POST /$batch'])
    const [round1, row, write] = batches(graph)
    expect(round1?.map((r) => r.url)).toEqual([
      `${wb}/tables/ActionSteps/headerRowRange?$select=address,values`,
      `${wb}/tables/ChangeLog/headerRowRange?$select=address,values`,
      `${wb}/tables/ActionSteps/columns/StepId/dataBodyRange?$select=values`,
    ])
    expect(row?.map((r) => r.url)).toEqual([`${wb}/worksheets/Steps/range(address='A3:G3')?$select=values,numberFormat`])
    expect(write?.map((r) => [r.id, r.method, r.url, r.dependsOn])).toEqual([
      ['before', 'GET', `${wb}/worksheets/Steps/range(address='A3:G3')?$select=values`, undefined],
      ['patch', 'PATCH', `${wb}/worksheets/Steps/range(address='A3:G3')`, ['before']],
      ['log', 'POST', `${wb}/tables/ChangeLog/rows/add`, ['patch']],
    ])
    for (const request of graph.seen) expect(request.headers.get('workbook-session-id')).toBeNull()
  })

  // api/range-update.md + res/excel.md: null in the values array leaves that cell alone.
  it('patches only the changed cell and logs it in the same batch', async () => {
    const graph = sampleWorkbook()
    const { store } = open(graph)
    await store.updateRow(markDone)
    const patch = graph.subRequests().find((s) => s.method === 'PATCH')
    expect(patch?.body).toEqual({ values: [[null, null, null, null, null, 'Done', null]] })
    expect(patch?.headers['Content-Type']).toBe('application/json')
    expect(graph.table('ActionSteps').rows[1]).toEqual(['S-002', 'W-1', 'Send survey', 'ben@district.org', 45810, 'Done', ''])
    expect(graph.table('ChangeLog').rows).toEqual([[audit.at, audit.by, 'test', 'ActionSteps', 'S-002', 'Status', 'In progress', 'Done', 'chg-1']])
  })

  // concepts/excel-manage-sessions.md: a surface that writes often keeps one persistent session.
  it('with a persistent session, updates a row it has read in two round trips, the session id on every sub-request', async () => {
    const graph = sampleWorkbook()
    const { store, requests } = open(graph, undefined, fakeClock(), 'persistent')
    expect((await store.read(['ActionSteps'])).ok).toBe(true)
    requests.length = 0
    expect((await store.updateRow(markDone)).ok).toBe(true)
    expect(requests.map((r) => r.url.slice(BASE.length))).toEqual(['/$batch', '/$batch'])
    const [round1] = batches(graph).slice(-2)
    expect(round1?.map((r) => r.url).at(-1)).toBe(`${wb}/worksheets/Steps/range(address='A3:G3')?$select=values,numberFormat`)
    for (const sub of graph.subRequests()) expect(sub.headers['workbook-session-id']).toBe('session-1')
    await store.close()
    expect(requests.at(-1)).toEqual({ method: 'POST', url: `${BASE}${wb}/closeSession` })
  })

  it('reads a row by key for a user to see, with its number formats', async () => {
    const graph = sampleWorkbook()
    const { store, requests } = open(graph)
    const row = await store.readRow('ActionSteps', 'S-001')
    expect(row).toEqual({
      ok: true,
      value: {
        headers: ['StepId', 'WigId', 'Title', 'Owner', 'DueDate', 'Status', 'Notes'],
        values: ['S-001', 'W-1', 'Draft survey', 'ana@district.org', 45800, 'Not started', 'keep me'],
        numberFormats: ['General', 'General', 'General', 'General', 'yyyy-mm-dd', 'General', 'General'],
      },
    })
    expect(requests).toHaveLength(2)
  })

  // WORKBOOK.md "Writing": a retried action lands once; concepts/json-batching.md: batches are not atomic.
  it('lands a write once when the answer to the write batch is lost after it landed', async () => {
    const graph = sampleWorkbook()
    const { store } = open(graph, [{ match: { url: '$batch', body: 'rows/add' }, fault: { kind: 'dropAfterSend' } }])
    const result = await store.updateRow(markDone)
    expect(result).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
    expect(graph.table('ChangeLog').rows).toHaveLength(1)
    expect(graph.table('ActionSteps').rows[1]?.[5]).toBe('Done')
    // The re-run read the ChangeIds back and sent no second write.
    expect(writesSent(graph).filter((s) => s.method === 'PATCH')).toHaveLength(1)
    expect(graph.subRequests().some((s) => s.url.includes('/ChangeLog/columns/ChangeId/dataBodyRange'))).toBe(true)
  })

  // api/tablerowcollection-add.md: an append reads header rows only; its key comes from the ChangeId.
  it('appends with header rows only, then one batch of the rows and their ChangeLog rows', async () => {
    const graph = sampleWorkbook()
    const { store, requests } = open(graph)
    const result = await store.appendRows({ table: 'CheckIns', rows: [{ CheckInId: 'C-2', WigId: 'W-1', Date: '2025-01-06', Value: 25 }], audit: { ...audit, changeId: 'chg-2' } })
    expect(result).toEqual({ ok: true, value: { applied: true, changeLogRows: 4 } })
    expect(requests).toHaveLength(2)
    expect(batches(graph)[0]?.map((r) => r.url)).toEqual([
      `${wb}/tables/CheckIns/headerRowRange?$select=address,values`,
      `${wb}/tables/ChangeLog/headerRowRange?$select=address,values`,
    ])
    const add = graph.subRequests().find((s) => s.url.endsWith('/CheckIns/rows/add'))
    expect(add?.body).toEqual({ index: null, values: [['C-2', 'W-1', '2025-01-06', 25, '']] })
    expect(graph.table('CheckIns').rows.map((r) => r[0])).toEqual(['C-1', 'C-2'])
  })

  it('does not append twice when the answer to an append is lost after it landed', async () => {
    const graph = sampleWorkbook()
    const { store } = open(graph, [{ match: { url: '$batch', body: 'rows/add' }, fault: { kind: 'dropAfterSend' } }])
    const result = await store.appendRows({ table: 'CheckIns', rows: [{ CheckInId: 'C-2', WigId: 'W-1', Date: '2025-01-06', Value: 25 }], audit: { ...audit, changeId: 'chg-2' } })
    expect(result.ok && result.value.applied).toBe(true)
    expect(graph.table('CheckIns').rows.map((r) => r[0])).toEqual(['C-1', 'C-2'])
    expect(graph.table('ChangeLog').rows).toHaveLength(4)
  })

  // api/tablerowcollection-add.md ("on 504, repeat"): a write that times out may still land later.
  // Here the first rows/add reaches the workbook only after the client checked and sent it again.
  it('removes and logs a late duplicate when the first rows/add lands after the timeout and the retry', async () => {
    const graph = sampleWorkbook()
    const clock = fakeClock()
    const { store } = open(graph, [{ match: { url: '$batch', body: 'rows/add' }, fault: { kind: 'late' } }], clock)
    const result = await store.appendRows({ table: 'CheckIns', rows: [{ CheckInId: 'C-2', WigId: 'W-1', Date: '2025-01-06', Value: 25 }], audit: { ...audit, changeId: 'chg-late' } })
    expect(result.ok && result.value.applied).toBe(true)
    expect(graph.table('CheckIns').rows.map((r) => r[0])).toEqual(['C-1', 'C-2'])
    const log = graph.table('ChangeLog').rows
    const ofAction = log.filter((r) => r[8] === 'chg-late' && !String(r[2]).includes('duplicate'))
    expect(ofAction.map((r) => r[5])).toEqual(['CheckInId', 'WigId', 'Date', 'Value'])
    expect(log.filter((r) => String(r[2]).includes('late duplicate removed')).map((r) => [r[3], r[4], r[6]])).toEqual([['CheckIns', 'C-2', 'duplicate row']])
    // It waited before reading back what may have landed.
    expect(clock.slept[0]).toBeGreaterThanOrEqual(1000)
    expect(graph.subRequests().filter((s) => s.method === 'DELETE').map((s) => s.url)).toEqual([
      `${wb}/tables/ChangeLog/rows/itemAt(index=7)`,
      `${wb}/tables/ChangeLog/rows/itemAt(index=6)`,
      `${wb}/tables/ChangeLog/rows/itemAt(index=5)`,
      `${wb}/tables/ChangeLog/rows/itemAt(index=4)`,
      `${wb}/tables/CheckIns/rows/itemAt(index=2)`,
    ])
  })

  // Issue 14: a caller is never told "failed" for a write that landed. Here every try's answer is
  // lost and only the last one reached the workbook; the ChangeId read back says it landed.
  it('reads its ChangeId back before reporting a failure, and reports a write whose last try landed unseen as done', async () => {
    const graph = sampleWorkbook()
    const { store } = open(graph, [
      { match: { url: '$batch', body: '"PATCH"' }, fault: { kind: 'drop' }, times: 3 },
      { match: { url: '$batch', body: '"PATCH"' }, fault: { kind: 'dropAfterSend' } },
    ])
    const result = await store.updateRow({ ...markDone, audit: { ...markDone.audit, changeId: 'chg-last-try' } })
    expect(result).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
    expect(graph.table('ActionSteps').rows[1]?.[5]).toBe('Done')
    expect(graph.table('ChangeLog').rows.filter((r) => r[8] === 'chg-last-try')).toHaveLength(1)
  })

  it('reports a failure only when the read-back finds nothing landed', async () => {
    const graph = sampleWorkbook()
    const { store } = open(graph, [{ match: { url: '$batch', body: '"PATCH"' }, fault: { kind: 'drop' }, times: 4 }])
    const result = await store.updateRow(markDone)
    expect(!result.ok && result.error.kind).toBe('network')
    expect(graph.table('ActionSteps').rows[1]?.[5]).toBe('In progress')
    expect(graph.table('ChangeLog').rows).toHaveLength(0)
  })

  it('reports a repeated action as not applied again and logs nothing', async () => {
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
    expect(!result.ok && result.error.kind === 'conflict' && result.error.conflicts).toEqual([{ column: 'Status', seen: 'In progress', now: 'Blocked', value: 'Done' }])
    expect(writesSent(graph)).toEqual([])
  })

  // GRAPH.md §6: no ETag or If-Match on ranges; the row is re-read in the write batch (dependsOn).
  it('puts back a change made between its read and its write, logs both truthfully, and reports a conflict', async () => {
    const graph = sampleWorkbook()
    benBlocksTheStepJustBeforeOurWrite(graph)
    const { store } = open(graph)
    const result = await store.updateRow(markDone)
    expect(!result.ok && result.error.kind === 'conflict' && result.error.conflicts).toEqual([{ column: 'Status', seen: 'In progress', now: 'Blocked', value: 'Done' }])
    expect(graph.table('ActionSteps').rows[1]?.[5]).toBe('Blocked')
    // Each OldValue is what the cell really held: In progress → Blocked → Done → Blocked.
    expect(graph.table('ChangeLog').rows.map((r) => [r[2], r[6], r[7]])).toEqual([
      ['excel', 'In progress', 'Blocked'],
      ['test', 'Blocked', 'Done'],
      ['test (undone: conflict)', 'Done', 'Blocked'],
    ])
  })

  // Issue 14's race drill: the same race, but the answer to our write batch (which held the row as
  // it was just before the PATCH) is lost. The retry finds its ChangeId; the ChangeLog, not the
  // lost answer, shows that a colleague's change was overwritten: theirs goes back, and a conflict,
  // never "saved".
  it('puts a change it never saw back and reports a conflict, not "saved", when a retry finds its write landed over it', async () => {
    const graph = sampleWorkbook()
    benBlocksTheStepJustBeforeOurWrite(graph)
    const { store } = open(graph, [{ match: { url: '$batch', body: '"PATCH"' }, fault: { kind: 'dropAfterSend' } }])
    expectBensChangeBackAndAConflict(await store.updateRow(markDone), graph)
  })

  // The same race when no retry is left: every try's answer is lost and only the last one landed.
  // The read-back that finds its ChangeId also reads the ChangeLog, so it never says "saved" over
  // a colleague's change either.
  it('puts a change it never saw back and reports a conflict when only the final read-back finds its write', async () => {
    const graph = sampleWorkbook()
    benBlocksTheStepJustBeforeOurWrite(graph)
    const { store } = open(graph, [
      { match: { url: '$batch', body: '"PATCH"' }, fault: { kind: 'drop' }, times: 3 },
      { match: { url: '$batch', body: '"PATCH"' }, fault: { kind: 'dropAfterSend' } },
    ])
    expectBensChangeBackAndAConflict(await store.updateRow(markDone), graph)
  })

  it('still reports "saved" when only the final read-back finds its write and the row has been re-keyed since', async () => {
    const graph = sampleWorkbook()
    graph.afterBatch = (request) => {
      // Someone renames the step's key right after our last try landed.
      const landed = JSON.stringify(request.body).includes('"PATCH"') && graph.table('ChangeLog').rows.some((r) => r[8] === 'chg-rekeyed')
      const step = graph.table('ActionSteps').rows[1]
      if (landed && step) step[0] = 'S-002-renamed'
    }
    const { store } = open(graph, [
      { match: { url: '$batch', body: '"PATCH"' }, fault: { kind: 'drop' }, times: 3 },
      { match: { url: '$batch', body: '"PATCH"' }, fault: { kind: 'dropAfterSend' } },
    ])
    const result = await store.updateRow({ ...markDone, audit: { ...markDone.audit, changeId: 'chg-rekeyed' } })
    expect(result).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
    expect(graph.table('ActionSteps').rows[1]?.[5]).toBe('Done')
  })

  it('still reports "saved" when a retry finds its write landed over exactly what it saw', async () => {
    const graph = sampleWorkbook()
    graph.table('ChangeLog').rows.push(['2025-01-06T08:00:00Z', 'ben@district.org', 'excel', 'ActionSteps', 'S-002', 'Status', 'Not started', 'In progress', 'chg-earlier'])
    const { store } = open(graph, [{ match: { url: '$batch', body: '"PATCH"' }, fault: { kind: 'dropAfterSend' } }])
    const result = await store.updateRow(markDone)
    expect(result).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
    expect(graph.table('ActionSteps').rows[1]?.[5]).toBe('Done')
  })

  // api/range-update.md answers the range it wrote: its key cell says which row the PATCH hit.
  it('repairs a PATCH that hit another row after a sort, and changes the right row only', async () => {
    const graph = sampleWorkbook()
    sortTheStepsJustBeforeOurFirstWrite(graph)
    const { store } = open(graph)
    const result = await store.updateRow(markDone)
    expect(result).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
    expect(graph.table('ActionSteps').rows).toEqual([
      ['S-002', 'W-1', 'Send survey', 'ben@district.org', 45810, 'Done', ''],
      ['S-001', 'W-1', 'Draft survey', 'ana@district.org', 45800, 'Not started', 'keep me'],
    ])
    expect(graph.table('ChangeLog').rows.map((r) => [r[4], r[5], r[6], r[7]])).toEqual([['S-002', 'Status', 'In progress', 'Done']])
  })

  // The log rows land with the try that met the sort; the ChangeId then proves nothing. When every
  // later try is lost before it reaches the service, the cells say the change never landed.
  it('reports a failure, not "saved", when a sort met its first try and every later try was lost', async () => {
    const graph = sampleWorkbook()
    sortTheStepsJustBeforeOurFirstWrite(graph)
    // The write that met the sort and the put-back of the other row go through; no later write reaches the service.
    let writes = 0
    graph.onHttp = (request) => {
      if (JSON.stringify(request.body ?? '').includes('"PATCH"') && ++writes > 2) throw new TypeError('fetch failed')
      return undefined
    }
    const { store } = open(graph)
    const result = await store.updateRow(markDone)
    expect(!result.ok && result.error.kind).toBe('network')
    expect(graph.table('ActionSteps').rows.find((r) => r[0] === 'S-002')?.[5]).toBe('In progress')
    expect(graph.table('ActionSteps').rows.find((r) => r[0] === 'S-001')?.[5]).toBe('Not started')
  })

  // concepts/json-batching.md: a failed request fails its dependants with 424; concepts/throttling.md.
  it('runs the whole write again when a sub-request of the write batch is throttled, and lands it once', async () => {
    const graph = sampleWorkbook()
    const clock = fakeClock()
    let throttled = false
    graph.onSub = (sub: SubRequest) => {
      if (!throttled && sub.method === 'PATCH') {
        throttled = true
        return { status: 429, headers: { 'Retry-After': '5' }, body: graphError(429, 'tooManyRequests').body }
      }
      return undefined
    }
    const { store } = open(graph, undefined, clock)
    const result = await store.updateRow(markDone)
    expect(result.ok).toBe(true)
    expect(graph.table('ChangeLog').rows).toHaveLength(1)
    // The Retry-After is the wait, not the back-off on top of it.
    expect(clock.slept).toEqual([5000])
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

  // api/tablecolumn-databodyrange.md takes the column's {id|name}: a header spelled "Step Id" is asked for as spelled.
  it('finds the key column under a header spelled "Step Id" with one more request', async () => {
    const graph = sampleWorkbook()
    const steps = graph.table('ActionSteps')
    steps.headers = ['Step Id', ...steps.headers.slice(1)]
    const { store } = open(graph)
    expect((await store.updateRow(markDone)).ok).toBe(true)
    expect(graph.subRequests().filter((s) => s.url.includes('/columns/')).map((s) => s.url)).toEqual([
      `${wb}/tables/ActionSteps/columns/StepId/dataBodyRange?$select=values`,
      `${wb}/tables/ActionSteps/columns/Step%20Id/dataBodyRange?$select=values`,
    ])
    expect(steps.rows[1]?.[5]).toBe('Done')
  })

  it('refuses to write to a table the workbook lacks', async () => {
    const graph = sampleWorkbook()
    const { store } = open(graph)
    const result = await store.updateRow({ ...markDone, table: 'WIGs', key: 'W-1', changes: [{ column: 'Title', seen: 'a', value: 'b' }] })
    expect(!result.ok && result.error.kind).toBe('missingTable')
  })

  it('refuses a key found on two rows, naming the sheet rows, and writes nothing', async () => {
    const graph = sampleWorkbook()
    graph.table('ActionSteps').rows.push(['S-002', 'W-1', 'Copy', 'ana@district.org', 45810, 'Done', ''])
    const { store } = open(graph)
    const result = await store.updateRow(markDone)
    expect(!result.ok && result.error).toMatchObject({ kind: 'duplicateKey', rows: [3, 4] })
    expect(writesSent(graph)).toEqual([])
  })

  // concepts/throttling.md: without Retry-After, back off exponentially.
  it('backs off 1 s, then 2 s, while the write batch keeps answering 503, and lands once', async () => {
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
    expect(clock.slept).toEqual([1000, 2000, 4000])
  })

  // concepts/workbook-error-handling.md: invalidSessionReCreatable → recreate a session and resume.
  it('recreates an expired persistent session and resumes the write', async () => {
    const graph = sampleWorkbook()
    const { store } = open(graph, undefined, fakeClock(), 'persistent')
    await store.updateRow(markDone)
    graph.sessions.clear()
    const result = await store.updateRow({ ...markDone, key: 'S-001', changes: [{ column: 'Status', seen: 'Not started', value: 'In progress' }], audit: { ...audit, changeId: 'chg-3' } })
    expect(result.ok && result.value.applied).toBe(true)
    expect(graph.seen.filter((r) => r.url.endsWith('/createSession'))).toHaveLength(2)
    expect(graph.table('ActionSteps').rows[0]?.[5]).toBe('In progress')
  })

  // GRAPH.md §7: invalidSessionAuthentication is a sign-in problem; a new session would fail alike.
  it('reports invalidSessionAuthentication as a sign-in problem without opening new sessions', async () => {
    const graph = sampleWorkbook()
    graph.onSub = () => graphError(401, 'unauthorized', 'invalidSessionAuthentication')
    const { store } = open(graph, undefined, fakeClock(), 'persistent')
    const result = await store.updateRow(markDone)
    expect(!result.ok && result.error.kind).toBe('unauthorized')
    expect(graph.seen.filter((r) => r.url.endsWith('/createSession'))).toHaveLength(1)
  })

  // concepts/workbook-error-handling.md: a 500 (generalException) means the session is unusable.
  it('reports a 500 without resending, and opens a new session for the next write', async () => {
    const graph = sampleWorkbook()
    let failed = false
    graph.onSub = (sub: SubRequest) => {
      if (failed || sub.method !== 'PATCH') return undefined
      failed = true
      return graphError(500, 'internalServerError', 'generalException')
    }
    const { store } = open(graph, undefined, fakeClock(), 'persistent')
    const first = await store.updateRow(markDone)
    expect(!first.ok && first.error.kind).toBe('unexpected')
    expect(graph.subRequests().filter((s) => s.method === 'PATCH')).toHaveLength(1)
    const second = await store.updateRow({ ...markDone, audit: { ...audit, changeId: 'chg-2' } })
    expect(second).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
    expect(graph.seen.at(-1)?.headers.get('workbook-session-id')).toBe('session-2')
  })

  // concepts/workbook-error-codes.md: a 404 with top code notFound and no inner code is the table missing.
  it('refuses to write when the target table answers 404 notFound with no inner code', async () => {
    const graph = sampleWorkbook()
    graph.onSub = (sub) => (sub.url.includes('/tables/ActionSteps/') ? graphError(404, 'notFound') : undefined)
    const { store } = open(graph)
    const result = await store.updateRow(markDone)
    expect(!result.ok && result.error.kind).toBe('missingTable')
    expect(writesSent(graph)).toEqual([])
  })

  // api/workbook-refreshsession.md: keep a session that sat idle alive instead of letting it lapse.
  it('refreshes a persistent session that has been idle for minutes before using it again', async () => {
    const graph = sampleWorkbook()
    const clock = fakeClock()
    const { store, requests } = open(graph, undefined, clock, 'persistent')
    await store.updateRow(markDone)
    await clock.sleep(4 * 60_000)
    await store.updateRow({ ...markDone, key: 'S-001', changes: [{ column: 'Status', seen: 'Not started', value: 'Done' }], audit: { ...audit, changeId: 'chg-4' } })
    expect(requests.filter((r) => !r.url.endsWith('/$batch')).map((r) => r.url.slice(BASE.length))).toEqual([`${wb}/createSession`, `${wb}/refreshSession`])
  })

  it('closes its session once even when close is called twice', async () => {
    const graph = sampleWorkbook()
    const { store, requests } = open(graph, undefined, fakeClock(), 'persistent')
    await store.updateRow(markDone)
    await store.close()
    await store.close()
    expect(requests.filter((r) => r.url.endsWith('/closeSession'))).toHaveLength(1)
  })

  it('writes the ChangeLog under headers in any order', async () => {
    const graph = sampleWorkbook()
    graph.table('ChangeLog').headers = [...LOG_HEADERS].reverse()
    const { store } = open(graph)
    expect((await store.updateRow(markDone)).ok).toBe(true)
    expect(graph.table('ChangeLog').rows[0]).toEqual(['chg-1', 'Done', 'In progress', 'Status', 'S-002', 'ActionSteps', 'test', audit.by, audit.at])
  })
})
