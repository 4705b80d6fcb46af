import { addDays, daysBetween, type IsoDate } from '../domain/dates.ts'
import type { StepStatus } from '../domain/model.ts'
import { exhaustiveSwitchError } from '../domain/result.ts'
import type { TableName } from '../workbook/contract.ts'
import type { CellValue } from '../workbook/raw.ts'
import { earlier, later } from './calendar.ts'
import { sampleDistrict, type SampleData, type SampleTable } from './district.ts'
import { roundTo } from './series.ts'
import { writeTablesWorkbook } from '../workbook/file/template.ts'

/**
 * The sample district at district scale, for benchmarks and load tests: the same strategies,
 * measures, people and settings, with the WIGs, CheckIns and ActionSteps tables grown to the
 * sizes asked for. Everything the sample already holds is kept, so every sample WIG shows the
 * status it shows in the sample:
 *
 * - Extra WIGs are copies of the sample's WIGs, taken in plan order and round again, so they
 *   spread over all its strategies (and its department plans): each keeps its model's strategy,
 *   department, kind, unit, goal, dates and any manual status, gets a WigId of its own
 *   (`WIG-0019`, …), its model's title with a school (then a department) in brackets, so no two
 *   titles are the same, and an owner from People in its model's owner's department. Each brings
 *   copies of its model's measures (`M-0019-1`, …), of its model's action steps (same dates,
 *   statuses and sequence; new StepIds; owners from the same departments) and of its model's own
 *   check-ins (same dates, values and notes). So at the same as-of every copy has its model's
 *   status, stale flag and progress: a numeric WIG's status comes from its own values, a
 *   milestone's from its steps. These copies count towards the check-in and step totals.
 * - Extra check-ins are school-level readings of the lead measures (the copies' included),
 *   weekly over the last few plan years, each dated before the latest sample reading of that
 *   measure (or of the measure it copies), so no latest value moves, and never on a WIG's own
 *   values (which decide numeric statuses). Rows stay in the order they were entered (by date)
 *   and are numbered afresh.
 * - Extra action steps are school-level steps under the numeric WIGs only, copies included (a
 *   milestone WIG's status comes from its steps), appended below the sample's steps and the
 *   copies' steps, whose StepIds are kept.
 *
 * Pure and deterministic for a given as-of and size.
 */

export type ScaledSize = {
  /** Rows of the CheckIns table in total, the sample's own and the extra WIGs' copied ones included. */
  checkIns: number
  /** Rows of the ActionSteps table in total, the sample's own and the extra WIGs' copied ones included. */
  steps: number
  /** Rows of the WIGs table in total, the sample's own included; the sample's alone when absent. */
  wigs?: number
}

/** Plan years of check-in history at least; more when the size asks for more rows than they can hold. */
const MIN_HISTORY_YEARS = 3
const MAX_HISTORY_YEARS = 40

/** Riverbend's schools: the sites that report lead measures and own school-level steps. */
export const SAMPLE_SCHOOLS: readonly string[] = [
  'Alder Creek Elementary',
  'Bayview Elementary',
  'Birchwood Elementary',
  'Canyon Ridge Elementary',
  'Cedar Hollow Elementary',
  'Clearwater Elementary',
  'Dogwood Elementary',
  'Eastgate Elementary',
  'Fairmont Elementary',
  'Foxglove Elementary',
  'Glenview Elementary',
  'Harbor Point Elementary',
  'Heron Lake Elementary',
  'Juniper Elementary',
  'Kingsley Elementary',
  'Lakeshore Elementary',
  'Laurel Park Elementary',
  'Maple Grove Elementary',
  'Meadowbrook Elementary',
  'Millbrook Elementary',
  'North Fork Elementary',
  'Oak Hollow Elementary',
  'Pinecrest Elementary',
  'Quarry Hill Elementary',
  'Riverside Elementary',
  'Rosewood Elementary',
  'Sandstone Elementary',
  'Sycamore Elementary',
  'Westfield Elementary',
  'Willow Bend Elementary',
  'Bridgeport Middle School',
  'Eastside Middle School',
  'Hillcrest Middle School',
  'Lincoln Heights Middle School',
  'Northview Middle School',
  'Stonebridge Middle School',
  'Summit Middle School',
  'Valley View Middle School',
  'Central High School',
  'Riverbend High School',
  'Lakeside High School',
  'West Ridge High School',
  'Riverbend Early College',
  'Horizon Alternative Academy',
]

