import { utcMs, type IsoDate } from '../domain/dates.ts'

export type ChartPoint = { date: IsoDate; value: number }
export type ChartLine = { start: ChartPoint; end: ChartPoint }

export type Scale = { x: (date: IsoDate) => number; y: (value: number) => number }

/** Fits the readings, the expected line and any extra dates/values into a box, with the lowest value at the bottom. */
export function fitScale(
  points: readonly ChartPoint[],
  line: ChartLine | null,
  box: { left: number; right: number; top: number; bottom: number },
  extra: { dates?: readonly IsoDate[]; values?: readonly number[] } = {},
): Scale {
  const dates = [...points.map((p) => p.date), ...(line ? [line.start.date, line.end.date] : []), ...(extra.dates ?? [])].map(utcMs)
  const values = [...points.map((p) => p.value), ...(line ? [line.start.value, line.end.value] : []), ...(extra.values ?? [])]
  const [x0, x1] = span(dates)
  const [y0, y1] = span(values)
  return {
    x: (date) => box.left + ((utcMs(date) - x0) / (x1 - x0)) * (box.right - box.left),
    y: (value) => box.bottom - ((value - y0) / (y1 - y0)) * (box.bottom - box.top),
  }
}

/** min and max, widened when they coincide so a single point sits in the middle instead of dividing by zero. */
function span(numbers: readonly number[]): [number, number] {
  if (numbers.length === 0) return [0, 1]
  const low = Math.min(...numbers)
  const high = Math.max(...numbers)
  if (low === high) return [low - 1, high + 1]
  return [low, high]
}

export const pathOf = (points: readonly ChartPoint[], scale: Scale): string =>
  points.map((p, i) => `${i === 0 ? 'M' : 'L'}${scale.x(p.date).toFixed(1)},${scale.y(p.value).toFixed(1)}`).join(' ')
