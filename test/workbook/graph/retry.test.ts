import { afterEach, describe, expect, it, vi } from 'vitest'
import { staticToken } from '../../../src/auth/tokens.ts'
import type { FaultPlan } from '../../../src/workbook/graph/chain/faults.ts'
import { createGraphTransport } from '../../../src/workbook/graph/chain/transport.ts'
import { BASE, fakeClock, graphError, jsonResponse } from './fake-graph.ts'

type Answer = () => Response

function setup(answers: Answer[], options: { faults?: FaultPlan; timeoutMs?: number; maxTries?: number } = {}) {
  const clock = fakeClock()
  const sent: string[] = []
  const transport = createGraphTransport({
    baseUrl: BASE,
    tokens: staticToken('t'),
    clock,
    ...options,
    fetch: async (url, init) => {
      sent.push(`${init.method ?? 'GET'} ${url.slice(BASE.length)}`)
      const answer = answers.length > 1 ? answers.shift() : answers[0]
      return answer ? answer() : jsonResponse(200, {})
    },
  })
  return { transport, clock, sent }
}

const throttled = (retryAfter?: string): Answer => () =>
  jsonResponse(429, graphError(429, 'tooManyRequests', 'tooManyRequestsUncategorized').body, retryAfter ? { 'Retry-After': retryAfter } : {})
const unavailable: Answer = () => jsonResponse(503, graphError(503, 'serviceUnavailable', 'serviceUnavailableUncategorized').body)
const fine: Answer = () => jsonResponse(200, { value: [] })

afterEach(() => {
  vi.useRealTimers()
})

// concepts/throttling.md: wait the Retry-After seconds before retrying.
describe('throttling and retries', () => {
  it('waits at least the Retry-After seconds before trying a GET again', async () => {
    const { transport, clock, sent } = setup([throttled('2'), fine])
    const reply = await transport.send({ method: 'GET', path: '/me' })
    expect(reply.ok && reply.value.status).toBe(200)
    expect(sent).toHaveLength(2)
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2000)
  })

  it('honours Retry-After given as an HTTP date', async () => {
    const { transport, clock } = setup([throttled(new Date(Date.UTC(2025, 0, 6, 9, 0, 7)).toUTCString()), fine])
    await transport.send({ method: 'GET', path: '/me' })
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(7000)
  })

  it('backs off exponentially when no Retry-After is given', async () => {
    const { transport, clock } = setup([unavailable, unavailable, fine])
    await transport.send({ method: 'GET', path: '/me' })
    expect(clock.slept).toEqual([1000, 2000])
  })

  // concepts/errors.md: 503 Service Unavailable; bounded tries, never a hang.
  it('ends a persistent 503 with an unavailable error after the bounded tries', async () => {
    const { transport, sent } = setup([unavailable], { maxTries: 4 })
    const reply = await transport.send({ method: 'GET', path: '/me' })
    if (!reply.ok) throw new Error('a reply was expected')
    expect(reply.value.status).toBe(503)
    expect(sent).toHaveLength(4)
  })

  // GRAPH.md §6: a 429 may still have done the work, so a POST is never replayed by the chain.
  it('does not replay a POST that came back throttled', async () => {
    const { transport, sent } = setup([throttled('2'), fine])
    const reply = await transport.send({ method: 'POST', path: '/$batch', body: { requests: [] } })
    expect(reply.ok && reply.value.status).toBe(429)
    expect(sent).toHaveLength(1)
  })

  // concepts/workbook-error-handling.md, "Error recovery cooldown": send nothing until it passes.
  it('holds the next request until the cooldown from an earlier answer has passed', async () => {
    const { transport, clock } = setup([throttled('5'), fine])
    await transport.send({ method: 'POST', path: '/$batch', body: { requests: [] } })
    const before = clock.now()
    await transport.send({ method: 'GET', path: '/me' })
    expect(clock.now() - before).toBeGreaterThanOrEqual(5000)
  })

  it('gives up at once with when to try again when Retry-After is beyond the cap', async () => {
    const { transport, clock, sent } = setup([throttled('120'), fine])
    const first = await transport.send({ method: 'GET', path: '/me' })
    expect(first.ok && first.value.status).toBe(429)
    const second = await transport.send({ method: 'GET', path: '/me' })
    expect(second).toEqual({
      ok: false,
      error: { kind: 'throttled', retryAfterSeconds: 120 },
    })
    expect(sent).toHaveLength(1)
    expect(clock.slept).toEqual([])
  })

  it('retries a GET after a dropped connection', async () => {
    const { transport, sent } = setup([fine], { faults: [{ match: { method: 'GET' }, fault: { kind: 'drop' } }] })
    const reply = await transport.send({ method: 'GET', path: '/me' })
    expect(reply.ok && reply.value.status).toBe(200)
    expect(sent).toHaveLength(1)
  })

  it('says the connection is down when it stays down', async () => {
    const { transport } = setup([fine], { faults: [{ match: {}, fault: { kind: 'drop' }, times: Infinity }] })
    const reply = await transport.send({ method: 'GET', path: '/me' })
    expect(reply).toEqual({ ok: false, error: { kind: 'network' } })
  })
})

describe('per-request timeout', () => {
  it('aborts a request that never answers and reports a timeout', async () => {
    const { transport } = setup([fine], { timeoutMs: 5, faults: [{ match: {}, fault: { kind: 'hang' }, times: Infinity }], maxTries: 2 })
    const reply = await transport.send({ method: 'POST', path: '/$batch', body: { requests: [] } })
    expect(!reply.ok && reply.error.kind).toBe('timeout')
  })

  it('clears its timer once the answer is in', async () => {
    vi.useFakeTimers()
    const { transport } = setup([fine], { timeoutMs: 30_000 })
    const reply = await transport.send({ method: 'GET', path: '/me' })
    expect(reply.ok).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })
})
