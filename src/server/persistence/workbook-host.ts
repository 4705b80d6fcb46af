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
  /** A private copy for a non-persistent session, read from disk (which equals memory between queued jobs). */
  copy(): Promise<Result<Workbook, StoreError>>
}

export async function openWorkbookHost(file: string): Promise<Result<WorkbookHost, StoreError>> {
  const path = resolve(file)
  const first = await loadWorkbook(path)
  if (!first.ok) return first
  let wb: Workbook = first.value
  const host: WorkbookHost = {
    path,
    current: () => wb,
    save: () => saveWorkbookAtomically(wb, path),
    async reload() {
      const again = await loadWorkbook(path)
      if (again.ok) wb = again.value
    },
    copy: () => loadWorkbook(path),
  }
  return { ok: true, value: host }
}
