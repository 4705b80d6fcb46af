import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { detectOffice, readDocumentUrl, workbookPlace, type OfficeHost } from '../../../src/taskpane/office/host.ts'
import type { ExcelApi, OfficeApi } from '../../../src/taskpane/office/office-api.ts'

/**
 * Host detection and the document URL. `Office` here is a plain object, not office-addin-mock's
 * OfficeMockObject: Office.onReady, Office.context.document.url and getFilePropertiesAsync are
 * Office's common API, plain values and callbacks with no load/sync, while OfficeMockObject would
 * make `url` read as "Error, property was not loaded". The enums hold the strings office.js from
 * the CDN defines (`Office.HostType.Excel === "Excel"`), not the typings' numbers.
 */

type Ready = { host: unknown; platform: unknown }
type FileResult = { status: unknown; value: unknown }

const HostType = { Word: 'Word', Excel: 'Excel', PowerPoint: 'PowerPoint', Outlook: 'Outlook', OneNote: 'OneNote', Project: 'Project' }
const PlatformType = { PC: 'PC', OfficeOnline: 'OfficeOnline', Mac: 'Mac', iOS: 'iOS', Android: 'Android', Universal: 'Universal' }
const AsyncResultStatus = { Succeeded: 'succeeded', Failed: 'failed' }

const SHAREPOINT_URL = 'https://riverbend.sharepoint.com/sites/plan/Shared Documents/pm-workbook.xlsx'

function office(
  ready: () => Promise<Ready>,
  document: { url?: unknown; getFilePropertiesAsync?: (callback: (result: FileResult) => void) => void } = { url: SHAREPOINT_URL },
  isSetSupported: (name: string, version?: string) => boolean = () => true,
): OfficeApi {
  return { onReady: ready, HostType, PlatformType, AsyncResultStatus, context: { document: { url: null, ...document }, requirements: { isSetSupported } } }
}

const excel: ExcelApi = { run: (batch) => batch({} as never) }
const readyIn = (host: unknown, platform: unknown = PlatformType.OfficeOnline) => () => Promise.resolve({ host, platform })
const never = () => new Promise<Ready>(() => {})

