import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadPlan, type LoadedPlan } from '../../src/app/load-plan.ts'
import { noToken } from '../../src/auth/tokens.ts'
import { startServer, type RunningServer } from '../../src/server/server.ts'
import type { DriveItemLocation } from '../../src/workbook/graph/protocol/location.ts'
import { parseDriveItemUrl } from '../../src/workbook/graph/protocol/location.ts'
import { openGraphStore } from '../../src/workbook/graph/store/graph-store.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { WIG_STATUSES, type Plan } from '../../src/domain/model.ts'
import { planReport } from '../../src/domain/report.ts'
import { planYearOf } from '../../src/sample/calendar.ts'
import { sampleDistrict, type SampleData } from '../../src/sample/district.ts'
import { sampleRawWorkbook } from '../fixtures/sample-raw.ts'
import { scaledSampleDistrict, writeScaledSampleWorkbook } from '../../src/sample/scale.ts'
import { decodePlan } from '../../src/workbook/codec.ts'
import { TABLE_NAMES } from '../../src/workbook/contract.ts'
import { formatProblem } from '../../src/workbook/problem.ts'
import { duplicates, records, text } from './helpers.ts'
import { describeError } from '../../src/messages/errors.ts'

const AS_OF = '2026-01-12' as IsoDate
const SCALE = { checkIns: 40_000, steps: 6_000 }

/** Each WIG's status as the product shows it: computed, shown (a manual override wins) and stale. */
function statuses(plan: Plan, asOf: IsoDate): string[] {
  return planReport(plan, asOf).wigs.map((w) => `${w.wig.id} ${w.computedStatus} / ${w.status}${w.stale ? ' (stale)' : ''}`)
}

function sampleStatuses(asOf: IsoDate): string[] {
  return statuses(decodePlan(sampleRawWorkbook(sampleDistrict(asOf).tables)).plan, asOf)
}

/** The earliest date the scaled history may reach: the start of the plan year three years back, or more for bigger sizes. */
function earliestAllowed(asOf: IsoDate, years: number): IsoDate {
  const start = planYearOf(asOf).start
  return `${Number(start.slice(0, 4)) - (years - 1)}${start.slice(4)}` as IsoDate
}

/** What every scaled district must satisfy, whatever its size and as-of. */
function expectWellFormed(data: SampleData, size: { checkIns: number; steps: number }, asOf: IsoDate): void {
  const checkIns = records(data, 'CheckIns')
  const steps = records(data, 'ActionSteps')
  expect(checkIns).toHaveLength(size.checkIns)
  expect(steps).toHaveLength(size.steps)
  expect(duplicates(checkIns.map((c) => text(c.CheckInId)))).toEqual([])
  expect(duplicates(steps.map((s) => text(s.StepId)))).toEqual([])

  const emails = new Set(records(data, 'People').map((p) => text(p.Email)))
  const measureOf = new Map(records(data, 'Measures').map((m) => [text(m.MeasureId), text(m.WigId)]))
  const dates = checkIns.map((c) => text(c.Date))
  expect(checkIns.filter((c) => !emails.has(text(c.EnteredBy)))).toEqual([])
  expect(checkIns.filter((c) => text(c.MeasureId) !== '' && measureOf.get(text(c.MeasureId)) !== text(c.WigId))).toEqual([])
  expect(dates.filter((d) => d > asOf || d < earliestAllowed(asOf, 3))).toEqual([])
  // Rows in the order they were entered: by date.
  expect(dates.filter((d, i) => i > 0 && d < (dates[i - 1] ?? ''))).toEqual([])
  expect(steps.filter((s) => !emails.has(text(s.Owner)))).toEqual([])
  expect(steps.filter((s) => text(s.StartDate) > text(s.DueDate))).toEqual([])
}

describe('the sample district at scale, as data', () => {
  it('keeps every sample table but CheckIns and ActionSteps as it is, and the sample steps with their StepIds', () => {
    const sample = sampleDistrict(AS_OF)
    const scaled = scaledSampleDistrict(AS_OF, { checkIns: 2_000, steps: 500 })
    for (const name of TABLE_NAMES.filter((t) => t !== 'CheckIns' && t !== 'ActionSteps')) expect(scaled.tables[name]).toEqual(sample.tables[name])
    expect(scaled.tables.ActionSteps.rows.slice(0, sample.tables.ActionSteps.rows.length)).toEqual(sample.tables.ActionSteps.rows)
    expect(scaled.tables.CheckIns.headers).toEqual(sample.tables.CheckIns.headers)
  })

  it('is the sample itself when asked for the sample’s own sizes', () => {
    const sample = sampleDistrict(AS_OF)
    const size = { checkIns: sample.tables.CheckIns.rows.length, steps: sample.tables.ActionSteps.rows.length }
    const scaled = scaledSampleDistrict(AS_OF, size)
    expect(scaled.tables.ActionSteps).toEqual(sample.tables.ActionSteps)
    // Same rows in the same order; only the CheckInId numbering is its own.
    const withoutId = (rows: readonly (readonly unknown[])[]) => rows.map((r) => r.slice(1))
    expect(withoutId(scaled.tables.CheckIns.rows)).toEqual(withoutId(sample.tables.CheckIns.rows))
  })

  it('refuses fewer rows than the sample holds, and sizes that are not whole numbers', () => {
    expect(() => scaledSampleDistrict(AS_OF, { checkIns: 10, steps: 6_000 })).toThrow(RangeError)
    expect(() => scaledSampleDistrict(AS_OF, { checkIns: 40_000, steps: 10 })).toThrow(RangeError)
    expect(() => scaledSampleDistrict(AS_OF, { checkIns: 1_000.5, steps: 6_000 })).toThrow(RangeError)
  })

  it('is deterministic', () => {
    const size = { checkIns: 3_000, steps: 700 }
    expect(scaledSampleDistrict(AS_OF, size)).toEqual(scaledSampleDistrict(AS_OF, size))
  })

  for (const asOf of ['2025-07-01', '2025-11-15', '2026-03-02', '2026-06-30', '2028-02-29'] as IsoDate[]) {
    it(`is valid and shows the sample’s statuses as of ${asOf}`, () => {
      const size = { checkIns: 12_000, steps: 1_500 }
      const data = scaledSampleDistrict(asOf, size)
      expectWellFormed(data, size, asOf)
      const { plan, problems } = decodePlan(sampleRawWorkbook(data.tables))
      expect(problems.map(formatProblem)).toEqual([])
      expect(statuses(plan, asOf)).toEqual(sampleStatuses(asOf))
    })
  }

  it('reaches further back than three plan years only when the rows need it', () => {
    const size = { checkIns: 150_000, steps: 300 }
    const data = scaledSampleDistrict(AS_OF, size)
    expect(records(data, 'CheckIns')).toHaveLength(size.checkIns)
    const first = text(records(data, 'CheckIns')[0]?.Date)
    expect(first < earliestAllowed(AS_OF, 3)).toBe(true)
  })
})

