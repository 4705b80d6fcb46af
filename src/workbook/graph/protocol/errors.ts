import { exhaustiveSwitchError } from '../../../domain/result.ts'
import type { StoreError } from '../../store.ts'
import { isRecord } from '../../../domain/records.ts'

/**
 * Graph error bodies → StoreError kinds and their data (src/messages/errors.ts words them).
 * Order (concepts/workbook-error-handling.md, "Steps to handle error responses"): second-level
 * (inner) code, then top-level code, then HTTP status. Codes are case-insensitive: the docs
 * write camelCase, the service sends PascalCase (GRAPH.md §7), so everything is lower-cased.
 */

export type GraphErrorCodes = { code: string | null; innerCode: string | null }

type Kind = StoreError['kind']


function lowerString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value.toLowerCase() : null
}

/** Reads `{error:{code, innerError:{code}}}`; concepts/errors.md spells the inner key `innererror`. */
export function parseGraphErrorCodes(body: unknown): GraphErrorCodes {
  const error = isRecord(body) ? body.error : undefined
  if (!isRecord(error)) return { code: null, innerCode: null }
  const inner = error.innerError ?? error.innererror
  return { code: lowerString(error.code), innerCode: isRecord(inner) ? lowerString(inner.code) : null }
}

// concepts/workbook-error-handling.md, "Required second-level error codes"; GRAPH.md §7 for the Obs ones.
const INNER_CODES: Readonly<Record<string, Kind>> = {
  itemnotfound: 'notFound',
  notfounduncategorized: 'notFound',
  invalidsessionnotfound: 'notFound',
  accessconflict: 'locked',
  conflictuncategorized: 'locked',
  filteredrangeconflict: 'locked',
  insertdeleteconflict: 'locked',
  invalidsessionaccessconflict: 'locked',
  editmodecannotacquirelock: 'locked',
  accessdenied: 'forbidden',
  forbiddenuncategorized: 'forbidden',
  fileopenuserunauthorized: 'forbidden',
  invalidsessionrestricted: 'forbidden',
  unauthorizeduncategorized: 'unauthorized',
  // A sign-in problem, not a lost session: a new session would fail the same way (GRAPH.md §7).
  invalidsessionauthentication: 'unauthorized',
  invalidsessionrecreatable: 'sessionExpired',
  toomanyrequestsuncategorized: 'throttled',
  serviceunavailableuncategorized: 'unavailable',
  transientfailure: 'unavailable',
  gatewaytimeoutuncategorized: 'timeout',
  maxrequestdurationexceeded: 'timeout',
  unsupportedworkbook: 'unreadable',
  invalidsessionunsupportedworkbook: 'unreadable',
  generalexception: 'unexpected',
  internalservererroruncategorized: 'unexpected',
  invalidsessionunexpected: 'unexpected',
}

// concepts/workbook-error-codes.md, "Error code" (top level, bound to the status).
const TOP_CODES: Readonly<Record<string, Kind>> = {
  itemnotfound: 'notFound',
  notfound: 'notFound',
  unauthorized: 'unauthorized',
  invalidauthenticationtoken: 'unauthorized',
  forbidden: 'forbidden',
  accessdenied: 'forbidden',
  conflict: 'locked',
  toomanyrequests: 'throttled',
  activitylimitreached: 'throttled',
  serviceunavailable: 'unavailable',
  gatewaytimeout: 'timeout',
  unsupportedworkbook: 'unreadable',
}

function kindOfStatus(status: number): Kind {
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404 || status === 410) return 'notFound'
  if (status === 409 || status === 423) return 'locked'
  if (status === 429) return 'throttled'
  if (status === 502 || status === 503) return 'unavailable'
  if (status === 504 || status === 408) return 'timeout'
  return 'unexpected'
}

export function errorKind(status: number, codes: GraphErrorCodes): Kind {
  return (codes.innerCode ? INNER_CODES[codes.innerCode] : undefined) ?? (codes.code ? TOP_CODES[codes.code] : undefined) ?? kindOfStatus(status)
}

export type ErrorContext = {
  /** The table the request was about, for "…its WIGs table was not found". */
  table?: string
  /** Seconds from Retry-After, when the answer carried one. */
  retryAfterSeconds?: number | null
}

/** The kind with the data its sentence needs (src/messages/errors.ts words it). */
export function storeError(kind: Kind, context: ErrorContext = {}, code: string | null = null): StoreError {
  switch (kind) {
    case 'notFound':
      return context.table ? { kind, table: context.table } : { kind }
    case 'throttled':
      return { kind, retryAfterSeconds: context.retryAfterSeconds ?? null }
    case 'unexpected':
      return code ? { kind, code } : { kind }
    case 'forbidden':
    case 'unauthorized':
    case 'locked':
    case 'unavailable':
    case 'timeout':
    case 'network':
    case 'sessionExpired':
      return { kind }
    case 'unreadable':
      return { kind, reason: 'unsupported' }
    default:
      return exhaustiveSwitchError(kind, 'StoreError kind')
  }
}

/** Parses a `Retry-After` value: delay seconds or an HTTP date (RFC 9110 §10.2.3). Milliseconds from `now`. */
export function retryAfterMs(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined || value.trim() === '') return null
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

const SIZE_LIMIT_CODES = new Set(['responsepayloadsizelimitexceeded'])

/**
 * The service refused to send a range this large (GRAPH.md §6: Excel answers at most 5 MB): the
 * reader splits it and reads again, so this never reaches a user as an error.
 */
export function isSizeLimit(body: unknown): boolean {
  const { code, innerCode } = parseGraphErrorCodes(body)
  return (code !== null && SIZE_LIMIT_CODES.has(code)) || (innerCode !== null && SIZE_LIMIT_CODES.has(innerCode))
}

/** The whole mapping: an HTTP status and error body (as `unknown`) → StoreError. */
export function mapGraphError(status: number, body: unknown, context: ErrorContext = {}): StoreError {
  const codes = parseGraphErrorCodes(body)
  return storeError(errorKind(status, codes), context, codes.innerCode ?? codes.code ?? String(status))
}
