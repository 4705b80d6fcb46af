import { chmod, lstat, mkdir, readFile, rename, stat, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startServer } from '../../src/server/server.ts'
import { deflatedZeros, rawParts, zipOf } from '../workbook/file/unzip.ts'
import { graphFetch, jsonInit, rowsOnDisk, startHarness, writeSampleWorkbook, type Harness } from './harness.ts'

/**
 * Issue 9 part 5 through the local server: the file backend's promises hold for Graph calls
 * too, each failure answered with the service's codes (concepts/workbook-error-codes.md,
 * concepts/workbook-error-handling.md) so the Graph adapter reports it as it would for Microsoft 365.
 */

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

type ErrorBody = { error: { code: string; message: string; innerError: { code?: string } } }
const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error

/** Replaces the file the way another program's save does: a new file renamed over it. */
async function replaceBehind(path: string, bytes: Buffer): Promise<void> {
  await writeFile(`${path}.other`, bytes)
  await rename(`${path}.other`, path)
}

const addCheckIn = (id: string, note: unknown = 1) => jsonInit('POST', { values: [[id, 'W-1', '2025-02-01', note]] })

describe('text a workbook cannot hold (concepts/workbook-error-handling.md: invalidArgument)', () => {
  it('refuses U+FFFE in a range PATCH with 400 invalidArgument naming the cell, and leaves the file unchanged (api/range-update.md)', async () => {
    h = await startHarness()
    const before = await readFile(h.workbook)
    const res = await graphFetch(h.server, `${h.wb}/worksheets/Plan/range(address='G4')`, jsonInit('PATCH', { values: [['a\uFFFEb']] }))
    expect(res.status).toBe(400)
    const error = await errorOf(res)
    expect(error).toMatchObject({ code: 'invalidArgument', innerError: { code: 'invalidArgument' } })
    expect(error.message).toBe('Cannot write cell Plan!G4: the text contains U+FFFE at character 2, which is not a character and cannot be stored in an .xlsx file.')
    expect(await readFile(h.workbook)).toEqual(before)
  })

  it('refuses a control character in rows/add and a 40,000-character cell in a row PATCH, naming table, column and key (api/tablerowcollection-add.md, api/tablerow-update.md)', async () => {
    h = await startHarness()
    const before = await readFile(h.workbook)
    const added = await graphFetch(h.server, `${h.wb}/tables/CheckIns/rows/add`, addCheckIn('C-9', 'beep\u0007'))
    expect(added.status).toBe(400)
    expect((await errorOf(added)).message).toMatch(/^Cannot write the Value cell of CheckIns "C-9" \(CheckIns!D3\): the text contains the control character U\+0007/)
    const patched = await graphFetch(h.server, `${h.wb}/tables/WIGs/rows/itemAt(index=0)`, jsonInit('PATCH', { values: [[null, null, null, null, null, 'n'.repeat(40_000)]] }))
    expect(patched.status).toBe(400)
    expect((await errorOf(patched)).message).toMatch(/^Cannot write the Board Notes cell of WIGs "W-1" \(Plan!G4\): the text is 40,000 characters long/)
    expect(await readFile(h.workbook)).toEqual(before)
    // Memory was not changed either: the row reads as before.
    const row = (await (await graphFetch(h.server, `${h.wb}/tables/WIGs/rows/itemAt(index=0)`)).json()) as { values: unknown[][] }
    expect(row.values[0]?.[5]).toBe('keep me')
  })

  it('keeps tab, CR and LF as written, on disk', async () => {
    h = await startHarness()
    const note = 'a\tb\r\nc\rd'
    const res = await graphFetch(h.server, `${h.wb}/tables/WIGs/rows/itemAt(index=1)`, jsonInit('PATCH', { values: [[null, null, null, null, null, note]] }))
    expect(res.status).toBe(200)
    expect((await rowsOnDisk(h.workbook, 'WIGs'))[1]?.[5]).toBe(note)
  })
})

