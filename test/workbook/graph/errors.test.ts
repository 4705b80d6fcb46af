import { describe, expect, it } from 'vitest'
import { mapGraphError, retryAfterMs } from '../../../src/workbook/graph/protocol/errors.ts'
import { describeError } from '../../../src/messages/errors.ts'

function body(code: string, innerCode?: string): unknown {
  return { error: { code, message: 'ignored', innerError: innerCode ? { code: innerCode, date: '2025-01-01T00:00:00', 'request-id': 'r' } : { date: '2025-01-01T00:00:00' } } }
}

// concepts/workbook-error-handling.md (second-level codes first, then top level, then status) and
// concepts/workbook-error-codes.md; GRAPH.md §7 for the PascalCase the service sends.
describe('Graph error mapping', () => {
  it.each([
    { status: 404, body: body('itemNotFound', 'itemNotFound'), kind: 'notFound' },
    { status: 404, body: body('ItemNotFound'), kind: 'notFound' },
    { status: 403, body: body('accessDenied'), kind: 'forbidden' },
    { status: 403, body: body('AccessDenied', 'FileOpenUserUnauthorized'), kind: 'forbidden' },
    { status: 401, body: body('InvalidAuthenticationToken'), kind: 'unauthorized' },
    { status: 409, body: body('conflict', 'accessConflict'), kind: 'locked' },
    { status: 409, body: body('Conflict', 'EditModeCannotAcquireLock'), kind: 'locked' },
    { status: 429, body: body('tooManyRequests', 'tooManyRequestsUncategorized'), kind: 'throttled' },
    { status: 503, body: body('serviceUnavailable', 'serviceUnavailableUncategorized'), kind: 'unavailable' },
    { status: 503, body: body('serviceUnavailable', 'transientFailure'), kind: 'unavailable' },
    { status: 504, body: body('gatewayTimeout', 'MaxRequestDurationExceeded'), kind: 'timeout' },
    { status: 404, body: body('notFound', 'invalidSessionReCreatable'), kind: 'sessionExpired' },
    { status: 400, body: body('badRequest', 'unsupportedWorkbook'), kind: 'unreadable' },
    { status: 500, body: body('internalServerError', 'generalException'), kind: 'unexpected' },
    { status: 400, body: body('ApiNotFound'), kind: 'unexpected' },
    // inner code wins over top code and status
    { status: 400, body: body('badRequest', 'ITEMNOTFOUND'), kind: 'notFound' },
    // status alone, when the body says nothing we know
    { status: 423, body: 'not json', kind: 'locked' },
    { status: 502, body: null, kind: 'unavailable' },
  ])('maps $status with $body.error.code to $kind', ({ status, body, kind }) => {
    expect(mapGraphError(status, body).kind).toBe(kind)
  })

  it('names the missing table and says what to do', () => {
    const error = mapGraphError(404, body('itemNotFound'), { table: 'WIGs' })
    expect(error).toEqual({ kind: 'notFound', table: 'WIGs' })
    expect(describeError(error)).toBe(
      'The workbook or its WIGs table was not found. Check the link or ask its owner to share it.',
    )
  })

  it('says when to try again after throttling', () => {
    const error = mapGraphError(429, body('tooManyRequests'), { retryAfterSeconds: 30 })
    expect(error).toEqual({ kind: 'throttled', retryAfterSeconds: 30 })
    expect(describeError(error)).toBe('Microsoft 365 is asking us to slow down; try again in 30 seconds.')
  })

  it('tells a locked workbook apart in words a user understands', () => {
    expect(describeError(mapGraphError(409, body('conflict', 'accessConflict')))).toMatch(/locked for editing by someone else/)
  })

  // concepts/throttling.md: Retry-After in seconds; RFC 9110 also allows an HTTP date.
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2025, 0, 6, 9, 0, 0)
    expect(retryAfterMs('2', now)).toBe(2000)
    expect(retryAfterMs('Mon, 06 Jan 2025 09:00:05 GMT', now)).toBe(5000)
    expect(retryAfterMs('soon', now)).toBeNull()
    expect(retryAfterMs(null, now)).toBeNull()
  })
})
