import { addDays, daysBetween, type IsoDate } from '../domain/dates.ts'

/** Calendar arithmetic the sample needs on top of domain/dates: months and school plan years. */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const

function parts(date: IsoDate): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) }
}

function iso(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as IsoDate
}

export function firstOfMonth(date: IsoDate): IsoDate {
  const { year, month } = parts(date)
  return iso(year, month, 1)
}

export function endOfMonth(date: IsoDate): IsoDate {
  const { year, month } = parts(date)
  const next = month === 12 ? iso(year + 1, 1, 1) : iso(year, month + 1, 1)
  return addDays(next, -1)
}

/** The last day of the month `months` after the one holding `date`. */
export function endOfMonthAfter(date: IsoDate, months: number): IsoDate {
  const { year, month } = parts(date)
  const index = year * 12 + (month - 1) + months
  return endOfMonth(iso(Math.floor(index / 12), (index % 12) + 1, 1))
}

/** "June 2026": how plans write a goal's deadline. */
export function monthYear(date: IsoDate): string {
  const { year, month } = parts(date)
  return `${MONTHS[month - 1] ?? ''} ${year}`
}

export function earlier(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b
}

export function later(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b
}

/** A school plan year runs July 1 to June 30. */
export type PlanYear = { start: IsoDate; end: IsoDate; label: string }

export function planYearOf(date: IsoDate): PlanYear {
  const { year, month } = parts(date)
  const first = month >= 7 ? year : year - 1
  return { start: iso(first, 7, 1), end: iso(first + 1, 6, 30), label: `${first}-${String((first + 1) % 100).padStart(2, '0')}` }
}

/** The date `fraction` of the way from `from` to `to`, to the day. */
export function between(from: IsoDate, to: IsoDate, fraction: number): IsoDate {
  return addDays(from, Math.round(daysBetween(from, to) * fraction))
}
