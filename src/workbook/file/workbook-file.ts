import { randomBytes } from 'node:crypto'
import { constants, type Stats } from 'node:fs'
import { access, lstat, open, readdir, readlink, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import type ExcelJS from 'exceljs'
import { escapeXstring, needsXstringEscape } from '../../ooxml/xstring.ts'
import { deflateStoredParts } from './deflate-parts.ts'
import { loadExcelJS } from './exceljs.ts'
import { err, ok, type Result } from '../../domain/result.ts'
import type { StoreError } from '../store.ts'
import { checkDeclaredSize, checkUnzippedSize, type ZipSizeError } from './zip-size.ts'
import { TABLE_NAMES, type TableName } from '../contract.ts'
import type { RawWorkbook } from '../raw.ts'
import { readRawWorkbook } from './raw-read.ts'
import { MAX_TABLE_CELLS, readRawTables, TableTooLarge } from './xlsx/read-tables.ts'
import { Unmodeled } from './xlsx/unmodeled.ts'

/** Loading and saving .xlsx files: errors a user can act on, and never a half-written workbook. */

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]

/**
 * The most a workbook may take once unzipped. exceljs holds every part inflated, and its model
 * several times that, so this bounds the memory one load can take; a district plan is a few MB.
 */
export const DEFAULT_MAX_UNZIPPED_BYTES = 200 * 1024 * 1024

export type LoadOptions = {
  /** Unzipped size above which a workbook is refused without being inflated; tests lower it. */
  maxUnzippedBytes?: number
  /**
   * Called at the two points of a save where a crash matters: the new copy is written and synced
   * but not yet in place, and it has just replaced the old file. Crash tests stop the process
   * exactly there instead of at a moment that depends on timing.
   */
  onSave?: (stage: 'written' | 'renamed', how: SaveKind) => void
}

/** How a save wrote the workbook: its parts edited in place (patch/), or whole through exceljs. */
export type SaveKind = 'edited' | 'whole'

/** The file (or the file a link points to) has no write permission: replacing it would ignore that. */
export class WorkbookReadOnly extends Error {
  constructor(readonly path: string) {
    super(`${path} is read-only`)
    this.name = 'WorkbookReadOnly'
  }
}

