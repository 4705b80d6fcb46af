import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import JSZip from 'jszip'
import { noToken } from '../../src/auth/tokens.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { startServer, type RunningServer } from '../../src/server/server.ts'
import { systemClock } from '../../src/workbook/graph/chain/clock.ts'
import { createGraphTransport } from '../../src/workbook/graph/chain/transport.ts'
import { encodeSharingUrl, resolveSharingLink } from '../../src/workbook/graph/protocol/location.ts'
import { openGraphStore } from '../../src/workbook/graph/store/graph-store.ts'
import { anotherProgramSaves, graphFetch, jsonInit, rawGet, startHarness, waitSignal, type Harness } from './harness.ts'

/**
 * Issue 10 (the Teams tab): the workbook as a driveItem (api/driveitem-get.md,
 * res/driveitem.md), its sharing link resolved through `/shares/{token}/driveItem`
 * (api/shares-get.md), and the download route its `webUrl` names. All over loopback, and the
 * sharing link also through the product's own client (resolveSharingLink + openGraphStore).
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const sample = (path: string) => writeSampleWorkbook(path, '2026-11-24' as Parameters<typeof writeSampleWorkbook>[1])

type LocalConfig = { graphBaseUrl: string; driveItemPath: string; driveItemId: string; webUrl: string; sharingUrl: string }
type DriveItem = { id: string; name: string; webUrl: string; size: number; lastModifiedDateTime: string; file: { mimeType: string }; parentReference: { driveId: string } }

let h: Harness
let config: LocalConfig
beforeAll(async () => {
  h = await startHarness({}, sample)
  config = (await (await fetch(`${h.server.origin}/local-config.json`)).json()) as LocalConfig
})
afterAll(() => h.close())

/** GET /shares/{token}/driveItem as the product sends it (location.ts). */
const share = (url: string) => graphFetch(h.server, `/shares/${encodeSharingUrl(url)}/driveItem`, { headers: { Prefer: 'redeemSharingLinkIfNecessary' } })
const port = () => new URL(h.server.origin).port

describe('/local-config.json', () => {
  it('names the Graph root, the drive item path, and the webUrl that is also the sharing link, on the origin the page used', async () => {
    expect(config).toEqual({
      graphBaseUrl: h.server.graphBaseUrl,
      driveItemPath: `/me/drive/items/${h.server.driveItemId}`,
      driveItemId: h.server.driveItemId,
      webUrl: `${h.server.origin}/workbook/plan.xlsx`,
      sharingUrl: `${h.server.origin}/workbook/plan.xlsx`,
    })
    expect(h.server.webUrl).toBe(config.webUrl)
    const viaLocalhost = JSON.parse((await rawGet(`${h.server.origin}/local-config.json`, { Host: `localhost:${port()}` })).body.toString('utf8')) as LocalConfig
    expect(viaLocalhost.sharingUrl).toBe(`http://localhost:${port()}/workbook/plan.xlsx`)
  })
})

describe('the driveItem (api/driveitem-get.md, res/driveitem.md)', () => {
  it('has the properties the product reads', async () => {
    const res = await graphFetch(h.server, config.driveItemPath)
    expect(res.status).toBe(200)
    const item = (await res.json()) as DriveItem & Record<string, unknown>
    expect(item).toMatchObject({ id: h.server.driveItemId, name: 'plan.xlsx', webUrl: config.webUrl, file: { mimeType: XLSX }, parentReference: { driveId: 'local' } })
    expect(item.size).toBe((await readFile(h.workbook)).length)
    expect(new Date(item.lastModifiedDateTime).toISOString()).toBe(item.lastModifiedDateTime)
    // res/driveitem.md, "Instance attributes": a URL that downloads the content without authentication.
    expect(item['@microsoft.graph.downloadUrl']).toBe(config.webUrl)
  })

  it('is the same on every item address api/driveitem-get.md lists, and honours $select', async () => {
    const id = h.server.driveItemId
    const expected = await (await graphFetch(h.server, config.driveItemPath)).json()
    for (const path of [`/drives/local/items/${id}`, `/users/local.user@localhost/drive/items/${id}`, `/groups/g1/drive/items/${id}`, `/sites/s1/drive/items/${id}`]) {
      expect(await (await graphFetch(h.server, path)).json(), path).toEqual(expected)
    }
    expect(await (await graphFetch(h.server, `${config.driveItemPath}?$select=id,webUrl`)).json()).toEqual({ id, webUrl: config.webUrl })
  })
})

