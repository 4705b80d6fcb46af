import { parseCheckInId, parseEmail, parseMeasureId, parseStepId, parseStrategyId, parseWigId, type Email, type IdProblem, type WigId } from '../domain/ids.ts'
import { exhaustiveSwitchError, type Result } from '../domain/result.ts'
import {
  DEFAULT_SETTINGS,
  type ActionStep,
  type CheckIn,
  type Measure,
  type Owner,
  type Person,
  type Plan,
  type Settings,
  type Strategy,
  type Wig,
} from '../domain/model.ts'
import { formatNumber, formatValue, isPercentUnit, measureUnits, tidy, wigUnits, type ValueScale, type ValueUnits } from '../domain/units.ts'
import { COLUMNS, CONTRACT, TABLE_NAMES, findColumn, isOptionalTable, normalizeHeader, type TableName } from './contract.ts'
import {
  decodeScaledNumber,
  decodeText,
  decodeThreshold,
  decodeTimestampText,
  decodeWholeDays,
  excelError,
  isBlank,
  type CellResult,
  type ScaledNumber,
} from './cells.ts'
import { checkTable, missingTableProblem, sanitizeWorkbook, sheetRow } from './check.ts'
import type { Decoded, Problem, ProblemFix } from './problem.ts'
import { cellAddress, type CellValue, type RawTable, type RawWorkbook } from './raw.ts'

/**
 * Raw cells → the plan model. Never throws on bad data: every row that has something in it is
 * kept, and every problem comes back with its table, row, column, cell and key.
 */

export type DecodedPlan = { plan: Plan; problems: Problem[] }

type Place = Omit<Problem, 'message' | 'fix'>

/** One data row, read column by column; each read reports its own problems. */
export type RowReader = {
  /** 0-based among the table's data rows, blank rows included. */
  readonly index: number
  readonly sheetRow: number
  /** The key cell's text, or null when blank (or the table has no key). */
  readonly key: string | null
  /** Sheet row of an earlier row with the same key, when this row repeats it. */
  readonly duplicateOf: number | null
  has(column: string): boolean
  cell(column: string): CellValue
  /** The cell's number format, when the backend gave formats. */
  format(column: string): string | undefined
  place(column: string | null): Place
  /** `fix`: a safe fix the task pane offers for this problem. */
  report(column: string | null, message: string, fix?: ProblemFix): void
  /** The cell as text; `ifBlank` is the problem to report when it is blank. */
  text(column: string, ifBlank?: string): string
  decode<T>(column: string, decoder: (v: CellValue, numberFormat?: string) => CellResult<T>, ifBlank?: string): T | null
}

export type DecodedTable<T> = Decoded<T> & { readable: boolean }

const isBlankCell = (v: CellValue | undefined): boolean => v === undefined || isBlank(v)

/**
 * Decodes the rows of one table with `decodeRow` (null = row not kept; its problem is already
 * reported). A table failing its structural check yields no records, only its problems.
 */
/** What every row of one table shares: the table, where each contract column is, the problems so far. */
type TableScope = { table: RawTable; indexes: ReadonlyMap<string, number>; problems: Problem[] }

/**
 * One row as a RowReader. A class rather than closures per row: a district's CheckIns run to
 * 100,000 rows, and per-row closures were most of what the decoder allocated.
 */
class TableRow implements RowReader {
  readonly index: number
  readonly sheetRow: number
  readonly key: string | null
  readonly duplicateOf: number | null
  private readonly scope: TableScope
  private readonly cells: readonly CellValue[]

  constructor(scope: TableScope, cells: readonly CellValue[], index: number, sheetRow: number, key: string | null, duplicateOf: number | null) {
    this.scope = scope
    this.cells = cells
    this.index = index
    this.sheetRow = sheetRow
    this.key = key
    this.duplicateOf = duplicateOf
  }

  has(column: string): boolean {
    return this.scope.indexes.has(column)
  }

  cell(column: string): CellValue {
    const i = this.scope.indexes.get(column)
    return i === undefined ? '' : (this.cells[i] ?? '')
  }

  format(column: string): string | undefined {
    const i = this.scope.indexes.get(column)
    return i === undefined ? undefined : this.scope.table.numberFormats?.[this.index]?.[i]
  }