/** The new copy did not read back as a workbook, so it never replaced the file. */
export class SaveNotVerified extends Error {
  constructor(
    readonly path: string,
    override readonly cause: StoreError | 'worksheetsDiffer',
  ) {
    super(`${path} was not saved: the new copy did not read back`)
    this.name = 'SaveNotVerified'
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Maps a file-system failure to the port's errors. */
export function fileError(error: unknown, path: string): StoreError {
  if (error instanceof WorkbookReadOnly) return { kind: 'forbidden', readOnly: 'file', path }
  if (error instanceof SaveNotVerified) return { kind: 'unexpected', reason: 'saveNotVerified', path, cause: error.cause }
  const code = errorCode(error)
  switch (code) {
    case 'ENOENT':
      return { kind: 'notFound', path }
    case 'EACCES':
    case 'EPERM':
      return { kind: 'forbidden', path }
    case 'EROFS':
      return { kind: 'forbidden', readOnly: 'disk', path }
    case 'EBUSY':
      return { kind: 'locked', path }
    default:
      return { kind: 'unexpected', reason: 'fileSystem', path, ...(code ? { code } : {}), detail: messageOf(error) }
  }
}

/** The whole file, unless it is a folder or larger than the unzipped limit (then it is not read at all). */
async function readLimited(path: string, limit: number): Promise<Result<Buffer, StoreError>> {
  let handle: FileHandle | undefined
  try {
    handle = await open(path, 'r')
    const info = await handle.stat()
    if (info.isDirectory()) return err({ kind: 'unreadable', reason: 'folder', path })
    // A zip is rarely larger than what it holds: one this large on disk is larger still unzipped.
    if (info.size > limit) return err({ kind: 'unreadable', reason: 'tooLarge', path, size: { bytes: info.size, limit, measured: 'onDisk' } })
    return ok(await handle.readFile())
  } catch (error) {
    if (errorCode(error) === 'EISDIR') return err({ kind: 'unreadable', reason: 'folder', path })
    return err(fileError(error, path))
  } finally {
    await handle?.close()
  }
}

export const unzippedLimit = (options: LoadOptions): number => options.maxUnzippedBytes ?? DEFAULT_MAX_UNZIPPED_BYTES

/** A file that may be a workbook: not missing, not a folder, within the limit on disk, and a zip. Nothing is inflated. */
export async function readZipFile(path: string, options: LoadOptions = {}): Promise<Result<Buffer, StoreError>> {
  const read = await readLimited(path, unzippedLimit(options))
  if (!read.ok) return read
  const bytes = read.value
  if (bytes.length < 4 || ZIP_MAGIC.some((b, i) => bytes[i] !== b)) {
    return err({ kind: 'unreadable', reason: 'notZip', path })
  }
  return ok(bytes)
}

/** A refusal of zip-size.ts as the error a user reads. */
export function zipSizeError(e: ZipSizeError, path: string): StoreError {
  if ('unzipped' in e) return { kind: 'unreadable', reason: 'tooLarge', path, size: { bytes: e.unzipped, limit: e.limit, measured: 'unzipped' } }
  if ('declared' in e) return { kind: 'unreadable', reason: 'tooLarge', path, size: { part: e.part, declared: e.declared, measured: 'partInflates' } }
  if ('problem' in e) return { kind: 'unreadable', reason: 'damaged', path, damage: { part: e.part, problem: e.problem } }
  return { kind: 'unreadable', reason: 'damaged', path, detail: e.detail }
}

/** The file's bytes once they are known to be a zip that unzips within the limit: every check made before exceljs parses anything. */
export async function readWorkbookBytes(path: string, options: LoadOptions = {}): Promise<Result<Buffer, StoreError>> {
  const read = await readZipFile(path, options)
  if (!read.ok) return read
  // Before exceljs inflates anything (zip-size.ts): a zip bomb is refused, never inflated.
  const size = await checkUnzippedSize(read.value, unzippedLimit(options))
  return size.ok ? read : err(zipSizeError(size.error, path))
}

/** exceljs's load of bytes `readWorkbookBytes` passed. */
export async function workbookFromBytes(bytes: Buffer, path: string): Promise<Result<ExcelJS.Workbook, StoreError>> {
  const wb = new (await loadExcelJS()).Workbook()
  try {
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer)
  } catch (error) {
    return err({ kind: 'unreadable', reason: 'damaged', path, detail: messageOf(error) })
  }
  if (wb.worksheets.length === 0) {
    return err({ kind: 'unreadable', reason: 'noWorksheets', path })
  }
  return ok(wb)
}

export async function loadWorkbook(path: string, options: LoadOptions = {}): Promise<Result<ExcelJS.Workbook, StoreError>> {
  const bytes = await readWorkbookBytes(path, options)
  return bytes.ok ? workbookFromBytes(bytes.value, path) : bytes
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
 * The file a save must replace: the target of a symbolic link (through any number of links),
 * so the link stays a link and the file it names gets the new workbook. A link to a file not
 * created yet names where it will be.
 */
async function saveTarget(path: string): Promise<string> {
  let current = resolve(path)
  for (let hops = 0; hops < 40; hops += 1) {
    try {
      return await realpath(current)
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error
    }
    const info = await lstat(current).catch(() => null)
    if (!info?.isSymbolicLink()) return current
    current = resolve(dirname(current), await readlink(current))
  }
  return current
}

async function statIfExists(path: string): Promise<Stats | null> {
  try {
    return await lstat(path)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null
    throw error
  }
}

/**
 * Refuses to replace a file nobody may write. The rename would succeed anyway (it needs only
 * the folder's permission), silently turning a 0444 workbook into a writable one. The mode
 * bits are checked too because access() lets root write everything.
 */
async function refuseReadOnly(path: string, target: string, info: Stats): Promise<void> {
  if ((info.mode & 0o222) === 0) throw new WorkbookReadOnly(path)
  try {
    await access(target, constants.W_OK)
  } catch (error) {
    const code = errorCode(error)
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new WorkbookReadOnly(path)
    throw error
  }
}

/** Gives the new file the old one's owner, where this process may (root, or its own group). */
async function keepOwner(handle: FileHandle, old: Stats): Promise<void> {
  const now = await handle.stat()
  if (now.uid === old.uid && now.gid === old.gid) return
  try {
    await handle.chown(old.uid, old.gid)
  } catch (error) {
    const code = errorCode(error)
    if (code !== 'EPERM' && code !== 'EINVAL' && code !== 'ENOSYS') throw error
  }
}

/**
 * exceljs writes a carriage return raw, which XML parsers read back as a line feed, drops
 * other controls, and decodes `_xHHHH_` on load without encoding it on save, so a note typed
 * as `_x0041_` came back as `A`. Excel writes CR as `_x000D_` and escapes a literal `_x…_` as
 * `_x005F_x…_`; so do we, only for the length of the write: the cells get their own text back
 * afterwards.
 */
async function withEscapedText<T>(wb: ExcelJS.Workbook, write: () => Promise<T>): Promise<T> {
  const { ValueType } = await loadExcelJS()
  const restore: (() => void)[] = []
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const value = cell.value
        if (cell.type === ValueType.String && typeof value === 'string' && needsXstringEscape(value)) {
          cell.value = escapeXstring(value)
          restore.push(() => (cell.value = value))
        } else if (cell.type === ValueType.RichText && typeof value === 'object' && value !== null && 'richText' in value) {
          if (!value.richText.some((run) => needsXstringEscape(run.text))) return
          cell.value = { ...value, richText: value.richText.map((run) => ({ ...run, text: escapeXstring(run.text) })) }
          restore.push(() => (cell.value = value))
        }
      })
    })
  }
  try {
    return await write()
  } finally {
    for (const undo of restore.reverse()) undo()
  }
}

