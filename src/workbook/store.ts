import type { Result } from '../domain/result.ts'
import type { TableName } from './contract.ts'
import type { CellValue, RawWorkbook } from './raw.ts'

/**
 * The port every workbook backend implements (exceljs file, Microsoft Graph, the local
 * server through Graph). It moves cells only; the codec turns them into the plan model.
 * Columns are named as the contract names them and matched to headers as the contract says.
 */
export type WorkbookStore = {
  /** Reads the named tables in one round trip. */
  read(tables: readonly TableName[]): Promise<Result<RawWorkbook, StoreError>>
  /** The row whose key is `key` as it is now: what a user sees before changing it. */
  readRow(table: TableName, key: string): Promise<Result<RowSnapshot, WriteError>>
  /** Changes cells of the row whose key is `key`, if they still hold what the user saw. */
  updateRow(command: UpdateRow): Promise<Result<WriteReceipt, WriteError>>
  /** Appends rows that carry their own generated keys. */
  appendRows(command: AppendRows): Promise<Result<WriteReceipt, WriteError>>
  /** Releases sessions or files. Safe to call twice. */
  close(): Promise<void>
}

/** One row by column position, as `read` would give it (values as Graph returns them). */
export type RowSnapshot = { headers: string[]; values: CellValue[]; numberFormats?: string[] }

/** Who made a change, for the ChangeLog. All rows of one user action share `changeId`. */
export type Audit = { changeId: string; at: string; by: string; source: string }

export type CellChange = {
  column: string
  /** What the user saw before changing it; compared with the cell now. */
  seen: CellValue
  value: CellValue
}

export type UpdateRow = {
  table: TableName
  key: string
  changes: CellChange[]
  audit: Audit
  /**
   * Audit cells (UpdatedBy, UpdatedAt) written along with a real change, where the table has
   * them: never compared with what the user saw, never logged, never written on their own.
   */
  stamps?: Record<string, CellValue>
  /** Where the user saw the row (0-based data row), so a backend can read it back in its first round. */
  rowHint?: number
}

/**
 * Rows given by column name; columns not given stay empty. A column the table lacks is an
 * error, unless it is listed in `ifPresent` (audit columns the contract makes optional, like
 * EnteredBy): those are written where the table has them and left out where it does not.
 */
export type AppendRows = { table: TableName; rows: Record<string, CellValue>[]; audit: Audit; ifPresent?: readonly string[] }

export type WriteReceipt = {
  /** false when a retry found the change already in the workbook (same ChangeId or key). */
  applied: boolean
  /** ChangeLog rows appended by this call. */
  changeLogRows: number
}

export type Conflict = { column: string; seen: CellValue; now: CellValue; value: CellValue }

export type StoreError =
  | { kind: 'notFound'; message: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'unauthorized'; message: string }
  | { kind: 'locked'; message: string }
  | { kind: 'throttled'; message: string; retryAfterSeconds: number | null }
  | { kind: 'unavailable'; message: string }
  | { kind: 'timeout'; message: string }
  | { kind: 'network'; message: string }
  | { kind: 'sessionExpired'; message: string }
  | { kind: 'unreadable'; message: string }
  | { kind: 'unexpected'; message: string }

export type WriteError =
  | StoreError
  | { kind: 'conflict'; message: string; key: string; conflicts: Conflict[] }
  | { kind: 'missingKey'; message: string; table: TableName; key: string }
  | { kind: 'duplicateKey'; message: string; table: TableName; key: string; rows: number[] }
  | { kind: 'missingTable'; message: string; table: TableName }
  | { kind: 'badColumns'; message: string; table: TableName; columns: string[] }
