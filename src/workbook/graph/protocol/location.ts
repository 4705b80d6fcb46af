import { err, ok, type Result } from '../../../domain/result.ts'
import type { StoreError } from '../../store.ts'
import { expectSuccess, type GraphTransport } from '../chain/transport.ts'
import { isRecord } from '../../../domain/records.ts'

/** Where the workbook lives: the Graph version root and the drive item address under it (GRAPH.md §1). */
export type DriveItemLocation = {
  /** e.g. https://graph.microsoft.com/v1.0 or http://127.0.0.1:5170/graph/v1.0 */
  baseUrl: string
  /** /me/drive/items/{id}, /drives/{d}/items/{i}, /sites/{s}/drive/items/{i}, or the group, user and site-drive forms */
  itemPath: string
}

// Item IDs, not paths: a session on a path-addressed item fails with AccessDenied (GRAPH.md §1).
// api/driveitem-get.md lists the drive, group, site and user forms; /sites/{s}/drives/{d}/items/{i} is observed (contrib#1003).
const ITEM_PATHS = [
  /^\/me\/drive\/items\/[^/]+$/,
  /^\/drives\/[^/]+\/items\/[^/]+$/,
  /^\/sites\/[^/]+\/drive\/items\/[^/]+$/,
  /^\/sites\/[^/]+\/drives\/[^/]+\/items\/[^/]+$/,
  /^\/groups\/[^/]+\/drive\/items\/[^/]+$/,
  /^\/users\/[^/]+\/drive\/items\/[^/]+$/,
]

const EXPECTED =
  'Expected a Microsoft Graph drive item address such as https://graph.microsoft.com/v1.0/me/drive/items/{item-id}, ' +
  '…/drives/{drive-id}/items/{item-id} or …/sites/{site-id}/drive/items/{item-id}. For a link copied from Excel, OneDrive or SharePoint, use it as a sharing link instead.'

/** Splits a drive item URL (optionally ending in `/workbook`) into its version root and item address. */
export function parseDriveItemUrl(url: string): Result<DriveItemLocation, string> {
  let parsed: URL
  try {
    parsed = new URL(url.trim())
  } catch {
    return err(`"${url}" is not a web address. ${EXPECTED}`)
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return err(`"${url}" is not an http(s) address. ${EXPECTED}`)
  if (parsed.search !== '' || parsed.hash !== '') return err(`"${url}" has a query or fragment, which a drive item address does not. ${EXPECTED}`)
  const segments = parsed.pathname.replace(/\/+$/, '').split('/')
  const versionAt = segments.findIndex((s) => s === 'v1.0' || s === 'beta')
  if (versionAt < 0) return err(`"${url}" has no Graph version (v1.0) in its path. ${EXPECTED}`)
  let rest = segments.slice(versionAt + 1)
  if (rest.at(-1)?.toLowerCase() === 'workbook') rest = rest.slice(0, -1)
  const itemPath = `/${rest.join('/')}`
  if (!ITEM_PATHS.some((p) => p.test(itemPath))) return err(`"${url}" does not point at a drive item by its ID. ${EXPECTED}`)
  return ok({ baseUrl: `${parsed.origin}${segments.slice(0, versionAt + 1).join('/')}`, itemPath })
}

/** `u!` + unpadded base64url of the URL's UTF-8 bytes (api/shares-get.md, "Encoding sharing URLs"). */
export function encodeSharingUrl(url: string): string {
  const bytes = new TextEncoder().encode(url)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return `u!${btoa(binary).replace(/=+$/, '').replace(/\//g, '_').replace(/\+/g, '-')}`
}


/**
 * Turns a sharing link into the workbook's address: GET /shares/{encoded}/driveItem, then
 * `id` + `parentReference.driveId` (api/shares-get.md, res/driveitem.md).
 */
export async function resolveSharingLink(graph: GraphTransport, url: string): Promise<Result<DriveItemLocation, StoreError>> {
  const reply = await graph.send({
    method: 'GET',
    path: `/shares/${encodeSharingUrl(url.trim())}/driveItem`,
    // Access for this call only; a lasting grant is the owner's decision (api/shares-get.md, Prefer).
    headers: { Prefer: 'redeemSharingLinkIfNecessary' },
  })
  if (!reply.ok) return reply
  const body = expectSuccess(graph, reply.value)
  if (!body.ok) return body
  const item = body.value
  const id = isRecord(item) ? item.id : undefined
  const parent = isRecord(item) ? item.parentReference : undefined
  const driveId = isRecord(parent) ? parent.driveId : undefined
  if (typeof id !== 'string' || id === '' || typeof driveId !== 'string' || driveId === '') {
    return err({ kind: 'unexpected', reason: 'noDrive' })
  }
  return ok({ baseUrl: graph.baseUrl, itemPath: `/drives/${encodeURIComponent(driveId)}/items/${encodeURIComponent(id)}` })
}

/** The workbook's own web address, which opens it in Excel: the driveItem's `webUrl` (api/driveitem-get.md, `$select`). */
export async function driveItemWebUrl(graph: GraphTransport, location: DriveItemLocation): Promise<Result<string, StoreError>> {
  const reply = await graph.send({ method: 'GET', path: `${location.itemPath}?$select=webUrl` })
  if (!reply.ok) return reply
  const body = expectSuccess(graph, reply.value)
  if (!body.ok) return body
  const webUrl = isRecord(body.value) ? body.value.webUrl : undefined
  return typeof webUrl === 'string' && webUrl !== '' ? ok(webUrl) : err({ kind: 'unexpected', reason: 'answerUnreadable', what: 'driveItem webUrl' })
}
