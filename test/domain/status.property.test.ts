import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { addDays, type IsoDate } from '../../src/domain/dates.ts'
import { STEP_STATUSES, type ActionStep, type CheckIn, type Direction, type Wig, type WigStatus } from '../../src/domain/model.ts'
import { planReport } from '../../src/domain/report.ts'
import { wigStatus } from '../../src/domain/status.ts'
import { brand, d, settings, step, wig, type Loose } from './builders.ts'

const BASE = d('2025-01-01')
const day = (offset: number): IsoDate => addDays(BASE, offset)
const offsetArb = fc.integer({ min: -200, max: 500 })

/** Better is higher; statuses outside this scale (Not started, No data) cannot be compared. */
const RANK: Partial<Record<WigStatus, number>> = { Missed: 0, 'Off track': 1, 'At risk': 2, 'On track': 3, Achieved: 4 }

const thresholdsArb = fc
  .tuple(fc.double({ min: 0, max: 1.5, noNaN: true }), fc.double({ min: 0, max: 1.5, noNaN: true }))
  .map(([a, b]) => settings({ atRiskAt: Math.min(a, b), onTrackAt: Math.max(a, b) }))

function ci(offset: number, value: number | null, position: number, over: Partial<Loose<CheckIn>> = {}): CheckIn {
  return brand<CheckIn>({ id: `C${position}`, wigId: 'W1', measureId: null, date: day(offset), value, note: '', enteredBy: '', enteredAt: '', position, ...over })
}

/**
 * A numeric WIG moving from B towards T (consistent with `direction`), with earlier check-ins and one
 * latest check-in at a date after all of them, whose value the property varies. When Baseline is blank
 * the first check-in carries B, as the rules would read it.
 */
function numericScenario(direction: Direction) {
  return fc
    .record({
      b: fc.integer({ min: -100, max: 100 }),
      delta: fc.integer({ min: 1, max: 100 }),
      baselineKnown: fc.boolean(),
      explicitDirection: fc.boolean(),
      startOffset: fc.option(offsetArb, { nil: null }),
      targetOffset: offsetArb,
      firstOffset: offsetArb,
      earlier: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 60 }), value: fc.integer({ min: -300, max: 300 }) }), { maxLength: 5 }),
      latestGap: fc.integer({ min: 1, max: 60 }),
      asOfGap: fc.integer({ min: -30, max: 200 }),
      values: fc.tuple(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -300, max: 300 })),
      s: thresholdsArb,
    })
    .map((r) => {
      const target = direction === 'Increase' ? r.b + r.delta : r.b - r.delta
      const w = wig({
        baseline: r.baselineKnown ? r.b : null,
        target,
        direction: r.explicitDirection ? direction : null,
        startDate: r.startOffset === null ? null : day(r.startOffset),
        targetDate: day(r.targetOffset),
      })
      const checkIns = [ci(r.firstOffset, r.b, 0)]
      let offset = r.firstOffset
      r.earlier.forEach((e, i) => {
        offset += e.gap
        checkIns.push(ci(offset, e.value, i + 1))
      })
      const latestOffset = offset + r.latestGap
      const [lo, hi] = r.values[0] <= r.values[1] ? r.values : [r.values[1], r.values[0]]
      const better = direction === 'Increase' ? hi : lo
      const worse = direction === 'Increase' ? lo : hi
      const withLatest = (v: number): CheckIn[] => [...checkIns, ci(latestOffset, v, checkIns.length)]
      return { w, worse: withLatest(worse), better: withLatest(better), asOf: day(latestOffset + r.asOfGap), s: r.s }
    })
}

function neverWorse(worse: WigStatus, better: WigStatus): boolean {
  const a = RANK[worse]
  const b = RANK[better]
  return a === undefined || b === undefined ? worse === better : b >= a
}

