import { describe, expect, it } from 'vitest'
import { decodePlan } from '../../../src/workbook/codec.ts'
import { checkTable } from '../../../src/workbook/check.ts'
import { COLUMNS, CONTRACT, TABLE_NAMES, type Column, type TableName } from '../../../src/workbook/contract.ts'
import { buildWorkbook, emptyTables } from '../../../src/workbook/file/template.ts'
import { TABLE_LAYOUTS } from '../../../src/workbook/layout.ts'
import type { CellValue, RawWorkbook } from '../../../src/workbook/raw.ts'
import { fullWorkbook } from './raw-builder.ts'

/**
 * The contract's column table is the one home of column knowledge (issue 9): the template writer's
 * layout, the structural checks and the codec must all agree with it, column by column.
 */

const everyColumn = TABLE_NAMES.flatMap((table) => CONTRACT[table].columns.map((column) => ({ table, column })))
const choiceColumns = everyColumn.filter(({ column }) => column.kind === 'choice')
const dateColumns = everyColumn.filter(({ column }) => column.kind === 'date')

/** The full test workbook with `column` of the first row of `table` set to `value` (the column added when absent). */
function withCell(table: TableName, column: string, value: CellValue): RawWorkbook {
  const workbook = fullWorkbook()
  const raw = workbook.tables[table]
  if (!raw) throw new Error(`no ${table} in the test workbook`)
  let index = raw.headers.indexOf(column)
  if (index < 0) {
    index = raw.headers.push(column) - 1
    for (const row of raw.rows) row[index] = ''
    if (raw.numberFormats) raw.numberFormats = raw.numberFormats.map((formats) => Object.assign([...formats], { [index]: 'General' }))
  }
  const first = raw.rows[0]
  if (!first) throw new Error(`no rows in ${table}`)
  first[index] = value
  return workbook
}

const problemsAt = (workbook: RawWorkbook, table: TableName, column: string): string[] =>
  decodePlan(workbook)
    .problems.filter((p) => p.table === table && p.column === column)
    .map((p) => p.message)

/** The list validation the template writes in the first data row of `column`, or undefined. */
async function dropDown(table: TableName, column: string): Promise<string | undefined> {
  const workbook = await buildWorkbook(emptyTables())
  const sheet = workbook.getWorksheet(TABLE_LAYOUTS[table].sheet)
  const index = TABLE_LAYOUTS[table].columns.findIndex((c) => c.header === column) + 1
  const validation = sheet?.getCell(2, index).dataValidation
  return validation?.type === 'list' ? validation.formulae?.[0] : undefined
}

describe('the contract column table', () => {
  it('has choices exactly on its choice columns, each taken from the decoder that reads it', () => {
    expect(choiceColumns.map(({ table, column }) => `${table}.${column.name}`)).toEqual(['WIGs.Kind', 'WIGs.Direction', 'WIGs.StatusOverride', 'Measures.Type', 'ActionSteps.Status'])
    for (const { column } of everyColumn) {
      if (column.kind !== 'choice') expect(column.choices, column.name).toBeUndefined()
      else expect(column.choices, column.name).toBe((column.decode as { choices?: unknown } | undefined)?.choices)
    }
  })

  it.each(TABLE_NAMES)('%s: the template layout holds every contract column once, with its kind and choices, and nothing else', (table) => {
    const layout = TABLE_LAYOUTS[table].columns
    expect(layout.map((c) => c.header).sort()).toEqual(CONTRACT[table].columns.map((c) => c.name).sort())
    for (const column of CONTRACT[table].columns) {
      const laid = layout.find((c) => c.header === column.name)
      expect(laid?.kind, column.name).toBe(column.kind)
      expect(laid?.choices, column.name).toBe(column.choices)
    }
  })

  it.each(TABLE_NAMES)('%s: the checks refuse the table without a required column, and only then', (table) => {
    const names = CONTRACT[table].columns.map((c) => c.name)
    for (const column of CONTRACT[table].columns) {
      const check = checkTable({ name: table, headers: names.filter((n) => n !== column.name), rows: [] })
      expect(check.readable, column.name).toBe(!column.required)
      expect(check.problems.map((p) => p.column)).toEqual(column.required ? [column.name] : [])
    }
  })

  it.each(choiceColumns.map(({ table, column }) => [`${table}.${column.name}`, table, column] as const))(
    '%s: the drop-down the template offers is exactly what the codec accepts',
    async (_, table, column: Column) => {
      const choices = column.choices ?? []
      expect(await dropDown(table, column.name)).toBe(`"${choices.join(',')}"`)
      for (const choice of choices) expect(problemsAt(withCell(table, column.name, choice), table, column.name), choice).toEqual([])
      expect(problemsAt(withCell(table, column.name, 'Nonsense'), table, column.name)).toEqual([`${column.name} should be one of ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}; found "Nonsense"`])
    },
  )

  it('adding a choice to a column changes both what the codec accepts and what the template offers', async () => {
    // The vocabulary is one array shared by the table, the decoder and the layout: grow it in place.
    const choices = COLUMNS.WIGs.Kind.choices as unknown as string[]
    expect(problemsAt(withCell('WIGs', 'Kind', 'Stretch'), 'WIGs', 'Kind')).toHaveLength(1)
    choices.push('Stretch')
    try {
      expect(problemsAt(withCell('WIGs', 'Kind', 'Stretch'), 'WIGs', 'Kind')).toEqual([])
      expect(await dropDown('WIGs', 'Kind')).toBe('"Numeric,Milestone,Stretch"')
    } finally {
      choices.pop()
    }
  })

  it.each(dateColumns.map(({ table, column }) => [`${table}.${column.name}`, table, column.name] as const))('%s: the codec reads the date column as a date', (_, table, column) => {
    expect(problemsAt(withCell(table, column, '2025-06-30'), table, column)).toEqual([])
    expect(problemsAt(withCell(table, column, 'next week'), table, column)).toEqual([`${column} should be a date (an Excel date or YYYY-MM-DD); found "next week"`])
  })
})
