import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodePlan } from '../../../src/workbook/codec.ts'
import { CONTRACT, TABLE_NAMES, isTableName, type TableName } from '../../../src/workbook/contract.ts'
import type { CellValue, RawTable, RawWorkbook } from '../../../src/workbook/raw.ts'
import { serial } from './raw-builder.ts'

/** Values a sheet plausibly holds, so decoding gets past the first check; anything else is garbage a backend should never send. */
const plausible = fc.constantFrom<unknown>(
  '',
  ' ',
  'W-1',
  'S-1',
  'M-1',
  'Done',
  'wip',
  'Numeric',
  'Lead',
  '2025-06-30',
  '2025-02-30',
  'June 2025',
  '45%',
  '1,250',
  '#N/A',
  'maria.lopez@district.org',
  'OnTrackAt',
  'AtRiskAt',
  'StaleAfterDays',
  'constructor',
  '__proto__',
  serial('2025-06-30'),
  0.5,
  -1,
  1e308,
  true,
)

const oddCell = fc
  .oneof(fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true }), plausible, fc.double(), fc.string())
  .map((v) => v as CellValue)

const formats = fc.constantFrom('General', '0%', '0.0%', 'm/d/yyyy', '@', '[Red]0.00;-0.00')

function tableOf(name: TableName, extra: string[]) {
  const headers = [...CONTRACT[name].required, ...CONTRACT[name].optional, ...extra]
  return fc
    .record({
      rows: fc.array(fc.array(oddCell, { minLength: 0, maxLength: headers.length + 1 }), { maxLength: 6 }),
      format: formats,
      origin: fc.option(fc.record({ sheet: fc.string(), row: fc.integer({ min: 1, max: 1000 }), column: fc.integer({ min: 1, max: 50 }) }), { nil: undefined }),
    })
    .map(({ rows, format, origin }): RawTable => ({
      name,
      headers,
      rows,
      numberFormats: rows.map((r) => r.map(() => format)),
      ...(origin ? { origin } : {}),
    }))
}

const workbookWithOddCells = fc.tuple(...TABLE_NAMES.map((name) => tableOf(name, ['Extra']))).map(
  (tables): RawWorkbook => ({ tables: Object.fromEntries(tables.map((t) => [t.name, t])), missing: [] }),
)

describe('decoding never throws', () => {
  it('on arbitrary cell values in every table, and every problem names its table and says something', () => {
    fc.assert(
      fc.property(workbookWithOddCells, (wb) => {
        const { plan, problems } = decodePlan(wb)
        for (const p of problems) {
          expect(isTableName(p.table)).toBe(true)
          expect(p.message.length).toBeGreaterThan(0)
        }
        expect(plan.steps.length).toBeLessThanOrEqual(wb.tables.ActionSteps?.rows.length ?? 0)
        for (const threshold of [plan.settings.atRiskAt, plan.settings.onTrackAt]) {
          expect(threshold).toBeGreaterThanOrEqual(0)
          expect(threshold).toBeLessThanOrEqual(1)
        }
        for (const s of plan.steps) if (s.percentComplete !== null) expect(s.percentComplete).toBeGreaterThanOrEqual(0)
      }),
      { numRuns: 300 },
    )
  })

  it('on anything at all passed as a workbook', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBigInt: true }), (garbage) => {
        decodePlan(garbage as RawWorkbook)
      }),
      { numRuns: 300 },
    )
  })

  it('on tables of the right names whose parts are anything', () => {
    const part = fc.anything({ withNullPrototype: true })
    const table = fc.record({ name: part, headers: fc.oneof(part, fc.array(fc.oneof(part, fc.constantFrom('WigId', 'Status', 'Key', 'Value')))), rows: fc.oneof(part, fc.array(fc.array(oddCell))), numberFormats: part, origin: part })
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...TABLE_NAMES), table), fc.anything(), (tables, missing) => {
        decodePlan({ tables, missing } as unknown as RawWorkbook)
      }),
      { numRuns: 300 },
    )
  })
})
