import type { AppConfig } from './config.ts'
import { classifyAuthError, type AuthProblem } from './problems.ts'
import { graphScopes } from './scopes.ts'
import type { TokenProvider } from './tokens.ts'

/**
 * Sign-in for the pages, chosen by where the page runs and which Graph it talks to:
 *
 * - `none`: the Graph base URL is loopback (the local server of `npm start`), which wants no token.
 * - `naa`: inside Teams or Office when the host offers nested app authentication. MSAL's
 *   `createNestablePublicClientApplication` lets the host sign the person in; popups belong to
 *   the host (office-js-docs-pr `docs/develop/enable-nested-app-authentication-in-your-add-in.md`;
 *   msteams-docs `msteams-platform/concepts/authentication/nested-authentication.md`).
 * - `redirect`: a plain browser tab, with MSAL's standard `PublicClientApplication` and the page's
 *   own URL as redirect URI. A redirect needs no redirect-bridge page, which MSAL v5 requires for
 *   popups and hidden iframes (msal-browser `docs/redirect-bridge.md`).
 * - `unavailable`: a Teams or Office without nested app authentication, or a page framed by
 *   something else: Microsoft Entra refuses to be framed and MSAL v5 popups fail from cross-origin
 *   iframes (msal-browser `docs/redirect-bridge.md`, "Cross-Origin Iframe Limitation"), so the
 *   page offers to open itself in a browser instead.
 *
 * Tokens stay in MSAL's cache (sessionStorage for the browser; the host's for NAA). This module
 * returns a token to the Graph client's bearer middleware and nothing else: it never logs, stores
 * or wraps one in an error, and MSAL's own logger is silenced.
 */
export type SignInHost =
  | { kind: 'teams' | 'office'; naa: boolean; loginHint?: string | null }
  | { kind: 'browser'; topLevel: boolean }

export type SignInMode = 'none' | 'naa' | 'redirect' | 'unavailable'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK.has(new URL(url).hostname)
  } catch {
    return false
  }
}

export function chooseSignIn(graphBaseUrl: string, host: SignInHost): SignInMode {
  if (isLoopbackUrl(graphBaseUrl)) return 'none'
  if (host.kind === 'browser') return host.topLevel ? 'redirect' : 'unavailable'
  return host.naa ? 'naa' : 'unavailable'
}

/** The person signed in, for "who you are" (the task pane's identity); never a token. */
export type SignedInAccount = { username: string; name: string }

export type SignInResult =
  /** Tokens can be had; `account` is null when no sign-in is needed (the local server). */
  | { status: 'ready'; account: SignedInAccount | null }
  /** The browser is leaving for Microsoft's sign-in page and comes back to this page. */
  | { status: 'redirecting' }
  | { status: 'problem'; problem: AuthProblem }

export type SignIn = TokenProvider & {
  readonly mode: SignInMode
  /** Exactly what every token request asks for (see scopes.ts). */
  readonly scopes: readonly string[]
  /** Finishes a redirect sign-in and tries a silent one; call once before the first Graph request. */
  start(): Promise<SignInResult>
  /** Interactive sign-in, from a click: the host's popup (NAA) or a redirect (browser). */
  signIn(): Promise<SignInResult>
  account(): SignedInAccount | null
  /** Why the last attempt failed, or null: for wording a Graph `unauthorized` error. */
  problem(): AuthProblem | null
  /**
   * Tokens that also carry `extra` scopes (update reminders' Mail.Send or TeamsActivity.Send,
   * scopes.ts), asked for silently; none at all against the local server.
   */
  tokensWith(extra: readonly string[]): TokenProvider
  /** Asks the person to grant `extra` scopes, from a click: the host's popup (NAA) or a redirect (browser). */
  grant(extra: readonly string[]): Promise<SignInResult>
}

/** A failed `getToken`: carries the problem, never a token. The Graph chain reports it as `unauthorized`. */
export class AuthFailure extends Error {
  constructor(readonly problem: AuthProblem) {
    super(`sign-in failed: ${problem.kind}`)
    this.name = 'AuthFailure'
  }
}

// The slice of @azure/msal-browser this module uses, structurally, so tests inject fakes and the
// library loads only when a page signs in (the local server never downloads it).
export type MsalAccount = { homeAccountId: string; username: string; name?: string | undefined }
export type MsalResult = { accessToken: string; account: MsalAccount | null }
export type MsalRequest = { scopes: string[]; account?: MsalAccount; loginHint?: string; redirectUri?: string }
export type MsalClient = {
  getAllAccounts(): MsalAccount[]
  getActiveAccount(): MsalAccount | null
  setActiveAccount(account: MsalAccount | null): void
  acquireTokenSilent(request: MsalRequest & { account: MsalAccount }): Promise<MsalResult>
  ssoSilent(request: MsalRequest): Promise<MsalResult>
  acquireTokenPopup(request: MsalRequest): Promise<MsalResult>
  acquireTokenRedirect(request: MsalRequest): Promise<void>
  handleRedirectPromise(): Promise<MsalResult | null>
}
export type MsalConfiguration = {
  auth: { clientId: string; authority: string; redirectUri: string }
  cache: { cacheLocation: 'sessionStorage' }
  system: { loggerOptions: { loggerCallback: () => void; piiLoggingEnabled: false } }
}
export type MsalFactories = {
  /** `createNestablePublicClientApplication` */
  nestable(configuration: MsalConfiguration): Promise<MsalClient>
  /** `createStandardPublicClientApplication` (a `PublicClientApplication`, initialized) */
  standard(configuration: MsalConfiguration): Promise<MsalClient>
}

