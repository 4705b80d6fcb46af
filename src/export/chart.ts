import type { Point } from '../app/dashboard.ts'
import { utcMs, type IsoDate } from '../domain/dates.ts'
import { formatValue, type ValueUnits } from '../domain/units.ts'
import { escapeHtml as esc, longDate } from './format.ts'
import type { BoardWig } from './view.ts'

/**
 * A WIG's trajectory as inline SVG: `role="img"` named by its `<title>`, with a `<desc>` that
 * says in words what the picture shows (the expected line, every check-in or a summary of them,
 * the latest against the expected). Lines differ by dash as well as colour, and the legend says
 * which is which. Numeric WIGs: check-ins against the straight line from baseline to target.
 * Milestones: steps done against the steps due by each date.
 */

const W = 420
const H = 200
const BOX = { left: 58, right: W - 16, top: 24, bottom: H - 44 }
const FONT = 13
const ACTUAL = '#1f4e9c'
const EXPECTED = '#555555'
const AXIS = '#767676'
/** More readings than this are summarised in the text alternative (first, lowest, highest, the latest few). */
const LISTED = 12

type Scale = { x: (date: IsoDate) => number; y: (value: number) => number }

export function trajectorySvg(w: BoardWig, asOf: IsoDate, idBase: string): string {
  const titleId = `${idBase}-title`
  const descId = `${idBase}-desc`
  const drawn = w.kind === 'Milestone' ? milestone(w, asOf) : numeric(w, asOf)
  return [
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${titleId} ${descId}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${titleId}">${esc(`Trajectory of ${w.id}`)}</title>`,
    `<desc id="${descId}">${esc(drawn.description)}</desc>`,
    drawn.body,
    '</svg>',
  ].join('')
}

function numeric(w: BoardWig, asOf: IsoDate): { body: string; description: string } {
  const { text, caption } = axisText(w.units)
  const points = w.readings
  const line = w.line
  if (points.length === 0 && line === null) return { body: empty('No check-ins yet'), description: 'No check-ins yet, and no baseline and target to draw a line from.' }
  const dates = [...points.map((p) => p.date), ...(line ? [line.start.date, line.end.date] : []), asOf]
  const values = [...points.map((p) => p.value), ...(line ? [line.start.value, line.end.value] : [])]
  const scale = fit(dates, values)
  const parts: string[] = [axes(scale, dates, values, text, caption)]
  if (line) {
    parts.push(`<line x1="${f(scale.x(line.start.date))}" y1="${f(scale.y(line.start.value))}" x2="${f(scale.x(line.end.date))}" y2="${f(scale.y(line.end.value))}" stroke="${EXPECTED}" stroke-width="2" stroke-dasharray="6 4"/>`)
    const tx = scale.x(line.end.date)
    const ty = scale.y(line.end.value)
    parts.push(`<path d="M${f(tx)},${f(ty - 6)} L${f(tx + 6)},${f(ty)} L${f(tx)},${f(ty + 6)} L${f(tx - 6)},${f(ty)} Z" fill="#ffffff" stroke="${EXPECTED}" stroke-width="2"/>`)
  }
  parts.push(asOfMarker(scale, asOf))
  if (points.length > 0) {
    parts.push(`<path d="${points.map((p, i) => `${i === 0 ? 'M' : 'L'}${f(scale.x(p.date))},${f(scale.y(p.value))}`).join(' ')}" fill="none" stroke="${ACTUAL}" stroke-width="2.5"/>`)
    for (const p of points) parts.push(`<circle cx="${f(scale.x(p.date))}" cy="${f(scale.y(p.value))}" r="3.5" fill="${ACTUAL}"/>`)
  }
  return { body: parts.join(''), description: numericDescription(w, points) }
}

function numericDescription(w: BoardWig, points: readonly Point[]): string {
  const said: string[] = []
  if (w.line) said.push(`Expected path: from ${w.line.start.text} on ${longDate(w.line.start.date)} to the target, ${w.line.end.text} by ${longDate(w.line.end.date)}.`)
  if (points.length === 0) said.push('No check-ins yet.')
  else {
    const listed = points.length <= LISTED ? points : points.slice(-LISTED)
    const lowest = points.reduce((a, b) => (b.value < a.value ? b : a))
    const highest = points.reduce((a, b) => (b.value > a.value ? b : a))
    said.push(`${points.length} check-in${points.length === 1 ? '' : 's'}.`)
    if (listed.length < points.length) said.push(`First ${points[0]?.text ?? ''} on ${longDate(points[0]?.date ?? lowest.date)}; lowest ${lowest.text}, highest ${highest.text}; the latest ${listed.length}:`)
    said.push(`${listed.map((p) => `${p.text} on ${longDate(p.date)}`).join('; ')}.`)
  }
  if (w.latest && w.expected) said.push(`Latest ${w.latest.text}, where ${w.expected.text} was expected by then.`)
  else if (w.latest) said.push(`Latest ${w.latest.text}.`)
  return said.join(' ')
}

