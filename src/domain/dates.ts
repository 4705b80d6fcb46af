/** A calendar date as `YYYY-MM-DD`. Branded so that only parsed dates reach the engine. */
export type IsoDate = string & { readonly __brand: 'IsoDate' }

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/
const DAY_MS = 86_400_000
/** Days between 1899-12-30 (Excel's 1900-system day zero, leap-year bug included) and 1970-01-01. */
const EXCEL_EPOCH_OFFSET = 25_569

export function parseIsoDate(text: string): IsoDate | null {
  const m = ISO.exec(text.trim())
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null
  return m[0] as IsoDate
}

export function isoFromUtcMs(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10) as IsoDate
}

export function utcMs(date: IsoDate): number {
  return Date.parse(`${date}T00:00:00Z`)
}

/**
 * Days already turned into dates: a district's 100,000 check-ins fall on a few hundred days, and
 * building a Date for each was a tenth of reading a large workbook. Bounded, so an odd workbook
 * cannot grow it without end.
 */
const dayOfSerial = new Map<number, IsoDate>()
const MAX_REMEMBERED_DAYS = 20_000

/** Excel serial (1900 system) → date; the time of day is dropped. Serials before 1900-03-01 are not plan dates. */
export function isoFromExcelSerial(serial: number): IsoDate | null {
  if (!Number.isFinite(serial) || serial < 61 || serial > 2_958_465) return null
  const day = Math.floor(serial)
  let iso = dayOfSerial.get(day)
  if (iso === undefined) {
    if (dayOfSerial.size >= MAX_REMEMBERED_DAYS) dayOfSerial.clear()
    iso = isoFromUtcMs((day - EXCEL_EPOCH_OFFSET) * DAY_MS)
    dayOfSerial.set(day, iso)
  }
  return iso
}

export function excelSerialFromIso(date: IsoDate): number {
  return utcMs(date) / DAY_MS + EXCEL_EPOCH_OFFSET
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return isoFromUtcMs(utcMs(date) + days * DAY_MS)
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((utcMs(b) - utcMs(a)) / DAY_MS)
}

export function todayIso(now: Date = new Date()): IsoDate {
  return isoFromUtcMs(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()))
}
