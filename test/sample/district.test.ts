import { describe, expect, it } from 'vitest'
import { addDays, daysBetween, parseIsoDate, type IsoDate } from '../../src/domain/dates.ts'
import { sampleDistrict } from '../../src/sample/district.ts'
import { TABLE_LAYOUTS } from '../../src/workbook/layout.ts'
import { TABLE_NAMES, CONTRACT } from '../../src/workbook/contract.ts'
import { duplicates, records, text } from './helpers.ts'

const AS_OF = '2025-11-15' as IsoDate
const data = sampleDistrict(AS_OF)

describe('the sample district has the size of a real plan', () => {
  it('has four pillars and a dozen strategies', () => {
    const strategies = records(data, 'Strategies')
    expect(new Set(strategies.map((s) => s['Pillar'])).size).toBe(4)
    expect(strategies).toHaveLength(12)
  })

  it('has 15+ WIGs, including department WIGs and milestone WIGs', () => {
    const wigs = records(data, 'WIGs')
    expect(wigs.length).toBeGreaterThanOrEqual(15)
    expect(wigs.filter((w) => text(w['Department']) !== '').length).toBeGreaterThanOrEqual(4)
    expect(wigs.filter((w) => w['Kind'] === 'Milestone').length).toBeGreaterThanOrEqual(3)
    expect(wigs.filter((w) => w['Kind'] === 'Numeric').length).toBeGreaterThanOrEqual(10)
  })

  it('gives every WIG a lag or lead measure, with both types well represented', () => {
    const measures = records(data, 'Measures')
    expect(measures.filter((m) => m['Type'] === 'Lag').length).toBeGreaterThanOrEqual(10)
    expect(measures.filter((m) => m['Type'] === 'Lead').length).toBeGreaterThanOrEqual(15)
    const withMeasures = new Set(measures.map((m) => m['WigId']))
    for (const wig of records(data, 'WIGs')) expect(withMeasures.has(wig['WigId'] ?? '')).toBe(true)
  })

  it('has 150+ check-ins, on WIGs and on lead measures', () => {
    const checkIns = records(data, 'CheckIns')
    expect(checkIns.length).toBeGreaterThanOrEqual(150)
    expect(checkIns.filter((c) => text(c['MeasureId']) === '').length).toBeGreaterThanOrEqual(50)
    expect(checkIns.filter((c) => text(c['MeasureId']) !== '').length).toBeGreaterThanOrEqual(50)
  })

  it('keeps 150+ check-ins even on the first day of a plan year', () => {
    expect(sampleDistrict('2025-07-01' as IsoDate).tables.CheckIns.rows.length).toBeGreaterThanOrEqual(150)
  })

  it('has 200+ action steps owned by 25+ different people from a 25+ person directory', () => {
    const steps = records(data, 'ActionSteps')
    expect(steps.length).toBeGreaterThanOrEqual(200)
    expect(new Set(steps.map((s) => s['Owner'])).size).toBeGreaterThanOrEqual(25)
    const people = records(data, 'People')
    expect(people.length).toBeGreaterThanOrEqual(25)
    for (const p of people) expect(text(p['Email'])).toMatch(/^[a-z'-]+\.[a-z'-]+@riverbend\.example$/)
  })

  it('numbers each WIG’s action steps in sequence', () => {
    const steps = records(data, 'ActionSteps')
    for (const wig of records(data, 'WIGs')) {
      const sequence = steps.filter((s) => s['WigId'] === wig['WigId']).map((s) => s['Sequence'])
      expect(sequence).toEqual(sequence.map((_, i) => i + 1))
    }
  })

  it('carries the district settings with the contract defaults', () => {
    const settings = Object.fromEntries(records(data, 'Settings').map((s) => [s['Key'], s['Value']]))
    expect(settings).toEqual({
      DistrictName: 'Riverbend Unified School District',
      PlanYear: '2025-26',
      OnTrackAt: 0.9,
      AtRiskAt: 0.7,
      StaleAfterDays: 30,
      DueSoonDays: 7,
    })
  })

  it('starts with an empty change log that has a ChangeId column', () => {
    expect(data.tables.ChangeLog.rows).toEqual([])
    expect(data.tables.ChangeLog.headers).toContain('ChangeId')
  })
})

