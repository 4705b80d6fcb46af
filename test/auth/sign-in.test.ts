import { describe, expect, it } from 'vitest'
import { parseAppConfig, type AppConfig } from '../../src/auth/config.ts'
import { officeLoginHint, officeOffersNaa, teamsOffersNaa } from '../../src/auth/hosts.ts'
import { classifyAuthError, describeAuthProblem, type AuthProblem } from '../../src/auth/problems.ts'
import { GRAPH_PERMISSIONS, graphScopes, reminderScopes } from '../../src/auth/scopes.ts'
import { AuthFailure, chooseSignIn, completeAuthRedirect, createSignIn, isAuthResponse, type SignInHost } from '../../src/auth/sign-in.ts'
import { ADA, FakeMsal, fakeFactories, msalError, SECRET_TOKEN } from './fake-msal.ts'

const CONFIG: AppConfig = {
  clientId: '0b7c3a52-8f7e-4d6b-9c1a-2f4e5d6c7b8a',
  tenantId: 'riverbend.onmicrosoft.com',
  permission: 'Files.ReadWrite.All',
  defaultWorkbook: null,
}
const GRAPH = 'https://graph.microsoft.com/v1.0'
const LOCAL = 'http://127.0.0.1:5170/graph/v1.0'
const TAB_PAGE = 'https://plan.riverbend.example/pm-workbook/tab.html?workbook=x#/wig/WIG-04'
const PANE_PAGE = 'https://plan.riverbend.example/pm-workbook/taskpane.html'

const TEAMS: SignInHost = { kind: 'teams', naa: true, loginHint: 'adaeze.nwosu@riverbend.example' }
const OFFICE: SignInHost = { kind: 'office', naa: true, loginHint: 'adaeze.nwosu@riverbend.example' }
const BROWSER: SignInHost = { kind: 'browser', topLevel: true }

/** Every scope list in every request MSAL was given. */
const requestedScopes = (msal: FakeMsal) => msal.calls.flatMap((c) => (c.request ? [c.request.scopes] : []))

describe('sign-in: which kind by host and Graph base URL', () => {
  it.each([
    ['the local server (loopback Graph) in a browser', LOCAL, BROWSER, 'none'],
    ['the local server inside Teams', 'http://localhost:5170/graph/v1.0', TEAMS, 'none'],
    ['the local server on IPv6 loopback', 'http://[::1]:5170/graph/v1.0', OFFICE, 'none'],
    ['Teams with nested app authentication', GRAPH, TEAMS, 'naa'],
    ['Excel with nested app authentication', GRAPH, OFFICE, 'naa'],
    ['a plain browser tab', GRAPH, BROWSER, 'redirect'],
    ['Teams without nested app authentication', GRAPH, { kind: 'teams', naa: false }, 'unavailable'],
    ['Office without NestedAppAuth 1.1', GRAPH, { kind: 'office', naa: false }, 'unavailable'],
    ['a page framed by something that is not Teams or Office', GRAPH, { kind: 'browser', topLevel: false }, 'unavailable'],
  ] as const)('%s → %s', (_, graph, host, mode) => {
    expect(chooseSignIn(graph, host)).toBe(mode)
    expect(createSignIn({ config: CONFIG, graphBaseUrl: graph, host, pageUrl: TAB_PAGE, msal: fakeFactories(new FakeMsal()) }).mode).toBe(mode)
  })

  it('the local server needs no sign-in, no configuration, and never loads MSAL', async () => {
    const factories = fakeFactories(new FakeMsal())
    const signIn = createSignIn({ config: null, graphBaseUrl: LOCAL, host: BROWSER, pageUrl: 'http://127.0.0.1:5170/tab.html', msal: factories })
    expect(await signIn.start()).toEqual({ status: 'ready', account: null })
    expect(await signIn.getToken()).toBeNull()
    expect(signIn.scopes).toEqual([])
    expect(factories.used).toEqual([])
  })
})