describe('sharing links (api/shares-get.md)', () => {
  it('resolves the local sharing link to the driveItem, on either loopback name, a query or fragment ignored', async () => {
    const expected = await (await graphFetch(h.server, config.driveItemPath)).json()
    const localhost = config.sharingUrl.replace('127.0.0.1', 'localhost')
    for (const url of [config.sharingUrl, localhost, `${config.sharingUrl}?web=1`, `${config.sharingUrl}#top`, config.sharingUrl.replace('plan.xlsx', 'pl%61n.xlsx')]) {
      const res = await share(url)
      expect(res.status, url).toBe(200)
      expect(await res.json(), url).toEqual(expected)
    }
  })

  it('answers anything else with the 404 itemNotFound error body of concepts/errors.md', async () => {
    const other = String(Number(port()) + 1)
    for (const url of [
      'https://contoso.sharepoint.com/:x:/s/plan/EabcDEF',
      config.sharingUrl.replace(`:${port()}`, `:${other}`),
      config.sharingUrl.replace('plan.xlsx', 'other.xlsx'),
      config.sharingUrl.replace('plan.xlsx', 'PLAN.xlsx'),
      `${h.server.origin}/?item=${h.server.driveItemId}`,
      `${h.server.graphBaseUrl}${config.driveItemPath}`,
    ]) {
      const res = await share(url)
      expect(res.status, url).toBe(404)
      const body = (await res.json()) as { error: { code: string; message: string; innerError: Record<string, string> } }
      expect(body.error.code, url).toBe('itemNotFound')
      expect(body.error.message).toMatch(/\S/)
      expect(body.error.innerError).toMatchObject({ 'request-id': expect.any(String), date: expect.any(String) })
    }
    for (const token of ['s!abc', 'u!not*base64', 'u!']) {
      const res = await graphFetch(h.server, `/shares/${token}/driveItem`)
      expect(res.status, token).toBe(404)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('itemNotFound')
    }
  })

  it('resolves through the product client (resolveSharingLink), whose location opens the workbook and reads the WIGs', async () => {
    const transport = createGraphTransport({ baseUrl: config.graphBaseUrl, tokens: noToken, clock: systemClock })
    const location = await resolveSharingLink(transport, config.sharingUrl)
    expect(location).toEqual({ ok: true, value: { baseUrl: config.graphBaseUrl, itemPath: `/drives/local/items/${h.server.driveItemId}` } })
    if (!location.ok) return

    const viaShare = openGraphStore({ location: location.value, tokens: noToken })
    const viaConfig = openGraphStore({ location: { baseUrl: config.graphBaseUrl, itemPath: config.driveItemPath }, tokens: noToken })
    const [shared, direct] = await Promise.all([viaShare.read(['WIGs']), viaConfig.read(['WIGs'])])
    await Promise.all([viaShare.close(), viaConfig.close()])
    if (!shared.ok || !direct.ok) throw new Error('the WIGs could not be read')
    const wigs = shared.value.tables.WIGs
    expect(wigs?.headers).toContain('WigId')
    expect(wigs?.rows.map((r) => r[wigs.headers.indexOf('WigId')])).toContain('WIG-04')
    expect(shared.value).toEqual(direct.value)
  })
})

