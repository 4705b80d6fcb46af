import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { ItemAddress } from '../protocol/route.ts'

/** The one drive item the local server holds: the workbook file. */

export const LOCAL_DRIVE_ID = 'local'
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Stable for a given file: derived from its absolute path, so links and configs survive restarts. */
export function driveItemIdFor(absolutePath: string): string {
  return `01${createHash('sha256').update(absolutePath).digest('hex').slice(0, 32).toUpperCase()}`
}

export type DriveInfo = { itemId: string; path: string; origin: string }

/** `/me/drive`, `/sites/{any}/drive` and `/drives/local` all reach the local drive; only our item id exists on it. */
export function isOurItem(drive: DriveInfo, item: ItemAddress): boolean {
  return item.itemId.toUpperCase() === drive.itemId && (item.driveId === null || item.driveId.toLowerCase() === LOCAL_DRIVE_ID)
}

/** What the start page links to; a sharing link to it round-trips through `/shares` (api/shares-get.md). */
export function webUrl(drive: DriveInfo): string {
  return `${drive.origin}/?item=${drive.itemId}`
}

/** driveItem as res/driveitem.md has it, with the properties the product reads. */
export async function driveItemJson(drive: DriveInfo): Promise<Record<string, unknown>> {
  const info = await stat(drive.path)
  return {
    id: drive.itemId,
    name: basename(drive.path),
    size: info.size,
    webUrl: webUrl(drive),
    createdDateTime: info.birthtime.toISOString(),
    lastModifiedDateTime: info.mtime.toISOString(),
    file: { mimeType: XLSX_MIME },
    parentReference: { driveId: LOCAL_DRIVE_ID, driveType: 'personal', id: 'root', path: '/drive/root:' },
  }
}

/**
 * `u!` + unpadded base64url of the sharing URL (api/shares-get.md). Any URL naming our item
 * id resolves, so links built on either loopback name work.
 */
export function shareResolves(drive: DriveInfo, token: string): boolean {
  if (!token.startsWith('u!')) return false
  const encoded = token.slice(2)
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return false
  const url = Buffer.from(encoded, 'base64url').toString('utf8')
  return url.toUpperCase().includes(drive.itemId)
}

/** `/me`: the local server has one user (res/user.md properties the product reads). */
export const LOCAL_USER = {
  id: '00000000-0000-0000-0000-000000000001',
  displayName: 'Local user',
  userPrincipalName: 'local.user@localhost',
  mail: 'local.user@localhost',
} as const