describe('sign-in: nested app authentication (Teams, Excel)', () => {
  it('Teams: createNestablePublicClientApplication with the tenant authority, brk-multihub redirect and a silent token for the documented scope', async () => {
    // msteams-docs msteams-platform/concepts/authentication/nested-authentication.md: "brk-multihub://your_domain",
    // and the request must repeat the manifest's nestedAppAuthInfo for the prefetched token.
    const msal = new FakeMsal()
    const factories = fakeFactories(msal)
    const signIn = createSignIn({ config: CONFIG, graphBaseUrl: GRAPH, host: TEAMS, pageUrl: TAB_PAGE, msal: factories })
    expect(await signIn.start()).toEqual({ status: 'ready', account: { username: ADA.username, name: 'Adaeze Nwosu' } })
    expect(factories.used).toEqual([
      {
        factory: 'nestable',
        configuration: {
          auth: { clientId: CONFIG.clientId, authority: 'https://login.microsoftonline.com/riverbend.onmicrosoft.com', redirectUri: 'brk-multihub://plan.riverbend.example' },
          cache: { cacheLocation: 'sessionStorage' },
          system: { loggerOptions: { loggerCallback: expect.any(Function), piiLoggingEnabled: false } },
        },
      },
    ])
    // No account cached yet: ssoSilent with the Teams login hint (office-js-docs-pr enable-nested-app-authentication-in-your-add-in.md).
    expect(msal.calls[0]).toEqual({ method: 'ssoSilent', request: { scopes: ['Files.ReadWrite.All'], loginHint: ADA.username } })
    expect(await signIn.getToken()).toBe(SECRET_TOKEN)
    expect(msal.calls[1]).toEqual({ method: 'acquireTokenSilent', request: { scopes: ['Files.ReadWrite.All'], loginHint: ADA.username, account: ADA } })
    // NAA does not support setActiveAccount (office-js-docs-pr, "MSAL.js APIs supported by NAA").
    expect(msal.calls.some((c) => c.method === 'setActiveAccount')).toBe(false)
  })

  it('Excel: the task pane page itself is the redirect URI (Excel on the web signs in through a standard flow)', async () => {
    const factories = fakeFactories(new FakeMsal())
    await createSignIn({ config: CONFIG, graphBaseUrl: GRAPH, host: OFFICE, pageUrl: `${PANE_PAGE}?x=1#/steps`, msal: factories }).start()
    expect(factories.used.map((u) => [u.factory, u.configuration.auth.redirectUri])).toEqual([['nestable', PANE_PAGE]])
  })

  it('an account MSAL already has is used silently, matched by the login hint', async () => {
    const msal = new FakeMsal()
    const other = { homeAccountId: 'x', username: 'colin.ashdown@riverbend.example' }
    msal.accounts = [other, ADA]
    await createSignIn({ config: CONFIG, graphBaseUrl: GRAPH, host: OFFICE, pageUrl: PANE_PAGE, msal: fakeFactories(msal) }).start()
    expect(msal.calls[0]?.method).toBe('acquireTokenSilent')
    expect(msal.calls[0]?.request?.account).toBe(ADA)
  })

  it('when interaction is needed, start() reports it and signIn() opens the host popup', async () => {
    const msal = new FakeMsal()
    msal.silentError = msalError('interaction_required', '', 'InteractionRequiredAuthError')
    const signIn = createSignIn({ config: CONFIG, graphBaseUrl: GRAPH, host: TEAMS, pageUrl: TAB_PAGE, msal: fakeFactories(msal) })
    expect(await signIn.start()).toEqual({ status: 'problem', problem: { kind: 'signInRequired' } })
    expect(signIn.problem()).toEqual({ kind: 'signInRequired' })
    expect(await signIn.signIn()).toEqual({ status: 'ready', account: { username: ADA.username, name: 'Adaeze Nwosu' } })
    expect(signIn.problem()).toBeNull()
    expect(msal.calls.at(-1)).toEqual({ method: 'acquireTokenPopup', request: { scopes: ['Files.ReadWrite.All'], loginHint: ADA.username } })
  })

  it('a failed token becomes an AuthFailure carrying the problem, which the Graph chain reports as unauthorized', async () => {
    const msal = new FakeMsal()
    msal.accounts = [ADA]
    const signIn = createSignIn({ config: CONFIG, graphBaseUrl: GRAPH, host: TEAMS, pageUrl: TAB_PAGE, msal: fakeFactories(msal) })
    msal.silentError = msalError('invalid_grant', 'AADSTS65001: The user or administrator has not consented to use the application')
    const failure = await signIn.getToken().catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(AuthFailure)
    expect((failure as AuthFailure).problem).toEqual({ kind: 'consentRequired' })
    expect(signIn.problem()).toEqual({ kind: 'consentRequired' })
  })
})

