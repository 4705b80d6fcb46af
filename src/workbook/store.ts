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
  /**
   * Fills the blank key cell of a row typed into Excel without one (WORKBOOK.md: a missing
   * CheckInId/StepId is a problem the task pane can fix). Such a row cannot be found by key, so it
   * is found by position and checked against the whole row the user saw; exactly one cell (the
   * key) is written, with one ChangeLog row.
   */
  assignKey(command: AssignKey): Promise<Result<WriteReceipt, AssignKeyError>>
  /**
   * Creates contract tables the workbook lacks (the task pane's Set up), each on a worksheet of
   * its own added after the others, named as `init` names it (layout.ts) or, when a sheet has
   * that name, the first free `Name 2`, `Name 3`…: no existing sheet is renamed, cleared or
   * written. The table gets the contract's exact name, the header row and the rows given (an
   * empty table keeps one blank row, as Excel requires). One ChangeLog row per table records
   * where it was made; a ChangeLog created by the same call gets them as its first rows.
   */
  createTables(command: CreateTables): Promise<Result<TablesCreated, CreateTablesError>>
  /** Releases sessions or files. Safe to call twice. */
  close(): Promise<void>
}

/** One row by column position, as `read` would give it (values as Graph returns them). */
export type RowSnapshot = { headers: string[]; values: CellValue[]; numberFormats?: readonly string[] }

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

/**
 * The key for a row that has none. Rows move when someone sorts or inserts, so the row at `index`
 * must still hold exactly `seen` (every cell but the key, compared as read), its key cell must
 * still be blank, and `key` must be in no other row; otherwise nothing is written.
 */
export type AssignKey = {
  table: TableName
  /** 0-based data row where the user saw the row (as in `RawTable.rows`). */
  index: number
  /** The whole row as `read` returned it, by column position. */
  seen: readonly CellValue[]
  /** The new key (written as text). */
  key: string
  audit: Audit
}

/** One table to create: the header row and data rows by column position, written as typed into Excel (as appendRows). */
export type NewTable = { name: TableName; headers: readonly string[]; rows: readonly (readonly CellValue[])[] }

/** Tables to create, each named once; the ChangeLog is among them unless the workbook has one. */
export type CreateTables = { tables: readonly NewTable[]; audit: Audit }

/** Where a table was made: its sheet and its whole range (`'Check-ins'!A1:H2`), and how many data rows it holds. */
export type CreatedTable = { table: TableName; sheet: string; address: string; rows: number }

/** `applied: false` when an earlier try of this same action had already made every table (then `tables` is empty). */
export type TablesCreated = WriteReceipt & { tables: CreatedTable[] }

/**
 * Why no table was made, besides the errors every write can meet (badColumns when headers lack
 * a required column or repeat one, badCell for text a cell cannot hold, missingTable when there
 * is no ChangeLog to log in). tableExists: the workbook already has a table of that name (table
 * names ignore case), on `sheet` when known. sheetTaken: a sheet of the chosen name appeared
 * between the check and the write (Graph), so nothing more was made there.
 */
export type CreateTablesRefusal = { kind: 'tableExists'; table: TableName; sheet?: string } | { kind: 'sheetTaken'; table: TableName; sheet: string }

export type CreateTablesError = WriteError | CreateTablesRefusal

export type WriteReceipt = {
  /** false when a retry found the change already in the workbook (same ChangeId or key). */
  applied: boolean
  /** ChangeLog rows appended by this call. */
  changeLogRows: number
}

export type Conflict = { column: string; seen: CellValue; now: CellValue; value: CellValue }

/**
 * Why a backend could not do what was asked. Each kind carries the data a sentence needs and no
 * English: every surface words it with src/messages/errors.ts, one way each. `detail` is a
 * system's own text (an fs error, a zip lister), never our wording.
 */
