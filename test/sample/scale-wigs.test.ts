import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IsoDate } from '../../src/domain/dates.ts'
import type { Plan } from '../../src/domain/model.ts'
import { planReport } from '../../src/domain/report.ts'
import { describeError } from '../../src/messages/errors.ts'
import { sampleDistrict, type SampleData } from '../../src/sample/district.ts'
import { SAMPLE_SCHOOLS, scaledSampleDistrict, writeScaledSampleWorkbook, type ScaledSize } from '../../src/sample/scale.ts'
import { decodePlan } from '../../src/workbook/codec.ts'
import { TABLE_NAMES } from '../../src/workbook/contract.ts'
import { openFileStore } from '../../src/workbook/file/file-store.ts'
import { formatProblem } from '../../src/workbook/problem.ts'
import { sampleRawWorkbook } from '../fixtures/sample-raw.ts'
import { duplicates, records, text } from './helpers.ts'

/**
 * The sample grown by WIGs (issue 14's sizes: M = 200 WIGs, L = 1,000): each extra WIG is a copy
 * of a sample WIG with its own id, a distinct title, measures, steps and check-ins, and shows its
 * model's status at the same as-of. Small sizes here; the benchmark writes the big ones.
 */

const AS_OF = '2026-01-12' as IsoDate
const SIZE = { wigs: 40, steps: 600, checkIns: 2_000 } satisfies ScaledSize
const SAMPLE_WIGS = sampleDistrict(AS_OF).tables.WIGs.rows.length

type Row = ReturnType<typeof records>[number]

/** Each extra WIG with the sample WIG it copies, found by its title: the model's, then a name in brackets. */
function copiesOf(data: SampleData, asOf: IsoDate): { copy: Row; model: Row }[] {
  const models = records(sampleDistrict(asOf), 'WIGs')
  return records(data, 'WIGs')
    .slice(models.length)
    .map((copy) => {
      const matching = models.filter((m) => text(copy.Title).startsWith(`${text(m.Title)} (`))
      expect(matching, text(copy.Title)).toHaveLength(1)
      return { copy, model: matching[0] as Row }
    })
}

/** What a reader sees of a WIG's status: everything the status rules give but its step counts (extra steps go to numeric WIGs). */
function shownStatus(plan: Plan, asOf: IsoDate): Map<string, unknown> {
  return new Map(
    planReport(plan, asOf).wigs.map(({ wig, status, computedStatus, manual, note, stale, latest, progress, pace, expectedProgress }) => [
      wig.id,
      { status, computedStatus, manual, note, stale, latest, progress, pace, expectedProgress },
    ]),
  )
}

const sampleProblems = (asOf: IsoDate): string[] => decodePlan(sampleRawWorkbook(sampleDistrict(asOf).tables)).problems.map(formatProblem)

