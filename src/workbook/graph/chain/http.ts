import type { Context, Middleware } from '@microsoft/microsoft-graph-client'
import { storeError } from '../protocol/errors.ts'
import { StoreFailure } from './failure.ts'
import { requestMethod, requestUrl, terminal } from './middleware.ts'

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>

export type RequestInfoForCount = { method: string; url: string }

const NULL_BODY_STATUS = new Set([101, 204, 205, 304])

/**
 * The body of each response the chain hands on, as text, kept beside a Response that carries
 * only status and headers. Chromium takes 230 ms to build a Response from 9 MB of text (it
 * encodes it all), and reading it back decodes it again: most of a district's dashboard read.
 */
const bodyTexts = new WeakMap<Response, string>()

/** Answers the request in `context` with `text` as its body (read back with `responseText`). */
export function handOn(context: Context, init: { status: number; statusText?: string; headers: Headers | Record<string, string> }, text: string): void {
  const response = new Response(null, init)
  bodyTexts.set(response, NULL_BODY_STATUS.has(init.status) ? '' : text)
  context.response = response
}

/** The body of a response the chain handed on. */
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
      handOn(context, { status: response.status, statusText: response.statusText, headers: response.headers }, await response.text())
    } catch (error) {
      if (error instanceof StoreFailure || context.options?.signal?.aborted) throw error
      throw new StoreFailure(storeError('network'))
    }
  })
}
