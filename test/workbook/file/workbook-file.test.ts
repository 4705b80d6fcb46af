import { spawnSync } from 'node:child_process'
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fileError, loadWorkbook, SaveNotVerified, saveWorkbookAtomically, STALE_COPY_MS, WorkbookReadOnly } from '../../../src/workbook/file/workbook-file.ts'
import { storedZip } from './unzip.ts'
import { describeError } from '../../../src/messages/errors.ts'

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmw-file-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function oneSheet(value: string): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook()
  wb.addWorksheet('Data').getCell('A1').value = value
  return wb
}

describe('loading a workbook file', () => {
  it('says the file does not exist', async () => {
    const result = await loadWorkbook(join(dir, 'missing.xlsx'))
    expect(result.ok ? null : result.error.kind).toBe('notFound')
  })

  it('says a file that is not a zip is not an .xlsx workbook', async () => {
    const path = join(dir, 'plan.xlsx')
    await writeFile(path, 'StepId,Title\nS-1,Draft\n')
    const result = await loadWorkbook(path)
    expect(result.ok ? null : result.error).toEqual({ kind: 'unreadable', reason: 'notZip', path })
    expect(result.ok ? null : describeError(result.error)).toContain('not an .xlsx workbook')
  })

  it('says a damaged workbook cannot be read', async () => {
    const path = join(dir, 'plan.xlsx')
    const bytes = Buffer.from(await oneSheet('x').xlsx.writeBuffer())
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)))
    const result = await loadWorkbook(path)
    expect(result.ok ? null : result.error).toMatchObject({ kind: 'unreadable', reason: 'damaged', path })
    expect(result.ok ? null : describeError(result.error)).toContain('damaged')
  })

  it('says a zip archive without worksheets is not an Excel workbook', async () => {
    const path = join(dir, 'plan.xlsx')
    await writeFile(path, storedZip({ 'readme.txt': 'hello' }))
    const result = await loadWorkbook(path)
    expect(result.ok ? null : result.error.kind).toBe('unreadable')
  })

  it('loads a workbook', async () => {
    const path = join(dir, 'plan.xlsx')
    await oneSheet('hello').xlsx.writeFile(path)
    const result = await loadWorkbook(path)
    expect(result.ok && result.value.getWorksheet('Data')?.getCell('A1').value).toBe('hello')
  })
})

describe('saving a workbook atomically', () => {
  it('replaces the file with the new workbook and leaves no temporary file behind', async () => {
    const path = join(dir, 'Plan Workbook.xlsx')
    await oneSheet('old').xlsx.writeFile(path)
    await saveWorkbookAtomically(oneSheet('new'), path)
    const loaded = await loadWorkbook(path)
    expect(loaded.ok && loaded.value.getWorksheet('Data')?.getCell('A1').value).toBe('new')
    expect(await readdir(dir)).toEqual(['Plan Workbook.xlsx'])
  })

  it('leaves the old workbook whole when the save fails', async () => {
    const path = join(dir, 'plan.xlsx')
    await oneSheet('old').xlsx.writeFile(path)
    const before = await readFile(path)
    const broken = oneSheet('new')
    broken.xlsx.writeBuffer = () => Promise.reject(new Error('disk full'))
    await expect(saveWorkbookAtomically(broken, path)).rejects.toThrow('disk full')
    expect(await readFile(path)).toEqual(before)
    expect(await readdir(dir)).toEqual(['plan.xlsx'])
  })

  // Drill 3 of issue 14 (kill -9 of the server every few seconds) once left a copy behind.
  it("removes the old temp copies of processes that died mid-save, and nobody else's", async () => {
    const path = join(dir, 'plan.xlsx')
    await oneSheet('old').xlsx.writeFile(path)
    const dead = spawnSync(process.execPath, ['-e', '']).pid
    const longAgo = new Date(Date.now() - 2 * STALE_COPY_MS)
    const copies = {
      deadAndOld: `.plan.xlsx.${dead}.0123456789ab.tmp`,
      deadButRecent: `.plan.xlsx.${dead}.abcdef012345.tmp`,
      aliveAndOld: `.plan.xlsx.${process.ppid}.a1b2c3d4e5f6.tmp`,
      anotherWorkbook: `.budget.xlsx.${dead}.0123456789ab.tmp`,
      notOurs: `.plan.xlsx.${dead}.notatempname.tmp`,
      // In a container every run is process 1: a copy with our number from before we started is an earlier run's.
      ourNumberEarlierRun: `.plan.xlsx.${process.pid}.fedcba987654.tmp`,
    }
    for (const name of Object.values(copies)) {
      await writeFile(join(dir, name), 'half a zip')
      if (name !== copies.deadButRecent) await utimes(join(dir, name), longAgo, longAgo)
    }
    await saveWorkbookAtomically(oneSheet('new'), path)
    const left = await readdir(dir)
    expect(left).not.toContain(copies.deadAndOld)
    expect(left).not.toContain(copies.ourNumberEarlierRun)
    expect(left.sort()).toEqual(['plan.xlsx', copies.deadButRecent, copies.aliveAndOld, copies.anotherWorkbook, copies.notOurs].sort())
  })

  it('fails without touching anything when the folder does not exist', async () => {
    await expect(saveWorkbookAtomically(oneSheet('x'), join(dir, 'nope', 'plan.xlsx'))).rejects.toThrow()
    expect(await readdir(dir)).toEqual([])
  })
})