function withoutPath(error: StoreError, temp: string): StoreError {
  const { path: _path, ...rest } = error as StoreError & { path?: string; detail?: string }
  if (rest.detail !== undefined) rest.detail = rest.detail.replaceAll(temp, 'the new copy')
  return rest as StoreError
}

/**
 * The tables asked for and the sheet names, from the bytes of a workbook `readZipFile` passed,
 * with every check `loadWorkbook` makes and the same errors: a directory declaring too much
 * (before anything is inflated) and a part inflating past its declared size. Our own reader
 * (xlsx/read-tables.ts) parses only the parts those tables need; the parts it inflated within
 * their declared sizes are not inflated again for the size check. A workbook it does not model
 * exactly is read by exceljs, so the answer never depends on which reader gave it.
 */
export async function readTablesOf(bytes: Buffer, path: string, tables: readonly TableName[], options: LoadOptions): Promise<Result<{ workbook: RawWorkbook; sheets: string[] }, StoreError>> {
  const limit = unzippedLimit(options)
  const declared = checkDeclaredSize(bytes, limit)
  if (!declared.ok) return err(zipSizeError(declared.error, path))
  let direct: ReturnType<typeof readRawTables> | null = null
  try {
    direct = readRawTables(bytes, tables)
  } catch (error) {
    if (error instanceof TableTooLarge) {
      return err({ kind: 'unreadable', reason: 'tooLarge', path, size: { table: error.table, address: error.address, cells: error.cells, limit: MAX_TABLE_CELLS, measured: 'tableCells' } })
    }
    if (!(error instanceof Unmodeled)) throw error
  }
  const size = await checkUnzippedSize(bytes, limit, direct?.inflated)
  if (!size.ok) return err(zipSizeError(size.error, path))
  if (direct && direct.sheets.length > 0) return ok({ workbook: direct.workbook, sheets: direct.sheets })
  const wb = await workbookFromBytes(bytes, path)
  return wb.ok ? ok({ workbook: readRawWorkbook(wb.value, tables), sheets: wb.value.worksheets.map((ws) => ws.name) }) : wb
}

/**
 * The written copy, read back before it may replace anything: a save that cannot be read is no
 * save. Every contract table is read as a command would read it, and every other part must
 * inflate to its declared size: an order of magnitude cheaper than exceljs's whole-workbook
 * load, which a server saving on every write paid each time.
 */
async function readsBack(temp: string, options: LoadOptions): Promise<Result<string[], StoreError>> {
  const read = await readZipFile(temp, options)
  if (!read.ok) return read
  const back = await readTablesOf(read.value, temp, TABLE_NAMES, options)
  return back.ok ? ok(back.value.sheets) : back
}

async function verifySaved(temp: string, path: string, wb: ExcelJS.Workbook, options: LoadOptions): Promise<void> {
  const back = await readsBack(temp, options)
  // The temp file's name means nothing to a user: the cause names no path ("the new copy").
  const failure: StoreError | 'worksheetsDiffer' | null = !back.ok
    ? withoutPath(back.error, temp)
    : back.value.join('\n') !== wb.worksheets.map((ws) => ws.name).join('\n')
      ? 'worksheetsDiffer'
      : null
  if (failure !== null) throw new SaveNotVerified(path, failure)
}

