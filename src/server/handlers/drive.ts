import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { ownOrigins } from '../protocol/guard.ts'
import type { ItemAddress } from '../protocol/route.ts'

/** The one drive item the local server holds: the workbook file. */

export const LOCAL_DRIVE_ID = 'local'
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Stable for a given file: derived from its absolute path, so links and configs survive restarts. */
export function driveItemIdFor(absolutePath: string): string {
  return `01${createHash('sha256').update(absolutePath).digest('hex').slice(0, 32).toUpperCase()}`
}

export type DriveInfo = { itemId: string; path: string; origin: string }

/** `/me/drive`, `/sites/{any}/drive` and `/drives/local` all reach the local drive; only our item id exists on it. */
export function isOurItem(drive: DriveInfo, item: ItemAddress): boolean {
  return item.itemId.toUpperCase() === drive.itemId && (item.driveId === null || item.driveId.toLowerCase() === LOCAL_DRIVE_ID)
}

/** The file's name, as `name` gives it and as the download route (outside `/graph`) serves it. */
export const fileName = (drive: DriveInfo): string => basename(drive.path)
export const downloadPath = (drive: DriveInfo): string => `/workbook/${encodeURIComponent(fileName(drive))}`

/**
 * The workbook's `webUrl` on an origin of this server (either loopback name): the download
 * route, so "Open in Excel" hands the browser the .xlsx. It is also the local sharing link,
 * as a document's URL is on SharePoint (api/shares-get.md resolves it).
 */
export const webUrl = (drive: DriveInfo, origin = drive.origin): string => `${origin}${downloadPath(drive)}`

/**
 * driveItem as res/driveitem.md has it, with the properties the product reads. The
 * `@microsoft.graph.downloadUrl` instance annotation (res/driveitem.md) is the same route:
 * nothing here needs a token or expires.
 */
export async function driveItemJson(drive: DriveInfo): Promise<Record<string, unknown>> {
  const info = await stat(drive.path)
  const url = webUrl(drive)
  return {
    id: drive.itemId,
    name: fileName(drive),
    size: info.size,
    webUrl: url,
    '@microsoft.graph.downloadUrl': url,
    createdDateTime: info.birthtime.toISOString(),
    lastModifiedDateTime: info.mtime.toISOString(),
    file: { mimeType: XLSX_MIME },
    parentReference: { driveId: LOCAL_DRIVE_ID, driveType: 'personal', id: 'root', path: '/drive/root:' },
  }
}

/** The URL a `u!` token carries (api/shares-get.md, "Encoding sharing URLs"), or null. */
function sharingUrlOf(token: string): URL | null {
  if (!token.startsWith('u!') || !/^[A-Za-z0-9_-]+$/.test(token.slice(2))) return null
  try {
    return new URL(Buffer.from(token.slice(2), 'base64url').toString('utf8'))
  } catch {
    return null
  }
}

/**
 * Whether `/shares/{token}` names our workbook: a `u!` token whose URL is the workbook's
 * `webUrl` on either loopback name of this server's port (query and fragment ignored, as links
 * pasted from a browser often carry some). Anything else is not an item this server holds.
 */
export function shareResolves(drive: DriveInfo, token: string): boolean {
  const url = sharingUrlOf(token)
  if (url === null) return false
  const port = Number(new URL(drive.origin).port)
  let path: string
  try {
    path = decodeURIComponent(url.pathname)
  } catch {
    return false
  }
  return ownOrigins(port).includes(url.origin) && path === `/workbook/${fileName(drive)}`
}

/** `/me`: the local server has one user (res/user.md properties the product reads). */
export const LOCAL_USER = {
  id: '00000000-0000-0000-0000-000000000001',
  displayName: 'Local user',
  userPrincipalName: 'local.user@localhost',
  mail: 'local.user@localhost',
} as const
