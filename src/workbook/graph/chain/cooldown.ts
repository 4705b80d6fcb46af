import type { StoreError } from '../../store.ts'
import type { Clock } from './clock.ts'
import { storeError } from '../protocol/errors.ts'

/**
 * Shared "send nothing until" gate (concepts/workbook-error-handling.md, "Error recovery
 * cooldown"): once any answer carries Retry-After, every later request of this store waits,
 * whether it is a retry or a new request, and whether the 429 came on the whole call or on a
 * `$batch` sub-request.
 */
export type Cooldown = {
  /** Holds all requests for at least `ms` from now. */
  hold(ms: number): void
  remainingMs(): number
  /** Sleeps out the cooldown; a wait longer than the cap gives up with a 'throttled' error instead. */
  wait(): Promise<StoreError | null>
}

export function createCooldown(clock: Clock, maxWaitMs: number): Cooldown {
  let until = 0
  const remainingMs = () => Math.max(0, until - clock.now())
  return {
    hold: (ms) => {
      until = Math.max(until, clock.now() + Math.max(0, ms))
    },
    remainingMs,
    wait: async () => {
      const ms = remainingMs()
      if (ms === 0) return null
      if (ms > maxWaitMs) return storeError('throttled', { retryAfterSeconds: Math.ceil(ms / 1000) })
      await clock.sleep(ms)
      return null
    },
  }
}