  place(column: string | null): Place {
    const i = column === null ? undefined : this.scope.indexes.get(column)
    return { table: this.scope.table.name, row: this.sheetRow, column, cell: i === undefined ? null : (cellAddress(this.scope.table, this.index, i) ?? null), key: this.key }
  }

  report(column: string | null, message: string, fix?: ProblemFix): void {
    this.scope.problems.push({ ...this.place(column), message, ...(fix ? { fix } : {}) })
  }

  text(column: string, ifBlank?: string): string {
    const value = this.cell(column)
    const text = decodeText(value)
    const error = excelError(value)
    if (error) this.report(column, `${column} shows the error ${error}`)
    else if (text === '' && ifBlank !== undefined) this.report(column, ifBlank)
    return text
  }

  decode<T>(column: string, decoder: (v: CellValue, numberFormat?: string) => CellResult<T>, ifBlank?: string): T | null {
    const result = decoder(this.cell(column), this.format(column))
    if (!result.ok) {
      this.report(column, `${column} ${result.error}`)
      return null
    }
    if (result.value === null && ifBlank !== undefined) this.report(column, ifBlank)
    return result.value
  }
}

/**
 * Decodes the rows of one table with `decodeRow` (null = row not kept; its problem is already
 * reported). A table failing its structural check yields no records, only its problems.
 */
export function decodeTable<T>(
  table: RawTable,
  decodeRow: (row: RowReader) => T | null,
  options: { keyOf?: (key: string) => string } = {},
): DecodedTable<T> {
  const check = checkTable(table)
  if (!check.readable) return { records: [], problems: check.problems, readable: false }
  const spec = CONTRACT[table.name]
  const keyOf = options.keyOf ?? ((key: string) => key)
  const indexes = new Map<string, number>()
  for (const { name: column } of spec.columns) {
    const index = findColumn(table.headers, column)
    if (index >= 0) indexes.set(column, index)
  }
  const contractColumns = [...indexes.values()]
  const keyIndex = spec.key ? indexes.get(spec.key) : undefined
  // The reader may report after decodeRow returns (settings are checked together), so this array is the one returned.
  const scope: TableScope = { table, indexes, problems: [...check.problems] }
  const records: T[] = []
  const firstRowOfKey = new Map<string, number>()

  table.rows.forEach((cells, index) => {
    // Excel tables keep blank rows, and extra (often calculated) columns may fill them: only contract columns count.
    if (contractColumns.every((i) => isBlankCell(cells[i]))) return
    const rowNumber = sheetRow(table, index)
    const keyText = keyIndex === undefined ? '' : decodeText(cells[keyIndex] ?? '')
    const key = keyText === '' ? null : keyText
    let duplicateOf: number | null = null
    if (key !== null) {
      const first = firstRowOfKey.get(keyOf(key))
      if (first === undefined) firstRowOfKey.set(keyOf(key), rowNumber)
      else duplicateOf = first
    }
    const row = new TableRow(scope, cells, index, rowNumber, key, duplicateOf)
    if (duplicateOf !== null && spec.key) row.report(spec.key, `${spec.key} ${key} also appears on row ${duplicateOf}`)
    const record = decodeRow(row)
    if (record !== null) records.push(record)
  })
  return { records, problems: scope.problems, readable: true }
}

const blank = (column: string): string => `${column} is blank`

// ---------------------------------------------------------------- owners

/** A People entry whose Email passed `parseEmail`. */
type Listed = Person & { email: Email }

type Directory = { byEmail: Map<string, Listed>; byName: Map<string, Listed[]>; checked: boolean }

const nameKey = (name: string): string => name.replace(/\s+/g, '').toLowerCase()

function directory(people: readonly Listed[], checked: boolean): Directory {
  const byEmail = new Map<string, Listed>()
  const byName = new Map<string, Listed[]>()
  for (const person of people) {
    // A repeated email is reported on its row; the first entry is the one owners resolve to.
    if (byEmail.has(person.email.toLowerCase())) continue
    byEmail.set(person.email.toLowerCase(), person)
    if (person.name !== '') byName.set(nameKey(person.name), [...(byName.get(nameKey(person.name)) ?? []), person])
  }
  return { byEmail, byName, checked }
}

