import { randomUUID } from 'node:crypto'
import type { GraphError } from '../errors.ts'
import { json, type GraphResponse } from './messages.ts'

/**
 * The OData error body of concepts/errors.md, with the second-level code Excel adds
 * (concepts/workbook-error-handling.md) and the `date`/`request-id`/`client-request-id` the
 * service puts in `innerError` (observed, contrib#9041).
 */
export function errorResponse(error: GraphError, clientRequestId?: string): GraphResponse {
  const requestId = randomUUID()
  const innerError: Record<string, string> = {
    ...(error.innerCode === undefined ? {} : { code: error.innerCode }),
    date: new Date().toISOString().slice(0, 19),
    'request-id': requestId,
    'client-request-id': clientRequestId ?? requestId,
  }
  const headers: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) }
  return json(error.status, { error: { code: error.code, message: error.message, innerError } }, headers)
}