describe('the download route (the driveItem webUrl)', () => {
  it('serves the saved .xlsx as an attachment, not re-encoded', async () => {
    const res = await rawGet(config.webUrl, { 'Accept-Encoding': 'gzip' })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe(XLSX)
    expect(res.headers['content-disposition']).toBe('attachment; filename="plan.xlsx"')
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.body.equals(await readFile(h.workbook))).toBe(true)
    expect(Number(res.headers['content-length'])).toBe(res.body.length)
  })

  it('answers HEAD with the headers only', async () => {
    const res = await fetch(config.webUrl, { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBe(String((await readFile(h.workbook)).length))
    expect((await res.arrayBuffer()).byteLength).toBe(0)
  })

  it('is behind the Host/Origin guard like everything else', async () => {
    expect((await rawGet(config.webUrl, { Host: `evil.example:${port()}` })).status).toBe(403)
    expect((await rawGet(config.webUrl, { Origin: 'https://evil.example' })).status).toBe(403)
    expect((await rawGet(config.webUrl, { Host: `localhost:${port()}` })).status).toBe(200)
  })

  it('serves what an answered write saved', async () => {
    const checkIn = ['CI-DOWNLOAD-1']
    const wb = `${config.driveItemPath}/workbook`
    const headers = (await (await graphFetch(h.server, `${wb}/tables/CheckIns/headerRowRange?$select=values`)).json()) as { values: string[][] }
    const row = (headers.values[0] ?? []).map((name) => (name === 'CheckInId' ? checkIn[0] : ''))
    expect((await graphFetch(h.server, `${wb}/tables/CheckIns/rows/add`, jsonInit('POST', { values: [row] }))).status).toBe(200)
    const bytes = (await rawGet(config.webUrl)).body
    expect(bytes.equals(await readFile(h.workbook))).toBe(true)
    const sheetXml = await Promise.all(
      Object.values((await JSZip.loadAsync(bytes)).files)
        .filter((f) => /^xl\/(worksheets\/sheet\d+\.xml|sharedStrings\.xml)$/.test(f.name))
        .map((f) => f.async('string')),
    )
    expect(sheetXml.join('')).toContain('CI-DOWNLOAD-1')
  })
})

describe('downloads and other programs', () => {
  let other: Harness | undefined
  afterAll(async () => other?.close())

  it('answers while a write waits for another program\'s lock, with the copy that program saved', async () => {
    const { onWait, waiting } = waitSignal()
    other = await startHarness({ lock: { onWait, pollMs: 1 } })
    const { server, wb, workbook } = other
    // The other program saves while it holds the lock.
    await anotherProgramSaves(workbook)

    let settled = false
    const write = graphFetch(server, `${wb}/tables/CheckIns/rows/add`, jsonInit('POST', { values: [['C-2', 'W-1', '2025-02-01', 2]] })).finally(() => (settled = true))
    await waiting
    const res = await rawGet(server.webUrl)
    expect(res.status).toBe(200)
    expect(res.body.equals(await readFile(workbook))).toBe(true)
    expect(settled).toBe(false)

    await rm(`${workbook}.lock`)
    expect((await write).status).toBe(200)
    expect((await rawGet(server.webUrl)).body.equals(await readFile(workbook))).toBe(true)
  })

  it('answers 404 once the file is gone', async () => {
    const gone = await startHarness()
    await rm(gone.workbook)
    expect((await rawGet(gone.server.webUrl)).status).toBe(404)
    await gone.close()
  })
})

describe('a file name that needs encoding', () => {
  let server: RunningServer
  let dir: Harness
  beforeAll(async () => {
    dir = await startHarness()
    const workbook = join(dir.dir, 'Plan 2026 – Riverbend "draft".xlsx')
    await writeFile(workbook, await readFile(dir.workbook))
    server = await startServer({ workbook })
  })
  afterAll(async () => {
    await server.close()
    await dir.close()
  })

  it('is percent-encoded in webUrl, carried by filename* (RFC 6266), and its sharing link resolves', async () => {
    expect(server.webUrl).toBe(`${server.origin}/workbook/${encodeURIComponent('Plan 2026 – Riverbend "draft".xlsx')}`)
    const res = await rawGet(server.webUrl)
    expect(res.status).toBe(200)
    expect(res.headers['content-disposition']).toBe(`attachment; filename="Plan 2026 _ Riverbend _draft_.xlsx"; filename*=UTF-8''Plan%202026%20%E2%80%93%20Riverbend%20%22draft%22.xlsx`)
    const item = await graphFetch(server, `/shares/${encodeSharingUrl(server.webUrl)}/driveItem`)
    expect(item.status).toBe(200)
    expect(((await item.json()) as DriveItem).name).toBe('Plan 2026 – Riverbend "draft".xlsx')
  })
})