/** An email matches People by Email, anything else by Name; an unmatched owner is still shown as written. */
function readOwner(row: RowReader, column: string, people: Directory, ifBlank?: string): Owner | null {
  const text = row.text(column, ifBlank)
  if (text === '') return null
  if (text.includes('@')) {
    const person = people.byEmail.get(text.toLowerCase())
    if (person) return { text, email: person.email, name: person.name }
  } else {
    const matches = people.byName.get(nameKey(text)) ?? []
    const [only] = matches
    if (matches.length === 1 && only) return { text, email: only.email, name: only.name }
    if (matches.length > 1) {
      row.report(column, `owner "${text}" matches ${matches.length} people in People (${matches.map((p) => p.email).join(', ')}); write their email instead`)
      return { text, email: null, name: null }
    }
  }
  if (people.checked) row.report(column, `owner "${text}" is not in People`)
  return { text, email: null, name: null }
}

// ---------------------------------------------------------------- references

/**
 * The ids a reference may name, filled in as each table is decoded: every referenced table is
 * decoded before the tables that refer to it, so a reference is checked as it is read and
 * nothing per reference is kept. Null while a table is missing or unreadable: it is already
 * reported once, and a problem per row would bury it.
 */
type References = {
  known: { strategies: Set<string> | null; wigs: Set<string> | null; measures: Map<string, string> | null }
  problems: Problem[]
}

function refer(references: References, row: RowReader, column: string, id: string, target: 'Strategies' | 'WIGs' | 'Measures', wigId?: string): void {
  if (id === '') return
  const { known } = references
  const ids = target === 'Strategies' ? known.strategies : target === 'WIGs' ? known.wigs : known.measures
  if (ids === null) return
  if (!ids.has(id)) {
    references.problems.push({ ...row.place(column), message: `${column} ${id} is not in the ${target} table` })
    return
  }
  const owningWig = known.measures?.get(id)
  if (target === 'Measures' && wigId && owningWig && owningWig !== wigId) {
    references.problems.push({ ...row.place(column), message: `${column} ${id} belongs to WIG ${owningWig}, not ${wigId}` })
  }
}

// ---------------------------------------------------------------- tables

function decodePeople(table: RawTable): DecodedTable<Listed> {
  return decodeTable<Listed>(
    table,
    (row) => {
      const text = row.text('Email')
      if (text === '') {
        row.report('Email', 'no Email, so this person is left out of the directory')
        return null
      }
      const email = checkedId(row, 'Email', text, parseEmail, 'so this person is left out of the directory')
      if (email === null) return null
      return { email, name: row.text('Name', blank('Name')), department: row.text('Department'), role: row.text('Role') }
    },
    { keyOf: (email) => email.toLowerCase() },
  )
}

function decodeStrategies(table: RawTable): DecodedTable<Strategy> {
  return decodeTable<Strategy>(table, (row) => {
    const id = keyOf(row, 'StrategyId', 'strategy', parseStrategyId)
    if (id === null) return null
    return {
      id,
      pillar: row.text('Pillar', blank('Pillar')),
      strategy: row.text('Strategy', blank('Strategy')),
      priorityId: row.text('PriorityId'),
      priority: row.text('Priority'),
      keyLevers: row.text('KeyLevers'),
      performanceMeasures: row.text('PerformanceMeasures'),
      collaboratingDepartments: row.text('CollaboratingDepartments'),
    }
  })
}

// ---------------------------------------------------------------- scales

/**
 * The number format of a cell for scale decisions: undefined only when the backend gave no
 * formats at all ("not known"); a table with formats but none for this cell shows it as General.
 */
function formatOrGeneral(table: RawTable): (row: RowReader, column: string) => string | undefined {
  const known = table.numberFormats !== undefined
  return (row, column) => row.format(column) ?? (known ? 'General' : undefined)
}

type Scaled = { scale: ValueScale; baseline: number | null; target: number | null }

/**
 * A WIG's (or measure's) Baseline and Target fix its scale (WORKBOOK.md, Status rules):
 * - either shown as a percent (percent format, or "49%" text): `percentFraction`, the value
 *   Excel stores (0.49) is the fraction of a percent. The other cell, when it is a plain number
 *   above 1 (49 beside 72%), is on another scale: reported and left blank, not guessed;
 * - no formats from the backend (nobody can tell 0.49 from 49%): a percent Unit and values all
 *   within 0-1, one strictly between, are fractions, as for PercentComplete;
 * - otherwise `plain`: the number is the value in the Unit (48 with Unit `%` is 48%).
 */
