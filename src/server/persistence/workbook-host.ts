import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Result } from '../../domain/result.ts'
import { describeError } from '../../messages/errors.ts'
import type { StoreError } from '../../workbook/store.ts'
import type { listTables } from '../../workbook/file/tables.ts'
import { emptyJournal, saveFromMemory, type ChangeJournal } from '../../workbook/file/patch/model-save.ts'
import type { PatchedWrite } from '../../workbook/file/patch/patched-zip.ts'
import type { DeflateCache } from '../../workbook/file/patch/segments.ts'
import { openXlsx, TableTooLarge, type OpenedXlsx } from '../../workbook/file/xlsx/read-tables.ts'
import { Unmodeled } from '../../workbook/file/xlsx/unmodeled.ts'
import { loadWorkbook, readWorkbookBytes, saveBytesAtomically, saveWorkbookAtomically, SaveNotVerified, workbookFromBytes, type LoadOptions } from '../../workbook/file/workbook-file.ts'

/** The in-memory workbook the file adapter operates on (kept opaque here: the server never touches cells itself). */
export type Workbook = Parameters<typeof listTables>[0]

/** The file on disk cannot be read (damaged, too large, gone): memory is not the workbook any more, so it is not saved over it. */
export class WorkbookUnavailable extends Error {}

/** Another program changed the file without taking its lock while a write ran: saving would overwrite its change. */
export class WorkbookChangedOnDisk extends Error {}

/**
 * The workbook file behind the server. Every change is saved (temp file + rename, read back)
 * before its response leaves, so the file on disk always equals the acknowledged state; a
 * failed save reloads the file so memory never runs ahead of disk. When the file turns
 * unreadable behind the server (replaced by a damaged copy), `problem` says so until a good
 * copy is back: memory is then neither served as the workbook nor saved over the file.
 */
export type WorkbookHost = {
  readonly path: string
  current(): Workbook
  /** Why the file cannot be served now, or null; set by a load that failed, cleared by one that works. */
  problem(): StoreError | null
  save(): Promise<void>
  /**
   * What the writes since the last save changed (model-save.ts). A save then writes only those
   * cells into the file; a write that cannot say what it changed marks it whole.
   */
  changes(): ChangeJournal
  /** Whether memory holds writes not saved yet (a group between its writes and the end of its save). */
  unsaved(): boolean
  /**
   * Whether a save of memory now would change cells while it runs: saveWorkbookAtomically
   * escapes text holding control characters or `_xHHHH_` in the cells themselves while it
   * serializes, and puts it back after. Reads must then wait for that save.
   */
  saveTouchesCells(): boolean
  /** Drops unsaved changes by reading the file again. */
  reload(): Promise<void>
  /** Reads the file again if another program saved it since we last loaded or saved it. */
  refreshIfChanged(): Promise<void>
  /** A private copy for a non-persistent session, read from disk: the acknowledged state (memory may hold a group being saved). */
  copy(): Promise<Result<Workbook, StoreError>>
}

