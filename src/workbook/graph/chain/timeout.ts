import type { Middleware } from '@microsoft/microsoft-graph-client'
import { storeError } from '../protocol/errors.ts'
import { StoreFailure } from './failure.ts'
import { middleware } from './middleware.ts'

/** Aborts one try after `ms` (the transport reads the whole body inside it); the timer is always cleared. */
export function timeout(ms: number): Middleware {
  return middleware('timeout', async (context, next) => {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), ms)
    context.options = { ...context.options, signal: controller.signal }
    try {
      await next.execute(context)
    } catch (error) {
      if (controller.signal.aborted) throw new StoreFailure(storeError('timeout'))
      throw error
    } finally {
      clearTimeout(timer)
    }
  })
}
