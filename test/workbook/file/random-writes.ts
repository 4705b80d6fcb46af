import { findColumn, TABLE_NAMES } from '../../../src/workbook/contract.ts'
import type { CellValue } from '../../../src/workbook/raw.ts'
import type { Audit, WorkbookStore } from '../../../src/workbook/store.ts'

/** The same random writes for any WorkbookStore: the in-place edits are tested by running them on two backends and comparing. */

/** A small deterministic generator (mulberry32): the same writes on every run. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** What people type, and what the in-place edit must hand to exceljs instead (CR, `_xHHHH_`, formulas). */
const TYPED = [
  'In progress', 'Done', 'Blocked', '45', '45%', '0.5', '2027-01-15', 'TRUE', '', "'0042", "'2026-01-01", 'Ünïcødé ✓ 😀', 'a & b < c > d "q" \'s\'',
  '  spaced  ', 'line one\nline two', 'tab\there', 'cr\r\nlf', 'literal _x0041_ escape', '=1+2', '1e999', '-3.25', '1899-12-31',
]

export function audit(i: number): Audit {
  return { changeId: `chg-${i}-4f1c9a`, at: '', by: 'ben@district.org', source: 'test' }
}

export async function tablesOf(store: WorkbookStore): Promise<Record<string, { headers: string[]; rows: CellValue[][]; numberFormats: (readonly string[])[] | undefined }>> {
  const read = await store.read(TABLE_NAMES)
  if (!read.ok) throw new Error(JSON.stringify(read.error))
  return Object.fromEntries(Object.entries(read.value.tables).map(([name, t]) => [name, { headers: t.headers, rows: t.rows, numberFormats: t.numberFormats }]))
}

export type Write = { describe: string; run(store: WorkbookStore): Promise<unknown> }

/** Updates of action steps (and a key for a blank one), check-ins and people appended, drawn from TYPED. */
export async function writesFor(store: WorkbookStore, seed: number, count: number): Promise<Write[]> {
  const next = random(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T
  const tables = await tablesOf(store)
  const steps = tables['ActionSteps']
  const wigs = tables['WIGs']
  if (!steps || !wigs) throw new Error('the workbook lacks ActionSteps or WIGs')
  const stepKey = findColumn(steps.headers, 'StepId')
  const wigKey = findColumn(wigs.headers, 'WigId')
  const writes: Write[] = []
  for (let i = 0; i < count; i += 1) {
    const kind = pick(['update', 'update', 'update', 'checkIn', 'person'] as const)
    if (kind === 'update') {
      const key = String(pick(steps.rows)[stepKey])
      const column = pick(['Status', 'PercentComplete', 'Notes', 'DueDate', 'Support'])
      const value = pick(TYPED)
      writes.push({
        describe: `update ${key} ${column} = ${JSON.stringify(value)}`,
        async run(s) {
          const row = await s.readRow('ActionSteps', key)
          if (!row.ok) return row
          const seen = row.value.values[findColumn(row.value.headers, column)] ?? ''
          return s.updateRow({ table: 'ActionSteps', key, changes: [{ column, seen, value }], audit: audit(i), stamps: { UpdatedBy: 'ben@district.org', UpdatedAt: '2026-12-07T10:00:00Z' } })
        },
      })
    } else if (kind === 'checkIn') {
      const row = { CheckInId: `CI-T${seed}-${i}`, WigId: String(pick(wigs.rows)[wigKey]), Date: pick(['2026-12-01', '2026-11-30', 'Dec 1']), Value: pick(['42', '17.5', '61%', 'n/a']), Note: pick(TYPED) }
      writes.push({ describe: `check-in ${JSON.stringify(row)}`, run: (s) => s.appendRows({ table: 'CheckIns', rows: [row], audit: audit(i) }) })
    } else {
      const rows = Array.from({ length: 1 + Math.floor(next() * 3) }, (_, j) => ({ Email: `p${seed}-${i}-${j}@district.org`, Name: pick(TYPED) }))
      writes.push({ describe: `people ${JSON.stringify(rows)}`, run: (s) => s.appendRows({ table: 'People', rows, audit: audit(i) }) })
    }
  }
  return writes
}

