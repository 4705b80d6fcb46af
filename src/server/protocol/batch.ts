import { isRecord } from '../../domain/records.ts'
import { err, ok, type Result } from '../../domain/result.ts'
import { badRequest, failedDependency, type GraphError } from '../errors.ts'
import { JSON_HEADERS, json, type GraphRequest, type GraphResponse } from './messages.ts'
import { errorResponse } from './odata-error.ts'
import { serializeWithinLimit } from './response-size.ts'

/** JSON batching (concepts/json-batching.md): parse the envelope, run steps in dependency order. */

export const MAX_BATCH_REQUESTS = 20

export type BatchStep = { id: string; request: GraphRequest; dependsOn: string[] }

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const

/**
 * Sub-request URLs are relative to the version root. The SDK's BatchRequestContent keeps
 * whatever follows the host, so `/graph/v1.0/me` or `v1.0/me` arrive too, and it may drop the
 * leading slash (GRAPH.md §10): all mean `/me`.
 */
export function subRequestTarget(url: string): { path: string; query: URLSearchParams } {
  const relative = url.replace(/^https?:\/\/[^/]+/i, '').replace(/^\/+/, '').replace(/^graph\//i, '').replace(/^v1\.0(\/|$)/i, '')
  const parsed = new URL(`/${relative}`, 'http://batch.invalid')
  return { path: parsed.pathname, query: parsed.searchParams }
}

function parseStep(raw: unknown, position: number): Result<BatchStep, GraphError> {
  if (!isRecord(raw)) return err(badRequest(`Batch request #${position + 1} is not an object.`))
  const { id, method, url, headers, body, dependsOn } = raw
  if (typeof id !== 'string' || id === '') return err(badRequest(`Batch request #${position + 1} needs a string "id".`))
  const verb = typeof method === 'string' ? METHODS.find((m) => m === method.toUpperCase()) : undefined
  if (!verb) return err(badRequest(`Batch request ${id} has an unsupported method.`))
  if (typeof url !== 'string' || url.trim() === '') return err(badRequest(`Batch request ${id} needs a "url".`))
  const lowered: Record<string, string> = {}
  if (headers !== undefined && headers !== null) {
    if (!isRecord(headers)) return err(badRequest(`Batch request ${id} has "headers" that are not an object.`))
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== 'string') return err(badRequest(`Header ${name} of batch request ${id} must be a string.`))
      lowered[name.toLowerCase()] = value
    }
  }
  if (body !== undefined && lowered['content-type'] === undefined) {
    return err(badRequest(`Batch request ${id} has a body but no Content-Type header.`))
  }
  if (dependsOn !== undefined && (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string'))) {
    return err(badRequest(`"dependsOn" of batch request ${id} must be an array of request ids.`))
  }
  let target: { path: string; query: URLSearchParams }
  try {
    target = subRequestTarget(url)
  } catch {
    return err(badRequest(`Batch request ${id} has an invalid url.`))
  }
  return ok({
    id,
    dependsOn: (dependsOn as string[] | undefined) ?? [],
    request: { method: verb, path: target.path, query: target.query, headers: lowered, body, inBatch: true },
  })
}

/** Batch ids are "not case-sensitive" (concepts/json-batching.md): compared lower-cased. */
const idKey = (id: string): string => id.toLowerCase()

/**
 * Whole-envelope checks answer 400 for the whole batch. A `workbook-session-id` on the `$batch`
 * itself is passed to sub-requests that carry none (inheritance is undocumented, GRAPH.md §5;
 * taking it is the safe reading: a non-persistent session's writes never reach the file).
 */
