import { err, ok, type Result } from '../../../domain/result.ts'
import type { StoreError } from '../../store.ts'
import { isSizeLimit, retryAfterMs } from './errors.ts'
import { backoffMs, RETRYABLE_STATUS } from '../chain/retry.ts'
import { expectSuccess, isSuccess, replyError, type GraphReply, type GraphTransport } from '../chain/transport.ts'
import { isRecord } from '../../../domain/records.ts'

/** JSON batching (concepts/json-batching.md): ≤ 20 requests per `$batch`, relative URLs, unique ids. */
export const MAX_BATCH = 20

export type BatchRequest = {
  id: string
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  /** Relative to the version root, with its leading slash. */
  url: string
  body?: unknown
  dependsOn?: string[]
}

export type BatchReply = { id: string; status: number; headers: Record<string, string>; body: unknown }


/** The `$batch` body. Each sub-request carries the session header itself: inheritance is undocumented (GRAPH.md §5). */
export function batchPayload(requests: readonly BatchRequest[], sessionId: string | null): { requests: Record<string, unknown>[] } {
  return {
    requests: requests.map((r) => {
      const headers: Record<string, string> = {}
      if (r.body !== undefined) headers['Content-Type'] = 'application/json'
      if (sessionId) headers['workbook-session-id'] = sessionId
      return {
        id: r.id,
        method: r.method,
        url: r.url,
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
        ...(r.body !== undefined ? { body: r.body } : {}),
        ...(r.dependsOn && r.dependsOn.length > 0 ? { dependsOn: r.dependsOn } : {}),
      }
    }),
  }
}

export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value
  return undefined
}

/**
 * A sub-response body is JSON when its content type is JSON, otherwise a base64 string
 * (concepts/json-batching.md); a JSON body sent as a string is read too, so a range survives
 * either encoding.
 */
function replyBody(body: unknown): unknown {
  if (typeof body !== 'string') return body ?? null
  for (const text of [body, decodeBase64(body)]) {
    if (text === null) continue
    try {
      return JSON.parse(text) as unknown
    } catch {
      // not JSON in this encoding: try the next
    }
  }
  return body
}

/** Plain or URL-safe base64 (json-batching.md: "a base64 URL-encoded value"), padded or not. */
function decodeBase64(text: string): string | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null
  const standard = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '')
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, '=')), (c) => c.charCodeAt(0)))
  } catch {
    return null
  }
}

/** Parses `{responses:[{id, status, headers?, body?}]}` from `unknown`; replies come in any order. */
export function parseBatchReplies(body: unknown): Result<Map<string, BatchReply>, string> {
  const responses = isRecord(body) ? body.responses : undefined
  if (!Array.isArray(responses)) return err('the $batch reply has no responses array')
  const replies = new Map<string, BatchReply>()
  for (const item of responses) {
    if (!isRecord(item) || typeof item.id !== 'string' || typeof item.status !== 'number') return err('a $batch response lacks its id or status')
    const headers: Record<string, string> = {}
    if (isRecord(item.headers)) for (const [k, v] of Object.entries(item.headers)) if (typeof v === 'string') headers[k] = v
    replies.set(item.id, { id: item.id, status: item.status, headers, body: replyBody(item.body) })
  }
  return ok(replies)
}

function unreadableReply(): StoreError {
  return { kind: 'unexpected', reason: 'answerUnreadable' }
}

/** One `POST /$batch`: one HTTP round trip. Every asked id must come back. */
export async function sendBatch(
  transport: GraphTransport,
  requests: readonly BatchRequest[],
  options: { sessionId: string | null; repeatSafe: boolean },
): Promise<Result<Map<string, BatchReply>, StoreError>> {
  const reply = await postBatch(transport, requests, options)
  return reply.ok ? repliesOf(transport, requests, reply.value) : reply
}

function postBatch(transport: GraphTransport, requests: readonly BatchRequest[], options: { sessionId: string | null; repeatSafe: boolean }) {
  return transport.send({
    method: 'POST',
    path: '/$batch',
    body: batchPayload(requests, options.sessionId),
    headers: options.sessionId ? { 'workbook-session-id': options.sessionId } : {},
    repeatSafe: options.repeatSafe,
  })
}

function repliesOf(transport: GraphTransport, requests: readonly BatchRequest[], reply: GraphReply): Result<Map<string, BatchReply>, StoreError> {
  const body = expectSuccess(transport, reply)
  if (!body.ok) return body
  const replies = parseBatchReplies(body.value)
  if (!replies.ok || requests.some((r) => !replies.value.has(r.id))) return err(unreadableReply())
  return ok(replies.value)
}

/**
 * Reads in one `$batch`. The 5 MB limit is documented per response (GRAPH.md §6), not for a
 * batch's whole reply; should the service refuse a whole reply as too large, the reads are asked
 * for again in halves (each still one round trip), so a large district still loads, in more
 * requests. Only reads: they are safe to send again.
 */
async function sendReads(transport: GraphTransport, requests: readonly BatchRequest[], sessionId: string | null): Promise<Result<Map<string, BatchReply>, StoreError>> {
  const reply = await postBatch(transport, requests, { sessionId, repeatSafe: true })
  if (!reply.ok) return reply
  if (requests.length > 1 && !isSuccess(reply.value.status) && isSizeLimit(reply.value.body)) {
    const half = Math.ceil(requests.length / 2)
    const first = await sendReads(transport, requests.slice(0, half), sessionId)
    if (!first.ok) return first
    const second = await sendReads(transport, requests.slice(half), sessionId)
    return second.ok ? ok(new Map([...first.value, ...second.value])) : second
  }
  return repliesOf(transport, requests, reply.value)
}

/**
 * GETs in as few `$batch` calls as allowed (one for ≤ 20). A sub-request throttled inside a 200
 * batch (concepts/throttling.md) is sent again, alone with the other throttled ones, after its
 * Retry-After; it is never taken for an answer. Gives up after the transport's bounded tries.
 */
export async function readBatch(
  transport: GraphTransport,
  requests: readonly BatchRequest[],
  sessionId: string | null,
): Promise<Result<Map<string, BatchReply>, StoreError>> {
  const answered = new Map<string, BatchReply>()
  let pending = [...requests]
  for (let attempt = 1; ; attempt += 1) {
    const throttled: BatchReply[] = []
    for (let start = 0; start < pending.length; start += MAX_BATCH) {
      const replies = await sendReads(transport, pending.slice(start, start + MAX_BATCH), sessionId)
      if (!replies.ok) return replies
      for (const reply of replies.value.values()) {
        if (RETRYABLE_STATUS.has(reply.status) && !isSizeLimit(reply.body)) throttled.push(reply)
        else answered.set(reply.id, reply)
      }
    }
    if (throttled.length === 0) return ok(answered)
    const waits = throttled.map((r) => retryAfterMs(headerValue(r.headers, 'Retry-After'), transport.clock.now()))
    const wait = Math.max(...waits.map((w) => w ?? backoffMs(attempt)))
    const first = throttled[0]
    if (!first) return ok(answered)
    if (waits.some((w) => w !== null)) transport.cooldown.hold(Math.max(...waits.map((w) => w ?? 0)))
    if (attempt >= transport.tries || wait > transport.maxWaitMs) {
      return err(replyError(transport, first.status, headerValue(first.headers, 'Retry-After'), first.body))
    }
    transport.cooldown.hold(wait)
    const again = new Set(throttled.map((r) => r.id))
    pending = pending.filter((r) => again.has(r.id))
  }
}
