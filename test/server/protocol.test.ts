import { describe, expect, it } from 'vitest'
import { subRequestTarget } from '../../src/server/protocol/batch.ts'
import { routeOf } from '../../src/server/protocol/route.ts'
import { resolveStaticPath } from '../../src/server/protocol/static-files.ts'
import { json } from '../../src/server/protocol/messages.ts'
import { serializeWithinLimit } from '../../src/server/protocol/response-size.ts'

/** The protocol layer alone: URL → resource, batch URL forms, safe static paths. */

describe('routeOf', () => {
  const item = '/me/drive/items/01AB/workbook'
  it('reads itemAt(index=N) and the rows/$/itemAt form, but not rows/{N} (GRAPH.md §2)', () => {
    expect(routeOf(`${item}/tables/WIGs/rows/itemAt(index=3)`)).toMatchObject({ kind: 'rowAt', index: 3, table: { table: 'WIGs', sheet: null } })
    expect(routeOf(`${item}/tables/WIGs/rows/$/itemAt(index=4)`)).toMatchObject({ kind: 'rowAt', index: 4 })
    expect(routeOf(`${item}/tables/WIGs/rows/3`).kind).toBe('unknown')
  })

  it("decodes names and range(address='…') (api/range-get.md)", () => {
    expect(routeOf(`${item}/tables/Check%20Ins/columns/Due%20Date`)).toMatchObject({ kind: 'column', table: { table: 'Check Ins' }, column: 'Due Date' })
    expect(routeOf(`${item}/worksheets/Audit%20Log/range(address=%27A1:C3%27)`)).toMatchObject({ kind: 'worksheetRange', sheet: 'Audit Log', address: 'A1:C3' })
  })

  it('reads a column’s range parts (api/tablecolumn-databodyrange.md, tablecolumn-headerrowrange.md, tablecolumn-range.md)', () => {
    expect(routeOf(`${item}/tables/WIGs/columns/Due%20Date/dataBodyRange`)).toMatchObject({ kind: 'columnPart', column: 'Due Date', part: 'dataBodyRange' })
    expect(routeOf(`${item}/worksheets/Plan/tables/WIGs/columns/2/headerrowrange`)).toMatchObject({ kind: 'columnPart', table: { sheet: 'Plan' }, column: '2', part: 'headerRowRange' })
    expect(routeOf(`${item}/tables/WIGs/columns/Title/range`)).toMatchObject({ kind: 'columnPart', part: 'range' })
    expect(routeOf(`${item}/tables/WIGs/columns/Title/totalRowRange`).kind).toBe('unknown')
  })

  it('knows the drive item forms of GRAPH.md §1', () => {
    expect(routeOf('/drives/local/items/01AB/workbook/tables')).toMatchObject({ kind: 'tables', item: { driveId: 'local', itemId: '01AB' } })
    expect(routeOf('/sites/s1/drive/items/01AB/workbook/tables')).toMatchObject({ kind: 'tables', item: { driveId: null } })
    expect(routeOf('/sites/s1/drives/d1/items/01AB/workbook/tables')).toMatchObject({ kind: 'tables', item: { driveId: 'd1' } })
  })
})

describe('subRequestTarget', () => {
  it('reads /v1.0-relative urls with or without the leading slash or version prefix (GRAPH.md §10)', () => {
    for (const url of ['/me/drive/items/X/workbook/tables?$top=1', 'me/drive/items/X/workbook/tables?$top=1', '/graph/v1.0/me/drive/items/X/workbook/tables?$top=1', 'v1.0/me/drive/items/X/workbook/tables?$top=1']) {
      const target = subRequestTarget(url)
      expect(target.path, url).toBe('/me/drive/items/X/workbook/tables')
      expect(target.query.get('$top'), url).toBe('1')
    }
  })
})

describe('resolveStaticPath', () => {
  it('keeps every request inside the pages folder', () => {
    expect(resolveStaticPath('/srv/dist', '/')).toBe('/srv/dist/index.html')
    expect(resolveStaticPath('/srv/dist', '/assets/a.js')).toBe('/srv/dist/assets/a.js')
    expect(resolveStaticPath('/srv/dist', '/..%2f..%2fetc/passwd')).toBeNull()
    expect(resolveStaticPath('/srv/dist', '/a%00.js')).toBeNull()
    expect(resolveStaticPath('/srv/dist', '/%E0%A4%A')).toBeNull()
  })
})

describe('serializeWithinLimit (GRAPH.md §6)', () => {
  it('lets a body of exactly the limit through and refuses one byte more, counting UTF-8 bytes', () => {
    const body = { v: 'é'.repeat(10) } // {"v":"…"}: 8 ASCII bytes + 10 × 2 bytes
    const ok = serializeWithinLimit(json(200, body), 28)
    expect(ok.status).toBe(200)
    expect(ok.text).toBe(JSON.stringify(body))
    const refused = serializeWithinLimit(json(200, body), 27, 'crid')
    expect(refused.status).toBe(413)
    expect(JSON.parse(refused.text ?? '')).toMatchObject({ error: { code: 'ResponsePayloadSizeLimitExceeded', innerError: { code: 'responsePayloadSizeLimitExceeded', 'client-request-id': 'crid' } } })
  })
})
