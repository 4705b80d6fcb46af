import { describe, expect, it } from 'vitest'
import type { CellValue, RawTable } from '../../../src/workbook/raw.ts'
import { decodePlan } from '../../../src/workbook/codec.ts'
import { serial, table, workbook } from './raw-builder.ts'

/**
 * A WIG's Baseline and Target fix its scale (WORKBOOK.md, Status rules): fractions in
 * percent-formatted cells are percents. Check-ins are read on the scale of what they measure.
 */

const WIG_HEADERS = ['WigId', 'Title', 'TargetDate', 'Unit', 'Baseline', 'Target']

function wigsTable(rows: Record<string, CellValue>[], formats?: Record<string, string>): RawTable {
  const full = rows.map((r) => ({ Title: `Goal ${String(r['WigId'])}`, TargetDate: serial('2026-06-30'), ...r }))
  return table('WIGs', WIG_HEADERS, full, { sheet: 'WIGs', ...(formats ? { formats } : {}) })
}

/** Formats per row, for a table whose rows are formatted differently. */
function withRowFormats(t: RawTable, perRow: Record<string, string>[]): RawTable {
  return { ...t, numberFormats: perRow.map((formats) => t.headers.map((h) => formats[h] ?? 'General')) }
}

const scales = (t: RawTable) => {
  const { plan, problems } = decodePlan(workbook(t))
  return { wigs: plan.wigs.map((w) => [w.id, w.scale, w.baseline, w.target]), problems: problems.filter((p) => p.table === 'WIGs') }
}

describe("a WIG's scale, from its Baseline and Target cells", () => {
  it('is a percent fraction when Baseline and Target are percent-formatted (0.55 shown as 55%)', () => {
    const t = wigsTable([{ WigId: 'W-3', Unit: '%', Baseline: 0.55, Target: 0.72 }], { Baseline: '0%', Target: '0.0%' })
    expect(scales(t)).toEqual({ wigs: [['W-3', 'percentFraction', 0.55, 0.72]], problems: [] })
  })

  it('is a percent fraction when the cells hold text such as "22%", whatever their format', () => {
    const t = wigsTable([{ WigId: 'W-10', Unit: '', Baseline: '22%', Target: '15%' }], { Baseline: '@', Target: '@' })
    expect(scales(t).wigs).toEqual([['W-10', 'percentFraction', 0.22, 0.15]])
  })

  it('is plain for numbers in General cells, even with Unit %: 48 → 62 counts percent points', () => {
    const t = wigsTable(
      [
        { WigId: 'W-1', Unit: '%', Baseline: 48, Target: 62 },
        { WigId: 'W-4', Unit: 'days', Baseline: 60, Target: 40 },
        { WigId: 'W-5', Unit: '%', Baseline: 0.8, Target: 0.5 },
      ],
      {},
    )
    expect(scales(t).wigs).toEqual([
      ['W-1', 'plain', 48, 62],
      ['W-4', 'plain', 60, 40],
      // A dropout rate from 0.8% to 0.5%: the General cells say so, and the formats are trusted.
      ['W-5', 'plain', 0.8, 0.5],
    ])
  })

  it('is decided row by row', () => {
    const t = withRowFormats(wigsTable([{ WigId: 'W-1', Unit: '%', Baseline: 48, Target: 62 }, { WigId: 'W-3', Unit: '%', Baseline: 0.55, Target: 0.72 }], {}), [
      {},
      { Baseline: '0%', Target: '0%' },
    ])
    expect(scales(t).wigs.map(([id, scale]) => [id, scale])).toEqual([
      ['W-1', 'plain'],
      ['W-3', 'percentFraction'],
    ])
  })

  it('reports a plain number beside a percent, and leaves it blank rather than reading 49 as 4900%', () => {
    const t = withRowFormats(wigsTable([{ WigId: 'W-2', Unit: '%', Baseline: 49, Target: 0.72 }], {}), [{ Target: '0%' }])
    const { wigs, problems } = scales(t)
    expect(wigs).toEqual([['W-2', 'percentFraction', null, 0.72]])
    expect(problems).toEqual([
      expect.objectContaining({ column: 'Baseline', key: 'W-2', message: expect.stringMatching(/^Baseline 49 is a plain number but Target is a percent \(72%\).*type 49%/) }),
    ])
  })

  it('accepts a 0 typed in a General cell beside a percent (0 is 0% either way)', () => {
    const t = withRowFormats(wigsTable([{ WigId: 'W-2', Unit: '%', Baseline: 0, Target: 0.75 }], {}), [{ Target: '0%' }])
    expect(scales(t)).toEqual({ wigs: [['W-2', 'percentFraction', 0, 0.75]], problems: [] })
  })

  describe('when the backend sends no number formats', () => {
    const noFormats = (rows: Record<string, CellValue>[]) => wigsTable(rows)

    it('reads a percent Unit with values within 0-1, one strictly between, as fractions', () => {
      expect(scales(noFormats([{ WigId: 'W-3', Unit: '%', Baseline: 0.55, Target: 0.72 }])).wigs).toEqual([['W-3', 'percentFraction', 0.55, 0.72]])
    })

    it('keeps 0-100 values, other units, and 0 → 1 as plain', () => {
      const { wigs } = scales(
        noFormats([
          { WigId: 'W-1', Unit: '%', Baseline: 48, Target: 62 },
          { WigId: 'W-2', Unit: 'ratio', Baseline: 0.4, Target: 0.6 },
          { WigId: 'W-6', Unit: '%', Baseline: 0, Target: 1 },
        ]),
      )
      expect(wigs.map(([id, scale]) => [id, scale])).toEqual([
        ['W-1', 'plain'],
        ['W-2', 'plain'],
        ['W-6', 'plain'],
      ])
    })
  })
})

