import type { Context, Middleware } from '@microsoft/microsoft-graph-client'
import { storeError } from '../protocol/errors.ts'
import { StoreFailure } from './failure.ts'
import { requestMethod, requestUrl, terminal } from './middleware.ts'

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>

export type RequestInfoForCount = { method: string; url: string }

const NULL_BODY_STATUS = new Set([101, 204, 205, 304])

/**
 * The end of the chain: one real HTTP round trip. The body is read here, inside the timeout,
 * so a stalled body ends as a timeout too, not a hang.
 */
export function httpTransport(options: { fetch?: FetchLike; onRequest?: (info: RequestInfoForCount) => void } = {}): Middleware {
  return terminal(async (context: Context) => {
    const url = requestUrl(context)
    const method = requestMethod(context)
    options.onRequest?.({ method, url })
    const send = options.fetch ?? ((u: string, init: RequestInit) => fetch(u, init))
    try {
      // No redirects: workbook calls never redirect, and following one would carry the
      // session id and body to another host.
      const response = await send(url, { ...context.options, method, redirect: 'error' })
      const text = await response.text()
      context.response = new Response(NULL_BODY_STATUS.has(response.status) ? null : text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      })
    } catch (error) {
      if (error instanceof StoreFailure || context.options?.signal?.aborted) throw error
      throw new StoreFailure(storeError('network'))
    }
  })
}