/** Issue 9 part 5: a save keeps what the file was (mode, owner, a link) and is read back before it counts. */
describe('saving keeps the file what it was', () => {
  const valueIn = async (path: string) => {
    const loaded = await loadWorkbook(path)
    return loaded.ok ? loaded.value.getWorksheet('Data')?.getCell('A1').value : null
  }

  it('keeps a 0600 workbook 0600 (not the umask default of a new file)', async () => {
    const path = join(dir, 'private.xlsx')
    await oneSheet('old').xlsx.writeFile(path)
    await chmod(path, 0o600)
    await saveWorkbookAtomically(oneSheet('new'), path)
    expect((await stat(path)).mode & 0o7777).toBe(0o600)
    expect(await valueIn(path)).toBe('new')
  })

  it('keeps a group-writable 0664 workbook 0664', async () => {
    const path = join(dir, 'shared.xlsx')
    await oneSheet('old').xlsx.writeFile(path)
    await chmod(path, 0o664)
    await saveWorkbookAtomically(oneSheet('new'), path)
    expect((await stat(path)).mode & 0o7777).toBe(0o664)
  })

  it('keeps the owner and group (where this process may set them: as root, any; else its own)', async () => {
    const path = join(dir, 'owned.xlsx')
    await oneSheet('old').xlsx.writeFile(path)
    // Root can hand the file to someone else first, which is the case a save used to break.
    if (process.getuid?.() === 0) await chown(path, 4321, 4321)
    const before = await stat(path)
    await saveWorkbookAtomically(oneSheet('new'), path)
    const after = await stat(path)
    expect([after.uid, after.gid]).toEqual([before.uid, before.gid])
    expect(await valueIn(path)).toBe('new')
  })

  it('refuses a read-only (0444) workbook with a clear "read-only" error instead of replacing it', async () => {
    const path = join(dir, 'locked.xlsx')
    await oneSheet('old').xlsx.writeFile(path)
    await chmod(path, 0o444)
    const before = await readFile(path)
    const failure = await saveWorkbookAtomically(oneSheet('new'), path).then(() => null, (e: unknown) => e)
    expect(failure).toBeInstanceOf(WorkbookReadOnly)
    expect(fileError(failure, path)).toEqual({ kind: 'forbidden', readOnly: 'file', path })
    expect(describeError(fileError(failure, path))).toBe(`The workbook ${path} is read-only, so nothing was written. Make the file writable to save changes.`)
    expect(await readFile(path)).toEqual(before)
    expect((await stat(path)).mode & 0o7777).toBe(0o444)
    expect(await readdir(dir)).toEqual(['locked.xlsx'])
  })

  it('writes through a symbolic link to its target: the link stays a link', async () => {
    await mkdir(join(dir, 'real'))
    const target = join(dir, 'real', 'plan.xlsx')
    const link = join(dir, 'plan-link.xlsx')
    await oneSheet('old').xlsx.writeFile(target)
    await chmod(target, 0o640)
    await symlink(join('real', 'plan.xlsx'), link)
    await saveWorkbookAtomically(oneSheet('new'), link)
    expect((await lstat(link)).isSymbolicLink()).toBe(true)
    expect(await readlink(link)).toBe(join('real', 'plan.xlsx'))
    expect(await valueIn(target)).toBe('new')
    expect((await stat(target)).mode & 0o7777).toBe(0o640)
    // The temp file went beside the target, and nothing is left of it.
    expect(await readdir(join(dir, 'real'))).toEqual(['plan.xlsx'])
    expect((await readdir(dir)).sort()).toEqual(['plan-link.xlsx', 'real'])
  })

  it('follows a chain of links, and refuses a read-only target reached through one', async () => {
    const target = join(dir, 'plan.xlsx')
    await oneSheet('old').xlsx.writeFile(target)
    await symlink('plan.xlsx', join(dir, 'hop1.xlsx'))
    await symlink('hop1.xlsx', join(dir, 'hop2.xlsx'))
    await saveWorkbookAtomically(oneSheet('new'), join(dir, 'hop2.xlsx'))
    expect((await lstat(join(dir, 'hop2.xlsx'))).isSymbolicLink()).toBe(true)
    expect(await valueIn(target)).toBe('new')
    await chmod(target, 0o444)
    await expect(saveWorkbookAtomically(oneSheet('newer'), join(dir, 'hop2.xlsx'))).rejects.toThrow(/read-only/)
    expect(await valueIn(target)).toBe('new')
  })
})

