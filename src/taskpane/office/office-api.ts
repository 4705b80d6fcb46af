import { err, type Result } from '../../domain/result.ts'

/**
 * The part of Office.js the task pane uses, as small structural types.
 *
 * Why not the `@types/office-js` globals: they are 190,000 lines of ambient declarations that
 * would enter every page's type-check (tsconfig.browser.json keeps `types: []`), and a
 * `/// <reference types="office-js" />` here is a package import the import guard refuses for
 * `taskpane` (test/architecture/rules.ts). Office.js itself is never bundled: taskpane.html loads
 * it from Microsoft's CDN (GRAPH.md §11), so it only exists inside Office, and every function of
 * this folder takes it as a parameter. test/taskpane/office/office-api.test.ts checks, against
 * `@types/office-js`, that the real `Excel` and `Office` objects satisfy these types, so a name
 * or signature spelled wrong here fails the type-check.
 *
 * Whatever Office.js hands back is typed `unknown` and read through the `read*` helpers below:
 * real Office.js throws `PropertyNotLoaded` for a property read without `load()` and
 * `context.sync()`, and office-addin-mock returns an error string instead, so an unchecked read
 * would compare that string as if it were a cell (DESIGN.md: parse at the boundary).
 */

/** `Excel.run` (Excel JavaScript API: "Excel.run"): one batch of queued commands with its own context. */
export type ExcelApi = {
  run<T>(batch: (context: ExcelContext) => Promise<T>): Promise<T>
}

/** `Excel.RequestContext`: commands queue on proxies and reach the workbook at `sync()`. */
export type ExcelContext = {
  sync(): Promise<unknown>
  readonly workbook: {
    readonly tables: { getItemOrNullObject(key: string): TableProxy }
    readonly worksheets: { getItemOrNullObject(key: string): WorksheetProxy }
  }
}

/** `Excel.Table` (ExcelApi 1.1; `worksheet` 1.2; got through `getItemOrNullObject`, 1.4). */
export type TableProxy = {
  /** Set by `context.sync()`, no `load()` needed ("*OrNullObject methods and properties"). */
  readonly isNullObject: unknown
  readonly worksheet: WorksheetProxy
  getHeaderRowRange(): RangeProxy
  getDataBodyRange(): RangeProxy
}

/** `Excel.Worksheet`. */
export type WorksheetProxy = {
  readonly isNullObject: unknown
  readonly name: unknown
  /** `Visible`, `Hidden` or `VeryHidden` (Excel.SheetVisibility). */
  readonly visibility: unknown
  load(propertyNames: string): unknown
  /** Worksheet.activate: shows the sheet; fails on a hidden one. */
  activate(): void
  getRange(address: string): RangeProxy
}

/** `Excel.Range`. */
export type RangeProxy = {
  readonly values: unknown
  /** 0-based sheet row of the range's first row. */
  readonly rowIndex: unknown
  readonly address: unknown
  /** Whether every row of the range is hidden (ExcelApi 1.2): a filter or a hidden row. */
  readonly rowHidden: unknown
  load(propertyNames: string): unknown
  getColumn(column: number): RangeProxy
  getRow(row: number): RangeProxy
  /** Range.select: selects the range in the Excel UI. */
  select(): void
}

/** The `Office` namespace, as far as host detection and the document URL go (Office JavaScript API, common). */
export type OfficeApi = {
  /** Office.onReady: resolves once Office.js is initialised; outside Office, with `host: null` (GRAPH.md §11). */
  onReady(): Promise<{ host: unknown; platform: unknown }>
  readonly HostType: { readonly Excel: unknown }
  readonly PlatformType?: {
    readonly PC: unknown
    readonly OfficeOnline: unknown
    readonly Mac: unknown
    readonly iOS: unknown
    readonly Android: unknown
  }
  readonly AsyncResultStatus: { readonly Succeeded: unknown }
  readonly context: {
    readonly document: {
      /** Office.context.document.url: the URL when the document was opened; null when unavailable. */
      readonly url: unknown
      /** Document.getFilePropertiesAsync: asks the host now, so a Save As made since opening is seen. */
      getFilePropertiesAsync?(callback: (result: { status: unknown; value: unknown }) => void): void
    }
    readonly requirements: { isSetSupported(name: string, minVersion?: string): boolean }
  }
}

/**
 * An Office.js call that failed (`OfficeExtension.Error`): its `code` (e.g. `ItemNotFound`,
 * `InvalidOperationInCellEditMode` while someone types in a cell, `AccessDenied`) and the API
 * that failed (`debugInfo.errorLocation`, e.g. `Range.select`). No English: the pane words it.
 */
export type OfficeFailure = { kind: 'officeError'; code: string; location: string | null }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

/** An `OfficeExtension.Error`: Office.js rejects `context.sync()` and `Excel.run` with one, carrying a string `code`. */
function officeFailure(error: unknown): OfficeFailure | null {
  if (!isRecord(error) || typeof error.code !== 'string') return null
  const debug = error.debugInfo
  const location = isRecord(debug) && typeof debug.errorLocation === 'string' && debug.errorLocation !== '' ? debug.errorLocation : null
  return { kind: 'officeError', code: error.code, location }
}

/**
 * Runs one `Excel.run` batch and turns an Office.js failure into a value. Anything else thrown
 * (a bug, such as a property read without a load) still throws: only broken invariants throw.
 */
export async function runExcel<T, E>(excel: ExcelApi, batch: (context: ExcelContext) => Promise<Result<T, E>>): Promise<Result<T, E | OfficeFailure>> {
  try {
    return await excel.run(batch)
  } catch (error) {
    const failure = officeFailure(error)
    if (failure) return err(failure)
    throw error
  }
}

/** What a wrong shape means: our code read a property it did not load, or read it before `context.sync()`. */
function notLoaded(what: string, value: unknown): Error {
  const shown = typeof value === 'string' ? `"${value.slice(0, 80)}"` : typeof value
  return new Error(`Office.js gave ${shown} for ${what}: load() it and context.sync() before reading it`)
}

export function readBoolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw notLoaded(what, value)
  return value
}

/** Any string: the shape cannot tell a name from the mock's error text, so tests compare names exactly. */
export function readString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw notLoaded(what, value)
  return value
}

/**
 * A `Range.address` as Excel gives it: sheet-qualified A1, `Steps!A6:D6` or `'Action Steps'!E14`.
 * Checking its shape also refuses office-addin-mock's stand-in for an unloaded read, a string.
 */
export function readAddress(value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^.+!\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?$/.test(value)) throw notLoaded(what, value)
  return value
}

/** `Worksheet.visibility` (Excel.SheetVisibility). */
export function readVisibility(value: unknown, what: string): 'Visible' | 'Hidden' | 'VeryHidden' {
  if (value !== 'Visible' && value !== 'Hidden' && value !== 'VeryHidden') throw notLoaded(what, value)
  return value
}

export function readIndex(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw notLoaded(what, value)
  return value
}

/** `Range.values`: rows of cells (numbers, text, booleans; an empty cell is ""). */
export function readRows(value: unknown, what: string): readonly (readonly unknown[])[] {
  if (!Array.isArray(value) || !value.every((row) => Array.isArray(row))) throw notLoaded(what, value)
  return value as unknown[][]
}