/** What a school data lead types beside a weekly reading, now and then. */
const CHECK_IN_NOTES: readonly string[] = [
  'Two classrooms were short a substitute this week.',
  'Entered late; the data lead was out on Monday.',
  'New bell schedule started, so expect a dip for a week or two.',
  'Checked against the student information system; the figures match.',
  'Short week (holiday), so fewer sessions than usual.',
  'Principal asked the central office team for support.',
  'Up after the coaching visit on Tuesday.',
  'Testing window this week; routines were paused.',
  'Corrected after the coordinator re-checked the sign-in sheets.',
  'Steady; the team is keeping the routine going.',
  'Down this week: a field trip took two grade levels out.',
  'First week with the new tracker; a few entries may be missing.',
]

/** School-level actions any lead measure's team takes; `{school}` and `{measure}` are filled in. */
const STEP_TITLES: readonly string[] = [
  '{school}: name a lead for "{measure}" and agree the weekly routine',
  '{school}: review this week\'s figures for "{measure}" with the leadership team',
  '{school}: walk classrooms twice this week and record what was seen',
  '{school}: share the latest figures with staff at the Monday briefing',
  '{school}: set up the tracker and train the data lead',
  '{school}: hold the monthly check-in with the central office partner',
  '{school}: agree a catch-up plan for the groups furthest behind',
  '{school}: send the family update on "{measure}"',
  '{school}: compare the last four weeks and pick one thing to change',
  '{school}: confirm cover so the routine survives staff absences',
]

const STEP_SUPPORT: readonly string[] = ['Principal', 'Assistant principal', 'Instructional coach', 'School data lead', 'Central office partner', 'Grade-level team leads']

const LATE_NOTE = 'Running late; a new date was agreed at the last WIG session.'
const BLOCKED_NOTE = 'Waiting on staffing before this can go ahead.'
const CANCELLED_NOTE = 'Folded into the school improvement plan instead.'

type Row = Record<string, CellValue>

/** Rows of a sample table as objects keyed by header. */
function records(table: SampleTable): Row[] {
  return table.rows.map((row) => Object.fromEntries(table.headers.map((h, i) => [h, row[i] ?? ''])))
}

function rowsOf(headers: readonly string[], rows: readonly Row[]): CellValue[][] {
  return rows.map((row) => headers.map((h) => row[h] ?? ''))
}

const text = (value: CellValue | undefined): string => (value === undefined || value === null ? '' : String(value))

/** A timestamp in the afternoon of `date`, as the app records EnteredAt/UpdatedAt. */
function stamp(date: IsoDate, minute: number): string {
  const m = ((minute % 180) + 180) % 180
  return `${date}T${String(13 + Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00Z`
}

/** How many of `total` items slot `i` of `slots` gets, spread evenly (each slot gets ⌊total/slots⌋ or one more). */
function share(i: number, slots: number, total: number): number {
  const base = Math.floor(total / slots)
  const rest = total % slots
  return base + Math.floor(((i + 1) * rest) / slots) - Math.floor((i * rest) / slots)
}

function pick<T>(list: readonly T[], i: number): T {
  const item = list[((i % list.length) + list.length) % list.length]
  if (item === undefined) throw new Error('Sample scale: picked from an empty list')
  return item
}

/** Digits in a StepId when the table holds `total` steps, as the sample numbers them (`ST-0001`). */
const stepIdWidth = (total: number): number => Math.max(4, String(total).length)

function byWig(rows: readonly Row[]): Map<string, Row[]> {
  const by = new Map<string, Row[]>()
  for (const row of rows) {
    const id = text(row.WigId)
    const list = by.get(id)
    if (list) list.push(row)
    else by.set(id, [row])
  }
  return by
}

/** Who holds the rows, for a size that asks for fewer than that. */
function holders(data: SampleData): string {
  return `The sample district with ${data.tables.WIGs.rows.length} WIGs`
}