describe('text survives a save as Excel would write it', () => {
  it('keeps CR, a literal `_x0041_`, and controls a workbook from Excel holds (escaped as `_x0007_`) in cells no write touched', async () => {
    const path = join(dir, 'plan.xlsx')
    const wb = oneSheet('a\r\nb\rc _x0041_')
    // What exceljs makes of `_x0007_` in a file Excel saved: the control itself, which it would drop on save.
    const data = wb.getWorksheet('Data')
    if (!data) throw new Error('no Data sheet')
    data.getCell('A2').value = 'bell\u0007 here'
    await saveWorkbookAtomically(wb, path)
    const loaded = await loadWorkbook(path)
    const sheet = loaded.ok ? loaded.value.getWorksheet('Data') : undefined
    expect([sheet?.getCell('A1').value, sheet?.getCell('A2').value]).toEqual(['a\r\nb\rc _x0041_', 'bell\u0007 here'])
    // The workbook being saved keeps its own text: the escapes exist only in the file.
    expect(data.getCell('A1').value).toBe('a\r\nb\rc _x0041_')
  })
})

describe('a save is read back before it replaces the file', () => {
  it('leaves the original untouched and reports the failure when the written copy does not load', async () => {
    const path = join(dir, 'plan.xlsx')
    await oneSheet('old').xlsx.writeFile(path)
    const before = await readFile(path)
    const broken = oneSheet('new')
    // A writer that produces a damaged archive (half a real one): what the verification is for.
    const whole = Buffer.from(await oneSheet('new').xlsx.writeBuffer())
    broken.xlsx.writeBuffer = async () => whole.subarray(0, Math.floor(whole.length / 2)) as unknown as ExcelJS.Buffer
    const failure = await saveWorkbookAtomically(broken, path).then(() => null, (e: unknown) => e)
    expect(failure).toBeInstanceOf(SaveNotVerified)
    expect(fileError(failure, path)).toMatchObject({ kind: 'unexpected', reason: 'saveNotVerified', path, cause: { kind: 'unreadable', reason: 'damaged' } })
    expect(describeError(fileError(failure, path))).toMatch(/was not saved: the new copy did not read back \(the new copy could not .*damaged.*\)\. The file was left as it was\./)
    expect(await readFile(path)).toEqual(before)
    expect(await readdir(dir)).toEqual(['plan.xlsx'])
  })

  it('refuses a copy that loads but lost a worksheet', async () => {
    const path = join(dir, 'plan.xlsx')
    await oneSheet('old').xlsx.writeFile(path)
    const before = await readFile(path)
    const two = oneSheet('new')
    two.addWorksheet('Second')
    const onlyOne = Buffer.from(await oneSheet('new').xlsx.writeBuffer())
    two.xlsx.writeBuffer = async () => onlyOne as unknown as ExcelJS.Buffer
    const failure = await saveWorkbookAtomically(two, path).then(() => null, (e: unknown) => e)
    expect(failure).toBeInstanceOf(SaveNotVerified)
    expect(fileError(failure, path)).toMatchObject({ kind: 'unexpected', reason: 'saveNotVerified', cause: 'worksheetsDiffer' })
    expect(describeError(fileError(failure, path))).toMatch(/worksheets differ/)
    expect(await readFile(path)).toEqual(before)
  })
})