function decideScale(row: RowReader, unit: string, baseline: ScaledNumber | null, target: ScaledNumber | null): Scaled {
  const cells = [
    { column: 'Baseline', other: 'Target', cell: baseline, otherCell: target },
    { column: 'Target', other: 'Baseline', cell: target, otherCell: baseline },
  ]
  const numbers = [baseline, target].filter((n): n is ScaledNumber => n !== null)
  if (numbers.some((n) => n.percent === true)) {
    const kept = { baseline: baseline?.value ?? null, target: target?.value ?? null }
    for (const { column, other, cell, otherCell } of cells) {
      if (cell === null || cell.percent === true || Math.abs(cell.value) <= 1 || otherCell === null) continue
      const units: ValueUnits = { scale: 'percentFraction', unit }
      row.report(
        column,
        `${column} ${formatNumber(cell.value)} is a plain number but ${other} is a percent (${formatValue(otherCell.value, units)}), so ${column} would read as ${formatValue(cell.value, units)}: type ${formatNumber(cell.value)}% if that is what you mean`,
      )
      if (column === 'Baseline') kept.baseline = null
      else kept.target = null
    }
    return { scale: 'percentFraction', ...kept }
  }
  const unknownFormats = numbers.some((n) => n.percent === null)
  const fractions = numbers.length > 0 && numbers.every((n) => n.value >= 0 && n.value <= 1) && numbers.some((n) => n.value > 0 && n.value < 1)
  const scale: ValueScale = unknownFormats && isPercentUnit(unit) && fractions ? 'percentFraction' : 'plain'
  return { scale, baseline: baseline?.value ?? null, target: target?.value ?? null }
}

function decodeWigs(table: RawTable, people: Directory, references: References): DecodedTable<Wig> {
  const formatOf = formatOrGeneral(table)
  return decodeTable<Wig>(table, (row) => {
    const id = keyOf(row, 'WigId', 'WIG', parseWigId)
    if (id === null) return null
    const strategyId = checkedId(row, 'StrategyId', row.text('StrategyId'), parseStrategyId) ?? ''
    refer(references, row, 'StrategyId', strategyId, 'Strategies')
    const unit = row.text('Unit')
    const scaledTarget = row.decode('Target', (v) => decodeScaledNumber(v, formatOf(row, 'Target')))
    const scaledBaseline = row.decode('Baseline', (v) => decodeScaledNumber(v, formatOf(row, 'Baseline')))
    // Kind follows the Target cell as typed, even one reported for being on another scale.
    const kind = row.decode('Kind', COLUMNS.WIGs.Kind.decode) ?? (scaledTarget !== null ? 'Numeric' : 'Milestone')
    const { scale, baseline, target } = decideScale(row, unit, scaledBaseline, scaledTarget)
    if (kind === 'Numeric' && target === null && isBlank(row.cell('Target'))) row.report('Target', 'this WIG is Numeric but has no Target')
    const targetDate = row.decode('TargetDate', COLUMNS.WIGs.TargetDate.decode, 'no TargetDate: when is this WIG due?')
    const startDate = row.decode('StartDate', COLUMNS.WIGs.StartDate.decode)
    if (targetDate !== null && startDate !== null && targetDate <= startDate) {
      row.report('TargetDate', `TargetDate ${targetDate} is not after StartDate ${startDate}, so there is no time to get from the baseline to the target`)
    }
    return {
      id,
      title: row.text('Title', blank('Title')),
      targetDate,
      strategyId,
      department: row.text('Department'),
      kind,
      unit,
      scale,
      direction: row.decode('Direction', COLUMNS.WIGs.Direction.decode),
      baseline,
      target,
      startDate,
      owner: readOwner(row, 'Owner', people),
      statusOverride: row.decode('StatusOverride', COLUMNS.WIGs.StatusOverride.decode),
      statusNote: row.text('StatusNote'),
    }
  })
}

function wigIdOf(row: RowReader, what: string): WigId | '' {
  return checkedId(row, 'WigId', row.text('WigId', `no WigId, so this ${what} belongs to no WIG`), parseWigId, `so this ${what} belongs to no WIG`) ?? ''
}