describe('the sample district passes the contract', () => {
  it('has every required column of every table, each header once', () => {
    for (const name of TABLE_NAMES) {
      const headers = data.tables[name].headers
      expect(duplicates(headers)).toEqual([])
      for (const column of CONTRACT[name].required) expect(headers).toContain(column)
      for (const row of data.tables[name].rows) expect(row).toHaveLength(headers.length)
    }
  })

  it('never repeats a key', () => {
    for (const name of TABLE_NAMES) {
      const key = CONTRACT[name].key
      if (!key) continue
      const keys = records(data, name).map((r) => text(r[key]))
      expect(keys.filter((k) => k === '')).toEqual([])
      expect(duplicates(keys)).toEqual([])
    }
  })

  it('only refers to strategies, WIGs and measures that exist, measures of the same WIG', () => {
    const strategies = new Set(records(data, 'Strategies').map((s) => s['StrategyId']))
    const wigs = new Set(records(data, 'WIGs').map((w) => w['WigId']))
    const measureWig = new Map(records(data, 'Measures').map((m) => [m['MeasureId'], m['WigId']]))
    for (const w of records(data, 'WIGs')) if (text(w['StrategyId']) !== '') expect(strategies.has(w['StrategyId'] ?? '')).toBe(true)
    for (const m of records(data, 'Measures')) expect(wigs.has(m['WigId'] ?? '')).toBe(true)
    for (const row of [...records(data, 'CheckIns'), ...records(data, 'ActionSteps')]) {
      expect(wigs.has(row['WigId'] ?? '')).toBe(true)
      if (text(row['MeasureId']) !== '') expect(measureWig.get(row['MeasureId'] ?? '')).toBe(row['WigId'])
    }
  })

  it('names only people in the directory, by email or (once, as people do) by name', () => {
    const people = records(data, 'People')
    const known = new Set([...people.map((p) => text(p['Email'])), ...people.map((p) => text(p['Name']))])
    const named = [
      ...records(data, 'WIGs').map((w) => w['Owner']),
      ...records(data, 'Measures').map((m) => m['Owner']),
      ...records(data, 'ActionSteps').flatMap((s) => [s['Owner'], s['UpdatedBy']]),
      ...records(data, 'CheckIns').map((c) => c['EnteredBy']),
    ].map(text)
    expect(named.filter((n) => n !== '' && !known.has(n))).toEqual([])
    expect(records(data, 'WIGs').some((w) => !text(w['Owner']).includes('@'))).toBe(true)
  })

  it('uses only the contract vocabularies for Kind, Direction, Type and Status', () => {
    for (const [table, column] of [
      ['WIGs', 'Kind'],
      ['WIGs', 'Direction'],
      ['WIGs', 'StatusOverride'],
      ['Measures', 'Type'],
      ['ActionSteps', 'Status'],
    ] as const) {
      const choices = TABLE_LAYOUTS[table].columns.find((c) => c.header === column)?.choices ?? []
      for (const r of records(data, table)) if (text(r[column]) !== '') expect(choices).toContain(r[column])
    }
  })

  it('writes every date as a real calendar date within about a year of as-of', () => {
    for (const name of TABLE_NAMES) {
      const dateColumns = TABLE_LAYOUTS[name].columns.filter((c) => c.kind === 'date').map((c) => c.header)
      for (const r of records(data, name)) {
        for (const column of dateColumns) {
          const value = text(r[column])
          if (value === '') continue
          const date = parseIsoDate(value)
          expect(date, `${name}.${column} ${value}`).not.toBeNull()
          expect(Math.abs(daysBetween(AS_OF, date ?? AS_OF))).toBeLessThanOrEqual(430)
        }
      }
    }
  })

  it('records nothing after as-of: check-ins and updates are all in the past', () => {
    for (const c of records(data, 'CheckIns')) {
      expect(text(c['Date']) <= AS_OF).toBe(true)
      expect(text(c['EnteredAt']).slice(0, 10) <= AS_OF).toBe(true)
    }
    for (const s of records(data, 'ActionSteps')) if (text(s['UpdatedAt']) !== '') expect(text(s['UpdatedAt']).slice(0, 10) < AS_OF).toBe(true)
  })

  it('keeps PercentComplete between 0 and 100, and 100 exactly for Done steps', () => {
    for (const s of records(data, 'ActionSteps')) {
      const pct = Number(s['PercentComplete'])
      expect(pct).toBeGreaterThanOrEqual(0)
      expect(pct).toBeLessThanOrEqual(100)
      if (s['Status'] === 'Done') expect(pct).toBe(100)
    }
  })

  it('gives a manual status its note', () => {
    const overridden = records(data, 'WIGs').filter((w) => text(w['StatusOverride']) !== '')
    expect(overridden.length).toBeGreaterThanOrEqual(1)
    for (const w of overridden) expect(text(w['StatusNote']).length).toBeGreaterThan(20)
  })
})

describe('the sample district is laid out around as-of', () => {
  it('gives the same data for the same as-of', () => {
    expect(sampleDistrict(AS_OF)).toEqual(sampleDistrict(AS_OF))
  })

  it('moves its dates with as-of: the latest check-in is always within the last week', () => {
    for (const asOf of ['2025-08-03', '2026-01-20', '2026-06-30'] as IsoDate[]) {
      const dates = records(sampleDistrict(asOf), 'CheckIns').map((c) => text(c['Date']))
      const latest = dates.reduce((a, b) => (a > b ? a : b))
      expect(latest <= asOf && latest >= addDays(asOf, -7)).toBe(true)
    }
  })

  it('gives a different as-of different dates, and names the plan year that holds it', () => {
    const later = sampleDistrict(addDays(AS_OF, 35))
    expect(later.tables.CheckIns.rows).not.toEqual(data.tables.CheckIns.rows)
    expect(data.planYear).toEqual({ start: '2025-07-01', end: '2026-06-30', label: '2025-26' })
    expect(sampleDistrict('2026-07-01' as IsoDate).planYear.label).toBe('2026-27')
    expect(sampleDistrict('2026-06-30' as IsoDate).planYear.label).toBe('2025-26')
  })
})
