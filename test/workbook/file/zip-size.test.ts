import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openFileStore } from '../../../src/workbook/file/file-store.ts'
import { DEFAULT_MAX_UNZIPPED_BYTES, loadWorkbook } from '../../../src/workbook/file/workbook-file.ts'
import { zipParts } from '../../../src/workbook/file/zip-size.ts'
import { deflatedZeros, rawParts, zipOf } from './unzip.ts'
import { describeError } from '../../../src/messages/errors.ts'

/**
 * Issue 9 part 5: the unzipped size of a workbook is capped (200 MB by default, `maxUnzippedBytes`
 * to change it) and checked before anything is inflated, so a zip bomb is refused within the
 * memory cap instead of taking 1.2 GB first. "Never inflated" is shown by exceljs's unzipper
 * never being called; "within the memory cap" by the process growing far less than the bomb.
 */

const GiB = 1024 * 1024 * 1024
const MiB = 1024 * 1024

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmw-zip-'))
})
afterEach(async () => {
  vi.restoreAllMocks()
  await rm(dir, { recursive: true, force: true })
})

async function realWorkbook(text = 'hello'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.addWorksheet('Data').getCell('A1').value = text
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** A real workbook with one more part: 1 GiB of zeros in 1 MiB, declaring `declaredSize`. */
async function bomb(declaredSize: number): Promise<string> {
  const parts = rawParts(await realWorkbook())
  const path = join(dir, 'bomb.xlsx')
  await writeFile(path, zipOf([...parts, { name: 'xl/media/zeros.bin', method: 8, data: deflatedZeros(1024), declaredSize, crc: 0 }]))
  return path
}

/** Loads with exceljs's unzipper watched and the process's memory measured around it. */
async function loadWatched(path: string, maxUnzippedBytes?: number) {
  const unzip = vi.spyOn(JSZip, 'loadAsync')
  const rssBefore = process.memoryUsage().rss
  const result = await loadWorkbook(path, maxUnzippedBytes === undefined ? {} : { maxUnzippedBytes })
  return { result, unzipped: unzip.mock.calls.length, grewBy: process.memoryUsage().rss - rssBefore }
}

describe('the unzipped-size cap', () => {
  it('is 200 MB by default', () => {
    expect(DEFAULT_MAX_UNZIPPED_BYTES).toBe(200 * MiB)
  })

  it('refuses a zip bomb that declares its 1 GiB from the directory alone: nothing inflated, memory flat', async () => {
    const { result, unzipped, grewBy } = await loadWatched(await bomb(GiB))
    expect(result.ok ? null : result.error).toMatchObject({ kind: 'unreadable', reason: 'tooLarge', size: { bytes: expect.any(Number), limit: 200 * MiB, measured: 'unzipped' } })
    expect(result.ok ? '' : describeError(result.error)).toMatch(/too large to open: it would take 1,024 MB once unzipped, more than the 200 MB this program opens/)
    expect(unzipped).toBe(0)
    // Inflating it would have taken a gigabyte; the cap is 200 MB.
    expect(grewBy).toBeLessThan(64 * MiB)
  })

  // A small part is inflated in one bounded call, a large one streamed through a counter: both are caught.
  it.each([
    [1024, '1,024'],
    [2 * MiB, '2,097,152'],
  ])('refuses a zip bomb that lies about its size (declaring %i bytes), stopping just past what it declares', async (declared, shown) => {
    const { result, unzipped, grewBy } = await loadWatched(await bomb(declared))
    expect(result.ok ? null : result.error).toMatchObject({ kind: 'unreadable', reason: 'tooLarge', size: { part: 'xl/media/zeros.bin', declared, measured: 'partInflates' } })
    expect(result.ok ? null : describeError(result.error)).toContain(`too large to open: its part xl/media/zeros.bin inflates to more than the ${shown} bytes it declares`)
    expect(unzipped).toBe(0)
    expect(grewBy).toBeLessThan(64 * MiB)
  })

  it('is configurable: a workbook over a lowered cap is refused, under it loaded', async () => {
    const path = join(dir, 'notes.xlsx')
    await writeFile(path, await realWorkbook('n'.repeat(30_000)))
    const unzipped = (zipParts(await realWorkbook('n'.repeat(30_000))) as { ok: true; value: { size: number }[] }).value.reduce((sum, p) => sum + p.size, 0)
    expect((await loadWatched(path, unzipped - 1)).result.ok).toBe(false)
    const under = await loadWatched(path, unzipped)
    expect(under.result.ok).toBe(true)
    // The watch sees exceljs unzip a workbook it is allowed to load.
    expect(under.unzipped).toBe(1)
  })

  it('does not even read a file larger on disk than the cap', async () => {
    const path = join(dir, 'plan.xlsx')
    await writeFile(path, await realWorkbook())
    const { result, unzipped } = await loadWatched(path, 1024)
    expect(result.ok ? null : result.error).toMatchObject({ kind: 'unreadable', reason: 'tooLarge', size: { limit: 1024, measured: 'onDisk' } })
    expect(result.ok ? null : describeError(result.error)).toMatch(/too large to open: it is .* MB on disk, more than the 0 MB/)
    expect(unzipped).toBe(0)
  })

  it('reaches the file store through its maxUnzippedBytes option', async () => {
    const store = openFileStore(await bomb(GiB), { maxUnzippedBytes: 10 * MiB })
    const read = await store.read(['People'])
    expect(read.ok ? null : read.error).toMatchObject({ kind: 'unreadable', reason: 'tooLarge', size: { limit: 10 * MiB } })
    expect(read.ok ? null : describeError(read.error)).toContain('more than the 10 MB this program opens')
  })

  it('calls a directory that points past the end of the file damaged, as exceljs would', async () => {
    const whole = await realWorkbook()
    const path = join(dir, 'cut.xlsx')
    // Drop the middle: the directory at the end now points at offsets that are gone.
    await writeFile(path, Buffer.concat([whole.subarray(0, 100), whole.subarray(whole.length - 400)]))
    const { result } = await loadWatched(path)
    expect(result.ok ? null : result.error).toMatchObject({ kind: 'unreadable', reason: 'damaged' })
    expect(result.ok ? null : describeError(result.error)).toContain('it may be damaged')
  })
})