// GRAPH.md §6: Excel answers at most 5 MB a response (the local server enforces it, as
// ResponsePayloadSizeLimitExceeded); api/range-get.md: the client then reads row chunks. The
// workbook is read the way the Teams tab reads it: through Graph, from the local server.
describe(`the scaled sample workbook (${SCALE.checkIns.toLocaleString('en-US')} check-ins, ${SCALE.steps.toLocaleString('en-US')} steps), through Graph`, () => {
  let dir = ''
  let path = ''
  let loaded: LoadedPlan
  let server: RunningServer
  let location: DriveItemLocation
  const readRequests: string[] = []
  const data = scaledSampleDistrict(AS_OF, SCALE)

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pmw-scale-'))
    path = join(dir, 'scaled.xlsx')
    await writeScaledSampleWorkbook(path, AS_OF, SCALE)
    server = await startServer({ workbook: path })
    const parsed = parseDriveItemUrl(server.driveItemUrl)
    if (!parsed.ok) throw new Error(parsed.error)
    location = parsed.value
    const store = openGraphStore({ location, tokens: noToken, onRequest: ({ url }) => readRequests.push(url) })
    const read = await loadPlan(store, TABLE_NAMES)
    await store.close()
    if (!read.ok) throw new Error(describeError(read.error))
    loaded = read.value
  }, 120_000)

  afterAll(async () => {
    await server?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('is written through a temporary file that does not stay behind', async () => {
    expect(await readdir(dir)).toEqual(['scaled.xlsx'])
  })

  it('reads all its tables under the 5 MB limit in at most 3 requests, every row as written', () => {
    expect(readRequests.length).toBeLessThanOrEqual(3)
    expect(loaded.raw.tables.CheckIns?.rows.map((r) => r[0])).toEqual(records(data, 'CheckIns').map((r) => r.CheckInId))
    expect(loaded.raw.tables.ActionSteps?.rows.map((r) => r[0])).toEqual(records(data, 'ActionSteps').map((r) => r.StepId))
    expect(loaded.raw.tables.CheckIns?.numberFormats).toHaveLength(SCALE.checkIns)
  })

  it('holds exactly the rows asked for, with unique keys', () => {
    const checkIns = loaded.raw.tables.CheckIns
    const steps = loaded.raw.tables.ActionSteps
    expect(checkIns?.rows).toHaveLength(SCALE.checkIns)
    expect(steps?.rows).toHaveLength(SCALE.steps)
    expect(loaded.plan.checkIns).toHaveLength(SCALE.checkIns)
    expect(loaded.plan.steps).toHaveLength(SCALE.steps)
    expect(duplicates(loaded.plan.checkIns.map((c) => c.id ?? ''))).toEqual([])
    expect(duplicates(loaded.plan.steps.map((s) => s.id ?? ''))).toEqual([])
  })

  it('passes the contract: the codec reports no problems', () => {
    expect(loaded.raw.missing).toEqual([])
    expect(loaded.problems.map(formatProblem)).toEqual([])
  })

  it('reads back with real dates in the plan years, EnteredBy from People, and notes on some rows', () => {
    const emails = new Set(loaded.plan.people.map((p) => p.email))
    const dates = loaded.plan.checkIns.map((c) => c.date)
    expect(dates.filter((d) => d === null || d > AS_OF || d < earliestAllowed(AS_OF, 3))).toEqual([])
    expect(loaded.plan.checkIns.filter((c) => !emails.has(c.enteredBy))).toEqual([])
    const noted = loaded.plan.checkIns.filter((c) => c.note !== '').length
    expect(noted).toBeGreaterThan(SCALE.checkIns / 20)
    expect(noted).toBeLessThan(SCALE.checkIns / 2)
    expect(loaded.plan.steps.filter((s) => s.dueDate === null || s.status === null)).toEqual([])
  })

  it('computes every WIG’s status, the same as the sample’s', () => {
    const report = planReport(loaded.plan, AS_OF)
    expect(report.wigs).toHaveLength(loaded.plan.wigs.length)
    for (const w of report.wigs) expect(WIG_STATUSES).toContain(w.status)
    expect(statuses(loaded.plan, AS_OF)).toEqual(sampleStatuses(AS_OF))
  })
})
