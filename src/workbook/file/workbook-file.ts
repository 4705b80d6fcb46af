import { randomBytes } from 'node:crypto'
import { open, readFile, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import ExcelJS from 'exceljs'
import { err, ok, type Result } from '../../domain/result.ts'
import type { StoreError } from '../store.ts'

/** Loading and saving .xlsx files: errors a user can act on, and never a half-written workbook. */

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Maps a file-system failure to the port's errors. */
export function fileError(error: unknown, path: string): StoreError {
  const code = errorCode(error)
  switch (code) {
    case 'ENOENT':
      return { kind: 'notFound', message: `The workbook ${path} does not exist.` }
    case 'EACCES':
    case 'EPERM':
      return { kind: 'forbidden', message: `No permission to use the workbook ${path}.` }
    case 'EBUSY':
      return { kind: 'locked', message: `The workbook ${path} is in use by another program.` }
    default:
      return { kind: 'unexpected', message: `The workbook ${path} could not be used: ${messageOf(error)}` }
  }
}

export async function loadWorkbook(path: string): Promise<Result<ExcelJS.Workbook, StoreError>> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    if (errorCode(error) === 'EISDIR') return err({ kind: 'unreadable', message: `${path} is a folder, not an .xlsx workbook.` })
    return err(fileError(error, path))
  }
  if (bytes.length < 4 || ZIP_MAGIC.some((b, i) => bytes[i] !== b)) {
    return err({ kind: 'unreadable', message: `${path} is not an .xlsx workbook (an .xlsx file is a zip archive; this one is not). Save it from Excel as "Excel Workbook (.xlsx)".` })
  }
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer)
  } catch (error) {
    return err({ kind: 'unreadable', message: `${path} could not be read as an .xlsx workbook; it may be damaged (${messageOf(error)}).` })
  }
  if (wb.worksheets.length === 0) {
    return err({ kind: 'unreadable', message: `${path} has no worksheets; it is a zip archive but not an Excel workbook.` })
  }
  return ok(wb)
}

async function syncFolder(folder: string): Promise<void> {
  let handle
  try {
    handle = await open(folder, 'r')
    await handle.sync()
  } catch (error) {
    // Some platforms (Windows) cannot open or fsync a folder; the rename itself is still atomic there.
    const code = errorCode(error)
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw error
  } finally {
    await handle?.close()
  }
}

/**
 * Temp file in the same folder (so the rename stays on one file system), fsync, rename over
 * the target, fsync the folder: a crash leaves either the old workbook or the new one.
 */
export async function saveWorkbookAtomically(wb: ExcelJS.Workbook, path: string): Promise<void> {
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer())
  const folder = dirname(path)
  const temp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temp, 'wx')
  try {
    try {
      await handle.writeFile(bytes)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw error
  }
  await syncFolder(folder)
}
