import { responsePayloadSizeLimitExceeded } from '../errors.ts'
import type { GraphResponse } from './messages.ts'
import { errorResponse } from './odata-error.ts'

/**
 * Excel on the web answers at most 5 MB per response (GRAPH.md §6). The limit is measured on
 * the uncompressed JSON, for each response on its own: a top-level response, or each
 * sub-response of a `$batch` (whose envelope is not limited, DIFFERENCES.md).
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024

/** Whether a text is over `maxBytes` in UTF-8, without encoding it when its length alone decides. */
export function exceedsBytes(text: string, maxBytes: number): boolean {
  if (text.length > maxBytes) return true
  if (text.length * 3 <= maxBytes) return false
  return Buffer.byteLength(text, 'utf8') > maxBytes
}

/**
 * Serializes a response once, answering ResponsePayloadSizeLimitExceeded instead when its body
 * is over the limit. The result carries `text`, which is what gets sent.
 */
export function serializeWithinLimit(response: GraphResponse, maxBytes: number, clientRequestId?: string): GraphResponse {
  if (response.text !== undefined || response.body === undefined) return response
  const text = JSON.stringify(response.body)
  if (!exceedsBytes(text, maxBytes)) return { ...response, text }
  const refused = errorResponse(responsePayloadSizeLimitExceeded(maxBytes), clientRequestId)
  return { ...refused, text: JSON.stringify(refused.body) }
}
