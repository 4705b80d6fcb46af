import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseFaultSpec, type Fault, type ServerFaults } from '../../src/server/faults.ts'
import { graphErrorOf, graphFetch, jsonInit, rowsOnDisk, startHarness, type Harness } from './harness.ts'

/** Injected faults (concepts/throttling.md: 429 + Retry-After, also per sub-request inside a 200 batch). */

describe('parseFaultSpec', () => {
  const draw = (plan: ServerFaults, n: number, inBatch = false) => Array.from({ length: n }, () => plan({ method: 'GET', path: '/me', inBatch }))

  it('gives the same faults for the same seed', () => {
    const a = parseFaultSpec('throttle=0.2,retryAfter=1,unavailable=0.1,seed=7')
    const b = parseFaultSpec('throttle=0.2,retryAfter=1,unavailable=0.1,seed=7')
    if (!a.ok || !b.ok) throw new Error('spec refused')
    expect(draw(a.value, 200)).toEqual(draw(b.value, 200))
  })

  it('answers about the asked shares with 429 and 503, each carrying retryAfter', () => {
    const plan = parseFaultSpec('throttle=0.2,retryAfter=3,unavailable=0.1,seed=7')
    if (!plan.ok) throw new Error(plan.error)
    const faults = draw(plan.value, 2000, true)
    const of = (status: number) => faults.filter((f) => f !== null && 'status' in f && f.status === status)
    expect(of(429).length).toBeGreaterThan(300)
    expect(of(429).length).toBeLessThan(500)
    expect(of(503).length).toBeGreaterThan(120)
    expect(of(503).length).toBeLessThan(280)
    expect(of(429)[0]).toEqual({ status: 429, retryAfterSeconds: 3 })
  })

  it('leaves the $batch envelope alone so throttling shows inside the batch', () => {
    const plan = parseFaultSpec('throttle=1')
    if (!plan.ok) throw new Error(plan.error)
    expect(plan.value({ method: 'POST', path: '/$batch', inBatch: false })).toBeNull()
    expect(plan.value({ method: 'GET', path: '/me', inBatch: true })).toEqual({ status: 429, retryAfterSeconds: 1 })
  })

  it('refuses unknown names, shares outside 0..1, shares adding up past 1, and non-numbers', () => {
    for (const spec of ['slow=0.1', 'throttle=1.5', 'throttle=0.6,unavailable=0.6', 'throttle=lots', 'seed=1.5', 'throttle']) {
      expect(parseFaultSpec(spec).ok, spec).toBe(false)
    }
    expect(parseFaultSpec('').ok).toBe(true)
  })
})

describe('a server with faults', () => {
  let h: Harness
  let next: Fault | null = null
  let onlyInBatch = false
  beforeAll(async () => {
    h = await startHarness({
      faults: (request) => {
        if (request.path === '/$batch' || (onlyInBatch && !request.inBatch)) return null
        const fault = next
        next = null
        return fault
      },
    })
  })
  afterAll(() => h.close())

  it('answers 429 with Retry-After seconds and does not do the work (concepts/throttling.md)', async () => {
    next = { status: 429, retryAfterSeconds: 2 }
    const failure = await h.client.api(`${h.wb}/tables/CheckIns/rows/add`).post({ values: [['C-T', 'W-1', 1, 1]] }).then(() => null, graphErrorOf)
    expect(failure?.statusCode).toBe(429)
    expect(failure?.headers?.get('Retry-After')).toBe('2')
    expect((await rowsOnDisk(h.workbook, 'CheckIns')).map((r) => r[0])).not.toContain('C-T')
  })

  it('answers 503 serviceUnavailable (concepts/errors.md)', async () => {
    next = { status: 503, retryAfterSeconds: 1 }
    const failure = await h.client.api(`${h.wb}/tables`).get().then(() => null, graphErrorOf)
    expect(failure?.statusCode).toBe(503)
    expect(failure?.code).toBe('serviceUnavailable')
  })

  it('answers a throttled sub-request with 429 and its own Retry-After inside a 200 batch', async () => {
    onlyInBatch = true
    next = { status: 429, retryAfterSeconds: 5 }
    const res = await graphFetch(
      h.server,
      '/$batch',
      jsonInit('POST', {
        requests: [
          { id: '1', method: 'GET', url: `${h.wb}/tables` },
          { id: '2', method: 'GET', url: `${h.wb}/tables/WIGs/range` },
        ],
      }),
    )
    onlyInBatch = false
    expect(res.status).toBe(200)
    const body = (await res.json()) as { responses: { id: string; status: number; headers: Record<string, string> }[] }
    expect(body.responses[0]).toMatchObject({ id: '1', status: 429, headers: { 'Retry-After': '5', 'Content-Type': 'application/json' } })
    expect(body.responses[1]?.status).toBe(200)
  })

  it('drops the connection without an answer when told to', async () => {
    next = { dropConnection: true }
    await expect(graphFetch(h.server, `${h.wb}/tables`)).rejects.toThrow()
    expect((await graphFetch(h.server, `${h.wb}/tables`)).status).toBe(200)
  })
})
