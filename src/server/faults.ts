import { err, ok, type Result } from '../domain/result.ts'

/**
 * Injected faults, decided per request so tests and `serve --faults` can show how clients
 * cope with throttling (concepts/throttling.md) without a live tenant.
 */
export type ServerFaults = (request: { method: string; path: string; inBatch: boolean }) => Fault | null
export type Fault = { status: 429 | 503 | 504; retryAfterSeconds?: number } | { dropConnection: true } | { delayMs: number }

type FaultShares = { throttle: number; unavailable: number; timeout: number; drop: number; retryAfter: number; seed: number }

const SHARE_KEYS = ['throttle', 'unavailable', 'timeout', 'drop'] as const
const KNOWN_KEYS = [...SHARE_KEYS, 'retryAfter', 'seed', 'delay'] as const

/** mulberry32: tiny, seedable, good enough to spread faults evenly and repeatably. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/**
 * Parses `throttle=0.2,retryAfter=1,unavailable=0.1,seed=7`: shares of requests answered
 * 429 (throttle), 503 (unavailable), 504 (timeout) or with a dropped connection (drop),
 * `retryAfter` seconds on 429/503, `delay` ms added to every request, `seed` for the
 * sequence. The `$batch` envelope itself is never faulted: its sub-requests are, so throttling
 * shows up as 429 inside a 200 batch, as the service does.
 */
export function parseFaultSpec(spec: string): Result<ServerFaults, string> {
  const shares: FaultShares = { throttle: 0, unavailable: 0, timeout: 0, drop: 0, retryAfter: 1, seed: 1 }
  let delayMs = 0
  for (const part of spec.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const [rawKey = '', rawValue, ...rest] = part.split('=')
    const key = KNOWN_KEYS.find((k) => k.toLowerCase() === rawKey.trim().toLowerCase())
    if (!key) return err(`Unknown fault "${rawKey.trim()}"; use ${KNOWN_KEYS.join(', ')}.`)
    const value = Number(rawValue?.trim() ?? '')
    if (rest.length > 0 || rawValue === undefined || rawValue.trim() === '' || !Number.isFinite(value)) {
      return err(`Fault "${part}" needs a number, like ${key}=0.1.`)
    }
    if ((SHARE_KEYS as readonly string[]).includes(key) && (value < 0 || value > 1)) {
      return err(`${key} is a share of requests between 0 and 1, not ${value}.`)
    }
    if ((key === 'retryAfter' || key === 'delay') && value < 0) return err(`${key} cannot be negative.`)
    if (key === 'seed' && !Number.isInteger(value)) return err('seed must be a whole number.')
    if (key === 'delay') delayMs = value
    else shares[key] = value
  }
  const total = SHARE_KEYS.reduce((sum, k) => sum + shares[k], 0)
  if (total > 1) return err(`The fault shares add up to ${total}; they cannot exceed 1.`)

  const random = seededRandom(shares.seed)
  const retryAfterSeconds = shares.retryAfter
  return ok((request) => {
    if (request.path === '/$batch' && !request.inBatch) return null
    const r = random()
    let edge = shares.throttle
    if (r < edge) return { status: 429, retryAfterSeconds }
    edge += shares.unavailable
    if (r < edge) return { status: 503, retryAfterSeconds }
    edge += shares.timeout
    if (r < edge) return { status: 504 }
    edge += shares.drop
    if (r < edge) return { dropConnection: true }
    return delayMs > 0 ? { delayMs } : null
  })
}