const loadMsal = () => import('@azure/msal-browser')

export const msalFactories: MsalFactories = {
  nestable: async (configuration) => (await loadMsal()).createNestablePublicClientApplication(configuration) as Promise<MsalClient>,
  standard: async (configuration) => (await loadMsal()).createStandardPublicClientApplication(configuration) as Promise<MsalClient>,
}

/**
 * The redirect URI each mode sends, which the app registration must list (Single-page application
 * platform), as the README says:
 * - Teams (NAA): `brk-multihub://{host}`, which is also `nestedAppAuthInfo[].redirectUri` in the
 *   manifest: the host serves its prefetched token only when the request repeats it.
 * - Office (NAA) and the browser: the page itself (`https://{host}/{path}/taskpane.html`); Excel on
 *   the web signs in through a standard flow that comes back to the task pane page.
 */
export function redirectUriFor(mode: SignInMode, host: SignInHost, pageUrl: string): string {
  const page = new URL(pageUrl)
  if (mode === 'naa' && host.kind === 'teams') return `brk-multihub://${page.host}`
  return `${page.origin}${page.pathname}`
}

export function msalConfiguration(config: Pick<AppConfig, 'clientId' | 'tenantId'>, redirectUri: string): MsalConfiguration {
  return {
    auth: { clientId: config.clientId, authority: `https://login.microsoftonline.com/${config.tenantId}`, redirectUri },
    cache: { cacheLocation: 'sessionStorage' },
    system: { loggerOptions: { loggerCallback: () => {}, piiLoggingEnabled: false } },
  }
}

export type SignInOptions = {
  /** Client, tenant and permission (app-config.json). Unused, and may be null, against the local server. */
  config: Pick<AppConfig, 'clientId' | 'tenantId' | 'permission'> | null
  /** The Graph base URL the page's store talks to (`DriveItemLocation.baseUrl`). */
  graphBaseUrl: string
  host: SignInHost
  /** `window.location.href`. */
  pageUrl: string
  msal?: MsalFactories
}

const NO_PROBLEM = null

