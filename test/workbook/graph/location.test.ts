import { describe, expect, it } from 'vitest'
import { staticToken } from '../../../src/auth/tokens.ts'
import { encodeSharingUrl, parseDriveItemUrl, resolveSharingLink } from '../../../src/workbook/graph/protocol/location.ts'
import { createGraphTransport } from '../../../src/workbook/graph/chain/transport.ts'
import { BASE, fakeClock, graphError, jsonResponse, sampleWorkbook } from './fake-graph.ts'

describe('drive item addresses', () => {
  // GRAPH.md §1 / api/driveitem-get.md: the item-ID forms (drive, me, site, group, user);
  // /sites/{s}/drives/{d}/items/{i}/workbook is observed to work (microsoft-graph-docs-contrib#1003).
  it.each([
    ['https://graph.microsoft.com/v1.0/me/drive/items/01ABC', 'https://graph.microsoft.com/v1.0', '/me/drive/items/01ABC'],
    ['https://graph.microsoft.com/v1.0/drives/b!xyz/items/01ABC/workbook', 'https://graph.microsoft.com/v1.0', '/drives/b!xyz/items/01ABC'],
    ['https://graph.microsoft.com/v1.0/sites/contoso.sharepoint.com,1,2/drive/items/01ABC', 'https://graph.microsoft.com/v1.0', '/sites/contoso.sharepoint.com,1,2/drive/items/01ABC'],
    ['https://graph.microsoft.com/v1.0/sites/contoso.sharepoint.com,1,2/drives/b!xyz/items/01ABC/workbook', 'https://graph.microsoft.com/v1.0', '/sites/contoso.sharepoint.com,1,2/drives/b!xyz/items/01ABC'],
    ['https://graph.microsoft.com/v1.0/groups/7f6c1a2b-0000-4000-8000-000000000001/drive/items/01ABC', 'https://graph.microsoft.com/v1.0', '/groups/7f6c1a2b-0000-4000-8000-000000000001/drive/items/01ABC'],
    ['https://graph.microsoft.com/v1.0/users/ana@district.org/drive/items/01ABC/workbook/', 'https://graph.microsoft.com/v1.0', '/users/ana@district.org/drive/items/01ABC'],
    ['http://127.0.0.1:5170/graph/v1.0/me/drive/items/local', 'http://127.0.0.1:5170/graph/v1.0', '/me/drive/items/local'],
  ])('splits %s into base URL and item address', (url, baseUrl, itemPath) => {
    expect(parseDriveItemUrl(url)).toEqual({ ok: true, value: { baseUrl, itemPath } })
  })

  it.each([
    'not a url',
    'ftp://graph.microsoft.com/v1.0/me/drive/items/1',
    'https://contoso.sharepoint.com/:x:/s/plan/EabcDEF',
    'https://graph.microsoft.com/v1.0/me/drive/root:/Plan.xlsx:',
    'https://graph.microsoft.com/v1.0/me/drive/items/1/workbook/tables',
    // Path-addressed items: a session on them fails with AccessDenied (GRAPH.md §1).
    'https://graph.microsoft.com/v1.0/groups/g1/drive/root:/Plan.xlsx:',
    'https://graph.microsoft.com/v1.0/users/ana@district.org/drive/root:/Plan.xlsx:',
    'https://graph.microsoft.com/v1.0/sites/s1/drives/d1/root:/Plan.xlsx:',
    // Not a drive item at all.
    'https://graph.microsoft.com/v1.0/groups/g1/drive/items',
    'https://graph.microsoft.com/v1.0/users/u1/items/01ABC',
  ])('refuses %s with a message naming the accepted forms', (url) => {
    const result = parseDriveItemUrl(url)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toMatch(/drives\/\{drive-id\}\/items\/\{item-id\}/)
  })
})

describe('sharing links', () => {
  // api/shares-get.md, "Encoding sharing URLs": the page's example URL.
  it('encodes a sharing URL as u! + unpadded base64url', () => {
    expect(encodeSharingUrl('https://onedrive.live.com/redir?resid=1231244193912!12&authKey=1201919!12921!1')).toBe(
      'u!aHR0cHM6Ly9vbmVkcml2ZS5saXZlLmNvbS9yZWRpcj9yZXNpZD0xMjMxMjQ0MTkzOTEyITEyJmF1dGhLZXk9MTIwMTkxOSExMjkyMSEx',
    )
  })

  it('replaces + and / and drops = padding', () => {
    // "??>" encodes to "Pz8+" and "???" to "Pz8/" in standard base64.
    expect(encodeSharingUrl('??>')).toBe('u!Pz8-')
    expect(encodeSharingUrl('???')).toBe('u!Pz8_')
    expect(encodeSharingUrl('a')).toBe('u!YQ')
  })

  // api/shares-get.md + res/driveitem.md: id and parentReference.driveId address the item.
  it('resolves a sharing link to /drives/{driveId}/items/{id}', async () => {
    const graph = sampleWorkbook()
    const transport = createGraphTransport({ baseUrl: BASE, tokens: staticToken('t'), clock: fakeClock(), fetch: graph.fetch })
    const link = 'https://contoso.sharepoint.com/:x:/s/plan/EabcDEF'
    const result = await resolveSharingLink(transport, link)
    expect(result).toEqual({ ok: true, value: { baseUrl: BASE, itemPath: '/drives/b!sharedDrive/items/01SHARED' } })
    expect(graph.seen[0]?.url).toBe(`${BASE}/shares/${encodeSharingUrl(link)}/driveItem`)
  })

  it('explains a link the user may not open', async () => {
    const transport = createGraphTransport({
      baseUrl: BASE,
      tokens: staticToken('t'),
      clock: fakeClock(),
      fetch: async () => jsonResponse(403, graphError(403, 'accessDenied').body),
    })
    const result = await resolveSharingLink(transport, 'https://contoso.sharepoint.com/:x:/s/plan/EabcDEF')
    expect(!result.ok && result.error.kind).toBe('forbidden')
  })
})
