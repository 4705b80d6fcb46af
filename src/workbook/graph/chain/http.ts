import type { Context, Middleware } from '@microsoft/microsoft-graph-client'
import { storeError } from '../protocol/errors.ts'
import { StoreFailure } from './failure.ts'
import { requestMethod, requestUrl, terminal } from './middleware.ts'

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>

export type RequestInfoForCount = { method: string; url: string }

const NULL_BODY_STATUS = new Set([101, 204, 205, 304])

/**
 * The text each response handed on by `httpTransport` was built from. A Response's body can
 * only be read back by encoding the text again and decoding it once more: for the 5.7 MB of a
 * district's dashboard read, that was 150 ms of the tab's start.
 */
const bodyTexts = new WeakMap<Response, string>()

/** The response's body as text: the one already read when the transport made it, else read now. */
export async function responseText(response: Response): Promise<string> {
  return bodyTexts.get(response) ?? (await response.text())
}

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
      const nullBody = NULL_BODY_STATUS.has(response.status)
      const handed = new Response(nullBody ? null : text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      })
      bodyTexts.set(handed, nullBody ? '' : text)
      context.response = handed
    } catch (error) {
      if (error instanceof StoreFailure || context.options?.signal?.aborted) throw error
      throw new StoreFailure(storeError('network'))
    }
  })
}