const tempName = (target: string) => `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
/** How old a dead process's temp copy must be before it goes: a save on another machine sharing the folder is over by then. */
export const STALE_COPY_MS = 10 * 60_000

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but is someone else's.
    return errorCode(error) === 'EPERM'
  }
}

/** Workbooks whose folder this process has swept: once is enough, a save is a hot path. */
const swept = new Set<string>()

/**
 * The temp copies of this workbook's saves that a process left when it died mid-save (kill -9,
 * a power cut): its process is gone and the copy is old. They would otherwise stay beside the
 * workbook, and a synced folder would upload each one. Looked for at this process's first save
 * of the workbook; returns the names removed; never throws.
 */
async function removeStaleSaveCopies(target: string): Promise<string[]> {
  if (swept.has(target)) return []
  swept.add(target)
  const now = Date.now()
  try {
    const folder = dirname(target)
    const prefix = `.${basename(target)}.`
    const removed: string[] = []
    for (const name of await readdir(folder)) {
      if (!name.startsWith(prefix)) continue
      const pid = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name.slice(prefix.length))?.[1]
      if (pid === undefined) continue
      const info = await stat(join(folder, name)).catch(() => null)
      if (!info?.isFile() || now - info.mtimeMs < STALE_COPY_MS) continue
      // Our own number may be an earlier run's (in a container every run is process 1): its copies predate this process.
      const ours = Number(pid) === process.pid
      if (ours ? info.mtimeMs >= now - process.uptime() * 1000 : processAlive(Number(pid))) continue
      if (await unlink(join(folder, name)).then(() => true, () => false)) removed.push(name)
    }
    return removed
  } catch {
    return []
  }
}

/**
 * Temp file in the target's folder (so the rename stays on one file system), with the old
 * file's mode and owner, fsync, read back, rename over the target, fsync the folder: a crash
 * leaves either the old workbook or the new one, and a save is acknowledged only once the new
 * one is known to load.
 */
export async function saveWorkbookAtomically(wb: ExcelJS.Workbook, path: string, options: LoadOptions = {}): Promise<Buffer> {
  return replaceAtomically(path, 'whole', () => withEscapedText(wb, () => wb.xlsx.writeBuffer({ zip: { compression: 'STORE' } })).then((stored) => deflateStoredParts(Buffer.from(stored))), (temp) => verifySaved(temp, path, wb, options), options)
}

/**
 * Saves a workbook already written as bytes (patch/table-write.ts), as `saveWorkbookAtomically`
 * saves one: the copy on disk must inflate within its limits and `differences` must find none
 * in it before it replaces anything.
 */
export async function saveBytesAtomically(bytes: Buffer, path: string, differences: (written: Buffer) => string | null, options: LoadOptions = {}): Promise<Buffer> {
  const verify = async (temp: string) => {
    const read = await readZipFile(temp, options)
    if (!read.ok) throw new SaveNotVerified(path, withoutPath(read.error, temp))
    const size = await checkUnzippedSize(read.value, unzippedLimit(options))
    if (!size.ok) throw new SaveNotVerified(path, withoutPath(zipSizeError(size.error, temp), temp))
    const found = differences(read.value)
    if (found !== null) throw new SaveNotVerified(path, { kind: 'unreadable', reason: 'damaged', detail: found })
  }
  return replaceAtomically(path, 'edited', () => Promise.resolve(bytes), verify, options)
}

/** Writes, verifies and renames into place; returns the bytes now in the file. */
async function replaceAtomically(path: string, how: SaveKind, write: () => Promise<Buffer>, verify: (temp: string) => Promise<void>, options: LoadOptions): Promise<Buffer> {
  const target = await saveTarget(path)
  const old = await statIfExists(target)
  if (old) await refuseReadOnly(path, target, old)
  const bytes = await write()
  const folder = dirname(target)
  await removeStaleSaveCopies(target)
  const temp = join(folder, tempName(target))
  const handle = await open(temp, 'wx', old ? old.mode & 0o7777 : 0o666)
  try {
    try {
      await handle.writeFile(bytes)
      if (old) {
        // chown first: it may clear set-id bits, which chmod then restores; chmod ignores the umask.
        await keepOwner(handle, old)
        await handle.chmod(old.mode & 0o7777)
      }
      await handle.sync()
    } finally {
      await handle.close()
    }
    await verify(temp)
    options.onSave?.('written', how)
    await rename(temp, target)
    options.onSave?.('renamed', how)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw error
  }
  await syncFolder(folder)
  return bytes
}