describe("a measure's scale", () => {
  it('comes from its own Baseline and Target, not its WIG: a lead measure may count other things', () => {
    const wigs = wigsTable([{ WigId: 'W-3', Unit: '%', Baseline: 0.55, Target: 0.72 }], { Baseline: '0%', Target: '0%' })
    const measures = table(
      'Measures',
      ['MeasureId', 'WigId', 'Type', 'Name', 'Unit', 'Baseline', 'Target'],
      [
        { MeasureId: 'M-1', WigId: 'W-3', Type: 'Lead', Name: 'Reteach cycles', Unit: 'cycles', Baseline: 0, Target: 12 },
        { MeasureId: 'M-2', WigId: 'W-3', Type: 'Lag', Name: 'Unit 2 pass rate', Unit: '%', Baseline: '50%', Target: '70%' },
      ],
      { sheet: 'Measures', formats: {} },
    )
    const { plan } = decodePlan(workbook(wigs, measures))
    expect(plan.measures.map((m) => [m.id, m.scale, m.baseline, m.target])).toEqual([
      ['M-1', 'plain', 0, 12],
      ['M-2', 'percentFraction', 0.5, 0.7],
    ])
  })
})

describe('check-in values, read on the scale of what they measure', () => {
  const wigs = wigsTable(
    [
      { WigId: 'W-3', Unit: '%', Baseline: 0.55, Target: 0.72 },
      { WigId: 'W-1', Unit: '%', Baseline: 48, Target: 62 },
      { WigId: 'W-4', Unit: 'days', Baseline: 60, Target: 40 },
    ],
    {},
  )
  const wigsWithFormats = withRowFormats(wigs, [{ Baseline: '0%', Target: '0%' }, {}, {}])
  const checkIns = (rows: [string, CellValue, string][]) =>
    withRowFormats(
      table(
        'CheckIns',
        ['CheckInId', 'WigId', 'Date', 'Value'],
        rows.map(([WigId, Value], i) => ({ CheckInId: `C-${i + 1}`, WigId, Date: serial('2026-01-15'), Value })),
        { sheet: 'CheckIns' },
      ),
      rows.map(([, , format]) => ({ Value: format, Date: 'yyyy-mm-dd' })),
    )
  const read = (t: RawTable) => {
    const { plan, problems } = decodePlan(workbook(wigsWithFormats, t))
    return { values: plan.checkIns.map((c) => [c.id, c.value]), problems: problems.filter((p) => p.table === 'CheckIns') }
  }

  it('on a percent goal: a percent cell or a fraction is the value', () => {
    const t = checkIns([
      ['W-3', 0.615, '0.0%'],
      ['W-3', 0.615, 'General'],
      ['W-3', '61.5%', '@'],
      ['W-3', -0.02, 'General'],
    ])
    expect(read(t)).toEqual({ values: [['C-1', 0.615], ['C-2', 0.615], ['C-3', 0.615], ['C-4', -0.02]], problems: [] })
  })

  it('on a percent goal: a plain 61.5 (6150%) is reported and not counted, never guessed', () => {
    const { values, problems } = read(checkIns([['W-3', 61.5, 'General']]))
    expect(values).toEqual([['C-1', null]])
    expect(problems).toEqual([
      expect.objectContaining({ column: 'Value', key: 'C-1', message: 'Value 61.5 would be 6,150% on WIG W-3 (55% to 72%), so it is not counted: type 61.5% if that is what you mean' }),
    ])
  })

  it('on a goal counted in percent points: a cell showing 61.5% is 61.5', () => {
    expect(read(checkIns([['W-1', 0.615, '0.0%'], ['W-1', 61.5, 'General']]))).toEqual({ values: [['C-1', 61.5], ['C-2', 61.5]], problems: [] })
  })

  it('on a goal counted in days: a percent is reported and not counted; negatives are values', () => {
    const { values, problems } = read(checkIns([['W-4', '12%', '@'], ['W-4', -3, 'General']]))
    expect(values).toEqual([['C-1', null], ['C-2', -3]])
    expect(problems).toEqual([expect.objectContaining({ column: 'Value', key: 'C-1', message: 'Value 12% is a percent, but WIG W-4 is measured in days, so it is not counted' })])
  })

  it('for an unknown WIG: the value is read as it stands (the reference is the problem)', () => {
    const { values, problems } = read(checkIns([['W-9', 61.5, 'General']]))
    expect(values).toEqual([['C-1', 61.5]])
    expect(problems.map((p) => p.column)).toEqual(['WigId'])
  })
})
