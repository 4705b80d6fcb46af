import { APP_CONFIG_FILE, parseAppConfig, type AppConfig } from '../auth/config.ts'
import { describeAuthProblem, type AuthMessage } from '../auth/problems.ts'
import { createSignIn, type MsalFactories, type SignIn, type SignInHost } from '../auth/sign-in.ts'
import { describeError, describeSourceError } from '../messages/errors.ts'
import { systemClock } from '../workbook/graph/chain/clock.ts'
import { createGraphTransport } from '../workbook/graph/chain/transport.ts'
import { findSource, type WorkbookSource } from '../workbook/graph/page-source.ts'
import { parseDriveItemUrl, resolveSharingLink, type DriveItemLocation } from '../workbook/graph/protocol/location.ts'

/**
 * What every page does before it shows anything: find the workbook and sign in for it.
 * - `?workbook=<drive item URL>` (a saved channel tab), else the local server's workbook
 *   (`npm start`, no sign-in), else the workbook open in Excel (the task pane), else the district's
 *   default workbook from app-config.json.
 * - Sign-in is chosen by host and by where Graph is (src/auth/sign-in.ts): none on loopback.
 * - A sharing link or document URL is resolved through Graph once signed in.
 */
export type Started =
  | { kind: 'ready'; source: WorkbookSource; signIn: SignIn }
  /** The browser is leaving for Microsoft's sign-in page. */
  | { kind: 'redirecting' }
  /** A person must act (sign in, consent, ask IT); `signIn` retries from a click. */
  | { kind: 'signInNeeded'; message: AuthMessage; signIn: SignIn }
  | { kind: 'noWorkbook'; message: string }

export const MICROSOFT_GRAPH = 'https://graph.microsoft.com/v1.0'

export type StartOptions = {
  params: URLSearchParams
  host: SignInHost
  /** The workbook open in Excel, for the task pane: its URL (a sharing link Graph resolves). */
  documentUrl?: string | null
  pageUrl: string
  fetchJson: (path: string) => Promise<unknown>
  msal?: MsalFactories
}

type Config = { ok: true; value: AppConfig | null } | { ok: false; message: string }

/** app-config.json beside the page: absent in development (null), refused with its fields named when malformed. */
async function readAppConfig(fetchJson: (path: string) => Promise<unknown>): Promise<Config> {
  let raw: unknown
  try {
    raw = await fetchJson(`./${APP_CONFIG_FILE}`)
  } catch {
    return { ok: true, value: null }
  }
  const parsed = parseAppConfig(raw)
  if (parsed.ok) return { ok: true, value: parsed.value }
  return { ok: false, message: `${APP_CONFIG_FILE} cannot be used: ${parsed.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}` }
}

export async function startPage(options: StartOptions): Promise<Started> {
  // Both files come from the page's own server: asked for together, one round trip instead of two.
  const configRead = readAppConfig(options.fetchJson)
  const found = await findSource(options.params, options.fetchJson)
  if (!found.ok && found.error.kind !== 'noLocalServer') return { kind: 'noWorkbook', message: describeSourceError(found.error) }
  const config = await configRead
  if (!config.ok) return { kind: 'noWorkbook', message: config.message }
  const link = found.ok ? null : (options.documentUrl ?? config.value?.defaultWorkbook ?? null)
  if (!found.ok && link === null) return { kind: 'noWorkbook', message: describeSourceError(found.error) }

  const baseUrl = found.ok ? found.value.location.baseUrl : MICROSOFT_GRAPH
  const signIn = createSignIn({ config: config.value, graphBaseUrl: baseUrl, host: options.host, pageUrl: options.pageUrl, ...(options.msal ? { msal: options.msal } : {}) })
  const result = await signIn.start()
  if (result.status === 'redirecting') return { kind: 'redirecting' }
  if (result.status === 'problem') return { kind: 'signInNeeded', message: describeAuthProblem(result.problem), signIn }

  if (found.ok) return { kind: 'ready', source: { ...found.value, tokens: signIn }, signIn }
  const location = await locate(link ?? '', signIn)
  if ('message' in location) return { kind: 'noWorkbook', message: location.message }
  return { kind: 'ready', source: { location, tokens: signIn, webUrl: null, sharingUrl: null }, signIn }
}

/** A drive item URL is used as it is; anything else is a sharing link or document URL for Graph's /shares. */
async function locate(link: string, signIn: SignIn): Promise<DriveItemLocation | { message: string }> {
  const direct = parseDriveItemUrl(link)
  if (direct.ok) return direct.value
  const transport = createGraphTransport({ baseUrl: MICROSOFT_GRAPH, tokens: signIn, clock: systemClock })
  const resolved = await resolveSharingLink(transport, link)
  return resolved.ok ? resolved.value : { message: `Could not open the workbook at ${link}: ${describeError(resolved.error)}` }
}
