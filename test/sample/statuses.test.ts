import { describe, expect, it } from 'vitest'
import { addDays, type IsoDate } from '../../src/domain/dates.ts'
import { WIG_STATUSES } from '../../src/domain/model.ts'
import { planReport } from '../../src/domain/report.ts'
import { sampleDistrict } from '../../src/sample/district.ts'
import { SAMPLE_GOALS } from '../../src/sample/goals.ts'
import { sampleRawWorkbook } from '../fixtures/sample-raw.ts'
import { decodePlan } from '../../src/workbook/codec.ts'
import { formatProblem } from '../../src/workbook/problem.ts'

/** The sample as the product reads it: decoded from raw cells (dates as Excel serials), then judged as of `asOf`. */
function judged(asOf: IsoDate) {
  const { plan, problems } = decodePlan(sampleRawWorkbook(sampleDistrict(asOf).tables))
  return { problems: problems.map(formatProblem), report: planReport(plan, asOf) }
}

describe('the sample district as the product sees it', () => {
  for (const asOf of ['2025-07-01', '2025-11-15', '2026-03-02', '2026-06-30', '2028-02-29'] as IsoDate[]) {
    it(`shows all seven WIG statuses and no problems as of ${asOf}`, () => {
      const { problems, report } = judged(asOf)
      expect(problems).toEqual([])
      const shown = new Set(report.wigs.filter((w) => !w.manual).map((w) => w.status))
      expect([...WIG_STATUSES].filter((s) => !shown.has(s))).toEqual([])
    })
  }

  it('shows a manual status with its note beside what the rules say', () => {
    const { report } = judged('2026-02-10' as IsoDate)
    const manual = report.wigs.filter((w) => w.manual)
    expect(manual.length).toBeGreaterThanOrEqual(1)
    for (const w of manual) {
      expect(w.note).not.toBe('')
      expect(w.status).not.toBe(w.computedStatus)
    }
  })

  it('flags stale WIGs, overdue steps and steps due soon', () => {
    const { report } = judged('2026-02-10' as IsoDate)
    expect(report.wigs.filter((w) => w.stale).length).toBeGreaterThanOrEqual(2)
    expect(report.wigs.reduce((n, w) => n + w.steps.overdue, 0)).toBeGreaterThanOrEqual(3)
    expect(report.wigs.reduce((n, w) => n + w.steps.dueSoon, 0)).toBeGreaterThanOrEqual(2)
  })

  it('lands every WIG on its intended status for any as-of over two plan years', () => {
    const misses: string[] = []
    for (let day = 0; day < 760; day += 9) {
      const asOf = addDays('2025-06-25' as IsoDate, day)
      const { problems, report } = judged(asOf)
      if (problems.length > 0) misses.push(`${asOf}: ${problems[0]}`)
      report.wigs.forEach((w, i) => {
        const intended = SAMPLE_GOALS[i]?.intended
        if (w.wig.id !== SAMPLE_GOALS[i]?.id || w.computedStatus !== intended) misses.push(`${asOf} ${w.wig.id}: ${w.computedStatus}, meant ${intended}`)
      })
    }
    expect(misses).toEqual([])
  })
})