/** Small fixed ups and downs, so school series look measured rather than drawn with a ruler. */
const WIGGLE = [0, 0.6, -0.4, 0.9, -0.7, 0.3, -0.2, 0.8, -0.9, 0.5, -0.5, 0.1] as const

function decimalsOf(unit: string, ...numbers: number[]): number {
  return unit === '%' || numbers.some((n) => !Number.isInteger(n)) ? 1 : 0
}

type LeadMeasure = {
  id: string
  wigId: string
  name: string
  unit: string
  baseline: number
  target: number
  owner: string
  /** Its latest sample reading: every extra reading is dated before it. */
  latest: IsoDate
}

function peopleByDepartment(people: readonly Row[]): Map<string, string[]> {
  const by = new Map<string, string[]>()
  for (const p of people) {
    const department = text(p.Department)
    by.set(department, [...(by.get(department) ?? []), text(p.Email)])
  }
  return by
}

/** Lead measures with a reading to date the extra ones before: their own latest, or (a copy's) that of the measure it copies. */
function leadMeasures(data: SampleData, modelOf: ReadonlyMap<string, string>): LeadMeasure[] {
  const latest = new Map<string, IsoDate>()
  for (const c of records(data.tables.CheckIns)) {
    const measure = text(c.MeasureId)
    const date = text(c.Date) as IsoDate
    if (measure !== '' && date > (latest.get(measure) ?? '')) latest.set(measure, date)
  }
  return records(data.tables.Measures).flatMap((m) => {
    const id = text(m.MeasureId)
    const last = latest.get(id) ?? latest.get(modelOf.get(id) ?? '')
    if (text(m.Type) !== 'Lead' || last === undefined || typeof m.Baseline !== 'number' || typeof m.Target !== 'number') return []
    return [{ id: text(m.MeasureId), wigId: text(m.WigId), name: text(m.Name), unit: text(m.Unit), baseline: m.Baseline, target: m.Target, owner: text(m.Owner), latest: last }]
  })
}

type Slot = { measure: LeadMeasure; date: IsoDate; order: number }

/** Every (measure, week) a reading could be dated, weekly back from before each measure's latest, oldest first. */
function weeklySlots(measures: readonly LeadMeasure[], from: IsoDate): Slot[] {
  const slots: Slot[] = []
  measures.forEach((measure, order) => {
    for (let date = addDays(measure.latest, -7); date >= from; date = addDays(date, -7)) slots.push({ measure, date, order })
  })
  return slots.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order))
}

function scaledCheckIns(data: SampleData, total: number, measureModels: ReadonlyMap<string, string>): SampleTable {
  const table = data.tables.CheckIns
  const extra = total - table.rows.length
  if (extra < 0) throw new RangeError(`${holders(data)} already holds ${table.rows.length} check-ins; ask for at least that many (asked ${total}).`)
  const measures = leadMeasures(data, measureModels)
  const byDepartment = peopleByDepartment(records(data.tables.People))
  const departmentOf = new Map(records(data.tables.People).map((p) => [text(p.Email), text(p.Department)]))

  // History reaches back whole plan years: as few as hold the rows asked for, at least three.
  let slots: Slot[] = []
  let from = data.planYear.start
  for (let years = MIN_HISTORY_YEARS; ; years += 1) {
    from = `${String(Number(data.planYear.start.slice(0, 4)) - (years - 1)).padStart(4, '0')}${data.planYear.start.slice(4)}` as IsoDate
    slots = weeklySlots(measures, from)
    if (slots.length * SAMPLE_SCHOOLS.length >= extra) break
    if (years >= MAX_HISTORY_YEARS) throw new RangeError(`At most ${slots.length * SAMPLE_SCHOOLS.length} check-ins fit the sample's measures; asked for ${total}.`)
  }

  type Pending = { row: Row; date: IsoDate; order: number }
  const pending: Pending[] = records(table).map((row, i) => ({ row, date: text(row.Date) as IsoDate, order: i }))
  let n = 0
  slots.forEach((slot, s) => {
    const { measure, date } = slot
    const reporters = share(s, slots.length, extra)
    const span = Math.max(1, daysBetween(from, measure.latest))
    const low = Math.min(measure.baseline, measure.target)
    const high = Math.max(measure.baseline, measure.target)
    const decimals = decimalsOf(measure.unit, measure.baseline, measure.target)
    const colleagues = byDepartment.get(departmentOf.get(measure.owner) ?? '') ?? [measure.owner]
    for (let k = 0; k < reporters; k += 1) {
      const school = (s * 7 + k) % SAMPLE_SCHOOLS.length
      const progress = 0.1 + (0.75 * daysBetween(from, date)) / span
      const schoolLean = ((school * 37) % 21) / 100 - 0.1
      const wiggle = 0.04 * (WIGGLE[(s + school) % WIGGLE.length] ?? 0)
      const value = measure.baseline + (measure.target - measure.baseline) * (progress + schoolLean + wiggle)
      const noted = (n * 5 + school) % 9 === 0
      pending.push({
        row: {
          WigId: measure.wigId,
          MeasureId: measure.id,
          Date: date,
          Value: roundTo(Math.min(high, Math.max(low, value)), decimals),
          Note: noted ? `${pick(SAMPLE_SCHOOLS, school)}: ${pick(CHECK_IN_NOTES, n + school)}` : '',
          // Mostly the measure's owner; now and then a colleague in the same department enters it.
          EnteredBy: n % 6 === 5 ? pick(colleagues, n) : measure.owner,
          EnteredAt: stamp(addDays(date, n % 3), n * 7),
        },
        date,
        order: table.rows.length + n,
      })
      n += 1
    }
  })

  // In the order they were entered: by date, stable on ties.
  pending.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order))
  const width = Math.max(4, String(total).length)
  const rows = pending.map((p, i) => ({ ...p.row, CheckInId: `CI-${String(i + 1).padStart(width, '0')}` }))
  return { headers: [...table.headers], rows: rowsOf(table.headers, rows) }
}