/** Whether the promise has settled once pending microtasks have run (fake timers do not move). */
async function settled<T>(promise: Promise<T>): Promise<boolean> {
  let done = false
  void promise.then(
    () => (done = true),
    () => (done = true),
  )
  await vi.advanceTimersByTimeAsync(0)
  return done
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('detectOffice: Excel or a plain page, without hanging (Office.onReady)', () => {
  it('is a browser at once when the page has no Office global (no office.js, or the CDN unreachable)', async () => {
    const detecting = detectOffice({}, 5000)
    expect(await settled(detecting)).toBe(true)
    expect(await detecting).toEqual({ kind: 'browser' })
    expect(vi.getTimerCount()).toBe(0)
  })

  it('is Excel when Office.onReady says the host is Office.HostType.Excel, with the document URL', async () => {
    const host = await detectOffice({ Office: office(readyIn(HostType.Excel)), Excel: excel })
    expect(host).toEqual({
      kind: 'excel',
      excel,
      office: expect.objectContaining({ HostType }),
      platform: 'web',
      documentUrl: SHAREPOINT_URL,
      workbook: { kind: 'cloud', url: SHAREPOINT_URL },
      canNavigate: true,
    } satisfies OfficeHost)
  })

  it('leaves no timer behind once Office.onReady has answered', async () => {
    await detectOffice({ Office: office(readyIn(HostType.Excel)), Excel: excel }, 5000)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('gives up on an Office.onReady that never answers after waitMs, and not before', async () => {
    const detecting = detectOffice({ Office: office(never), Excel: excel }, 5000)
    await vi.advanceTimersByTimeAsync(4999)
    expect(await settled(detecting)).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await detecting).toEqual({ kind: 'browser' })
    expect(vi.getTimerCount()).toBe(0)
  })

  it('is a browser when office.js runs outside Office (Office.onReady gives host null)', async () => {
    expect(await detectOffice({ Office: office(readyIn(null, null)), Excel: excel })).toEqual({ kind: 'browser' })
  })

  it('is a browser in another Office application', async () => {
    expect(await detectOffice({ Office: office(readyIn(HostType.Word)), Excel: excel })).toEqual({ kind: 'browser' })
  })

  it('is a browser when Office.onReady rejects', async () => {
    expect(await detectOffice({ Office: office(() => Promise.reject(new Error('boom'))), Excel: excel })).toEqual({ kind: 'browser' })
  })

  it('is a browser when Excel says so but the Excel namespace is missing: nothing could reach the workbook', async () => {
    expect(await detectOffice({ Office: office(readyIn(HostType.Excel)) })).toEqual({ kind: 'browser' })
  })

  it('ignores an Office global that is not Office.js', async () => {
    expect(await detectOffice({ Office: { name: 'something else' }, Excel: excel })).toEqual({ kind: 'browser' })
  })

  it.each([
    [PlatformType.PC, 'windows'],
    [PlatformType.Mac, 'mac'],
    [PlatformType.OfficeOnline, 'web'],
    [PlatformType.iOS, 'ios'],
    [PlatformType.Android, 'android'],
    [PlatformType.Universal, 'other'],
    [null, 'other'],
  ])('names Office.PlatformType %j as %j', async (platform, name) => {
    const host = await detectOffice({ Office: office(readyIn(HostType.Excel, platform)), Excel: excel })
    expect(host.kind === 'excel' && host.platform).toBe(name)
  })

  it('cannot navigate without ExcelApi 1.4 (Office.context.requirements.isSetSupported)', async () => {
    const asked: string[] = []
    const isSetSupported = (name: string, version?: string) => {
      asked.push(`${name} ${version}`)
      return false
    }
    const host = await detectOffice({ Office: office(readyIn(HostType.Excel), { url: SHAREPOINT_URL }, isSetSupported), Excel: excel })
    expect(host).toMatchObject({ kind: 'excel', canNavigate: false })
    expect(asked).toEqual(['ExcelApi 1.4'])
  })

  it.each([
    ['a never-saved workbook (null)', null, null, { kind: 'unsaved' }],
    ['a guest in Excel on the web (empty, office-js#3204)', '', null, { kind: 'unsaved' }],
    ['a missing url', undefined, null, { kind: 'unsaved' }],
    ['a file on Windows', 'C:\\Users\\ada\\Documents\\plan.xlsx', 'C:\\Users\\ada\\Documents\\plan.xlsx', { kind: 'local', path: 'C:\\Users\\ada\\Documents\\plan.xlsx' }],
    ['a file on a Mac', '/Users/ada/Documents/plan.xlsx', '/Users/ada/Documents/plan.xlsx', { kind: 'local', path: '/Users/ada/Documents/plan.xlsx' }],
    ['a OneDrive file', ' https://d.docs.live.net/1a2b/Documents/plan.xlsx ', 'https://d.docs.live.net/1a2b/Documents/plan.xlsx', { kind: 'cloud', url: 'https://d.docs.live.net/1a2b/Documents/plan.xlsx' }],
  ])('reads Office.context.document.url for %s', async (_, url, documentUrl, workbook) => {
    const host = await detectOffice({ Office: office(readyIn(HostType.Excel), { url }), Excel: excel })
    expect(host).toMatchObject({ kind: 'excel', documentUrl, workbook })
  })
})

describe('readDocumentUrl: the URL now, after a Save As too (Document.getFilePropertiesAsync)', () => {
  const answering = (result: FileResult) => (callback: (r: FileResult) => void) => callback(result)

  it('prefers what the host says now over the URL the pane opened with', async () => {
    const saved = 'https://riverbend-my.sharepoint.com/personal/ada/Documents/plan.xlsx'
    const o = office(readyIn(HostType.Excel), { url: '', getFilePropertiesAsync: answering({ status: AsyncResultStatus.Succeeded, value: { url: saved } }) })
    expect(await readDocumentUrl(o)).toBe(saved)
  })

  it('falls back to Office.context.document.url when the call fails (a never-saved workbook, office-js#3509)', async () => {
    const o = office(readyIn(HostType.Excel), { url: SHAREPOINT_URL, getFilePropertiesAsync: answering({ status: AsyncResultStatus.Failed, value: undefined }) })
    expect(await readDocumentUrl(o)).toBe(SHAREPOINT_URL)
  })

  it('falls back when the host has no getFilePropertiesAsync', async () => {
    expect(await readDocumentUrl(office(readyIn(HostType.Excel), { url: SHAREPOINT_URL }))).toBe(SHAREPOINT_URL)
  })

  it('falls back when the callback never comes, after waitMs', async () => {
    const o = office(readyIn(HostType.Excel), { url: SHAREPOINT_URL, getFilePropertiesAsync: () => {} })
    const reading = readDocumentUrl(o, 2000)
    await vi.advanceTimersByTimeAsync(1999)
    expect(await settled(reading)).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await reading).toBe(SHAREPOINT_URL)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('is null when neither knows a URL', async () => {
    const o = office(readyIn(HostType.Excel), { url: null, getFilePropertiesAsync: answering({ status: AsyncResultStatus.Succeeded, value: { url: '' } }) })
    expect(await readDocumentUrl(o)).toBeNull()
  })
})

describe('workbookPlace', () => {
  it.each([
    [null, { kind: 'unsaved' }],
    ['Book1', { kind: 'unsaved' }],
    ['http://127.0.0.1:5170/files/plan.xlsx', { kind: 'cloud', url: 'http://127.0.0.1:5170/files/plan.xlsx' }],
    ['HTTPS://contoso.sharepoint.com/x.xlsx', { kind: 'cloud', url: 'HTTPS://contoso.sharepoint.com/x.xlsx' }],
    ['file:///C:/plan.xlsx', { kind: 'local', path: 'file:///C:/plan.xlsx' }],
    ['\\\\server\\share\\plan.xlsx', { kind: 'local', path: '\\\\server\\share\\plan.xlsx' }],
  ])('places %j as %j', (url, place) => {
    expect(workbookPlace(url)).toEqual(place)
  })
})
