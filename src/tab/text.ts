import type { WigView } from '../app/dashboard.ts'
import { formatRange, formatShare } from '../domain/units.ts'

/** How the tab words a WIG's numbers; the numbers themselves come from the app layer. */

const DATE = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' })
const TIME = new Intl.DateTimeFormat('en-US', { timeStyle: 'short' })

/** "Jun 30, 2027": dates are calendar days, shown the same in every time zone. */
export const showDate = (iso: string): string => DATE.format(new Date(`${iso}T00:00:00Z`))
export const showTime = (iso: string): string => TIME.format(new Date(iso))

/** "from 18% to 75% by Jun 30, 2025"; a milestone is "by Jun 30, 2025". */
export function goalText(wig: WigView): string {
  const by = wig.targetDate === null ? '' : `by ${showDate(wig.targetDate)}`
  if (wig.kind === 'Milestone') return by === '' ? 'Milestone' : `Milestone ${by}`
  const from = wig.line?.start.text ?? wig.baselineText
  const to = wig.targetText
  const range = from !== null && to !== null ? `from ${from} to ${to}` : to !== null ? `to ${to}` : ''
  return [range, by].filter(Boolean).join(' ')
}

/** "38% of the way · expected 40% by Nov 30, 2026": the share expected at the latest check-in (a milestone's: by the as-of date). */
export function progressText(wig: WigView): string | null {
  if (wig.progress === null) return null
  const expected = wig.expectedProgress
  if (wig.kind === 'Milestone') return `${formatShare(wig.progress)} of steps done${expected === null ? '' : ` · expected ${formatShare(expected)} by now`}`
  const at = wig.latest ? ` by ${showDate(wig.latest.date)}` : ''
  return `${formatShare(wig.progress)} of the way${expected === null ? '' : ` · expected ${formatShare(expected)}${at}`}`
}

export function latestText(wig: WigView): string | null {
  return wig.latest && wig.latestText !== null ? `${wig.latestText} on ${showDate(wig.latest.date)}` : null
}

export function stepCountsText(wig: WigView): string {
  return `${wig.steps.done} done · ${wig.openSteps} open · ${wig.steps.overdue} overdue`
}

/** The sparkline read out: "4 check-ins, from 18% on Sep 1, 2025 to 38% on Nov 30, 2026; target 75%". */
export function trendLabel(wig: WigView): string {
  const first = wig.readings[0]
  const last = wig.readings.at(-1)
  if (!first || !last) return 'No check-ins yet'
  const count = `${wig.readings.length} check-in${wig.readings.length === 1 ? '' : 's'}`
  const path = first === last ? `${last.text} on ${showDate(last.date)}` : `from ${first.text} on ${showDate(first.date)} to ${last.text} on ${showDate(last.date)}`
  return `Trend: ${count}, ${path}${wig.targetText ? `; target ${wig.targetText}` : ''}`
}

export function chartDescription(wig: WigView): string {
  const parts = [trendLabel(wig)]
  if (wig.line) parts.push(`Expected line from ${wig.line.start.text} on ${showDate(wig.line.start.date)} to ${wig.line.end.text} on ${showDate(wig.line.end.date)}`)
  if (wig.expectedText && wig.latest) parts.push(`expected ${wig.expectedText} by ${showDate(wig.latest.date)}`)
  return `${parts.join('. ')}.`
}

export function rangeText(wig: WigView): string | null {
  return wig.baseline === null || wig.target === null ? null : formatRange(wig.baseline, wig.target, wig)
}

/** The WIG's own check-ins logged with a note, newest first: what its owner said about the latest values. */
export function notedReadings(wig: Pick<WigView, 'readings'>, most = 5): WigView['readings'] {
  return wig.readings.filter((r) => r.note.trim() !== '').slice(-most).reverse()
}