describe('saves keep the file what it was', () => {
  it('keeps a 0600 workbook 0600 and writes through a symbolic link, which stays a link', async () => {
    h = await startHarness()
    await mkdir(join(h.dir, 'real'))
    const target = join(h.dir, 'real', 'plan.xlsx')
    await writeSampleWorkbook(target)
    await chmod(target, 0o600)
    const link = join(h.dir, 'plan-link.xlsx')
    await symlink(target, link)
    const server = await startServer({ workbook: link })
    try {
      expect((await fetch(`${server.driveItemUrl}/workbook/tables/CheckIns/rows/add`, addCheckIn('C-2'))).status).toBe(200)
    } finally {
      await server.close()
    }
    expect((await lstat(link)).isSymbolicLink()).toBe(true)
    expect((await stat(target)).mode & 0o7777).toBe(0o600)
    expect((await rowsOnDisk(target, 'CheckIns')).map((r) => r[0])).toEqual(['C-1', 'C-2'])
  })

  it('refuses to replace a read-only (0444) workbook: 403 forbidden / accessDenied (concepts/workbook-error-handling.md), file and memory unchanged', async () => {
    h = await startHarness()
    await chmod(h.workbook, 0o444)
    const before = await readFile(h.workbook)
    const res = await graphFetch(h.server, `${h.wb}/tables/CheckIns/rows/add`, addCheckIn('C-2'))
    expect(res.status).toBe(403)
    const error = await errorOf(res)
    expect(error).toMatchObject({ code: 'forbidden', innerError: { code: 'accessDenied' } })
    expect(error.message).toContain('read-only')
    expect(await readFile(h.workbook)).toEqual(before)
    expect((await stat(h.workbook)).mode & 0o7777).toBe(0o444)
    const rows = (await (await graphFetch(h.server, `${h.wb}/tables/CheckIns/rows`)).json()) as { value: unknown[] }
    expect(rows.value).toHaveLength(1)
    // Made writable again, the same write lands.
    await chmod(h.workbook, 0o644)
    expect((await graphFetch(h.server, `${h.wb}/tables/CheckIns/rows/add`, addCheckIn('C-2'))).status).toBe(200)
  })
})

describe('a file that turns unreadable behind the server (concepts/workbook-error-handling.md: unsupportedWorkbook)', () => {
  it('is reported to every workbook call, never answered from memory nor overwritten, and served again once a good copy is back', async () => {
    h = await startHarness()
    const good = await readFile(h.workbook)
    const damaged = good.subarray(0, Math.floor(good.length / 2))
    await replaceBehind(h.workbook, damaged)

    const read = await graphFetch(h.server, `${h.wb}/tables/CheckIns/rows`)
    expect(read.status).toBe(400)
    const error = await errorOf(read)
    expect(error).toMatchObject({ code: 'badRequest', innerError: { code: 'unsupportedWorkbook' } })
    expect(error.message).toContain('may be damaged')

    const write = await graphFetch(h.server, `${h.wb}/tables/CheckIns/rows/add`, addCheckIn('C-2'))
    expect(write.status).toBe(400)
    expect((await errorOf(write)).innerError.code).toBe('unsupportedWorkbook')
    expect(await readFile(h.workbook)).toEqual(damaged)

    const batch = (await (await graphFetch(h.server, '/$batch', jsonInit('POST', { requests: [{ id: '1', method: 'GET', url: `${h.wb}/tables` }] }))).json()) as { responses: { status: number }[] }
    expect(batch.responses[0]?.status).toBe(400)
    expect((await graphFetch(h.server, `${h.wb}/createSession`, jsonInit('POST', { persistChanges: true }))).status).toBe(400)
    // Calls that do not read the workbook still work.
    expect((await graphFetch(h.server, '/me')).status).toBe(200)

    await replaceBehind(h.workbook, good)
    expect((await graphFetch(h.server, `${h.wb}/tables/CheckIns/rows`)).status).toBe(200)
    expect((await graphFetch(h.server, `${h.wb}/tables/CheckIns/rows/add`, addCheckIn('C-2'))).status).toBe(200)
    expect((await rowsOnDisk(h.workbook, 'CheckIns')).map((r) => r[0])).toEqual(['C-1', 'C-2'])
  })

  it('refuses a zip bomb put in its place within the unzipped-size cap (maxUnzippedBytes), and will not start on one', async () => {
    h = await startHarness({ maxUnzippedBytes: 8 * 1024 * 1024 })
    const bomb = zipOf([...rawParts(await readFile(h.workbook)), { name: 'xl/media/zeros.bin', method: 8, data: deflatedZeros(1024), declaredSize: 1024 ** 3, crc: 0 }])
    await replaceBehind(h.workbook, bomb)
    const res = await graphFetch(h.server, `${h.wb}/tables`)
    expect(res.status).toBe(400)
    const error = await errorOf(res)
    expect(error.innerError.code).toBe('unsupportedWorkbook')
    expect(error.message).toContain('too large to open')
    await expect(startServer({ workbook: h.workbook })).rejects.toThrow(/too large to open: it would take 1,024 MB once unzipped, more than the 200 MB/)
  })
})