/**
 * An id cell through its domain validator (src/domain/ids.ts), the one the task pane uses: text
 * that is not an id is reported (with `then`, what follows) and read as blank.
 */
/** A row's own key, parsed: a blank or malformed one is reported and the row left out (null). */
function keyOf<T extends string>(row: RowReader, column: string, noun: string, parse: (text: string) => Result<T, IdProblem>): T | null {
  if (row.key === null) {
    row.report(column, `no ${column}, so this ${noun} is not shown until it has one`)
    return null
  }
  return checkedId(row, column, row.key, parse, `so this ${noun} is not shown until it is fixed`)
}

function checkedId<T extends string>(row: RowReader, column: string, text: string, parse: (text: string) => Result<T, IdProblem>, then?: string): T | null {
  if (text === '') return null
  const parsed = parse(text)
  if (parsed.ok) return parsed.value
  row.report(column, `${column} ${idFaultText(parsed.error)}${then === undefined ? '' : `, ${then}`}`)
  return null
}

function idFaultText(p: IdProblem): string {
  switch (p.problem) {
    case 'blank':
      return 'is blank'
    case 'tooLong':
      return `is ${p.length} characters long, more than the ${p.limit} an id may have`
    case 'controlCharacter':
      return `contains the control character U+${p.codePoint.toString(16).toUpperCase().padStart(4, '0')} at character ${p.at}`
    case 'notAnEmail':
      return `"${p.text}" is not an email address`
    default:
      return exhaustiveSwitchError(p, 'id problem')
  }
}

function decodeMeasures(table: RawTable, people: Directory, references: References): DecodedTable<Measure> {
  const formatOf = formatOrGeneral(table)
  return decodeTable<Measure>(table, (row) => {
    const id = keyOf(row, 'MeasureId', 'measure', parseMeasureId)
    if (id === null) return null
    const wigId = wigIdOf(row, 'measure')
    refer(references, row, 'WigId', wigId, 'WIGs')
    const type = row.decode('Type', COLUMNS.Measures.Type.decode, 'Type is blank: is this a Lag or a Lead measure?')
    const name = row.text('Name', blank('Name'))
    const unit = row.text('Unit')
    const baseline = row.decode('Baseline', (v) => decodeScaledNumber(v, formatOf(row, 'Baseline')))
    const target = row.decode('Target', (v) => decodeScaledNumber(v, formatOf(row, 'Target')))
    return {
      id,
      wigId,
      type,
      name,
      unit,
      ...decideScale(row, unit, baseline, target),
      dueDate: row.decode('DueDate', COLUMNS.Measures.DueDate.decode),
      owner: readOwner(row, 'Owner', people),
      cadence: row.text('Cadence'),
    }
  })
}

/**
 * Check-ins and steps belong to a WIG and maybe one of its measures. A row typed into Excel
 * without its own id is kept and reported, so the task pane can assign one.
 */
function belonging<K extends string>(row: RowReader, references: References, keyColumn: 'CheckInId' | 'StepId', parseKey: (text: string) => Result<K, IdProblem>, what: string) {
  if (row.key === null) row.report(keyColumn, `no ${keyColumn}: the task pane can assign one`, 'assignKey')
  const id = row.key === null ? null : checkedId(row, keyColumn, row.key, parseKey, 'so it is read as having none')
  const wigId = wigIdOf(row, what)
  const measureId = checkedId(row, 'MeasureId', row.text('MeasureId'), parseMeasureId)
  refer(references, row, 'WigId', wigId, 'WIGs')
  refer(references, row, 'MeasureId', measureId ?? '', 'Measures', wigId)
  return { id, wigId, measureId }
}

/** What a check-in's value is measured against: its measure's units, else its WIG's. */
type Scales = { wigs: ReadonlyMap<string, Wig>; measures: ReadonlyMap<string, Measure> }

function scaleOwner(scales: Scales, wigId: string, measureId: string | null): { what: string; units: ValueUnits; from: number | null; to: number | null } | null {
  const wig = scales.wigs.get(wigId)
  if (measureId !== null) {
    const measure = scales.measures.get(measureId)
    // An unknown measure is reported as a reference; its value is read as it stands.
    return measure ? { what: `measure ${measure.id}`, units: measureUnits(measure, wig), from: measure.baseline, to: measure.target } : null
  }
  return wig ? { what: `WIG ${wig.id}`, units: wigUnits(wig), from: wig.baseline, to: wig.target } : null
}

