import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Result } from '../../domain/result.ts'
import type { StoreError } from '../../workbook/store.ts'
import type { listTables } from '../../workbook/file/tables.ts'
import { loadWorkbook, saveWorkbookAtomically } from '../../workbook/file/workbook-file.ts'

/** The in-memory workbook the file adapter operates on (kept opaque here: the server never touches cells itself). */
export type Workbook = Parameters<typeof listTables>[0]

/**
 * The workbook file behind the server. Every change is saved (temp file + rename) before its
 * response leaves, so the file on disk always equals the acknowledged state; a failed save
 * reloads the file so memory never runs ahead of disk.
 */
export type WorkbookHost = {
  readonly path: string
  current(): Workbook
  save(): Promise<void>
  /** Drops unsaved changes by reading the file again. */
  reload(): Promise<void>
  /** Reads the file again if another program saved it since we last loaded or saved it. */
  refreshIfChanged(): Promise<void>
  /** A private copy for a non-persistent session, read from disk (which equals memory between queued jobs). */
  copy(): Promise<Result<Workbook, StoreError>>
}

export async function openWorkbookHost(file: string): Promise<Result<WorkbookHost, StoreError>> {
  const path = resolve(file)
  const first = await loadWorkbook(path)
  if (!first.ok) return first
  let wb: Workbook = first.value
  // What the file looked like when memory last matched it; a different stamp means another writer.
  const stampOf = async (): Promise<string> => {
    const info = await stat(path).catch(() => null)
    return info ? `${info.mtimeMs}:${info.size}:${info.ino}` : ''
  }
  let stamp = await stampOf()
  const reload = async () => {
    const again = await loadWorkbook(path)
    if (again.ok) wb = again.value
    stamp = await stampOf()
  }
  const host: WorkbookHost = {
    path,
    current: () => wb,
    async save() {
      await saveWorkbookAtomically(wb, path)
      stamp = await stampOf()
    },
    reload,
    async refreshIfChanged() {
      if ((await stampOf()) !== stamp) await reload()
    },
    copy: () => loadWorkbook(path),
  }
  return { ok: true, value: host }
}
