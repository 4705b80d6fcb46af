import { noToken, type TokenProvider } from '../../auth/tokens.ts'
import { isRecord } from '../../domain/records.ts'
import { err, ok, type Result } from '../../domain/result.ts'
import { parseDriveItemUrl, type DriveItemLocation } from './protocol/location.ts'
import type { SourceError } from '../source-error.ts'
import { openGraphStore, type GraphStoreOptions } from './store/graph-store.ts'

/**
 * Which workbook a page (the tab, the task pane) opens. A channel tab saves its workbook in its
 * content URL (`?workbook=<drive item URL>`); `npm start` says where it serves one in
 * /local-config.json. Either way the page reads through the same Graph client: only the base URL
 * and the token differ.
 */
export type WorkbookSource = {
  location: DriveItemLocation
  tokens: TokenProvider
  /** Where "Open in Excel" goes, when known. */
  webUrl: string | null
  /** The local server's sharing link for its workbook, offered on the tab's setup page. */
  sharingUrl: string | null
}

export async function findSource(params: URLSearchParams, fetchJson: (path: string) => Promise<unknown>): Promise<Result<WorkbookSource, SourceError>> {
  const workbook = params.get('workbook')
  if (workbook) {
    const location = parseDriveItemUrl(workbook)
    if (!location.ok) return err({ kind: 'badWorkbookUrl', reason: location.error })
    // The page signs in for a Graph that is not loopback (src/pages/start.ts) and sets the tokens.
    return ok({ location: location.value, tokens: noToken, webUrl: null, sharingUrl: null })
  }
  let config: unknown
  try {
    config = await fetchJson('/local-config.json')
  } catch {
    return err({ kind: 'noLocalServer' })
  }
  if (!isRecord(config) || typeof config.graphBaseUrl !== 'string' || typeof config.driveItemPath !== 'string') return err({ kind: 'badLocalConfig' })
  const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)
  return ok({
    location: { baseUrl: config.graphBaseUrl, itemPath: config.driveItemPath },
    tokens: noToken,
    webUrl: text(config.webUrl),
    sharingUrl: text(config.sharingUrl),
  })
}

/** The page's own server's JSON (same origin), for `findSource`. */
export async function fetchSameOriginJson(path: string): Promise<unknown> {
  const response = await fetch(path, { headers: { accept: 'application/json' } })
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`)
  return response.json() as Promise<unknown>
}

/** Reads for a view: three tries (waits of 1 s and 2 s) before a dropped connection is reported, so a person is told soon. */
export function openPageStore(source: WorkbookSource, options: Pick<GraphStoreOptions, 'session'> = {}): ReturnType<typeof openGraphStore> {
  return openGraphStore({ location: source.location, tokens: source.tokens, maxTries: 3, ...options })
}
