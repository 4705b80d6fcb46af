import { describe, expect, it } from 'vitest'
import type { AssignKey, Audit } from '../../../src/workbook/store.ts'
import { BASE, ITEM, fakeClock, openFakeStore, sampleWorkbook, type FakeGraph, type SubRequest } from './fake-graph.ts'

/**
 * `assignKey` over Microsoft Graph: a row typed without its StepId has no key to be found by, so it
 * is found by position and checked against the row the user saw, with the discipline of updateRow
 * (GRAPH.md §6: no ETag or If-Match on ranges, so the write `$batch` reads the row back).
 */

const audit: Audit = { changeId: 'chg-key', at: '2025-01-06T09:00:00Z', by: 'ana@district.org', source: 'test' }
const KEYLESS = ['', 'W-1', 'Typed in Excel', 'ana@district.org', 45820, 'Not started', '']
const wb = `${ITEM}/workbook`

/** The sample with a third step typed straight into Excel, without its StepId (sheet row 4). */
function keylessWorkbook(): FakeGraph {
  const graph = sampleWorkbook()
  const steps = graph.table('ActionSteps')
  steps.rows.push([...KEYLESS])
  steps.formats?.push(['General', 'General', 'General', 'General', 'yyyy-mm-dd', 'General', 'General'])
  return graph
}

const command: AssignKey = { table: 'ActionSteps', index: 2, seen: KEYLESS, key: 'ST-0A1B2C3D4E', audit }

const batches = (graph: FakeGraph) => graph.seen.filter((r) => r.url.endsWith('/$batch')).map((r) => (r.body as { requests: SubRequest[] }).requests)
const logRows = (graph: FakeGraph) => graph.table('ChangeLog').rows.map((r) => ({ source: r[2], key: r[4], column: r[5], old: r[6], new: r[7], changeId: r[8] }))