describe('the sample district grown by WIGs, as data', () => {
  const data = scaledSampleDistrict(AS_OF, SIZE)
  const wigs = records(data, 'WIGs')
  const copies = copiesOf(data, AS_OF)

  it('holds exactly the WIGs, steps and check-ins asked for, with unique keys, the sample’s own WIGs first and unchanged', () => {
    expect(wigs).toHaveLength(SIZE.wigs)
    expect(data.tables.ActionSteps.rows).toHaveLength(SIZE.steps)
    expect(data.tables.CheckIns.rows).toHaveLength(SIZE.checkIns)
    expect(data.tables.WIGs.rows.slice(0, SAMPLE_WIGS)).toEqual(sampleDistrict(AS_OF).tables.WIGs.rows)
    const sampleSteps = sampleDistrict(AS_OF).tables.ActionSteps.rows
    expect(data.tables.ActionSteps.rows.slice(0, sampleSteps.length)).toEqual(sampleSteps)
    for (const [table, key] of [['WIGs', 'WigId'], ['Measures', 'MeasureId'], ['CheckIns', 'CheckInId'], ['ActionSteps', 'StepId']] as const) {
      expect(duplicates(records(data, table).map((r) => text(r[key]))), table).toEqual([])
    }
    expect(copies.map(({ copy }) => text(copy.WigId))).toEqual(Array.from({ length: SIZE.wigs - SAMPLE_WIGS }, (_, i) => `WIG-${String(SAMPLE_WIGS + i + 1).padStart(4, '0')}`))
    for (const name of ['Strategies', 'People', 'Settings', 'ChangeLog'] as const) expect(data.tables[name]).toEqual(sampleDistrict(AS_OF).tables[name])
  })

  it('gives every extra WIG a distinct title (its model’s and a school), an owner from People, and its model’s strategy, department, goal and dates', () => {
    expect(duplicates(wigs.map((w) => text(w.Title)))).toEqual([])
    const emails = new Set(records(data, 'People').map((p) => text(p.Email)))
    for (const { copy, model } of copies) {
      expect(emails.has(text(copy.Owner)), text(copy.Owner)).toBe(true)
      expect(SAMPLE_SCHOOLS.some((school) => text(copy.Title) === `${text(model.Title)} (${school})`), text(copy.Title)).toBe(true)
      const { WigId: _id, Title: _title, Owner: _owner, ...rest } = copy
      const { WigId: _mid, Title: _mtitle, Owner: _mowner, ...modelRest } = model
      expect(rest).toEqual(modelRest)
    }
    // Copies of one WIG are owned by different people of its owner's department, where it has more than one.
    const people = records(data, 'People')
    const departmentOf = (owner: string) => text(people.find((p) => text(p.Email) === owner || text(p.Name) === owner)?.Department)
    for (const model of wigs.slice(0, SAMPLE_WIGS)) {
      const owners = copies.filter((c) => text(c.model.WigId) === text(model.WigId)).map((c) => text(c.copy.Owner))
      const colleagues = people.filter((p) => text(p.Department) === departmentOf(text(model.Owner))).length
      if (owners.length >= 2 && colleagues >= 2) expect(new Set(owners).size, text(model.WigId)).toBeGreaterThan(1)
      for (const owner of owners) expect(departmentOf(owner)).toBe(departmentOf(text(model.Owner)))
    }
    // Spread over the sample's strategies: every strategy with a sample WIG gets copies.
    const strategies = (rows: readonly Row[]) => new Set(rows.map((w) => text(w.StrategyId)))
    expect(strategies(copies.map((c) => c.copy))).toEqual(strategies(wigs.slice(0, SAMPLE_WIGS)))
  })

  it('gives every extra WIG its model’s measures, its own values (same dates and values) and at least its model’s steps (same dates and statuses)', () => {
    const measures = records(data, 'Measures')
    const checkIns = records(data, 'CheckIns')
    const steps = records(data, 'ActionSteps')
    const sampleSteps = records(sampleDistrict(AS_OF), 'ActionSteps')
    const ownValues = (id: string) => checkIns.filter((c) => text(c.WigId) === id && text(c.MeasureId) === '').map((c) => [text(c.Date), c.Value, text(c.Note)])
    const measuresOf = (id: string) => measures.filter((m) => text(m.WigId) === id).map((m) => [text(m.Type), text(m.Name), m.Baseline, m.Target])
    const stepsOf = (id: string) => steps.filter((s) => text(s.WigId) === id)
    const planned = (rows: readonly Row[]) => rows.map((s) => [s.Sequence, text(s.Title), text(s.DueDate), text(s.Status), s.PercentComplete])
    for (const { copy, model } of copies) {
      const [id, modelId] = [text(copy.WigId), text(model.WigId)]
      expect(measuresOf(id)).toEqual(measuresOf(modelId))
      expect(ownValues(id)).toEqual(ownValues(modelId))
      const modelSteps = planned(sampleSteps.filter((s) => text(s.WigId) === modelId))
      expect(planned(stepsOf(id)).slice(0, modelSteps.length)).toEqual(modelSteps)
      // Extra steps go under numeric WIGs only: a milestone's steps are exactly its model's.
      if (text(model.Kind) === 'Milestone') expect(stepsOf(id)).toHaveLength(modelSteps.length)
    }
    // The extra rows are spread over the new WIGs too.
    const newIds = new Set(copies.map(({ copy }) => text(copy.WigId)))
    const newMeasures = new Set(measures.filter((m) => newIds.has(text(m.WigId))).map((m) => text(m.MeasureId)))
    expect(checkIns.some((c) => newMeasures.has(text(c.MeasureId)))).toBe(true)
    expect(copies.some(({ copy, model }) => text(model.Kind) === 'Numeric' && stepsOf(text(copy.WigId)).length > stepsOf(text(model.WigId)).length)).toBe(true)
  })

  it('keeps every row consistent: measures and check-ins under their own WIG, people from People, check-ins by date, steps starting before they are due', () => {
    const emails = new Set(records(data, 'People').map((p) => text(p.Email)))
    const wigIds = new Set(wigs.map((w) => text(w.WigId)))
    const measureOf = new Map(records(data, 'Measures').map((m) => [text(m.MeasureId), text(m.WigId)]))
    const checkIns = records(data, 'CheckIns')
    const steps = records(data, 'ActionSteps')
    expect(records(data, 'Measures').filter((m) => !wigIds.has(text(m.WigId)) || !emails.has(text(m.Owner)))).toEqual([])
    expect(checkIns.filter((c) => !emails.has(text(c.EnteredBy)) || !wigIds.has(text(c.WigId)))).toEqual([])
    expect(checkIns.filter((c) => text(c.MeasureId) !== '' && measureOf.get(text(c.MeasureId)) !== text(c.WigId))).toEqual([])
    const dates = checkIns.map((c) => text(c.Date))
    expect(dates.filter((d, i) => i > 0 && d < (dates[i - 1] ?? ''))).toEqual([])
    expect(dates.filter((d) => d > AS_OF)).toEqual([])
    expect(steps.filter((s) => !emails.has(text(s.Owner)) || !wigIds.has(text(s.WigId)) || text(s.StartDate) > text(s.DueDate))).toEqual([])
    expect(steps.filter((s) => text(s.MeasureId) !== '' && measureOf.get(text(s.MeasureId)) !== text(s.WigId))).toEqual([])
  })

  for (const asOf of ['2025-07-01', '2025-11-15', AS_OF, '2026-06-30', '2028-02-29'] as IsoDate[]) {
    it(`decodes with the sample’s problems, and every extra WIG shows its model’s status, as of ${asOf}`, () => {
      const grown = asOf === AS_OF ? data : scaledSampleDistrict(asOf, SIZE)
      const { plan, problems } = decodePlan(sampleRawWorkbook(grown.tables))
      expect(problems.map(formatProblem)).toEqual(sampleProblems(asOf))
      const shown = shownStatus(plan, asOf)
      const sample = shownStatus(decodePlan(sampleRawWorkbook(sampleDistrict(asOf).tables)).plan, asOf)
      for (const [id, status] of sample) expect(shown.get(id), id).toEqual(status)
      for (const { copy, model } of copiesOf(grown, asOf)) expect(shown.get(text(copy.WigId)), text(copy.Title)).toEqual(sample.get(text(model.WigId)))
    })
  }

  it('is deterministic, and the same as before when no extra WIG is asked for', () => {
    expect(scaledSampleDistrict(AS_OF, SIZE)).toEqual(data)
    const { wigs: _wigs, ...withoutWigs } = SIZE
    expect(scaledSampleDistrict(AS_OF, { ...withoutWigs, wigs: SAMPLE_WIGS })).toEqual(scaledSampleDistrict(AS_OF, withoutWigs))
  })

  it('refuses fewer WIGs than the sample holds, WIG counts that are not whole numbers, and totals below what the copies bring', () => {
    expect(() => scaledSampleDistrict(AS_OF, { ...SIZE, wigs: SAMPLE_WIGS - 1 })).toThrow(RangeError)
    expect(() => scaledSampleDistrict(AS_OF, { ...SIZE, wigs: 40.5 })).toThrow(RangeError)
    // 22 copies bring their models' steps and own values: more than the sample alone holds.
    expect(() => scaledSampleDistrict(AS_OF, { ...SIZE, steps: 300 })).toThrow(/with 40 WIGs already holds \d+ action steps/)
    expect(() => scaledSampleDistrict(AS_OF, { ...SIZE, checkIns: 600 })).toThrow(/with 40 WIGs already holds \d+ check-ins/)
  })

  it('keeps titles distinct past one copy of each WIG per school and department', () => {
    const big = scaledSampleDistrict(AS_OF, { wigs: 1_200, steps: 14_000, checkIns: 15_000 })
    const titles = records(big, 'WIGs').map((w) => text(w.Title))
    expect(titles).toHaveLength(1_200)
    expect(duplicates(titles)).toEqual([])
    expect(duplicates(records(big, 'WIGs').map((w) => text(w.WigId)))).toEqual([])
  })
})

