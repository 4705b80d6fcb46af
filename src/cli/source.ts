import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { noToken, staticToken, type TokenProvider } from '../auth/tokens.ts'
import { openFileStore } from '../workbook/file/file-store.ts'
import { openGraphStore } from '../workbook/graph/store/graph-store.ts'
import { systemClock } from '../workbook/graph/chain/clock.ts'
import { parseDriveItemUrl, resolveSharingLink, type DriveItemLocation } from '../workbook/graph/protocol/location.ts'
import { createGraphTransport } from '../workbook/graph/chain/transport.ts'
import type { WorkbookStore } from '../workbook/store.ts'
import { describeError } from '../messages/errors.ts'
import { UsageError, type CliIo } from './io.ts'
import { loadPlan, type LoadedPlan } from '../app/load-plan.ts'
import { loadDashboard, type Dashboard } from '../app/dashboard.ts'
import type { IsoDate } from '../domain/dates.ts'
import type { TableName } from '../workbook/contract.ts'

const MICROSOFT_GRAPH = 'https://graph.microsoft.com/v1.0'

/**
 * SOURCE is a path to an .xlsx, a Graph drive item URL (`<origin>/v1.0/me/drive/items/{id}`,
 * `/drives/{d}/items/{i}`, `/sites/{s}/drive/items/{i}`), or a sharing link / document URL,
 * which Graph resolves (`/shares/{encoded}/driveItem`) at PMW_GRAPH_BASE_URL (default Microsoft's).
 * A URL goes through the Graph backend whatever its host: the local server is just another origin.
 */
export async function openSource(source: string, io: CliIo): Promise<WorkbookStore> {
  return (await openSourceAccess(source, io)).store
}

/** How the CLI reaches Microsoft Graph (or the local server): token, timeout, trusted origins, HTTP client. */
export type GraphAccess = {
  location: DriveItemLocation
  tokens: TokenProvider
  http: { timeoutMs?: number; trustedOrigins: readonly string[]; fetch?: CliIo['fetch'] }
}

/**
 * Opens SOURCE, and for a URL also says how Graph was reached, so a command can send other Graph
 * requests (update reminders) through the same chain, token rules and HTTP client.
 */
export async function openSourceAccess(source: string, io: CliIo): Promise<{ store: WorkbookStore; graph: GraphAccess | null }> {
  if (/^https?:\/\//i.test(source)) {
    const tokens: TokenProvider = io.env.PMW_GRAPH_TOKEN ? staticToken(io.env.PMW_GRAPH_TOKEN) : noToken
    const timeout = Number(io.env.PMW_GRAPH_TIMEOUT_MS)
    const timeoutMs = Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}
    // The token goes to Graph's hosts, loopback and the configured base URL only: never to a
    // host that merely appears in a SOURCE someone pasted.
    const trustedOrigins = io.env.PMW_GRAPH_BASE_URL ? [io.env.PMW_GRAPH_BASE_URL] : []
    const http = { ...timeoutMs, trustedOrigins, ...(io.fetch ? { fetch: io.fetch } : {}) }
    const location = await locate(source, tokens, io, http)
    return { store: openGraphStore({ location, tokens, ...http }), graph: { location, tokens, http } }
  }
  return { store: openFileSource(source, io), graph: null }
}

function openFileSource(source: string, io: CliIo): WorkbookStore {
  const path = resolve(io.cwd, source)
  if (!existsSync(path)) throw new UsageError(`No workbook at ${source}: the file does not exist.`)
  if (statSync(path).isDirectory()) throw new UsageError(`${source} is a folder, not an .xlsx workbook.`)
  if (!/\.xlsx$/i.test(path)) throw new UsageError(`${source} is not an .xlsx workbook (only .xlsx files hold Excel tables the product can read).`)
  return openFileStore(path)
}

async function locate(url: string, tokens: TokenProvider, io: CliIo, options: { timeoutMs?: number; trustedOrigins: readonly string[]; fetch?: CliIo['fetch'] }): Promise<DriveItemLocation> {
  const direct = parseDriveItemUrl(url)
  if (direct.ok) return direct.value
  if (/\/v1\.0\/|\/beta\//.test(new URL(url).pathname)) throw new UsageError(direct.error)
  const transport = createGraphTransport({ baseUrl: io.env.PMW_GRAPH_BASE_URL ?? MICROSOFT_GRAPH, tokens, clock: systemClock, ...options })
  const resolved = await resolveSharingLink(transport, url)
  if (!resolved.ok) throw new UsageError(`Could not open the shared workbook at ${url}: ${describeError(resolved.error)}`)
  return resolved.value
}

/**
 * Opens SOURCE, reads the plan (all plan tables, or `tables`) and closes it again; on failure it
 * prints one line and gives null, so a read-only command is its work and nothing else.
 */
export async function readPlanFrom(source: string, io: CliIo, tables?: readonly TableName[]): Promise<LoadedPlan | null> {
  const store = await openSource(source, io)
  try {
    const loaded = await loadPlan(store, tables)
    if (loaded.ok) return loaded.value
    io.err(`Cannot read ${source}: ${describeError(loaded.error)}`)
    return null
  } finally {
    await store.close()
  }
}

/**
 * Opens SOURCE, reads the dashboard (the plan, its ChangeLog, every view's numbers) as of `asOf`
 * and closes it again; on failure it prints one line (after `beforeError`, e.g. clearing a
 * progress bar) and gives null, like `readPlanFrom`.
 */
export async function readDashboardFrom(source: string, io: CliIo, when: { asOf: IsoDate; today: IsoDate }, beforeError?: () => void): Promise<Dashboard | null> {
  const store = await openSource(source, io)
  try {
    const loaded = await loadDashboard(store, when.asOf, when.today, io.now().toISOString())
    if (loaded.ok) return loaded.value
    beforeError?.()
    io.err(`Cannot read ${source}: ${describeError(loaded.error)}`)
    return null
  } finally {
    await store.close()
  }
}
