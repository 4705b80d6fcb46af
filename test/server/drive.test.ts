import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphErrorOf, graphFetch, startHarness, type Harness } from './harness.ts'
import { startServer } from '../../src/server/server.ts'

/** Drive item addressing (GRAPH.md §1, api/driveitem-get.md), /shares (api/shares-get.md), /me, unknown routes. */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h.close())

/** api/shares-get.md: `u!` + base64url of the URL, `=` stripped. */
const shareToken = (url: string) => `u!${Buffer.from(url, 'utf8').toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}`

describe('drive items', () => {
  it('reads a table through all three drive item address forms', async () => {
    const id = h.server.driveItemId
    for (const item of [`/me/drive/items/${id}`, `/drives/local/items/${id}`, `/sites/contoso.sharepoint.com,1,2/drive/items/${id}`]) {
      const range = (await h.client.api(`${item}/workbook/tables/WIGs/headerRowRange`).select('values').get()) as { values: unknown[][] }
      expect(range.values[0]?.[0], item).toBe('WigId')
    }
  })

  it('describes the workbook as a driveItem with its drive id (res/driveitem.md)', async () => {
    const item = (await h.client.api(`/me/drive/items/${h.server.driveItemId}`).get()) as Record<string, unknown>
    expect(item).toMatchObject({ id: h.server.driveItemId, name: 'plan.xlsx', parentReference: { driveId: 'local' } })
    expect(item['size']).toBeGreaterThan(0)
    expect(item['file']).toBeDefined()
    expect(typeof item['webUrl']).toBe('string')
  })

  it('keeps the drive item id stable for the same file across restarts', async () => {
    const again = await startServer({ workbook: h.workbook })
    expect(again.driveItemId).toBe(h.server.driveItemId)
    await again.close()
  })

  it('answers an unknown item, and an unknown drive, with 404 itemNotFound', async () => {
    for (const path of ['/me/drive/items/01NOPE/workbook/tables', `/drives/other/items/${h.server.driveItemId}/workbook/tables`]) {
      const failure = await h.client.api(path).get().then(() => null, graphErrorOf)
      expect(failure?.statusCode, path).toBe(404)
      expect(failure?.code, path).toBe('itemNotFound')
    }
  })

  it('resolves a sharing link to the driveItem, whose id and driveId open the workbook (api/shares-get.md)', async () => {
    const { webUrl } = (await h.client.api(h.server.driveItemUrl.slice(h.server.graphBaseUrl.length)).get()) as { webUrl: string }
    const item = (await h.client.api(`/shares/${shareToken(webUrl)}/driveItem`).get()) as { id: string; parentReference: { driveId: string } }
    const tables = (await h.client.api(`/drives/${item.parentReference.driveId}/items/${item.id}/workbook/tables`).get()) as { value: unknown[] }
    expect(tables.value.length).toBe(3)
  })

  it('answers a sharing link to something else with 404 itemNotFound', async () => {
    const res = await graphFetch(h.server, `/shares/${shareToken('https://contoso.sharepoint.com/other.xlsx')}/driveItem`)
    expect(res.status).toBe(404)
  })

  it('answers /me with the local user (res/user.md)', async () => {
    const me = (await h.client.api('/me').get()) as { userPrincipalName: string; displayName: string }
    expect(me.userPrincipalName).toMatch(/@/)
    expect(me.displayName).toMatch(/\S/)
  })
})

describe('unknown routes and methods', () => {
  it('answers an unknown route with 400 ApiNotFound (observed, GRAPH.md §7; see DIFFERENCES.md)', async () => {
    const res = await graphFetch(h.server, `${h.wb}/charts`)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ApiNotFound')
  })

  it('answers a method a resource does not take with 405 methodNotAllowed', async () => {
    const res = await graphFetch(h.server, `${h.wb}/tables`, { method: 'DELETE' })
    expect(res.status).toBe(405)
  })
})