/**
 * A check-in's Value read on the scale of what it measures, so the rules compare like with like:
 * - percent goal: a percent cell (61.5%) or a fraction (0.615) is the value; a plain number above
 *   1 (61.5, which Excel stores as 6150%) is reported and not counted, never guessed;
 * - plain goal counted in percent (48 → 62, Unit `%`): a percent cell showing 61.5% is 61.5;
 * - plain goal counted in anything else: a percent is reported and not counted.
 */
function readCheckInValue(row: RowReader, formatOf: (row: RowReader, column: string) => string | undefined, owner: ReturnType<typeof scaleOwner>): number | null {
  const scaled = row.decode('Value', (v) => decodeScaledNumber(v, formatOf(row, 'Value')), 'no Value')
  if (scaled === null || owner === null) return scaled?.value ?? null
  const { what, units } = owner
  // Worded only for a problem: most of a district's 100,000 check-ins have none.
  const range = (): string => (owner.from !== null && owner.to !== null ? ` (${formatValue(owner.from, units)} to ${formatValue(owner.to, units)})` : '')
  switch (units.scale) {
    case 'percentFraction':
      if (scaled.percent === true || Math.abs(scaled.value) <= 1) return scaled.value
      row.report(
        'Value',
        `Value ${formatNumber(scaled.value)} would be ${formatValue(scaled.value, units)} on ${what}${range()}, so it is not counted: type ${formatNumber(scaled.value)}% if that is what you mean`,
      )
      return null
    case 'plain':
      if (scaled.percent !== true) return scaled.value
      if (isPercentUnit(units.unit)) return tidy(scaled.value * 100)
      row.report('Value', `Value ${formatNumber(tidy(scaled.value * 100))}% is a percent, but ${what} is measured in ${units.unit.trim() || 'plain numbers'}, so it is not counted`)
      return null
    default:
      return exhaustiveSwitchError(units.scale, 'value scale')
  }
}

function decodeCheckIns(table: RawTable, references: References, scales: Scales): DecodedTable<CheckIn> {
  const formatOf = formatOrGeneral(table)
  // Thousands of check-ins share each WIG's or measure's scale: worked out once per pair.
  const owners = new Map<string, ReturnType<typeof scaleOwner>>()
  const ownerOf = (wigId: string, measureId: string | null): ReturnType<typeof scaleOwner> => {
    const key = `${wigId}\u0000${measureId ?? ''}`
    if (!owners.has(key)) owners.set(key, scaleOwner(scales, wigId, measureId))
    return owners.get(key) ?? null
  }
  return decodeTable<CheckIn>(table, (row) => {
    // Named fields, not a spread of belonging's result: V8 gave each spread record a hidden class
    // of its own (100,000 of them at L, most of a status's garbage).
    const { id, wigId, measureId } = belonging(row, references, 'CheckInId', parseCheckInId, 'check-in')
    return {
      id,
      wigId,
      measureId,
      date: row.decode('Date', COLUMNS.CheckIns.Date.decode, 'no Date: when was this value measured?'),
      value: readCheckInValue(row, formatOf, ownerOf(wigId, measureId)),
      note: row.text('Note'),
      enteredBy: row.text('EnteredBy'),
      enteredAt: decodeTimestampText(row.cell('EnteredAt')),
      position: row.index,
    }
  })
}

/**
 * A backend that sends no number formats cannot say whether 0.25 is "25%" shown as a percent.
 * When every PercentComplete in the table is within 0-1 and one is a fraction, they are fractions.
 */
function percentFormatGuess(table: RawTable): string | undefined {
  if (table.numberFormats !== undefined) return undefined
  const column = findColumn(table.headers, 'PercentComplete')
  const numbers = table.rows.map((r) => r[column]).filter((v): v is number => typeof v === 'number')
  return numbers.length > 0 && numbers.every((n) => n >= 0 && n <= 1) && numbers.some((n) => n > 0 && n < 1) ? '0%' : undefined
}