describe(`the grown sample workbook (${SIZE.wigs} WIGs, ${SIZE.steps} steps, ${SIZE.checkIns.toLocaleString('en-US')} check-ins), as the CLI reads it`, () => {
  let dir = ''
  let plan: Plan
  let problems: string[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pmw-scale-wigs-'))
    const path = join(dir, 'grown.xlsx')
    await writeScaledSampleWorkbook(path, AS_OF, SIZE)
    const store = openFileStore(path)
    const read = await store.read(TABLE_NAMES)
    await store.close()
    if (!read.ok) throw new Error(describeError(read.error))
    const decoded = decodePlan(read.value)
    plan = decoded.plan
    problems = decoded.problems.map(formatProblem)
  }, 60_000)

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('decodes with the sample’s problems and nothing else', () => {
    expect(problems).toEqual(sampleProblems(AS_OF))
    expect(plan.wigs).toHaveLength(SIZE.wigs)
    expect(plan.steps).toHaveLength(SIZE.steps)
    expect(plan.checkIns).toHaveLength(SIZE.checkIns)
  })

  it('shows every extra WIG with its model’s status', () => {
    const shown = shownStatus(plan, AS_OF)
    const copies = copiesOf(scaledSampleDistrict(AS_OF, SIZE), AS_OF)
    expect(copies).toHaveLength(SIZE.wigs - SAMPLE_WIGS)
    for (const { copy, model } of copies) expect(shown.get(text(copy.WigId)), text(copy.Title)).toEqual(shown.get(text(model.WigId)))
  })
})
