import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadWorkbook, saveWorkbookAtomically } from '../../../src/workbook/file/workbook-file.ts'
import { storedZip } from './unzip.ts'

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
    expect(result.ok ? null : result.error).toMatchObject({ kind: 'unreadable', message: expect.stringContaining('not an .xlsx workbook') })
  })

  it('says a damaged workbook cannot be read', async () => {
    const path = join(dir, 'plan.xlsx')
    const bytes = Buffer.from(await oneSheet('x').xlsx.writeBuffer())
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)))
    const result = await loadWorkbook(path)
    expect(result.ok ? null : result.error).toMatchObject({ kind: 'unreadable', message: expect.stringContaining('damaged') })
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

  it('fails without touching anything when the folder does not exist', async () => {
    await expect(saveWorkbookAtomically(oneSheet('x'), join(dir, 'nope', 'plan.xlsx'))).rejects.toThrow()
    expect(await readdir(dir)).toEqual([])
  })
})