describe('assigning a key over Graph', () => {
  // api/range-get.md, api/range-update.md (null leaves a cell alone, res/excel.md), api/tablerowcollection-add.md.
  it('sessionless: header rows and key column, the row, then one batch: re-read, PATCH of the key cell alone, the log row', async () => {
    const graph = keylessWorkbook()
    const { store, requests } = openFakeStore(graph)
    expect(await store.assignKey(command)).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
    expect(requests.map((r) => `${r.method} ${r.url.slice(BASE.length)}`)).toEqual(['POST /$batch', 'POST /$batch', 'POST /$batch'])
    const [round1, row, write] = batches(graph)
    expect(round1?.map((r) => r.url)).toEqual([
      `${wb}/tables/ActionSteps/headerRowRange?$select=address,values`,
      `${wb}/tables/ChangeLog/headerRowRange?$select=address,values`,
      `${wb}/tables/ActionSteps/columns/StepId/dataBodyRange?$select=values`,
    ])
    expect(row?.map((r) => r.url)).toEqual([`${wb}/worksheets/Steps/range(address='A4:G4')?$select=values,numberFormat`])
    expect(write?.map((r) => [r.id, r.method, r.url, r.dependsOn])).toEqual([
      ['before', 'GET', `${wb}/worksheets/Steps/range(address='A4:G4')?$select=values`, undefined],
      ['patch', 'PATCH', `${wb}/worksheets/Steps/range(address='A4:G4')`, ['before']],
      ['log', 'POST', `${wb}/tables/ChangeLog/rows/add`, ['patch']],
    ])
    // One cell written, as text (a leading apostrophe: Graph types strings like typing, GRAPH.md §3).
    expect(write?.[1]?.body).toEqual({ values: [["'ST-0A1B2C3D4E", null, null, null, null, null, null]] })
    expect(graph.table('ActionSteps').rows[2]).toEqual(['ST-0A1B2C3D4E', ...KEYLESS.slice(1)])
    expect(logRows(graph)).toEqual([{ source: 'test', key: 'ST-0A1B2C3D4E', column: 'StepId', old: '', new: 'ST-0A1B2C3D4E', changeId: 'chg-key' }])
  })

  // concepts/excel-manage-sessions.md: the pane keeps one session; after a read the store knows where the table sits.
  it('in a persistent session after a read, takes two round trips', async () => {
    const graph = keylessWorkbook()
    const { store, requests } = openFakeStore(graph, { session: 'persistent' })
    expect((await store.read(['ActionSteps'])).ok).toBe(true)
    requests.length = 0
    expect((await store.assignKey(command)).ok).toBe(true)
    expect(requests.map((r) => r.url.slice(BASE.length))).toEqual(['/$batch', '/$batch'])
    expect(batches(graph).at(-2)?.map((r) => r.url).at(-1)).toBe(`${wb}/worksheets/Steps/range(address='A4:G4')?$select=values,numberFormat`)
  })

  // GRAPH.md §6: a sort between the read and the write batch; the PATCH hit another row's key cell.
  it('puts back the key cell of a row a sort moved under the write, logs both truthfully, and says the row changed', async () => {
    const graph = keylessWorkbook()
    let sorted = false
    graph.onSub = (sub) => {
      if (sub.id === 'before' && !sorted) {
        sorted = true
        graph.table('ActionSteps').rows.reverse()
      }
      return undefined
    }
    const { store } = openFakeStore(graph)
    const result = await store.assignKey(command)
    expect(result.ok ? null : result.error).toMatchObject({ kind: 'rowChanged', table: 'ActionSteps', row: 4, race: { restored: true } })
    expect(graph.table('ActionSteps').rows.map((r) => r[0])).toEqual(['', 'S-002', 'S-001'])
    // '' was really S-001 when our PATCH landed; the put-back is on record.
    expect(logRows(graph)).toEqual([
      { source: 'test', key: 'ST-0A1B2C3D4E', column: 'StepId', old: 'S-001', new: 'ST-0A1B2C3D4E', changeId: 'chg-key' },
      { source: 'test (undone: row changed)', key: 'ST-0A1B2C3D4E', column: 'StepId', old: 'ST-0A1B2C3D4E', new: 'S-001', changeId: 'chg-key' },
    ])
  })

  it('keeps a key someone typed into the row under the write, and says the row has one', async () => {
    const graph = keylessWorkbook()
    graph.onSub = (sub) => {
      const row = graph.table('ActionSteps').rows[2]
      if (sub.id === 'before' && row && row[0] === '') row[0] = 'S-TYPED'
      return undefined
    }
    const { store } = openFakeStore(graph)
    const result = await store.assignKey(command)
    expect(result).toEqual({ ok: false, error: { kind: 'keyAlreadySet', table: 'ActionSteps', keyColumn: 'StepId', row: 4, key: 'S-TYPED', race: { restored: true } } })
    expect(graph.table('ActionSteps').rows[2]?.[0]).toBe('S-TYPED')
    expect(logRows(graph).map((r) => [r.source, r.old, r.new])).toEqual([
      ['test', 'S-TYPED', 'ST-0A1B2C3D4E'],
      ['test (undone: row changed)', 'ST-0A1B2C3D4E', 'S-TYPED'],
    ])
  })

  // WORKBOOK.md "Writing": a retried action lands once; concepts/json-batching.md: batches are not atomic.
  it('lands once when the answer to the write batch is lost after it landed', async () => {
    const graph = keylessWorkbook()
    const { store } = openFakeStore(graph, { faults: [{ match: { url: '$batch', body: 'rows/add' }, fault: { kind: 'dropAfterSend' } }], clock: fakeClock() })
    expect(await store.assignKey(command)).toEqual({ ok: true, value: { applied: true, changeLogRows: 1 } })
    expect(graph.table('ActionSteps').rows[2]?.[0]).toBe('ST-0A1B2C3D4E')
    expect(graph.table('ChangeLog').rows).toHaveLength(1)
    expect(graph.subRequests().filter((s) => s.method === 'PATCH')).toHaveLength(1)
    // The re-run read the ChangeIds back before sending anything again.
    expect(graph.subRequests().some((s) => s.url.includes('/ChangeLog/columns/ChangeId/dataBodyRange'))).toBe(true)
  })

  it('writes nothing when the row differs from what the user saw at round 1', async () => {
    const graph = keylessWorkbook()
    const row = graph.table('ActionSteps').rows[2]
    if (row) row[6] = 'a note added since'
    const { store } = openFakeStore(graph)
    const result = await store.assignKey(command)
    expect(result).toEqual({ ok: false, error: { kind: 'rowChanged', table: 'ActionSteps', row: 4, columns: ['Notes'] } })
    expect(graph.subRequests().filter((s) => s.method !== 'GET')).toEqual([])
  })
})
