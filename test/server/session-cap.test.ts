import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_MAX_SESSIONS } from '../../src/server/handlers/sessions.ts'
import { graphFetch, jsonInit, startHarness, type Harness } from './harness.ts'

/**
 * Issue 9 part 5: the number of open sessions is capped (`maxSessions`, 50 by default), since
 * each non-persistent one holds a copy of the workbook. The service's limit and answer are
 * undocumented (contrib#597, #592), so the server throttles as concepts/throttling.md describes:
 * 429 tooManyRequests, inner tooManyRequestsUncategorized (concepts/workbook-error-codes.md),
 * with Retry-After the seconds until the first session idles out. The clock is injected.
 */

let h: Harness
let now = 5_000_000
beforeAll(async () => {
  h = await startHarness({ maxSessions: 2, sessionIdleMs: { persistent: 60_000, nonPersistent: 90_000 }, clock: () => now })
})
afterAll(() => h.close())

const create = (persistChanges: boolean) => graphFetch(h.server, `${h.wb}/createSession`, jsonInit('POST', { persistChanges }))

type ErrorBody = { error: { code: string; innerError: { code: string } } }

describe('the session cap', () => {
  it('defaults to 50 open sessions', () => {
    expect(DEFAULT_MAX_SESSIONS).toBe(50)
  })

  it('answers createSession past the cap with 429 tooManyRequests and a Retry-After of when a place frees; closing one frees it at once', async () => {
    const first = (await (await create(true)).json()) as { id: string }
    now += 10_000
    expect((await create(false)).status).toBe(201)

    const refused = await create(false)
    expect(refused.status).toBe(429)
    // The first session idles out 60 s after its last use, 10 s of which have passed.
    expect(refused.headers.get('retry-after')).toBe('51')
    expect(((await refused.json()) as ErrorBody).error).toMatchObject({ code: 'tooManyRequests', innerError: { code: 'tooManyRequestsUncategorized' } })

    expect((await graphFetch(h.server, `${h.wb}/closeSession`, { method: 'POST', headers: { 'workbook-session-id': first.id } })).status).toBe(204)
    expect((await create(true)).status).toBe(201)
  })

  it('counts only live sessions: expired ones free their places', async () => {
    expect((await create(true)).status).toBe(429)
    now += 91_000
    expect((await create(true)).status).toBe(201)
    expect((await create(true)).status).toBe(201)
  })

  it('answers inside a $batch with the sub-request\'s own 429 (concepts/json-batching.md)', async () => {
    const res = await graphFetch(h.server, '/$batch', jsonInit('POST', { requests: [{ id: '1', method: 'POST', url: `${h.wb}/createSession`, headers: { 'Content-Type': 'application/json' }, body: { persistChanges: false } }] }))
    expect(res.status).toBe(200)
    const { responses } = (await res.json()) as { responses: { status: number; headers: Record<string, string> }[] }
    expect(responses[0]?.status).toBe(429)
    expect(responses[0]?.headers['Retry-After']).toBeDefined()
  })
})