export function parseBatch(body: unknown, outerHeaders: Readonly<Record<string, string | undefined>> = {}): Result<BatchStep[], GraphError> {
  if (!isRecord(body) || !Array.isArray(body['requests'])) return err(badRequest('A batch body is {"requests": [...]}.'))
  const requests: unknown[] = body['requests']
  if (requests.length === 0) return err(badRequest('A batch needs at least one request.'))
  if (requests.length > MAX_BATCH_REQUESTS) {
    return err(badRequest(`A batch holds at most ${MAX_BATCH_REQUESTS} requests; this one has ${requests.length}.`))
  }
  const steps: BatchStep[] = []
  for (const [position, raw] of requests.entries()) {
    const step = parseStep(raw, position)
    if (!step.ok) return step
    if (steps.some((s) => idKey(s.id) === idKey(step.value.id))) return err(badRequest(`Batch request id ${step.value.id} is used twice.`))
    const session = outerHeaders['workbook-session-id']
    const inherits = session !== undefined && step.value.request.headers['workbook-session-id'] === undefined
    steps.push(inherits ? { ...step.value, request: { ...step.value.request, headers: { ...step.value.request.headers, 'workbook-session-id': session } } } : step.value)
  }
  const ids = new Set(steps.map((s) => idKey(s.id)))
  for (const step of steps) {
    const unknown = step.dependsOn.find((d) => !ids.has(idKey(d)))
    if (unknown !== undefined) return err(badRequest(`Batch request ${step.id} depends on ${unknown}, which is not in the batch.`))
  }
  if (executionOrder(steps) === null) return err(badRequest('The dependsOn chains of this batch form a cycle.'))
  return ok(steps)
}

/** Steps in an order where each comes after its dependencies, keeping the sender's order otherwise; null on a cycle. */
function executionOrder(steps: readonly BatchStep[]): BatchStep[] | null {
  const done = new Set<string>()
  const order: BatchStep[] = []
  let remaining = [...steps]
  while (remaining.length > 0) {
    const ready = remaining.filter((s) => s.dependsOn.every((d) => done.has(idKey(d))))
    if (ready.length === 0) return null
    for (const s of ready) {
      order.push(s)
      done.add(idKey(s.id))
    }
    remaining = remaining.filter((s) => !done.has(idKey(s.id)))
  }
  return order
}

export type BatchSubResponse = { id: string; status: number; headers: Record<string, string>; body?: unknown }

const succeeded = (status: number): boolean => status >= 200 && status < 300

/** One sub-response as JSON, its body spliced in from the text already checked against the limit. */
function subResponseText(sub: BatchSubResponse, bodyText: string | undefined): string {
  const head = `{"id":${JSON.stringify(sub.id)},"status":${sub.status},"headers":${JSON.stringify(sub.headers)}`
  return bodyText === undefined ? `${head}}` : `${head},"body":${bodyText}}`
}

/**
 * Runs the steps one at a time (the workbook allows one operation at a time anyway,
 * concepts/workbook-best-practice.md); a step whose dependency failed answers 424 unrun.
 * Each sub-response is held to `maxResponseBytes` on its own (protocol/response-size.ts); the
 * envelope is not, and is serialized from the sub-responses' texts rather than twice.
 */
export async function runBatch(steps: readonly BatchStep[], execute: (request: GraphRequest) => Promise<GraphResponse>, maxResponseBytes: number): Promise<GraphResponse> {
  const results = new Map<string, { sub: BatchSubResponse; text?: string }>()
  for (const step of executionOrder(steps) ?? []) {
    const failed = step.dependsOn.find((d) => !succeeded(results.get(idKey(d))?.sub.status ?? 0))
    const clientRequestId = step.request.headers['client-request-id']
    const raw = failed !== undefined ? errorResponse(failedDependency(failed), clientRequestId) : await execute(step.request)
    const response = serializeWithinLimit(raw, maxResponseBytes, clientRequestId)
    const headers = response.body === undefined ? response.headers : { ...response.headers, ...JSON_HEADERS }
    const sub: BatchSubResponse = { id: step.id, status: response.status, headers, ...(response.body === undefined ? {} : { body: response.body }) }
    results.set(idKey(step.id), { sub, ...(response.text === undefined ? {} : { text: response.text }) })
  }
  const ordered = steps.map((s) => results.get(idKey(s.id))).filter((r) => r !== undefined)
  return {
    ...json(200, { responses: ordered.map((r) => r.sub) }),
    text: `{"responses":[${ordered.map((r) => subResponseText(r.sub, r.text)).join(',')}]}`,
  }
}