describe('sign-in: a plain browser (PublicClientApplication with redirect)', () => {
  it('start() finishes a redirect sign-in (handleRedirectPromise) and keeps the account active', async () => {
    const msal = new FakeMsal()
    msal.redirectResult = { accessToken: SECRET_TOKEN, account: ADA }
    const factories = fakeFactories(msal)
    const signIn = createSignIn({ config: CONFIG, graphBaseUrl: GRAPH, host: BROWSER, pageUrl: TAB_PAGE, msal: factories })
    expect(await signIn.start()).toEqual({ status: 'ready', account: { username: ADA.username, name: 'Adaeze Nwosu' } })
    expect(factories.used.map((u) => [u.factory, u.configuration.auth.redirectUri])).toEqual([['standard', 'https://plan.riverbend.example/pm-workbook/tab.html']])
    expect(msal.calls.map((c) => c.method)).toEqual(['handleRedirectPromise', 'setActiveAccount', 'acquireTokenSilent', 'setActiveAccount'])
    expect(signIn.account()).toEqual({ username: ADA.username, name: 'Adaeze Nwosu' })
  })

  it('with no account, start() asks for sign-in without trying an iframe, and signIn() redirects to the page itself', async () => {
    // MSAL v5 silent iframes and popups need a redirect-bridge page (msal-browser docs/redirect-bridge.md); a redirect does not.
    const msal = new FakeMsal()
    const signIn = createSignIn({ config: CONFIG, graphBaseUrl: GRAPH, host: BROWSER, pageUrl: TAB_PAGE, msal: fakeFactories(msal) })
    expect(await signIn.start()).toEqual({ status: 'problem', problem: { kind: 'signInRequired' } })
    expect(msal.calls.map((c) => c.method)).toEqual(['handleRedirectPromise'])
    expect(await signIn.signIn()).toEqual({ status: 'redirecting' })
    expect(msal.calls.at(-1)).toEqual({ method: 'acquireTokenRedirect', request: { scopes: ['Files.ReadWrite.All'], redirectUri: 'https://plan.riverbend.example/pm-workbook/tab.html' } })
  })
})

describe('sign-in: requests only the documented scopes', () => {
  it.each(GRAPH_PERMISSIONS)('with permission %s every request asks for exactly that scope', async (permission) => {
    // workbook-createsession-permissions.md: delegated Files.ReadWrite least privileged; permissions-selected-overview.md: Sites.Selected.
    expect(graphScopes(permission)).toEqual([permission])
    for (const host of [TEAMS, OFFICE, BROWSER]) {
      const msal = new FakeMsal()
      msal.redirectResult = { accessToken: SECRET_TOKEN, account: ADA }
      const signIn = createSignIn({ config: { ...CONFIG, permission }, graphBaseUrl: GRAPH, host, pageUrl: TAB_PAGE, msal: fakeFactories(msal) })
      await signIn.start()
      await signIn.getToken()
      await signIn.signIn()
      expect(signIn.scopes).toEqual([permission])
      const scopes = requestedScopes(msal)
      expect(scopes.length).toBeGreaterThan(0)
      expect(new Set(scopes.map((s) => s.join(' ')))).toEqual(new Set([permission]))
    }
  })
})

describe('sign-in: update reminders ask for their one extra scope only when sending', () => {
  // user-sendmail.md: delegated Mail.Send; userteamwork-sendactivitynotification.md: delegated TeamsActivity.Send.
  it('tokensWith() asks silently for the usual scope plus Mail.Send or TeamsActivity.Send; grant() asks from a click; the local server needs none', async () => {
    expect(reminderScopes('mail')).toEqual(['Mail.Send'])
    expect(reminderScopes('teams')).toEqual(['TeamsActivity.Send'])
    const msal = new FakeMsal()
    const signIn = createSignIn({ config: CONFIG, graphBaseUrl: GRAPH, host: TEAMS, pageUrl: TAB_PAGE, msal: fakeFactories(msal) })
    await signIn.start()
    expect(requestedScopes(msal)).toEqual([['Files.ReadWrite.All']])
    expect(await signIn.tokensWith(reminderScopes('mail')).getToken()).toBe(SECRET_TOKEN)
    expect(msal.calls.at(-1)).toMatchObject({ method: 'acquireTokenSilent', request: { scopes: ['Files.ReadWrite.All', 'Mail.Send'] } })
    expect(await signIn.grant(reminderScopes('teams'))).toMatchObject({ status: 'ready' })
    expect(msal.calls.at(-1)).toMatchObject({ method: 'acquireTokenPopup', request: { scopes: ['Files.ReadWrite.All', 'TeamsActivity.Send'] } })
    // Reading never carried them: the usual token is still asked for the one scope.
    await signIn.getToken()
    expect(msal.calls.at(-1)?.request?.scopes).toEqual(['Files.ReadWrite.All'])

    const local = createSignIn({ config: null, graphBaseUrl: LOCAL, host: BROWSER, pageUrl: 'http://127.0.0.1:5170/tab.html' })
    expect(await local.tokensWith(reminderScopes('mail')).getToken()).toBeNull()
  })
})