type NumericWig = { id: string; start: IsoDate; end: IsoDate; owners: string[]; measures: string[]; measureNames: string[]; nextSequence: number }

function numericWigs(data: SampleData): NumericWig[] {
  const people = records(data.tables.People)
  const byDepartment = peopleByDepartment(people)
  const measuresOf = byWig(records(data.tables.Measures))
  const stepsOf = byWig(records(data.tables.ActionSteps))
  return records(data.tables.WIGs)
    .filter((w) => text(w.Kind) === 'Numeric')
    .map((w) => {
      const id = text(w.WigId)
      const own = measuresOf.get(id) ?? []
      const leads = own.filter((m) => text(m.Type) === 'Lead')
      const owners = [...new Set([...own.map((m) => text(m.Owner)), ...(byDepartment.get(text(w.Department)) ?? [])])].filter((e) => e.includes('@'))
      const sequences = (stepsOf.get(id) ?? []).map((s) => (typeof s.Sequence === 'number' ? s.Sequence : 0))
      return {
        id,
        start: text(w.StartDate) as IsoDate,
        end: text(w.TargetDate) as IsoDate,
        owners: owners.length > 0 ? owners : people.map((p) => text(p.Email)),
        measures: (leads.length > 0 ? leads : own).map((m) => text(m.MeasureId)),
        measureNames: (leads.length > 0 ? leads : own).map((m) => text(m.Name)),
        nextSequence: Math.max(0, ...sequences) + 1,
      }
    })
}

function stepStatus(n: number, start: IsoDate, due: IsoDate, asOf: IsoDate): StepStatus {
  if (due < asOf) {
    // Mostly done; a few still going (late), a few blocked or dropped.
    const r = n % 40
    return r === 0 ? 'Blocked' : r === 1 || r === 2 ? 'In progress' : r === 3 ? 'Cancelled' : 'Done'
  }
  if (start > asOf) return 'Not started'
  return n % 3 === 0 ? 'Not started' : 'In progress'
}

function percentFor(status: StepStatus, n: number): number {
  switch (status) {
    case 'Done':
      return 100
    case 'Blocked':
      return 20
    case 'In progress':
      return 30 + ((n * 17) % 45)
    case 'Not started':
    case 'Cancelled':
      return 0
    default:
      return exhaustiveSwitchError(status, 'step status')
  }
}