describe('status properties', () => {
  it('for an Increase WIG a higher latest value never gives a worse status', () => {
    fc.assert(
      fc.property(numericScenario('Increase'), ({ w, worse, better, asOf, s }) => {
        const lo = wigStatus(w, worse, [], s, asOf).computedStatus
        const hi = wigStatus(w, better, [], s, asOf).computedStatus
        expect(neverWorse(lo, hi), `${lo} → ${hi}`).toBe(true)
      }),
    )
  })

  it('for a Decrease WIG a lower latest value never gives a worse status', () => {
    fc.assert(
      fc.property(numericScenario('Decrease'), ({ w, worse, better, asOf, s }) => {
        const hi = wigStatus(w, worse, [], s, asOf).computedStatus
        const lo = wigStatus(w, better, [], s, asOf).computedStatus
        expect(neverWorse(hi, lo), `${hi} → ${lo}`).toBe(true)
      }),
    )
  })

  const anyWig = fc
    .record({
      kind: fc.constantFrom('Numeric' as const, 'Milestone' as const),
      baseline: fc.option(fc.integer({ min: -100, max: 100 }), { nil: null }),
      target: fc.option(fc.integer({ min: -100, max: 100 }), { nil: null }),
      direction: fc.constantFrom<Direction | null>('Increase', 'Decrease', null),
      startOffset: fc.option(offsetArb, { nil: null }),
      targetOffset: fc.option(offsetArb, { nil: null }),
      statusOverride: fc.constantFrom<WigStatus | null>(null, 'On track', 'Off track'),
    })
    .map(
      (r): Wig =>
        wig({
          kind: r.kind,
          baseline: r.baseline,
          target: r.target,
          direction: r.direction,
          startDate: r.startOffset === null ? null : day(r.startOffset),
          targetDate: r.targetOffset === null ? null : day(r.targetOffset),
          statusOverride: r.statusOverride,
        }),
    )

  const checkInsArb = fc.array(
    fc.record({
      wigId: fc.constantFrom('W1', 'W2'),
      measureId: fc.constantFrom<string | null>(null, null, 'M1'),
      offset: offsetArb,
      value: fc.option(fc.integer({ min: -300, max: 300 }), { nil: null, freq: 8 }),
    }),
    { maxLength: 8 },
  )

  const stepsArb = fc.array(
    fc.record({
      wigId: fc.constantFrom('W1', 'W2'),
      dueOffset: fc.option(offsetArb, { nil: null }),
      status: fc.constantFrom(...STEP_STATUSES, null),
    }),
    { maxLength: 8 },
  )

  const toSteps = (rows: { wigId: string; dueOffset: number | null; status: ActionStep['status'] }[]): ActionStep[] =>
    rows.map((r) => step({ wigId: r.wigId, dueDate: r.dueOffset === null ? null : day(r.dueOffset), status: r.status }))

  it('an asOf before StartDate always gives Not started', () => {
    fc.assert(
      fc.property(anyWig, offsetArb, fc.integer({ min: 1, max: 400 }), checkInsArb, stepsArb, thresholdsArb, (w0, start, before, cis, sts, s) => {
        const w = { ...w0, startDate: day(start) }
        const checkIns = cis.map((c, i) => ci(c.offset, c.value, i, { wigId: c.wigId, measureId: c.measureId }))
        const r = wigStatus(w, checkIns, toSteps(sts), s, day(start - before))
        expect(r.computedStatus).toBe('Not started')
      }),
    )
  })

  it('adding check-ins dated after asOf never changes the report', () => {
    fc.assert(
      fc.property(
        anyWig,
        offsetArb,
        checkInsArb,
        checkInsArb,
        stepsArb,
        fc.integer({ min: 0, max: 20 }),
        thresholdsArb,
        (w, asOfOffset, before, after, sts, insertAt, s) => {
          const asOf = day(asOfOffset)
          const base = before.map((c) => ({ ...c, offset: Math.min(c.offset, asOfOffset) }))
          const later = after.map((c) => ({ ...c, offset: asOfOffset + 1 + Math.abs(c.offset) }))
          const rows = [...base.slice(0, insertAt), ...later, ...base.slice(insertAt)]
          // Positions follow the table, so the later rows may sit anywhere, even below the latest counted one.
          const toCheckIns = (list: typeof rows): CheckIn[] => list.map((c, i) => ci(c.offset, c.value, i, { wigId: c.wigId, measureId: c.measureId }))
          const withoutLater = toCheckIns(rows).filter((c) => c.date !== null && c.date <= asOf)
          const steps = toSteps(sts)
          const plan = { strategies: [], wigs: [w], measures: [], steps, people: [], settings: s }
          expect(planReport({ ...plan, checkIns: toCheckIns(rows) }, asOf)).toEqual(planReport({ ...plan, checkIns: withoutLater }, asOf))
          expect(wigStatus(w, toCheckIns(rows), steps, s, asOf)).toEqual(wigStatus(w, withoutLater, steps, s, asOf))
        },
      ),
    )
  })
})