describe('sign-in: hosts that cannot, and a missing configuration', () => {
  it('an old Teams: no MSAL, a problem the page words with "open in a browser"', async () => {
    const factories = fakeFactories(new FakeMsal())
    const signIn = createSignIn({ config: CONFIG, graphBaseUrl: GRAPH, host: { kind: 'teams', naa: false }, pageUrl: TAB_PAGE, msal: factories })
    expect(await signIn.start()).toEqual({ status: 'problem', problem: { kind: 'hostUnsupported' } })
    expect(await signIn.signIn()).toEqual({ status: 'problem', problem: { kind: 'hostUnsupported' } })
    await expect(signIn.getToken()).rejects.toBeInstanceOf(AuthFailure)
    expect(describeAuthProblem({ kind: 'hostUnsupported' }).action).toBe('openInBrowser')
    expect(factories.used).toEqual([])
  })

  it('Microsoft 365 without app-config.json: misconfigured, naming the file', async () => {
    const signIn = createSignIn({ config: null, graphBaseUrl: GRAPH, host: TEAMS, pageUrl: TAB_PAGE, msal: fakeFactories(new FakeMsal()) })
    const result = await signIn.start()
    expect(result).toMatchObject({ status: 'problem', problem: { kind: 'misconfigured', code: 'app-config' } })
    expect(describeAuthProblem((result as { problem: AuthProblem }).problem).whatToDo).toContain('app-config.json')
  })
})

describe('sign-in: consent and sign-in failures are data with what to do', () => {
  // MSAL v5 keeps errorCode stable and moves messages out (msal-browser docs/v4-migration.md); Entra's AADSTS numbers:
  // learn.microsoft.com entra/identity-platform/reference-error-codes.
  it.each([
    [msalError('consent_required'), { kind: 'consentRequired' }],
    [msalError('invalid_grant', 'AADSTS65001: The user or administrator has not consented'), { kind: 'consentRequired' }],
    [msalError('invalid_grant', 'AADSTS90094: The grant requires admin permission.'), { kind: 'adminConsentRequired' }],
    [msalError('access_denied', 'AADSTS65004: User declined to consent to access the app.'), { kind: 'cancelled' }],
    [msalError('user_cancelled'), { kind: 'cancelled' }],
    [msalError('user_canceled'), { kind: 'cancelled' }],
    [msalError('popup_window_error'), { kind: 'popupBlocked' }],
    [msalError('interaction_in_progress'), { kind: 'inProgress' }],
    [msalError('no_network_connectivity'), { kind: 'offline' }],
    [msalError('login_required', '', 'InteractionRequiredAuthError'), { kind: 'signInRequired' }],
    [msalError('whatever', '', 'InteractionRequiredAuthError'), { kind: 'signInRequired' }],
    [msalError('invalid_request', 'AADSTS50011: The redirect URI does not match'), { kind: 'misconfigured', code: 'AADSTS50011', fix: expect.stringContaining('redirect URI') }],
    [msalError('invalid_request', 'AADSTS9002326: Cross-origin token redemption is permitted only for the Single-Page Application client-type.'), { kind: 'misconfigured', code: 'AADSTS9002326', fix: expect.stringContaining('Single-page application') }],
    [msalError('invalid_client', 'AADSTS700016: Application not found in the directory'), { kind: 'misconfigured', code: 'AADSTS700016', fix: expect.stringContaining('client ID') }],
    [msalError('invalid_grant', 'AADSTS50105: The signed in user is not assigned to a role'), { kind: 'accessDenied', code: 'AADSTS50105' }],
    [msalError('bridge_unavailable'), { kind: 'hostUnsupported' }],
    [msalError('something_new'), { kind: 'failed', code: 'something_new' }],
    ['a string', { kind: 'failed', code: 'unknown' }],
  ] as const)('%# %o', (error, problem) => {
    expect(classifyAuthError(error)).toEqual(problem)
  })

  it('every problem has a title, a next step and an action, and none quotes a token', () => {
    const problems: AuthProblem[] = [
      { kind: 'signInRequired' },
      { kind: 'consentRequired' },
      { kind: 'adminConsentRequired' },
      { kind: 'cancelled' },
      { kind: 'popupBlocked' },
      { kind: 'inProgress' },
      { kind: 'accessDenied', code: 'AADSTS50105' },
      { kind: 'misconfigured', code: 'AADSTS50011', fix: 'fix it' },
      { kind: 'hostUnsupported' },
      { kind: 'offline' },
      { kind: 'failed', code: 'x' },
    ]
    for (const p of problems) {
      const words = describeAuthProblem(p)
      expect(words.title.length).toBeGreaterThan(5)
      expect(words.whatToDo.length).toBeGreaterThan(10)
      expect(['signIn', 'retry', 'openInBrowser', 'none']).toContain(words.action)
    }
    expect(describeAuthProblem({ kind: 'adminConsentRequired' }).whatToDo).toMatch(/admin consent/)
  })
})