function scaledSteps(data: SampleData, total: number): SampleTable {
  const table = data.tables.ActionSteps
  const extra = total - table.rows.length
  if (extra < 0) throw new RangeError(`${holders(data)} already holds ${table.rows.length} action steps; ask for at least that many (asked ${total}).`)
  const wigs = numericWigs(data)
  if (extra > 0 && wigs.length === 0) throw new RangeError('The sample has no numeric WIG to hang extra action steps on.')
  const asOf = data.asOf
  const width = stepIdWidth(total)
  const rows: Row[] = records(table)
  let n = 0
  wigs.forEach((wig, w) => {
    const count = share(w, wigs.length, extra)
    const span = Math.max(1, daysBetween(wig.start, wig.end))
    for (let k = 0; k < count; k += 1) {
      // Due dates spread over the goal's run, in the order the team planned them.
      const due = addDays(wig.start, Math.min(span, Math.round(((k + 1) * span) / (count + 1)) + 3))
      const start = later(wig.start, addDays(due, -(14 + (n % 4) * 7)))
      const status = stepStatus(n, start, due, asOf)
      const owner = pick(wig.owners, n)
      const m = n % (wig.measures.length + 1)
      const measureId = m < wig.measures.length ? (wig.measures[m] ?? '') : ''
      const measureName = wig.measureNames[m] ?? wig.measureNames[0] ?? 'the lead measure'
      const title = pick(STEP_TITLES, n + w)
        .replace('{school}', pick(SAMPLE_SCHOOLS, n * 3 + w))
        .replace('{measure}', measureName.length > 60 ? `${measureName.slice(0, 57)}...` : measureName)
      const updated: IsoDate | null =
        status === 'Not started' ? null : status === 'Done' || status === 'Cancelled' ? earlier(addDays(due, -1), addDays(asOf, -1)) : later(start, addDays(asOf, -1 - (n % 6)))
      const notes = status === 'Blocked' ? BLOCKED_NOTE : status === 'Cancelled' ? CANCELLED_NOTE : status === 'In progress' && due < asOf ? LATE_NOTE : ''
      rows.push({
        StepId: `ST-${String(table.rows.length + n + 1).padStart(width, '0')}`,
        WigId: wig.id,
        MeasureId: measureId,
        Sequence: wig.nextSequence + k,
        Title: title,
        Owner: owner,
        Support: pick(STEP_SUPPORT, n + k),
        StartDate: start,
        DueDate: due,
        Status: status,
        PercentComplete: percentFor(status, n),
        Notes: notes,
        UpdatedBy: updated ? owner : '',
        UpdatedAt: updated ? stamp(updated, n * 11) : '',
      })
      n += 1
    }
  })
  return { headers: [...table.headers], rows: rowsOf(table.headers, rows) }
}

/** What tells the copies of one WIG apart, in turn: a school, then a department from People, then the same again numbered. */
function copySuffix(round: number, departments: readonly string[]): string {
  const names = [...SAMPLE_SCHOOLS, ...departments]
  const name = pick(names, round)
  const lap = Math.floor(round / names.length)
  return lap === 0 ? name : `${name}, ${lap + 1}`
}

/**
 * The sample with `total` WIGs: its own, then copies of them in plan order, round again (see the
 * module comment), each with copies of its model's measures, action steps and own check-ins. Also
 * says which sample measure each copied measure copies, so extra readings can be dated by it.
 */
