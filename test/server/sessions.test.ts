import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphErrorOf, graphFetch, jsonInit, rowsOnDisk, startHarness, type Harness } from './harness.ts'

/** Workbook sessions: api/workbook-createsession.md, workbook-refreshsession.md, workbook-closesession.md. */

let h: Harness
let now = 1_000_000
beforeAll(async () => {
  h = await startHarness({ sessionIdleMs: { persistent: 60_000, nonPersistent: 90_000 }, clock: () => now })
})
afterAll(() => h.close())

async function createSession(persistChanges: boolean): Promise<{ id: string; persistChanges: boolean }> {
  return (await h.client.api(`${h.wb}/createSession`).post({ persistChanges })) as { id: string; persistChanges: boolean }
}

describe('workbook sessions', () => {
  it('creates a session: 201 with {id, persistChanges} (api/workbook-createsession.md)', async () => {
    const res = await graphFetch(h.server, `${h.wb}/createSession`, jsonInit('POST', { persistChanges: true }))
    expect(res.status).toBe(201)
    const body = (await res.json()) as { id: unknown; persistChanges: unknown }
    expect(typeof body.id).toBe('string')
    expect(body.persistChanges).toBe(true)
  })

  it('refreshes and closes a session with 204 (api/workbook-refreshsession.md, api/workbook-closesession.md)', async () => {
    const { id } = await createSession(true)
    const headers = { 'workbook-session-id': id }
    expect((await graphFetch(h.server, `${h.wb}/refreshSession`, { method: 'POST', headers })).status).toBe(204)
    expect((await graphFetch(h.server, `${h.wb}/closeSession`, { method: 'POST', headers })).status).toBe(204)
  })

  it('needs the workbook-session-id header to refresh: 400 invalidArgument', async () => {
    const res = await graphFetch(h.server, `${h.wb}/refreshSession`, { method: 'POST' })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalidArgument')
  })

  it('answers a closed session with 404 and inner code invalidSessionReCreatable (concepts/workbook-error-handling.md)', async () => {
    const { id } = await createSession(true)
    await h.client.api(`${h.wb}/closeSession`).header('workbook-session-id', id).post(undefined)
    const failure = await h.client
      .api(`${h.wb}/tables`)
      .header('workbook-session-id', id)
      .get()
      .then(() => null, graphErrorOf)
    expect(failure?.statusCode).toBe(404)
    // The SDK keeps the `error` object (not its envelope) as GraphError.body.
    expect((failure?.body as { innerError: { code: string } }).innerError.code).toBe('invalidSessionReCreatable')
  })

  it('expires a session after its idle time, and keeps one that is used (res/excel.md)', async () => {
    const idle = await createSession(true)
    const used = await createSession(true)
    now += 40_000
    await h.client.api(`${h.wb}/refreshSession`).header('workbook-session-id', used.id).post(undefined)
    now += 40_000
    const expired = await graphFetch(h.server, `${h.wb}/tables`, { headers: { 'workbook-session-id': idle.id } })
    expect(expired.status).toBe(404)
    const alive = await graphFetch(h.server, `${h.wb}/tables`, { headers: { 'workbook-session-id': used.id } })
    expect(alive.status).toBe(200)
  })

  it('answers an unknown session id inside a $batch with 404 for that request', async () => {
    const res = await graphFetch(h.server, '/$batch', jsonInit('POST', { requests: [{ id: '1', method: 'GET', url: `${h.wb}/tables`, headers: { 'workbook-session-id': 'made-up' } }] }))
    const body = (await res.json()) as { responses: { status: number }[] }
    expect(res.status).toBe(200)
    expect(body.responses[0]?.status).toBe(404)
  })

  it('keeps a persistent session’s writes on disk', async () => {
    const { id } = await createSession(true)
    await h.client.api(`${h.wb}/tables/CheckIns/rows/add`).header('workbook-session-id', id).post({ index: null, values: [['C-P', 'W-1', '2025-03-01', 30]] })
    expect((await rowsOnDisk(h.workbook, 'CheckIns')).map((r) => r[0])).toContain('C-P')
  })

  it('keeps a non-persistent session’s writes in its own copy, never on disk, and drops them at close', async () => {
    const { id, persistChanges } = await createSession(false)
    expect(persistChanges).toBe(false)
    const session = { 'workbook-session-id': id }
    await h.client.api(`${h.wb}/tables/CheckIns/rows/add`).headers(session).post({ index: null, values: [['C-TEMP', 'W-1', '2025-03-01', 31]] })
    const inSession = (await h.client.api(`${h.wb}/tables/CheckIns/rows`).headers(session).get()) as { value: { values: unknown[][] }[] }
    expect(inSession.value.map((r) => r.values[0]?.[0])).toContain('C-TEMP')
    const outside = (await h.client.api(`${h.wb}/tables/CheckIns/rows`).get()) as { value: { values: unknown[][] }[] }
    expect(outside.value.map((r) => r.values[0]?.[0])).not.toContain('C-TEMP')
    expect((await rowsOnDisk(h.workbook, 'CheckIns')).map((r) => r[0])).not.toContain('C-TEMP')
    await h.client.api(`${h.wb}/closeSession`).headers(session).post(undefined)
    expect((await graphFetch(h.server, `${h.wb}/tables/CheckIns/rows`, { headers: session })).status).toBe(404)
  })
})
