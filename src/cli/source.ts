import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { noToken, staticToken } from '../auth/tokens.ts'
import { openFileStore } from '../workbook/file/file-store.ts'
import { openGraphStore } from '../workbook/graph/graph-store.ts'
import { parseDriveItemUrl } from '../workbook/graph/location.ts'
import type { WorkbookStore } from '../workbook/store.ts'
import { UsageError, type CliIo } from './io.ts'

/**
 * SOURCE is a path to an .xlsx or a Graph drive item URL
 * (`<origin>/v1.0/me/drive/items/{id}`, `/drives/{d}/items/{i}`, `/sites/{s}/drive/items/{i}`).
 * A URL goes through the Graph backend whatever its host: the local server is just another origin.
 */
export function openSource(source: string, io: CliIo, onRequest?: (info: { method: string; url: string }) => void): WorkbookStore {
  if (/^https?:\/\//i.test(source)) {
    const location = parseDriveItemUrl(source)
    if (!location.ok) throw new UsageError(location.error)
    const token = io.env.PMW_GRAPH_TOKEN
    const timeout = Number(io.env.PMW_GRAPH_TIMEOUT_MS)
    return openGraphStore({
      location: location.value,
      tokens: token ? staticToken(token) : noToken,
      ...(Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}),
      ...(onRequest ? { onRequest } : {}),
    })
  }
  const path = resolve(io.cwd, source)
  if (!existsSync(path)) throw new UsageError(`No workbook at ${source}: the file does not exist.`)
  if (statSync(path).isDirectory()) throw new UsageError(`${source} is a folder, not an .xlsx workbook.`)
  if (!/\.xlsx$/i.test(path)) throw new UsageError(`${source} is not an .xlsx workbook (only .xlsx files hold Excel tables the product can read).`)
  return openFileStore(path)
}
