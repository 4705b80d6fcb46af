import { noToken, type TokenProvider } from '../auth/tokens.ts'
import { err, ok, type Result } from '../domain/result.ts'
import { parseDriveItemUrl, type DriveItemLocation } from '../workbook/graph/protocol/location.ts'
import { openGraphStore } from '../workbook/graph/store/graph-store.ts'
import { isRecord } from '../domain/records.ts'

/**
 * Which workbook the tab shows. A channel tab saves its workbook in its content URL
 * (`?workbook=<drive item URL>`); `npm start` says where it serves one in /local-config.json.
 * Either way the page reads through the same Graph client: only the base URL and the token differ.
 */
export type WorkbookSource = {
  location: DriveItemLocation
  tokens: TokenProvider
  /** Where "Open in Excel" goes, when known. */
  webUrl: string | null
  /** The local server's sharing link for its workbook, offered on the configuration page. */
  sharingUrl: string | null
}

const isLoopback = (url: string): boolean => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)

export async function findSource(params: URLSearchParams, fetchJson: (path: string) => Promise<unknown>): Promise<Result<WorkbookSource, string>> {
  const workbook = params.get('workbook')
  if (workbook) {
    const location = parseDriveItemUrl(workbook)
    if (!location.ok) return err(location.error)
    // Sign-in for Microsoft 365 comes with the app package; until then only a loopback Graph can be read.
    if (!isLoopback(location.value.baseUrl)) return err('This build has no Microsoft 365 sign-in yet, so it can only open a workbook served by `npm start` on this computer.')
    return ok({ location: location.value, tokens: noToken, webUrl: null, sharingUrl: null })
  }
  let config: unknown
  try {
    config = await fetchJson('/local-config.json')
  } catch {
    return err('No workbook is configured for this tab, and no local server answered at /local-config.json. Start one with `npm start`, or configure the tab with the workbook\'s sharing link.')
  }
  if (!isRecord(config) || typeof config.graphBaseUrl !== 'string' || typeof config.driveItemPath !== 'string') {
    return err('The local server\'s /local-config.json does not say which workbook to open (expected graphBaseUrl and driveItemPath).')
  }
  const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)
  return ok({
    location: { baseUrl: config.graphBaseUrl, itemPath: config.driveItemPath },
    tokens: noToken,
    webUrl: text(config.webUrl),
    sharingUrl: text(config.sharingUrl),
  })
}

/** Three tries (waits of 1 s and 2 s) before a read reports a dropped connection: a leader is told soon, and Refresh is one click. */
export function openStore(source: WorkbookSource): ReturnType<typeof openGraphStore> {
  return openGraphStore({ location: source.location, tokens: source.tokens, maxTries: 3 })
}
