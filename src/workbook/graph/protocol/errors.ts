import { exhaustiveSwitchError } from '../../../domain/result.ts'
import type { StoreError } from '../../store.ts'
import { isRecord } from '../../../domain/records.ts'

/**
 * Graph error bodies → StoreError, in words a district user understands.
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

export function storeError(kind: Kind, context: ErrorContext = {}, code: string | null = null): StoreError {
  switch (kind) {
    case 'notFound':
      return {
        kind,
        message: context.table
          ? `The workbook or its ${context.table} table was not found. Check the link or ask its owner to share it.`
          : 'The workbook was not found. Check the link or ask its owner to share it.',
      }
    case 'forbidden':
      return { kind, message: "You don't have permission to open this workbook. Ask its owner to share it with you (edit access is needed to save changes)." }
    case 'unauthorized':
      return { kind, message: 'Your Microsoft 365 sign-in is missing or has expired. Sign in again and retry.' }
    case 'locked':
      return {
        kind,
        message:
          'The workbook is locked for editing by someone else (or open in the desktop app with changes not yet saved). Try again in a minute.',
      }
    case 'throttled': {
      const seconds = context.retryAfterSeconds ?? null
      return {
        kind,
        retryAfterSeconds: seconds,
        message:
          seconds === null
            ? 'Microsoft 365 is asking us to slow down; try again in a minute.'
            : `Microsoft 365 is asking us to slow down; try again in ${seconds} seconds.`,
      }
    }
    case 'unavailable':
      return { kind, message: 'Microsoft 365 is temporarily unavailable. Nothing more was sent; try again in a few minutes.' }
    case 'timeout':
      return { kind, message: 'Microsoft 365 took too long to answer. Try again in a minute.' }
    case 'network':
      return { kind, message: 'Could not reach Microsoft 365: check your connection.' }
    case 'sessionExpired':
      return { kind, message: 'The editing session with the workbook ended. Try again.' }
    case 'unreadable':
      return {
        kind,
        message: "Excel for the web can't open this workbook (it uses unsupported features or is too large). Open it in Excel to check.",
      }
    case 'unexpected':
      return {
        kind,
        message: `Microsoft 365 could not complete the request${code ? ` (${code})` : ''}. Try again; if it keeps happening, tell your administrator.`,
      }
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
