import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { acceptsGzip } from '../../src/server/protocol/http-io.ts'
import { graphFetch, jsonInit, rawGet, startHarness, type Harness } from './harness.ts'

/**
 * Response compression. Graph's SDKs ask with `Accept-Encoding: gzip` and decompress bodies
 * marked `Content-Encoding: gzip` (microsoftgraph/msgraph-sdk-design
 * middleware/DecompressionHandler.md); Node's fetch asks and decompresses by itself.
 */

let h: Harness
let pages: string
beforeAll(async () => {
  pages = await mkdtemp(join(tmpdir(), 'pmw-pages-'))
  await mkdir(join(pages, 'assets'))
  await writeFile(join(pages, 'index.html'), `<!doctype html><title>start</title>${'<p>plan</p>'.repeat(200)}`)
  await writeFile(join(pages, 'assets', 'app.js'), 'console.log("plan");\n'.repeat(200))
  await writeFile(join(pages, 'assets', 'logo.png'), Buffer.alloc(2_000, 7))
  h = await startHarness({ staticDir: pages })
})
afterAll(async () => {
  await h.close()
  await rm(pages, { recursive: true, force: true })
})

const rangeUrl = () => `${h.server.graphBaseUrl}${h.wb}/tables/WIGs/range`

describe('gzip (microsoftgraph/msgraph-sdk-design middleware/DecompressionHandler.md)', () => {
  it('compresses a Graph JSON response when asked: smaller, and decoding to the same JSON (api/table-range.md)', async () => {
    const plain = await rawGet(rangeUrl())
    const packed = await rawGet(rangeUrl(), { 'Accept-Encoding': 'gzip' })
    expect(plain.status).toBe(200)
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.headers['vary']).toBe('Accept-Encoding')
    expect(packed.headers['content-encoding']).toBe('gzip')
    expect(packed.headers['vary']).toBe('Accept-Encoding')
    expect(packed.headers['content-type']).toBe('application/json')
    expect(Number(packed.headers['content-length'])).toBe(packed.body.length)
    expect(packed.body.length).toBeLessThan(plain.body.length)
    expect(JSON.parse(gunzipSync(packed.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')))
  })

  it('sends plain JSON to a client that sends no Accept-Encoding, or refuses gzip', async () => {
    const cases: Record<string, string>[] = [{}, { 'Accept-Encoding': 'identity' }, { 'Accept-Encoding': 'gzip;q=0, deflate' }]
    for (const headers of cases) {
      const res = await rawGet(rangeUrl(), headers)
      expect(res.headers['content-encoding'], JSON.stringify(headers)).toBeUndefined()
      expect((JSON.parse(res.body.toString('utf8')) as { address: string }).address).toBe('Plan!B3:G5')
    }
  })

  it('is read transparently by fetch and by the Graph SDK client', async () => {
    const res = await graphFetch(h.server, `${h.wb}/tables/WIGs/range?$select=address`)
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(await res.json()).toEqual({ address: 'Plan!B3:G5' })
    expect(await h.client.api(`${h.wb}/tables/WIGs/headerRowRange`).select('values').get()).toEqual({ values: [['WigId', 'Title', 'TargetDate', 'Baseline', 'Target', 'Board Notes']] })
  })

  it('compresses a $batch envelope and error bodies too (concepts/json-batching.md)', async () => {
    const batch = await graphFetch(h.server, '/$batch', jsonInit('POST', { requests: [{ id: '1', method: 'GET', url: `${h.wb}/tables/Nope/range` }] }))
    expect(batch.headers.get('content-encoding')).toBe('gzip')
    expect(((await batch.json()) as { responses: { status: number }[] }).responses[0]?.status).toBe(404)
    const missing = await rawGet(`${h.server.graphBaseUrl}${h.wb}/tables/Nope/range`, { 'Accept-Encoding': 'gzip, deflate' })
    expect(missing.status).toBe(404)
    expect((JSON.parse(gunzipSync(missing.body).toString('utf8')) as { error: { code: string } }).error.code).toBe('itemNotFound')
  })

  it('compresses text pages but not images', async () => {
    for (const path of ['/', '/assets/app.js']) {
      const res = await rawGet(`${h.server.origin}${path}`, { 'Accept-Encoding': 'gzip' })
      expect(res.headers['content-encoding'], path).toBe('gzip')
      expect(res.headers['vary'], path).toBe('Accept-Encoding')
      expect(gunzipSync(res.body).toString('utf8'), path).toMatch(/plan/)
    }
    const logo = await rawGet(`${h.server.origin}/assets/logo.png`, { 'Accept-Encoding': 'gzip' })
    expect(logo.headers['content-encoding']).toBeUndefined()
    expect(logo.body.length).toBe(2_000)
  })

  // Vite names assets/ by content hash: a browser keeps them; the pages themselves are checked again.
  it('lets a browser keep the hashed assets for good and check the pages again every time', async () => {
    expect((await rawGet(`${h.server.origin}/assets/app.js`, {})).headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect((await rawGet(`${h.server.origin}/`, {})).headers['cache-control']).toBe('no-cache')
  })
})

describe('acceptsGzip (RFC 9110 §12.5.3)', () => {
  it('honours names, wildcards and zero weights', () => {
    expect(acceptsGzip(undefined)).toBe(false)
    expect(acceptsGzip('gzip, deflate, br')).toBe(true)
    expect(acceptsGzip('GZIP;q=0.5')).toBe(true)
    expect(acceptsGzip('x-gzip')).toBe(true)
    expect(acceptsGzip('*')).toBe(true)
    expect(acceptsGzip('*, gzip;q=0')).toBe(false)
    expect(acceptsGzip('br, deflate')).toBe(false)
    expect(acceptsGzip('identity')).toBe(false)
  })
})
