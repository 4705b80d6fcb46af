import { describe, expect, it } from 'vitest'
import { startPage, MICROSOFT_GRAPH } from '../../src/pages/start.ts'
import { ADA, FakeMsal, fakeFactories, SECRET_TOKEN } from '../auth/fake-msal.ts'

/**
 * How a page (the tab, the task pane) finds its workbook and signs in for it, before it renders:
 * src/pages/start.ts. The same-origin JSON files are answered by a stub; MSAL is a fake; nothing
 * leaves the process.
 */
const LOCAL = { graphBaseUrl: 'http://127.0.0.1:5170/graph/v1.0', driveItemPath: '/me/drive/items/01ABC', webUrl: 'http://127.0.0.1:5170/workbook/plan.xlsx', sharingUrl: 'http://127.0.0.1:5170/workbook/plan.xlsx' }
const APP_CONFIG = { clientId: '0b7c3a52-4f7e-4b8e-9a51-2d0a6f1e9c33', tenantId: 'riverbend.onmicrosoft.com', permission: 'Files.ReadWrite.All', defaultWorkbook: null }

function files(served: Record<string, unknown>): (path: string) => Promise<unknown> {
  return async (path) => {
    if (path in served) return served[path]
    throw new Error(`${path}: HTTP 404`)
  }
}

const browser = { kind: 'browser', topLevel: true } as const
const PAGE = 'https://plan.riverbend.example/pm-workbook/tab.html'

describe('a page starting up', () => {
  it('opens the workbook the local server serves, with no sign-in and no token', async () => {
    const started = await startPage({ params: new URLSearchParams(), host: browser, pageUrl: 'http://127.0.0.1:5170/tab.html', fetchJson: files({ '/local-config.json': LOCAL }) })
    if (started.kind !== 'ready') throw new Error(started.kind)
    expect(started.signIn.mode).toBe('none')
    expect(started.source.location).toEqual({ baseUrl: LOCAL.graphBaseUrl, itemPath: LOCAL.driveItemPath })
    await expect(started.source.tokens.getToken()).resolves.toBeNull()
  })

  it('signs in with MSAL for a saved tab whose workbook is on Microsoft Graph, and reads with that token', async () => {
    const msal = new FakeMsal()
    msal.accounts = [ADA]
    msal.active = ADA
    const started = await startPage({
      params: new URLSearchParams({ workbook: `${MICROSOFT_GRAPH}/drives/b!abc/items/01XYZ` }),
      host: browser,
      pageUrl: PAGE,
      fetchJson: files({ './app-config.json': APP_CONFIG }),
      msal: fakeFactories(msal),
    })
    if (started.kind !== 'ready') throw new Error(started.kind)
    expect(started.signIn.mode).toBe('redirect')
    expect(started.source.location).toEqual({ baseUrl: MICROSOFT_GRAPH, itemPath: '/drives/b!abc/items/01XYZ' })
    await expect(started.source.tokens.getToken()).resolves.toBe(SECRET_TOKEN)
  })

  it('asks the person to act, rather than failing, when Microsoft Graph needs a sign-in the page has no configuration for', async () => {
    const started = await startPage({ params: new URLSearchParams({ workbook: `${MICROSOFT_GRAPH}/me/drive/items/01XYZ` }), host: browser, pageUrl: PAGE, fetchJson: files({}) })
    expect(started.kind).toBe('signInNeeded')
  })

  it('names the field when app-config.json is malformed', async () => {
    const started = await startPage({ params: new URLSearchParams(), host: browser, pageUrl: PAGE, fetchJson: files({ './app-config.json': { ...APP_CONFIG, clientId: 'not-a-guid' } }) })
    expect(started.kind).toBe('noWorkbook')
    expect(started.kind === 'noWorkbook' && started.message).toMatch(/clientId/)
  })

  it('says how to get a workbook when there is no local server, no saved workbook and no default', async () => {
    const started = await startPage({ params: new URLSearchParams(), host: browser, pageUrl: PAGE, fetchJson: files({}) })
    expect(started.kind).toBe('noWorkbook')
    expect(started.kind === 'noWorkbook' && started.message).toMatch(/npm start/)
  })

  it('refuses a saved workbook address that is not a drive item, saying what it expected', async () => {
    const started = await startPage({ params: new URLSearchParams({ workbook: 'https://contoso.sharepoint.com/:x:/s/plan/abc' }), host: browser, pageUrl: PAGE, fetchJson: files({}) })
    expect(started.kind === 'noWorkbook' && started.message).toMatch(/drive item/)
  })
})