/** `editInPlace: false`: every save writes the whole workbook through exceljs, as the server did before it edited files in place (the bench's baseline). */
export async function openWorkbookHost(file: string, options: LoadOptions = {}, saving: { editInPlace?: boolean } = {}): Promise<Result<WorkbookHost, StoreError>> {
  const editInPlace = saving.editInPlace ?? true
  const path = resolve(file)
  // What the file looked like when memory last matched it; a different stamp means another writer.
  const stampOf = async (): Promise<string> => {
    const info = await stat(path).catch(() => null)
    return info ? `${info.mtimeMs}:${info.ctimeMs}:${info.size}:${info.ino}` : ''
  }
  const load = async (): Promise<Result<{ wb: Workbook; bytes: Buffer }, StoreError>> => {
    const read = await readWorkbookBytes(path, options)
    if (!read.ok) return read
    const loaded = await workbookFromBytes(read.value, path)
    return loaded.ok ? { ok: true, value: { wb: loaded.value, bytes: read.value } } : loaded
  }
  // Stamped before reading: a change made while the file is read shows up as a new stamp next time.
  let stamp = await stampOf()
  const first = await load()
  if (!first.ok) return first
  let wb: Workbook = first.value.wb
  // The file as memory last matched it, and what the writes since changed.
  let bytes: Buffer = first.value.bytes
  // `bytes` as read for an edit, kept from one in-place save to the next (null: not read yet).
  let opened: OpenedXlsx | null = null
  let journal = emptyJournal()
  // The next save's edit, once made (undefined: not yet; null: the workbook is written whole).
  let prepared: PatchedWrite | null | undefined
  // How the parts of `bytes` the last edits wrote were deflated (segments.ts).
  let deflated: DeflateCache = new Map()
  let problem: StoreError | null = null
  const reload = async () => {
    const before = await stampOf()
    const again = await load()
    if (again.ok) {
      wb = again.value.wb
      bytes = again.value.bytes
      opened = null
      prepared = undefined
      deflated = new Map()
      problem = null
    } else {
      problem = again.error
    }
    journal = emptyJournal()
    prepared = undefined
    stamp = before
  }
  const reopened = (edit: PatchedWrite): OpenedXlsx | null => {
    try {
      return edit.reopened()
    } catch (error) {
      if (error instanceof Unmodeled) return null
      throw error
    }
  }
  /** The save as an edit of the file, or null when it must be written whole. */
  const inPlace = (): PatchedWrite | null => {
    if (!editInPlace) return null
    try {
      opened ??= openXlsx(bytes)
      return saveFromMemory(opened, bytes, wb, journal, deflated)
    } catch (error) {
      if (error instanceof Unmodeled || error instanceof TableTooLarge) return null
      throw error
    }
  }
  // Read for the first edit now, while the server starts, not while the first writer waits.
  try {
    opened = editInPlace ? openXlsx(bytes) : null
  } catch (error) {
    if (!(error instanceof Unmodeled || error instanceof TableTooLarge)) throw error
  }
  const prepare = (): PatchedWrite | null => (prepared === undefined ? (prepared = inPlace()) : prepared)
  const host: WorkbookHost = {
    path,
    current: () => wb,
    problem: () => problem,
    async save() {
      const edit = problem === null ? prepare() : null
      prepared = undefined
      if (problem !== null) throw new WorkbookUnavailable(describeError(problem))
      if ((await stampOf()) !== stamp) {
        throw new WorkbookChangedOnDisk(`${path} was changed by another program while this request ran; nothing was saved. Try again.`)
      }
      let saved: Buffer | null = null
      if (edit) {
        try {
          saved = await saveBytesAtomically(edit.zip(), path, edit.differences, options)
        } catch (error) {
          // An edit that does not read back as meant is never kept: the whole workbook is written
          // instead, unless that would escape text in cells that reads may be seeing (saveTouchesCells).
          if (!(error instanceof SaveNotVerified) || hasTextToEscape(wb)) throw error
        }
      }
      opened = saved && edit ? reopened(edit) : null
      deflated = saved && edit ? edit.deflateCache() : new Map()
      bytes = saved ?? (await saveWorkbookAtomically(wb, path, options))
      journal = emptyJournal()
      stamp = await stampOf()
    },
    changes: () => journal,
    unsaved: () => journal.whole || journal.tables.size > 0,
    // An edit of the file leaves memory alone; only a whole-workbook save escapes text in cells.
    saveTouchesCells: () => prepare() === null && hasTextToEscape(wb),
    reload,
    async refreshIfChanged() {
      if ((await stampOf()) !== stamp) await reload()
    },
    copy: () => loadWorkbook(path, options),
  }
  return { ok: true, value: host }
}

/** The text workbook-file.ts's withEscapedText rewrites for the length of a save (its NEEDS_ESCAPE). */
const ESCAPED_DURING_SAVE = /[\x00-\x08\x0B-\x1F\x7F]|_(?=x[0-9A-Fa-f]{4}_)/

function hasTextToEscape(wb: Workbook): boolean {
  let found = false
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row) => {
      if (found) return
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (found) return
        const value: unknown = cell.value
        if (typeof value === 'string') found = ESCAPED_DURING_SAVE.test(value)
        else if (typeof value === 'object' && value !== null && 'richText' in value && Array.isArray(value.richText)) {
          found = value.richText.some((run: { text?: unknown }) => typeof run.text === 'string' && ESCAPED_DURING_SAVE.test(run.text))
        }
      })
    })
    if (found) return true
  }
  return false
}
