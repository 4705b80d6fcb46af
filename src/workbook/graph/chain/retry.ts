import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client'
import type { Clock } from './clock.ts'
import type { Cooldown } from './cooldown.ts'
import { retryAfterMs } from '../protocol/errors.ts'
import { StoreFailure } from './failure.ts'
import { middleware } from './middleware.ts'

/**
 * Request option marking a request that may be sent twice with no harm (GETs, all-GET `$batch`,
 * createSession). Only those are retried here: a throttled or dropped `rows/add` may already
 * have landed (GRAPH.md §6), so writes are retried by the store, which first checks the ChangeId.
 */
export class RepeatSafe implements MiddlewareOptions {}

export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 503, 504])

export type RetryOptions = { clock: Clock; cooldown: Cooldown; tries: number; maxWaitMs: number; baseDelayMs?: number }

/** Read through a function: TypeScript would otherwise keep the `undefined` assigned before the call. */
function responseOf(context: Context): Response | undefined {
  return context.response
}

export function backoffMs(attempt: number, baseDelayMs = 1000): number {
  return baseDelayMs * 2 ** (attempt - 1)
}

/** 429/503/504: honour Retry-After (seconds or HTTP date), else back off exponentially; bounded tries (concepts/throttling.md). */
export function retryThrottled(options: RetryOptions): Middleware {
  const { clock, cooldown, tries, maxWaitMs } = options
  return middleware('retryThrottled', async (context, next) => {
    const repeatSafe = context.middlewareControl?.getMiddlewareOptions(RepeatSafe) !== undefined
    for (let attempt = 1; ; attempt += 1) {
      const blocked = await cooldown.wait()
      if (blocked) throw new StoreFailure(blocked)
      context.response = undefined
      try {
        await next.execute(context)
      } catch (error) {
        const transient = error instanceof StoreFailure && (error.error.kind === 'network' || error.error.kind === 'timeout')
        if (!transient || !repeatSafe || attempt >= tries) throw error
        cooldown.hold(backoffMs(attempt, options.baseDelayMs))
        continue
      }
      const response = responseOf(context)
      if (!response || !RETRYABLE_STATUS.has(response.status)) return
      const after = retryAfterMs(response.headers.get('Retry-After'), clock.now())
      // Even a request we won't repeat must leave the cooldown behind for the ones after it.
      if (after !== null) cooldown.hold(after)
      if (!repeatSafe || attempt >= tries) return
      const wait = after ?? backoffMs(attempt, options.baseDelayMs)
      if (wait > maxWaitMs) return
      cooldown.hold(wait)
    }
  })
}
