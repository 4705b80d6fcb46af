// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSignIn, msalConfiguration, msalFactories } from '../../src/auth/sign-in.ts'

/** Our configuration and calls against the real @azure/msal-browser 5 (happy-dom), with the network refused. */
const CONFIG = { clientId: '0b7c3a52-8f7e-4d6b-9c1a-2f4e5d6c7b8a', tenantId: 'riverbend.onmicrosoft.com', permission: 'Files.ReadWrite.All' } as const
const PAGE = 'https://plan.riverbend.example/pm-workbook/tab.html'

describe('the real @azure/msal-browser', () => {
  const fetch = vi.fn(() => Promise.reject(new Error('no network in tests')))
  beforeEach(() => vi.stubGlobal('fetch', fetch))
  afterEach(() => vi.unstubAllGlobals())

  it('PublicClientApplication accepts our configuration and starts with no account, without the network', async () => {
    const client = await msalFactories.standard(msalConfiguration(CONFIG, PAGE))
    expect(await client.handleRedirectPromise()).toBeNull()
    expect(client.getAllAccounts()).toEqual([])
  })

  it('createNestablePublicClientApplication without a host bridge falls back to a standard client (GRAPH.md §11)', async () => {
    const client = await msalFactories.nestable(msalConfiguration(CONFIG, 'brk-multihub://plan.riverbend.example'))
    expect(client.getAllAccounts()).toEqual([])
  })

  it('a browser page with nobody signed in is asked to sign in, and nothing was fetched', async () => {
    const signIn = createSignIn({ config: CONFIG, graphBaseUrl: 'https://graph.microsoft.com/v1.0', host: { kind: 'browser', topLevel: true }, pageUrl: PAGE })
    expect(await signIn.start()).toEqual({ status: 'problem', problem: { kind: 'signInRequired' } })
    expect(fetch).not.toHaveBeenCalled()
  })
})