function milestone(w: BoardWig, asOf: IsoDate): { body: string; description: string } {
  const m = w.milestone
  const due = (m?.dueDates ?? []).filter((d): d is IsoDate => d !== null).sort()
  const n = m?.dueDates.length ?? 0
  if (n === 0) return { body: empty('No action steps yet'), description: 'A milestone WIG with no action steps yet.' }
  const done = m?.done ?? 0
  const end = w.targetDate ?? due.at(-1) ?? asOf
  const start = due[0] ?? asOf
  const dates = [start, end, asOf, ...due]
  const scale = fit(dates, [0, n])
  const parts: string[] = [axes(scale, dates, [0, n], (v) => String(Math.round(v)), 'action steps')]
  // The staircase of steps due: one more at each due date.
  let path = `M${f(scale.x(start))},${f(scale.y(0))}`
  let y = 0
  for (const d of due) {
    path += ` L${f(scale.x(d))},${f(scale.y(y))}`
    y += 1
    path += ` L${f(scale.x(d))},${f(scale.y(y))}`
  }
  path += ` L${f(scale.x(end))},${f(scale.y(y))}`
  parts.push(`<path d="${path}" fill="none" stroke="${EXPECTED}" stroke-width="2" stroke-dasharray="6 4"/>`)
  parts.push(asOfMarker(scale, asOf))
  parts.push(`<rect x="${f(scale.x(asOf) - 5)}" y="${f(scale.y(done) - 5)}" width="10" height="10" fill="${ACTUAL}"/>`)
  const dueNow = due.filter((d) => d < asOf).length
  const description = `Milestone with ${n} action step${n === 1 ? '' : 's'} that count (cancelled ones do not). Steps due over time, from ${longDate(start)} to ${longDate(end)}. By ${longDate(asOf)}, ${dueNow} were due and ${done} ${done === 1 ? 'is' : 'are'} done.`
  return { body: parts.join(''), description }
}

function fit(dates: readonly IsoDate[], values: readonly number[]): Scale {
  const [x0, x1] = span(dates.map(utcMs))
  const [y0, y1] = span(values)
  return {
    x: (date) => BOX.left + ((utcMs(date) - x0) / (x1 - x0)) * (BOX.right - BOX.left),
    y: (value) => BOX.bottom - ((value - y0) / (y1 - y0)) * (BOX.bottom - BOX.top),
  }
}

function span(numbers: readonly number[]): [number, number] {
  if (numbers.length === 0) return [0, 1]
  const low = Math.min(...numbers)
  const high = Math.max(...numbers)
  if (low === high) return [low - 1, high + 1]
  const pad = (high - low) * 0.06
  return [low - pad, high + pad]
}

/** Axes with the lowest and highest value and the first and last date: enough to read the picture, the rest is in the text. */
function axes(scale: Scale, dates: readonly IsoDate[], values: readonly number[], text: (v: number) => string, caption: string): string {
  const first = dates.reduce((a, b) => (b < a ? b : a))
  const last = dates.reduce((a, b) => (b > a ? b : a))
  const low = Math.min(...values)
  const high = Math.max(...values)
  const label = (x: number, y: number, anchor: string, words: string) => `<text x="${f(x)}" y="${f(y)}" text-anchor="${anchor}" font-size="${FONT}" fill="#333333">${esc(words)}</text>`
  return [
    `<line x1="${BOX.left}" y1="${BOX.bottom}" x2="${BOX.right}" y2="${BOX.bottom}" stroke="${AXIS}"/>`,
    `<line x1="${BOX.left}" y1="${BOX.top}" x2="${BOX.left}" y2="${BOX.bottom}" stroke="${AXIS}"/>`,
    caption === '' ? '' : label(4, 14, 'start', short(caption, 40)),
    label(BOX.left - 6, scale.y(high) + 4, 'end', short(text(high), 7)),
    low === high ? '' : label(BOX.left - 6, scale.y(low) + 4, 'end', short(text(low), 7)),
    label(BOX.left, BOX.bottom + 18, 'start', longDate(first)),
    label(BOX.right, BOX.bottom + 18, 'end', longDate(last)),
  ].join('')
}

/**
 * Axis numbers stay short beside the box: a word unit ("work orders") becomes the axis caption
 * and the ticks are bare numbers; percents and dollars keep their sign, the words after a percent
 * ("of students") go to the caption.
 */
function axisText(units: ValueUnits): { text: (v: number) => string; caption: string } {
  const unit = units.unit.trim()
  const percentTail = /^%\s*(.*)$/.exec(unit)
  if (units.scale === 'percentFraction' || percentTail) {
    return { text: (v) => formatValue(v, { scale: units.scale, unit: '%' }), caption: percentTail?.[1] ?? '' }
  }
  if (unit === '' || unit === '$') return { text: (v) => formatValue(v, units), caption: '' }
  return { text: (v) => formatValue(v, { scale: 'plain', unit: '' }), caption: unit }
}

function asOfMarker(scale: Scale, asOf: IsoDate): string {
  const x = scale.x(asOf)
  return `<line x1="${f(x)}" y1="${BOX.top}" x2="${f(x)}" y2="${BOX.bottom}" stroke="${AXIS}" stroke-dasharray="2 3"/><text x="${f(x)}" y="${BOX.bottom + 36}" text-anchor="middle" font-size="${FONT}" fill="#333333">as of</text>`
}

function empty(words: string): string {
  return `<rect x="${BOX.left}" y="${BOX.top}" width="${BOX.right - BOX.left}" height="${BOX.bottom - BOX.top}" fill="#f5f5f5" stroke="${AXIS}"/><text x="${(BOX.left + BOX.right) / 2}" y="${(BOX.top + BOX.bottom) / 2}" text-anchor="middle" font-size="${FONT}" fill="#333333">${esc(words)}</text>`
}

/** An axis label fits beside the box: "% of students" and long units are cut. */
const short = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

const f = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : '0')
