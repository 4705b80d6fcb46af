import { rm, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { anotherProgramSaves, graphFetch, jsonInit, rowsOnDisk, startHarness, waitSignal, type Harness } from './harness.ts'

/**
 * Issue 9 part 5: a lock held by another program (`{workbook}.lock`, file-lock.ts) makes the
 * server's writes wait, but reads are answered meanwhile from the last good copy: `/me` and
 * table reads used to wait 30 s each. The test holds the lock itself (a lock file naming this
 * live process) and learns from the `onWait` hook that the write is waiting, so nothing here
 * depends on timing.
 */

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const rowValues = async (res: Response) => ((await res.json()) as { value: { values: unknown[][] }[] }).value.map((r) => r.values[0])

describe('a lock held by another program', () => {
  it('does not stall reads: /me, tables, rows and a GET-only $batch answer while a write waits for the lock', async () => {
    const { onWait, waiting } = waitSignal()
    h = await startHarness({ lock: { onWait, pollMs: 1 } })
    const { server, wb, workbook } = h
    await writeFile(`${workbook}.lock`, `${process.pid}\n${hostname()}\n`)

    let settled = false
    const write = graphFetch(server, `${wb}/tables/CheckIns/rows/add`, jsonInit('POST', { values: [['C-2', 'W-1', '2025-02-01', 2]] })).finally(() => (settled = true))
    await waiting

    expect((await graphFetch(server, '/me')).status).toBe(200)
    expect((await graphFetch(server, `${wb}/tables`)).status).toBe(200)
    const rows = await graphFetch(server, `${wb}/tables/CheckIns/rows`)
    expect(rows.status).toBe(200)
    expect((await rowValues(rows)).map((r) => r?.[0])).toEqual(['C-1'])
    const batch = await graphFetch(server, '/$batch', jsonInit('POST', { requests: [{ id: '1', method: 'GET', url: `${wb}/tables/WIGs/rows` }] }))
    expect(batch.status).toBe(200)
    // A non-persistent session copies the file; it changes nothing on disk, so it does not wait either.
    expect((await graphFetch(server, `${wb}/createSession`, jsonInit('POST', { persistChanges: false }))).status).toBe(201)
    expect(settled).toBe(false)

    await rm(`${workbook}.lock`)
    expect((await write).status).toBe(200)
    expect((await rowsOnDisk(workbook, 'CheckIns')).map((r) => r[0])).toEqual(['C-1', 'C-2'])
  })

  it('serves the last good copy while the lock is held, and the other program\'s save once it is released, keeping both writes', async () => {
    const { onWait, waiting } = waitSignal()
    h = await startHarness({ lock: { onWait, pollMs: 1 } })
    const { server, wb, workbook } = h
    // The other program saves its change while it holds the lock.
    await anotherProgramSaves(workbook)

    const write = graphFetch(server, `${wb}/tables/CheckIns/rows/add`, jsonInit('POST', { values: [['C-2', 'W-1', '2025-02-01', 2]] }))
    await waiting
    expect((await rowValues(await graphFetch(server, `${wb}/tables/CheckIns/rows`)))[0]?.[3]).toBe(20)

    await rm(`${workbook}.lock`)
    expect((await write).status).toBe(200)
    const now = await rowValues(await graphFetch(server, `${wb}/tables/CheckIns/rows`))
    expect(now.map((r) => [r?.[0], r?.[3]])).toEqual([
      ['C-1', 99],
      ['C-2', 2],
    ])
    expect((await rowsOnDisk(workbook, 'CheckIns')).map((r) => r[3])).toEqual([99, 2])
  })

  it('answers a write that waited past the limit with 409 conflict / accessConflict (concepts/workbook-error-handling.md)', async () => {
    h = await startHarness({ lock: { waitMs: 0 } })
    const { server, wb, workbook } = h
    await writeFile(`${workbook}.lock`, `${process.pid}\n${hostname()}\n`)
    const res = await graphFetch(server, `${wb}/tables/CheckIns/rows/add`, jsonInit('POST', { values: [['C-2', 'W-1', '2025-02-01', 2]] }))
    expect(res.status).toBe(409)
    expect(((await res.json()) as { error: { code: string; innerError: { code: string } } }).error).toMatchObject({ code: 'conflict', innerError: { code: 'accessConflict' } })
    await rm(`${workbook}.lock`)
  })
})