export type StoreError =
  | {
      kind: 'notFound'
      /** The table a request was about ("…or its WIGs table was not found"). */
      table?: string
      /** Every plan table was missing: a wrong link is likelier than a workbook without them. */
      tables?: string[]
      /** A file on disk that does not exist. */
      path?: string
    }
  | {
      kind: 'forbidden'
      /** 'file': the file has no write permission; 'disk': it is on a read-only disk. */
      readOnly?: 'file' | 'disk'
      path?: string
    }
  | { kind: 'unauthorized' }
  | {
      kind: 'locked'
      path?: string
      /** Another program kept our own write lock past the wait (file-lock.ts), rather than the OS saying busy. */
      writing?: boolean
    }
  | { kind: 'throttled'; retryAfterSeconds: number | null }
  | { kind: 'unavailable' }
  | { kind: 'timeout' }
  | { kind: 'network' }
  | { kind: 'sessionExpired' }
  | {
      kind: 'unreadable'
      /** Without a reason: Excel for the web cannot open it. */
      reason?: UnreadableReason
      path?: string
      /** For tooLarge: what was measured and the most this program opens, in bytes. */
      size?:
        | { bytes: number; limit: number; measured: 'onDisk' | 'unzipped' }
        | { part: string; declared: number; measured: 'partInflates' }
        /** A table whose range spans more cells than this program reads (a whole sheet, say). */
        | { table: string; address: string; cells: number; limit: number; measured: 'tableCells' }
      /** For damaged: what the zip reader or exceljs said, or which part is damaged and how. */
      damage?: { part: string; problem: 'twoSizes' | 'pastEnd' }
      detail?: string
    }
  | {
      kind: 'unexpected'
      /** Without a reason: Microsoft 365 could not complete the request (`code`). */
      reason?: UnexpectedReason
      code?: string
      path?: string
      table?: string
      /** For answerUnreadable: which part of the answer ('the rows', 'the header row'…). */
      what?: string
      /** For saveNotVerified: why the new copy did not read back. */
      cause?: StoreError | 'worksheetsDiffer'
      detail?: string
    }

/**
 * Why a key was not assigned, besides the errors every write can meet. `row` is the sheet row
 * (1-based, as Excel shows it). `race`: the change landed at the same moment as our write, which
 * was put back (`restored`) or could not be (then the row needs a look in Excel).
 */
export type AssignKeyRefusal =
  | {
      kind: 'rowChanged'
      table: TableName
      row: number
      /** Headers of the cells that differ from what the user saw (empty when the row is gone). */
      columns: string[]
      /** The table no longer has a row at that position. */
      gone?: boolean
      race?: { restored: boolean }
    }
  /** The same row now has a key: someone typed one, or another pane assigned one. */
  | { kind: 'keyAlreadySet'; table: TableName; keyColumn: string; row: number; key: string; race?: { restored: boolean } }
  /** The new key is already in the table, on these sheet rows. */
  | { kind: 'keyTaken'; table: TableName; keyColumn: string; key: string; rows: number[] }

export type AssignKeyError = WriteError | AssignKeyRefusal

export type UnreadableReason = 'folder' | 'notZip' | 'damaged' | 'tooLarge' | 'noWorksheets' | 'unsupported'

/**
 * answerUnreadable: Graph sent something we could not parse; noDrive / noSession: it left out an
 * id; saveNotVerified: a saved copy did not read back; tableEdit: the sheet blocked a table edit
 * (`detail`); fileSystem: a file-system failure with its own text; notWritten: a write loop
 * gave up before any answer.
 */
export type UnexpectedReason = 'answerUnreadable' | 'noDrive' | 'noSession' | 'saveNotVerified' | 'tableEdit' | 'fileSystem' | 'notWritten'

/** Text the file backend cannot store in a cell (cell-text.ts). */
export type CellTextProblem =
  | { problem: 'invalidCharacter'; character: 'control' | 'delete' | 'nonCharacter' | 'surrogate'; codePoint: number; at: number }
  | { problem: 'tooLong'; length: number; limit: number }

export type WriteError =
  | StoreError
  | {
      kind: 'conflict'
      table: TableName
      key: string
      conflicts: Conflict[]
      /** Set when a colleague's write landed at the same moment as ours: whether theirs was put back. */
      race?: { restored: boolean }
    }
  | { kind: 'missingKey'; table: TableName; keyColumn: string; key: string; /** A new row was given without its key. */ newRow?: boolean }
  | { kind: 'duplicateKey'; table: TableName; keyColumn: string; key: string; /** Sheet rows holding the key. */ rows: number[] }
  | { kind: 'missingTable'; table: TableName }
  | { kind: 'badColumns'; table: TableName; columns: string[]; /** The table has no key column, so its rows cannot be changed. */ keyless?: boolean }
  | ({
      kind: 'badCell'
      table: string
      column: string
      /** The row's key; null for a new row without one (then `row`, 1-based among the new rows). */
      key: string | null
      row?: number
      /** Sheet address such as 'Steps'!C4, when the cell is known. */
      cell?: string
      /** The ChangeLog field an audit value was headed for (By, Source, ChangeId, At). */
      audit?: string
    } & CellTextProblem)
