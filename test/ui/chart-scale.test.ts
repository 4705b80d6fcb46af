import { describe, expect, it } from 'vitest'
import type { IsoDate } from '../../src/domain/dates.ts'
import { fitScale, pathOf, type ChartPoint } from '../../src/ui/chart-scale.ts'

const d = (text: string): IsoDate => text as IsoDate
const p = (date: string, value: number): ChartPoint => ({ date: d(date), value })
const BOX = { left: 10, right: 110, top: 5, bottom: 55 }

describe('fitScale: readings and the expected line fitted into the chart box', () => {
  const readings = [p('2026-01-01', 20), p('2026-01-11', 40), p('2026-01-21', 30)]

  it('the earliest date is at the left edge, the latest at the right, days evenly spaced', () => {
    const scale = fitScale(readings, null, BOX)
    expect(scale.x(d('2026-01-01'))).toBe(10)
    expect(scale.x(d('2026-01-21'))).toBe(110)
    expect(scale.x(d('2026-01-11'))).toBe(60)
  })

  it('the highest value is at the top, the lowest at the bottom', () => {
    const scale = fitScale(readings, null, BOX)
    expect(scale.y(40)).toBe(5)
    expect(scale.y(20)).toBe(55)
    expect(scale.y(30)).toBe(30)
  })

  it('makes room for the expected line, which may start earlier and end later and higher', () => {
    const scale = fitScale(readings, { start: p('2025-12-22', 0), end: p('2026-01-31', 100) }, BOX)
    expect(scale.x(d('2025-12-22'))).toBe(10)
    expect(scale.x(d('2026-01-31'))).toBe(110)
    expect(scale.y(100)).toBe(5)
    expect(scale.y(0)).toBe(55)
  })

  it('extra dates and values (today, the target) widen the box too', () => {
    const scale = fitScale(readings, null, BOX, { dates: [d('2026-02-10')], values: [60] })
    expect(scale.x(d('2026-02-10'))).toBe(110)
    expect(scale.y(60)).toBe(5)
    expect(scale.x(d('2026-01-01'))).toBe(10)
  })

  it('a single reading sits in the middle of the box instead of dividing by zero', () => {
    const scale = fitScale([p('2026-03-01', 7)], null, BOX)
    expect(scale.x(d('2026-03-01'))).toBe(60)
    expect(scale.y(7)).toBe(30)
  })

  it('nothing to show still gives finite positions', () => {
    const scale = fitScale([], null, BOX)
    expect(Number.isFinite(scale.y(0))).toBe(true)
    expect(Number.isFinite(scale.x(d('2026-03-01')))).toBe(true)
  })
})

describe('pathOf: an SVG path through the points', () => {
  it('moves to the first point and draws lines to the others, to one decimal', () => {
    const points = [p('2026-01-01', 20), p('2026-01-04', 40), p('2026-01-21', 30)]
    expect(pathOf(points, fitScale(points, null, BOX))).toBe('M10.0,55.0 L25.0,5.0 L110.0,30.0')
  })

  it('no points, no path', () => {
    expect(pathOf([], fitScale([], null, BOX))).toBe('')
  })
})
