import type { Context, Middleware } from '@microsoft/microsoft-graph-client'
import { exhaustiveSwitchError } from '../../../domain/result.ts'
import { storeError } from '../protocol/errors.ts'
import { StoreFailure } from './failure.ts'
import { handOn } from './http.ts'
import { middleware, requestMethod, requestUrl } from './middleware.ts'

/**
 * Faults as middleware, after the SDK's ChaosHandler (sdk: src/middleware/ChaosHandler.ts), but
 * planned rather than random, so tests can say exactly which request fails and how.
 */
export type Fault =
  /** Answer in place of the service, e.g. 429 with Retry-After or 503. */
  | { kind: 'respond'; status: number; headers?: Record<string, string>; body?: unknown }
  /** The connection drops before the request reaches the service: nothing landed. */
  | { kind: 'drop' }
  /** The request reaches the service and its answer is lost: it landed, the client can't tell. */
  | { kind: 'dropAfterSend' }
  /** No answer at all, until the per-request timeout aborts the wait. */
  | { kind: 'hang' }
  /**
   * The client times out at once, but the request is still on its way: it reaches the service
   * only after the next request has been answered (a write landing after the client checked).
   */
  | { kind: 'late' }

export type FaultRule = {
  /** Every given part must match: method, a substring of the URL, a substring of the request body. */
  match: { method?: string; url?: string; body?: string }
  fault: Fault
  /** How many matching requests get the fault (default 1). */
  times?: number
}

export type FaultPlan = readonly FaultRule[]

function bodyText(body: unknown): string {
  return typeof body === 'string' ? body : ''
}

export function injectFaults(plan: FaultPlan): Middleware {
  const left = plan.map((rule) => rule.times ?? 1)
  const held: Context[] = []
  const release = async (next: Middleware) => {
    for (const late of held.splice(0)) await next.execute(late).catch(() => undefined)
  }
  return middleware('injectFaults', async (context, next) => {
    const method = requestMethod(context)
    const url = requestUrl(context)
    const body = bodyText(context.options?.body)
    const index = plan.findIndex(
      (rule, i) =>
        (left[i] ?? 0) > 0 &&
        (rule.match.method === undefined || rule.match.method.toUpperCase() === method) &&
        (rule.match.url === undefined || url.includes(rule.match.url)) &&
        (rule.match.body === undefined || body.includes(rule.match.body)),
    )
    const rule = plan[index]
    if (!rule) {
      await next.execute(context)
      await release(next)
      return
    }
    left[index] = (left[index] ?? 0) - 1
    const fault = rule.fault
    switch (fault.kind) {
      case 'respond':
        handOn(context, { status: fault.status, headers: { 'Content-Type': 'application/json', ...fault.headers } }, fault.body === undefined ? '' : JSON.stringify(fault.body))
        return
      case 'drop':
        throw new StoreFailure(storeError('network'))
      case 'dropAfterSend':
        await next.execute(context)
        throw new StoreFailure(storeError('network'))
      case 'hang':
        await new Promise<never>((_, reject) => {
          const signal = context.options?.signal
          if (!signal) return
          if (signal.aborted) reject(new Error('aborted'))
          signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true })
        })
        return
      case 'late':
        held.push({ ...context, options: { ...context.options, signal: null } })
        throw new StoreFailure(storeError('timeout'))
      default:
        return exhaustiveSwitchError(fault, 'fault')
    }
  })
}