function decodeSteps(table: RawTable, people: Directory, references: References): DecodedTable<ActionStep> {
  const percentFormat = percentFormatGuess(table)
  return decodeTable<ActionStep>(table, (row) => {
    const { id, wigId, measureId } = belonging(row, references, 'StepId', parseStepId, 'action step')
    return {
      id,
      wigId,
      measureId,
      title: row.text('Title', blank('Title')),
      owner: readOwner(row, 'Owner', people, 'no Owner: who does this step?'),
      dueDate: row.decode('DueDate', COLUMNS.ActionSteps.DueDate.decode, 'no DueDate: when is this step due?'),
      // Blank is reported rather than read as "Not started": the contract makes Status required.
      status: row.decode('Status', COLUMNS.ActionSteps.Status.decode, 'Status is blank'),
      rawStatus: row.text('Status'),
      sequence: row.decode('Sequence', COLUMNS.ActionSteps.Sequence.decode),
      support: row.text('Support'),
      startDate: row.decode('StartDate', COLUMNS.ActionSteps.StartDate.decode),
      percentComplete: row.decode('PercentComplete', (v, format) => COLUMNS.ActionSteps.PercentComplete.decode(v, format ?? percentFormat)),
      notes: row.text('Notes'),
      updatedBy: row.text('UpdatedBy'),
      updatedAt: decodeTimestampText(row.cell('UpdatedAt')),
      position: row.index,
    }
  })
}

// ---------------------------------------------------------------- settings

type SettingRow = { field: keyof Settings; row: RowReader }

const SETTING_FIELDS: Readonly<Record<string, keyof Settings>> = {
  districtname: 'districtName',
  planyear: 'planYear',
  ontrackat: 'onTrackAt',
  atriskat: 'atRiskAt',
  staleafterdays: 'staleAfterDays',
  duesoondays: 'dueSoonDays',
}

const asPercent = (fraction: number): string => `${tidy(fraction * 100)}%`

function settingValue(setting: SettingRow): { field: keyof Settings; value: string | number | null } {
  const { field, row } = setting
  const read = (decoder: (v: CellValue, format?: string) => CellResult<number>, fallback: string): number | null => {
    const result = decoder(row.cell('Value'), row.format('Value'))
    if (result.ok) return result.value
    row.report('Value', `${row.key ?? field} ${result.error}; the default ${fallback} is used`)
    return null
  }
  switch (field) {
    case 'districtName':
    case 'planYear':
      return { field, value: row.text('Value') }
    case 'onTrackAt':
    case 'atRiskAt':
      return { field, value: read(decodeThreshold, asPercent(DEFAULT_SETTINGS[field])) }
    case 'staleAfterDays':
    case 'dueSoonDays':
      return { field, value: read(decodeWholeDays, String(DEFAULT_SETTINGS[field])) }
    default:
      return exhaustiveSwitchError(field, 'setting')
  }
}

function decodeSettings(table: RawTable): { settings: Settings; problems: Problem[] } {
  const decoded = decodeTable<SettingRow>(
    table,
    (row) => {
      if (row.key === null) {
        row.report('Key', 'Key is blank, so this value is ignored')
        return null
      }
      const lookup = normalizeHeader(row.key)
      const field = Object.hasOwn(SETTING_FIELDS, lookup) ? SETTING_FIELDS[lookup] : undefined
      // Unknown keys are the district's own notes; the first of a repeated key is the one used.
      return field && row.duplicateOf === null ? { field, row } : null
    },
    { keyOf: normalizeHeader },
  )
  const settings: Settings = { ...DEFAULT_SETTINGS }
  const rowOf = new Map<keyof Settings, RowReader>()
  for (const setting of decoded.records) {
    const { field, value } = settingValue(setting)
    rowOf.set(field, setting.row)
    if (value === null) continue
    if (field === 'districtName' || field === 'planYear') settings[field] = String(value)
    else if (typeof value === 'number') settings[field] = value
  }
  // The rules read the thresholds in order, so any pair works; only a pair the district typed
  // both ways round is worth a word. Nothing is replaced.
  const atRiskRow = rowOf.get('atRiskAt')
  if (atRiskRow && rowOf.has('onTrackAt') && settings.atRiskAt > settings.onTrackAt) {
    atRiskRow.report('Value', `AtRiskAt (${asPercent(settings.atRiskAt)}) is above OnTrackAt (${asPercent(settings.onTrackAt)}), so no goal can be At risk; were they swapped?`)
  }
  return { settings, problems: decoded.problems }
}

