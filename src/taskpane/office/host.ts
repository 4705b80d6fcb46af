import type { ExcelApi, OfficeApi } from './office-api.ts'

/**
 * Where the task pane runs. The same page serves Excel (taskpane.html loads Office.js from
 * Microsoft's CDN) and a plain browser against `npm start`, so detection must never hang: with
 * no `Office` global the answer is immediate, and `Office.onReady()` gets a deadline.
 */
export type OfficeHost =
  | { kind: 'browser' }
  | {
      kind: 'excel'
      /** `Excel` (for selectStepRow, goToCell). */
      excel: ExcelApi
      /** `Office` (for readDocumentUrl). */
      office: OfficeApi
      platform: OfficePlatform
      /** `Office.context.document.url` as the host gave it when the pane opened; null when empty. */
      documentUrl: string | null
      /** What that URL means for reaching the workbook through Graph. */
      workbook: WorkbookPlace
      /**
       * Whether Excel has ExcelApi 1.4, which "Show in sheet" and "Go to cell" need
       * (`getItemOrNullObject`); Excel 2016 bought outright has only ExcelApi 1.1 (requirement set
       * docs, "ExcelApi 1.1"). Hide the buttons when false.
       */
      canNavigate: boolean
    }

/** Office.PlatformType, in words: Windows, Mac, Excel on the web, iPad, Android. */
export type OfficePlatform = 'windows' | 'mac' | 'web' | 'ios' | 'android' | 'other'

/**
 * Where the open workbook lives:
 * - `cloud`: an http(s) URL (OneDrive, SharePoint): resolve it to a drive item through Graph's
 *   `/shares` (`resolveSharingLink` in workbook/graph, GRAPH.md §9);
 * - `local`: a file on this computer (`C:\…`, `/Users/…`, `file:`): Graph cannot reach it, so the
 *   pane asks for the workbook to be saved to OneDrive or SharePoint;
 * - `unsaved`: no URL, or a bare name with no folder, which locates nothing. A never-saved
 *   workbook has none, and Excel on the web gives none to guest users (office-js#3204). A Save
 *   As made while the pane is open is not in `document.url` until the workbook is reopened
 *   (office-js#1507): `readDocumentUrl` asks again.
 */
export type WorkbookPlace = { kind: 'cloud'; url: string } | { kind: 'local'; path: string } | { kind: 'unsaved' }

/**
 * How long `Office.onReady()` may take before the pane gives up on Office and runs as a page.
 * Inside Excel it answers once Office.js has started; outside Office it answers at once with
 * `host: null`. The deadline is for the case where it never answers, so it can be generous.
 */
export const OFFICE_WAIT_MS = 5000

const BROWSER: OfficeHost = { kind: 'browser' }
const TIMED_OUT = Symbol('timed out')

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

/** `win.Office` when it looks like Office.js (`onReady`, `HostType`, `context`), else null. */
function officeOf(win: object): OfficeApi | null {
  const office: unknown = (win as { Office?: unknown }).Office
  if (!isRecord(office) || typeof office.onReady !== 'function' || !isRecord(office.HostType)) return null
  return office as unknown as OfficeApi
}

function excelOf(win: object): ExcelApi | null {
  const excel: unknown = (win as { Excel?: unknown }).Excel
  return isRecord(excel) && typeof excel.run === 'function' ? (excel as unknown as ExcelApi) : null
}

/** The promise's value, or TIMED_OUT after `ms`; the timer is cleared either way, so nothing is left pending. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

/**
 * Detects Excel: `win` is the page's `window`, where taskpane.html's script tag put `Office` and
 * `Excel`. No `Office` (a plain page, or the CDN unreachable) → browser at once. Otherwise
 * `Office.onReady()` (Office JavaScript API: "Initialize your Office Add-in") raced with `waitMs`:
 * outside Office it resolves with `host: null`, but nothing promises it resolves at all, so a
 * late or failed answer is a browser too. Only `info.host === Office.HostType.Excel` is Excel,
 * compared through the enum because the CDN's values (`"Excel"`) are not the typings' numbers.
 */
export async function detectOffice(win: object, waitMs: number = OFFICE_WAIT_MS): Promise<OfficeHost> {
  const office = officeOf(win)
  if (!office) return BROWSER
  let info: unknown
  try {
    info = await within(office.onReady(), waitMs)
  } catch {
    return BROWSER
  }
  if (info === TIMED_OUT || !isRecord(info) || info.host !== office.HostType.Excel) return BROWSER
  // office.js from the CDN defines Excel with Office; without it the pane could not reach the workbook.
  const excel = excelOf(win)
  if (!excel) return BROWSER
  const documentUrl = urlText(isRecord(office.context) && isRecord(office.context.document) ? office.context.document.url : null)
  return {
    kind: 'excel',
    excel,
    office,
    platform: platformOf(office, info.platform),
    documentUrl,
    workbook: workbookPlace(documentUrl),
    canNavigate: supports(office, 'ExcelApi', '1.4'),
  }
}

/**
 * The open workbook's URL as the host knows it now: `Document.getFilePropertiesAsync` (asked
 * each time, so it sees a Save As made while the pane was open, which `Office.context.document.url`
 * does not), falling back to `document.url` when that call fails (a never-saved workbook in Excel
 * fails it, office-js#3509), is missing, or gives no answer within `waitMs`.
 */
export async function readDocumentUrl(office: OfficeApi, waitMs: number = OFFICE_WAIT_MS): Promise<string | null> {
  const document = office.context.document
  const opened = urlText(document.url)
  if (typeof document.getFilePropertiesAsync !== 'function') return opened
  const ask = new Promise<string | null>((resolve) => {
    document.getFilePropertiesAsync?.((result) => {
      const succeeded = result.status === office.AsyncResultStatus.Succeeded
      resolve(succeeded && isRecord(result.value) ? urlText(result.value.url) : null)
    })
  })
  let live: string | null | typeof TIMED_OUT
  try {
    live = await within(ask, waitMs)
  } catch {
    live = null
  }
  return live === TIMED_OUT || live === null ? opened : live
}

/** A URL, or null for the host's "none" (null, undefined or an empty string, all seen). */
function urlText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

/** What a document URL means for Graph (see WorkbookPlace). */
export function workbookPlace(documentUrl: string | null): WorkbookPlace {
  if (documentUrl === null) return { kind: 'unsaved' }
  if (/^https?:\/\//i.test(documentUrl)) return { kind: 'cloud', url: documentUrl }
  if (/[\\/]/.test(documentUrl)) return { kind: 'local', path: documentUrl }
  return { kind: 'unsaved' }
}

function platformOf(office: OfficeApi, platform: unknown): OfficePlatform {
  const types = office.PlatformType
  if (!types || platform === null || platform === undefined) return 'other'
  if (platform === types.PC) return 'windows'
  if (platform === types.Mac) return 'mac'
  if (platform === types.OfficeOnline) return 'web'
  if (platform === types.iOS) return 'ios'
  if (platform === types.Android) return 'android'
  return 'other'
}

/** Office.context.requirements.isSetSupported; a host that cannot say is taken not to support it. */
function supports(office: OfficeApi, set: string, version: string): boolean {
  try {
    return office.context.requirements.isSetSupported(set, version) === true
  } catch {
    return false
  }
}