describe('sign-in: pages loaded by Microsoft Entra are redirect bridges', () => {
  it.each([
    ['fragment response', 'https://h.example/p/taskpane.html#code=abc&state=xyz', true],
    ['query response', 'https://h.example/p/taskpane.html?code=abc&state=xyz', true],
    ['an error response', 'https://h.example/p/tab.html#error=access_denied&state=xyz', true],
    ['a hash route', 'https://h.example/p/tab.html#/wig/WIG-04', false],
    ['a code without state', 'https://h.example/p/tab.html?code=abc', false],
  ])('%s', (_, href, expected) => {
    expect(isAuthResponse(href)).toBe(expected)
  })

  it('a popup or iframe carrying a response hands it to the opener (broadcastResponseToMainFrame) and stops; a top-level page does not', async () => {
    const calls: string[] = []
    const bridge = async () => {
      calls.push('broadcast')
    }
    const response = 'https://h.example/p/taskpane.html#code=abc&state=xyz'
    expect(await completeAuthRedirect({ href: response, openedOrFramed: true }, bridge)).toBe(true)
    expect(await completeAuthRedirect({ href: response, openedOrFramed: false }, bridge)).toBe(false)
    expect(await completeAuthRedirect({ href: 'https://h.example/p/taskpane.html', openedOrFramed: true }, bridge)).toBe(false)
    expect(calls).toEqual(['broadcast'])
  })
})

describe('sign-in: asking the host', () => {
  it('Teams: nestedAppAuth.isNAAChannelRecommended(), false when it throws (before app.initialize)', () => {
    expect(teamsOffersNaa({ isNAAChannelRecommended: () => true })).toBe(true)
    expect(teamsOffersNaa({ isNAAChannelRecommended: () => false })).toBe(false)
    expect(
      teamsOffersNaa({
        isNAAChannelRecommended: () => {
          throw new Error('not initialized')
        },
      }),
    ).toBe(false)
  })

  it('Office: the NestedAppAuth 1.1 requirement set, and the login hint from Office.auth.getAuthContext()', async () => {
    const asked: string[] = []
    const office = {
      context: { requirements: { isSetSupported: (name: string, version?: string) => (asked.push(`${name} ${version}`), true) } },
      auth: { getAuthContext: async () => ({ userPrincipalName: ADA.username }) },
    }
    expect(officeOffersNaa(office)).toBe(true)
    expect(asked).toEqual(['NestedAppAuth 1.1'])
    expect(officeOffersNaa({})).toBe(false)
    expect(await officeLoginHint(office)).toBe(ADA.username)
    expect(await officeLoginHint({ auth: { getAuthContext: () => Promise.reject(new Error('no')) } })).toBeNull()
  })
})

describe('app-config.json', () => {
  it('parses what npm run package writes', () => {
    expect(parseAppConfig({ ...CONFIG, clientId: CONFIG.clientId.toUpperCase() })).toEqual({ ok: true, value: CONFIG })
  })

  it.each([
    [{ ...CONFIG, clientId: undefined }, 'clientId'],
    [{ ...CONFIG, clientId: 'my-app' }, 'clientId'],
    [{ ...CONFIG, tenantId: 'common' }, 'tenantId'],
    [{ ...CONFIG, tenantId: 'not a domain' }, 'tenantId'],
    [{ ...CONFIG, permission: 'Sites.ReadWrite.All' }, 'permission'],
    [{ ...CONFIG, defaultWorkbook: 'http://riverbend.sharepoint.com/x' }, 'defaultWorkbook'],
    [{ ...CONFIG, defaultWorkbook: undefined }, 'defaultWorkbook'],
    [{ ...CONFIG, permission: 'Files.ReadWrite', defaultWorkbook: 'https://riverbend.sharepoint.com/:x:/s/Plan/abc' }, 'permission'],
  ])('%# names the field %s', (value, field) => {
    const parsed = parseAppConfig(value)
    expect(parsed.ok).toBe(false)
    expect(parsed.ok ? [] : parsed.problems.map((p) => p.field)).toEqual([field])
  })
})