// ---------------------------------------------------------------- reminders

/**
 * The Reminders table (optional, issue 15) is not part of the plan: src/app/reminders.ts reads its
 * rows. Its cells are still checked here, so `check` reports a bad date or count with its cell.
 */
function decodeReminderCells(table: RawTable): { problems: Problem[] } {
  const decoded = decodeTable(table, (row) => {
    row.decode('Date', COLUMNS.Reminders.Date.decode, blank('Date'))
    row.text('Owner', blank('Owner'))
    row.text('Kind', blank('Kind'))
    row.decode('Count', COLUMNS.Reminders.Count.decode, blank('Count'))
    return null
  })
  return { problems: decoded.problems }
}

// ---------------------------------------------------------------- the plan

const tableOrder = (name: TableName): number => TABLE_NAMES.indexOf(name)

/** A repeated id is reported on its row; the first row with it is the one others resolve to. */
function firstById<T extends { id: string }>(records: readonly T[]): Map<string, T> {
  const byId = new Map<string, T>()
  for (const r of records) if (!byId.has(r.id)) byId.set(r.id, r)
  return byId
}

export function decodePlan(workbook: RawWorkbook): DecodedPlan {
  const { tables, missing } = sanitizeWorkbook(workbook)
  const problems: Problem[] = []
  for (const name of TABLE_NAMES) {
    // The ChangeLog is only needed for writes: report it when the read asked for it. An optional
    // table (Reminders) is never missing.
    if (!tables[name] && !isOptionalTable(name) && (name !== 'ChangeLog' || missing.includes(name))) problems.push(missingTableProblem(name))
  }
  const references: References = { known: { strategies: null, wigs: null, measures: null }, problems: [] }
  const empty = { records: [], problems: [], readable: false }

  const people = tables.People ? decodePeople(tables.People) : empty
  // A People table that is there, even empty, is the directory owners are checked against.
  const owners = directory(people.records, people.readable)
  const settings = tables.Settings ? decodeSettings(tables.Settings) : { settings: { ...DEFAULT_SETTINGS }, problems: [] }
  const strategies = tables.Strategies ? decodeStrategies(tables.Strategies) : empty
  references.known.strategies = strategies.readable ? new Set(strategies.records.map((s) => s.id)) : null
  const wigs = tables.WIGs ? decodeWigs(tables.WIGs, owners, references) : empty
  references.known.wigs = wigs.readable ? new Set(wigs.records.map((w) => w.id)) : null
  const measures = tables.Measures ? decodeMeasures(tables.Measures, owners, references) : empty
  references.known.measures = measures.readable ? new Map(measures.records.map((m) => [m.id, m.wigId])) : null
  const checkIns = tables.CheckIns ? decodeCheckIns(tables.CheckIns, references, { wigs: firstById(wigs.records), measures: firstById(measures.records) }) : empty
  const steps = tables.ActionSteps ? decodeSteps(tables.ActionSteps, owners, references) : empty
  const changeLog = tables.ChangeLog ? checkTable(tables.ChangeLog) : { problems: [] }
  const reminders = tables.Reminders ? decodeReminderCells(tables.Reminders) : { problems: [] }

  problems.push(
    ...people.problems,
    ...settings.problems,
    ...strategies.problems,
    ...wigs.problems,
    ...measures.problems,
    ...checkIns.problems,
    ...steps.problems,
    ...changeLog.problems,
    ...reminders.problems,
    ...references.problems,
  )
  // Table by table, top to bottom: the order a coordinator fixes them in.
  const sorted = problems
    .map((problem, i) => ({ problem, i }))
    .sort((a, b) => tableOrder(a.problem.table) - tableOrder(b.problem.table) || (a.problem.row ?? 0) - (b.problem.row ?? 0) || a.i - b.i)
    .map(({ problem }) => problem)

  return {
    plan: {
      strategies: strategies.records,
      wigs: wigs.records,
      measures: measures.records,
      checkIns: checkIns.records,
      steps: steps.records,
      people: people.records,
      settings: settings.settings,
    },
    problems: sorted,
  }
}