export function createSignIn(options: SignInOptions): SignIn {
  const configured = options.config
  const mode: SignInMode = configured || isLoopbackUrl(options.graphBaseUrl) ? chooseSignIn(options.graphBaseUrl, options.host) : 'unavailable'
  const scopes = mode === 'none' || !configured ? [] : [...graphScopes(configured.permission)]
  const loginHint = options.host.kind === 'browser' ? null : (options.host.loginHint ?? null)
  const factories = options.msal ?? msalFactories
  let client: Promise<MsalClient> | null = null
  let lastProblem: AuthProblem | null = NO_PROBLEM
  let current: MsalAccount | null = null

  const notConfigured = (): AuthProblem => ({ kind: 'misconfigured', code: 'app-config', fix: 'app-config.json is missing beside the pages: run npm run package and upload dist/ again.' })

  function msal(): Promise<MsalClient> {
    if (!configured) return Promise.reject(new AuthFailure(notConfigured()))
    if (!client) {
      const configuration = msalConfiguration(configured, redirectUriFor(mode, options.host, options.pageUrl))
      client = mode === 'naa' ? factories.nestable(configuration) : factories.standard(configuration)
      client.catch(() => {
        client = null
      })
    }
    return client
  }

  const problemOf = (error: unknown): AuthProblem => (error instanceof AuthFailure ? error.problem : classifyAuthError(error))

  function pickAccount(app: MsalClient): MsalAccount | null {
    const active = app.getActiveAccount()
    if (active) return active
    const all = app.getAllAccounts()
    const hinted = loginHint ? all.find((a) => a.username.toLowerCase() === loginHint.toLowerCase()) : undefined
    return hinted ?? all[0] ?? null
  }

  function remember(app: MsalClient, account: MsalAccount | null): void {
    if (!account) return
    current = account
    // NAA does not support setActiveAccount (office-js-docs-pr, "MSAL.js APIs supported by NAA").
    if (mode !== 'naa') app.setActiveAccount(account)
  }

  const request = (extra: Partial<MsalRequest> = {}): MsalRequest => ({
    scopes: [...scopes],
    ...(loginHint ? { loginHint } : {}),
    ...extra,
  })

  async function token(extra: readonly string[] = []): Promise<string> {
    const app = await msal()
    const account = current ?? pickAccount(app)
    const asked = extra.length === 0 ? {} : { scopes: [...scopes, ...extra] }
    let result: MsalResult
    if (account) result = await app.acquireTokenSilent({ ...request(asked), account })
    else if (mode === 'naa') result = await app.ssoSilent(request(asked))
    else throw new AuthFailure({ kind: 'signInRequired' })
    remember(app, result.account)
    return result.accessToken
  }

  const accountOf = (a: MsalAccount | null): SignedInAccount | null => (a ? { username: a.username, name: a.name ?? a.username } : null)

  async function attempt(run: () => Promise<SignInResult>): Promise<SignInResult> {
    try {
      const result = await run()
      lastProblem = NO_PROBLEM
      return result
    } catch (error) {
      lastProblem = problemOf(error)
      return { status: 'problem', problem: lastProblem }
    }
  }

  return {
    mode,
    scopes,
    async getToken() {
      if (mode === 'none') return null
      if (mode === 'unavailable') {
        lastProblem = configured ? { kind: 'hostUnsupported' } : notConfigured()
        throw new AuthFailure(lastProblem)
      }
      try {
        const accessToken = await token()
        lastProblem = NO_PROBLEM
        return accessToken
      } catch (error) {
        lastProblem = problemOf(error)
        throw new AuthFailure(lastProblem)
      }
    },
    start: () =>
      attempt(async () => {
        if (mode === 'none') return { status: 'ready', account: null }
        if (mode === 'unavailable') throw new AuthFailure(configured ? { kind: 'hostUnsupported' } : notConfigured())
        const app = await msal()
        if (mode === 'redirect') remember(app, (await app.handleRedirectPromise())?.account ?? null)
        await token()
        return { status: 'ready', account: accountOf(current) }
      }),
    signIn: () =>
      attempt(async () => {
        if (mode === 'none') return { status: 'ready', account: null }
        if (mode === 'unavailable') throw new AuthFailure(configured ? { kind: 'hostUnsupported' } : notConfigured())
        const app = await msal()
        if (mode === 'redirect') {
          await app.acquireTokenRedirect(request({ redirectUri: redirectUriFor(mode, options.host, options.pageUrl) }))
          return { status: 'redirecting' }
        }
        const result = await app.acquireTokenPopup(request())
        remember(app, result.account)
        return { status: 'ready', account: accountOf(current) }
      }),
    account: () => accountOf(current),
    problem: () => lastProblem,
    tokensWith: (extra) => ({
      async getToken() {
        if (mode === 'none') return null
        if (mode === 'unavailable') throw new AuthFailure(configured ? { kind: 'hostUnsupported' } : notConfigured())
        try {
          const accessToken = await token(extra)
          lastProblem = NO_PROBLEM
          return accessToken
        } catch (error) {
          lastProblem = problemOf(error)
          throw new AuthFailure(lastProblem)
        }
      },
    }),
    grant: (extra) =>
      attempt(async () => {
        if (mode === 'none') return { status: 'ready', account: null }
        if (mode === 'unavailable') throw new AuthFailure(configured ? { kind: 'hostUnsupported' } : notConfigured())
        const app = await msal()
        const asked = { scopes: [...scopes, ...extra] }
        if (mode === 'redirect') {
          await app.acquireTokenRedirect(request({ ...asked, redirectUri: redirectUriFor(mode, options.host, options.pageUrl) }))
          return { status: 'redirecting' }
        }
        const result = await app.acquireTokenPopup(request(asked))
        remember(app, result.account)
        return { status: 'ready', account: accountOf(current) }
      }),
  }
}

/**
 * Whether `href` carries an authorization response (`state` with `code` or `error`, in the query
 * or the fragment): the page was loaded by Microsoft Entra, not by a person.
 */
export function isAuthResponse(href: string): boolean {
  const url = new URL(href)
  const has = (params: URLSearchParams) => params.has('state') && (params.has('code') || params.has('error'))
  return has(url.searchParams) || has(new URLSearchParams(url.hash.replace(/^#\/?/, '')))
}

/**
 * Call first when a page loads. When Microsoft Entra sent a popup or hidden iframe back to this page
 * (Excel on the web's standard flow under NAA; MSAL v5 silent renewal), the page is only a redirect
 * bridge: it hands the response to the window that asked (MSAL's `broadcastResponseToMainFrame`,
 * msal-browser `docs/redirect-bridge.md`) and must render nothing, so it returns true. A top-level
 * redirect sign-in is finished by `start()` instead (`handleRedirectPromise`), so this returns false.
 */
export async function completeAuthRedirect(
  page: { href: string; openedOrFramed: boolean },
  bridge: () => Promise<void> = async () => (await import('@azure/msal-browser/redirect-bridge')).broadcastResponseToMainFrame(),
): Promise<boolean> {
  if (!page.openedOrFramed || !isAuthResponse(page.href)) return false
  await bridge()
  return true
}
