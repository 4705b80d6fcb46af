import { Client, ResponseType, type Middleware } from '@microsoft/microsoft-graph-client'
import { err, exhaustiveSwitchError, ok, type Result } from '../../../domain/result.ts'
import type { TokenProvider } from '../../../auth/tokens.ts'
import type { StoreError } from '../../store.ts'
import { bearer } from './bearer.ts'
import type { Clock } from './clock.ts'
import { createCooldown, type Cooldown } from './cooldown.ts'
import { mapGraphError, retryAfterMs, storeError, type ErrorContext } from '../protocol/errors.ts'
import { StoreFailure } from './failure.ts'
import { injectFaults, type FaultPlan } from './faults.ts'
import { httpTransport, responseText, type FetchLike, type RequestInfoForCount } from './http.ts'
import { RepeatSafe, RETRYABLE_STATUS, retryThrottled } from './retry.ts'
import { timeout } from './timeout.ts'

export type GraphCall = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  /** Relative to the version root, e.g. `/$batch` or `/me/drive/items/X/workbook/createSession`. */
  path: string
  body?: unknown
  /** A body sent as it is, not as JSON (sendMail's base64 MIME, with Content-Type text/plain in `headers`). */
  text?: string
  headers?: Record<string, string>
  /** Whether the chain may send it again on 429/503/504 or a dropped connection (default: GETs only). */
  repeatSafe?: boolean
}

/** Any HTTP answer, error statuses included; `body` is parsed JSON (or null), still `unknown`. */
export type GraphReply = { status: number; headers: Headers; body: unknown }

/** One configured way to talk to Graph (or the local server): base URL, chain, shared cooldown. */
export type GraphTransport = {
  baseUrl: string
  clock: Clock
  cooldown: Cooldown
  tries: number
  maxWaitMs: number
  /** Resolves to a reply for every HTTP status; an error only when no usable answer came back. */
  send(call: GraphCall): Promise<Result<GraphReply, StoreError>>
}

export type TransportOptions = {
  baseUrl: string
  tokens: TokenProvider
  clock: Clock
  timeoutMs?: number
  maxTries?: number
  maxWaitMs?: number
  faults?: FaultPlan
  fetch?: FetchLike
  onRequest?: (info: RequestInfoForCount) => void
  /** Origins besides Graph's own hosts and loopback that may receive the token (PMW_GRAPH_BASE_URL). */
  trustedOrigins?: readonly string[]
}

/** The chain, in order (DESIGN.md "Graph behaviour as a composed chain"). */
export function graphChain(o: {
  baseUrl: string
  tokens: TokenProvider
  clock: Clock
  cooldown: Cooldown
  tries: number
  maxWaitMs: number
  timeoutMs: number
  faults?: FaultPlan
  fetch?: FetchLike
  onRequest?: (info: RequestInfoForCount) => void
  trustedOrigins?: readonly string[]
}): Middleware[] {
  return [
    bearer(o.tokens, o.trustedOrigins),
    retryThrottled({ clock: o.clock, cooldown: o.cooldown, tries: o.tries, maxWaitMs: o.maxWaitMs }),
    timeout(o.timeoutMs),
    ...(o.faults ? [injectFaults(o.faults)] : []),
    httpTransport({ ...(o.fetch ? { fetch: o.fetch } : {}), ...(o.onRequest ? { onRequest: o.onRequest } : {}) }),
  ]
}

/** `https://graph.microsoft.com/v1.0` → the SDK's `baseUrl` and `defaultVersion`. */
export function splitBaseUrl(baseUrl: string): { root: string; version: string } {
  const trimmed = baseUrl.replace(/\/+$/, '')
  const cut = trimmed.lastIndexOf('/')
  return { root: trimmed.slice(0, cut), version: trimmed.slice(cut + 1) }
}

async function parseBody(response: Response): Promise<unknown> {
  const text = await responseText(response)
  if (text.trim() === '') return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

export function createGraphTransport(options: TransportOptions): GraphTransport {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const tries = options.maxTries ?? 4
  const maxWaitMs = options.maxWaitMs ?? 60_000
  const cooldown = createCooldown(options.clock, maxWaitMs)
  const { root, version } = splitBaseUrl(baseUrl)
  const client = Client.initWithMiddleware({
    baseUrl: root,
    defaultVersion: version,
    middleware: graphChain({ ...options, baseUrl, cooldown, tries, maxWaitMs, timeoutMs: options.timeoutMs ?? 30_000 }),
  })

  const send = async (call: GraphCall): Promise<Result<GraphReply, StoreError>> => {
    let request = client
      .api(call.path)
      .responseType(ResponseType.RAW)
      .headers(call.headers ?? {})
    if (call.repeatSafe ?? call.method === 'GET') request = request.middlewareOptions([new RepeatSafe()])
    try {
      let raw: unknown
      switch (call.method) {
        case 'GET':
          raw = await request.get()
          break
        case 'POST':
          raw = await request.post(call.text ?? (call.body === undefined ? '' : JSON.stringify(call.body)))
          break
        case 'PATCH':
          raw = await request.patch(JSON.stringify(call.body ?? {}))
          break
        case 'DELETE':
          raw = await request.delete()
          break
        default:
          return exhaustiveSwitchError(call.method, 'HTTP method')
      }
      if (!(raw instanceof Response)) return err(storeError('unexpected'))
      return ok({ status: raw.status, headers: raw.headers, body: await parseBody(raw) })
    } catch (error) {
      if (error instanceof StoreFailure) return err(error.error)
      return err(storeError('unexpected'))
    }
  }

  return { baseUrl, clock: options.clock, cooldown, tries, maxWaitMs, send }
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300
}

/**
 * The StoreError for a failed answer. A Retry-After longer than we are willing to wait turns a
 * 503/504 into 'throttled', so the message can say when to try again.
 */
export function replyError(
  transport: Pick<GraphTransport, 'clock' | 'maxWaitMs'>,
  status: number,
  retryAfter: string | null | undefined,
  body: unknown,
  context: ErrorContext = {},
): StoreError {
  const ms = retryAfterMs(retryAfter, transport.clock.now())
  const retryAfterSeconds = ms === null ? null : Math.ceil(ms / 1000)
  if (RETRYABLE_STATUS.has(status) && ms !== null && ms > transport.maxWaitMs) return storeError('throttled', { ...context, retryAfterSeconds })
  return mapGraphError(status, body, { ...context, retryAfterSeconds })
}

/** 2xx → the body; anything else → its StoreError. */
export function expectSuccess(
  transport: Pick<GraphTransport, 'clock' | 'maxWaitMs'>,
  reply: GraphReply,
  context: ErrorContext = {},
): Result<unknown, StoreError> {
  if (isSuccess(reply.status)) return ok(reply.body)
  return err(replyError(transport, reply.status, reply.headers.get('Retry-After'), reply.body, context))
}