function withWigCopies(data: SampleData, total: number, stepWidth: number): { data: SampleData; measureModels: Map<string, string> } {
  const measureModels = new Map<string, string>()
  const models = records(data.tables.WIGs)
  const extra = total - models.length
  if (extra < 0) throw new RangeError(`The sample already holds ${models.length} WIGs; ask for at least that many (asked ${total}).`)
  if (extra === 0) return { data, measureModels }

  const people = records(data.tables.People)
  const byDepartment = peopleByDepartment(people)
  const departmentOf = new Map(people.map((p) => [text(p.Email), text(p.Department)]))
  // An owner typed as a plain name (the contract matches it by Name) counts as that person.
  const emailByName = new Map(people.map((p) => [text(p.Name).trim().toLowerCase(), text(p.Email)]))
  const emailOf = (owner: CellValue | undefined): string => {
    const cell = text(owner).trim()
    return cell.includes('@') ? cell : (emailByName.get(cell.toLowerCase()) ?? '')
  }
  /** The copy's counterpart of someone on the model: a colleague in the same department, turn by turn. */
  const colleague = (owner: CellValue | undefined, turn: number): string => {
    const email = emailOf(owner)
    if (email === '') return ''
    return pick(byDepartment.get(departmentOf.get(email) ?? '') ?? [email], turn)
  }
  const departments = [...new Set(people.map((p) => text(p.Department)).filter((d) => d !== ''))]
  const measuresOf = byWig(records(data.tables.Measures))
  const valuesOf = byWig(records(data.tables.CheckIns).filter((c) => text(c.MeasureId) === ''))
  const stepsOf = byWig(records(data.tables.ActionSteps))

  const width = Math.max(4, String(total).length)
  const wigs: Row[] = [...models]
  const measures: Row[] = records(data.tables.Measures)
  const checkIns: Row[] = records(data.tables.CheckIns)
  const steps: Row[] = records(data.tables.ActionSteps)
  for (let c = 0; c < extra; c += 1) {
    const model = pick(models, c)
    const modelId = text(model.WigId)
    const round = Math.floor(c / models.length)
    const id = `WIG-${String(models.length + c + 1).padStart(width, '0')}`
    // Each round moves every model's people on by one colleague, so copies of a WIG get different owners.
    const turn = (c % models.length) + round
    wigs.push({ ...model, WigId: id, Title: `${text(model.Title)} (${copySuffix(round, departments)})`, Owner: colleague(model.Owner, turn) })
    const measureIds = new Map<string, string>()
    ;(measuresOf.get(modelId) ?? []).forEach((m, i) => {
      const measureId = `${id.replace('WIG', 'M')}-${i + 1}`
      measureIds.set(text(m.MeasureId), measureId)
      measureModels.set(measureId, text(m.MeasureId))
      measures.push({ ...m, MeasureId: measureId, WigId: id, Owner: colleague(m.Owner, turn) })
    })
    for (const v of valuesOf.get(modelId) ?? []) checkIns.push({ ...v, WigId: id, EnteredBy: colleague(v.EnteredBy, turn) })
    for (const step of stepsOf.get(modelId) ?? []) {
      steps.push({
        ...step,
        StepId: `ST-${String(steps.length + 1).padStart(stepWidth, '0')}`,
        WigId: id,
        MeasureId: measureIds.get(text(step.MeasureId)) ?? '',
        Owner: colleague(step.Owner, turn),
        UpdatedBy: text(step.UpdatedBy) === '' ? '' : colleague(step.UpdatedBy, turn),
      })
    }
  }
  const grown = (name: TableName, rows: readonly Row[]): SampleTable => ({ headers: [...data.tables[name].headers], rows: rowsOf(data.tables[name].headers, rows) })
  return {
    data: { ...data, tables: { ...data.tables, WIGs: grown('WIGs', wigs), Measures: grown('Measures', measures), CheckIns: grown('CheckIns', checkIns), ActionSteps: grown('ActionSteps', steps) } },
    measureModels,
  }
}

/** The sample district laid out around `asOf`, with WIGs, CheckIns and ActionSteps holding exactly the rows asked for. */
export function scaledSampleDistrict(asOf: IsoDate, size: ScaledSize): SampleData {
  for (const [name, value] of Object.entries(size)) {
    if (value === undefined) continue
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`Sample scale: ${name} must be a whole number, not ${value}`)
  }
  const sample = sampleDistrict(asOf)
  const { data, measureModels } = withWigCopies(sample, size.wigs ?? sample.tables.WIGs.rows.length, stepIdWidth(size.steps))
  const tables: Record<TableName, SampleTable> = { ...data.tables, CheckIns: scaledCheckIns(data, size.checkIns, measureModels), ActionSteps: scaledSteps(data, size.steps) }
  return { ...data, tables }
}

/** Writes the scaled sample district (see `scaledSampleDistrict`) to `path`, replacing any file there. */
export async function writeScaledSampleWorkbook(path: string, asOf: IsoDate, size: ScaledSize): Promise<void> {
  await writeTablesWorkbook(path, scaledSampleDistrict(asOf, size).tables)
}
