import { newChangeId } from '../../app/change-id.ts'
import { loadPlan } from '../../app/load-plan.ts'
import { logCheckIn } from '../../app/log-checkin.ts'
import { todayIso } from '../../domain/dates.ts'
import { parseMeasureId, parseWigId } from '../../domain/ids.ts'
import { checkInUnits, formatValue, parseMeasureValue } from '../../domain/units.ts'
import { dateFlag, emailFlag, idArg, parseCommandArgs, stringFlag } from '../args.ts'
import { EXIT, type CliIo, type ExitCode } from '../io.ts'
import { describeValueError } from '../../messages/errors.ts'
import { reportFailure } from '../refusals.ts'
import { openSource } from '../source.ts'

const USAGE = 'pm-workbook checkin SOURCE WIG-ID VALUE [--measure ID] [--date YYYY-MM-DD] [--note TEXT] --by EMAIL'

export async function checkinCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(
    args,
    { measure: { type: 'string' }, date: { type: 'string' }, note: { type: 'string' }, by: { type: 'string' } },
    { min: 3, max: 3, usage: USAGE },
  )
  const [source = '', rawWig = '', valueText = ''] = parsed.positionals
  const wigId = idArg(rawWig, parseWigId, 'WIG-ID')
  const by = emailFlag(parsed, 'by')
  const today = todayIso(io.now())
  const date = dateFlag(parsed, 'date') ?? today
  const measureText = stringFlag(parsed, 'measure')
  const measureId = measureText === undefined ? undefined : idArg(measureText, parseMeasureId, '--measure')
  const note = stringFlag(parsed, 'note')

  const store = await openSource(source, io)
  try {
    // The WIGs, measures and People the check-in is checked against: one request, small tables.
    const plan = await loadPlan(store, ['WIGs', 'Measures', 'People'])
    if (!plan.ok) return reportFailure(io, plan.error)
    // The value is read in the units of what it measures: 61.5% or 0.615 on a percent goal.
    const units = checkInUnits(plan.value.plan, wigId, measureId ?? null)
    if (!units) return reportFailure(io, measureId !== undefined && !plan.value.plan.measures.some((m) => m.id === measureId) ? { kind: 'unknownMeasure', measureId } : { kind: 'unknownWig', wigId })
    const parsed = parseMeasureValue(valueText, units)
    if (!parsed.ok) {
      io.err(describeValueError(parsed.error, measureId ?? wigId))
      return EXIT.problems
    }
    const value = parsed.value
    const result = await logCheckIn(
      store,
      plan.value.plan,
      { wigId, value, date, ...(measureId !== undefined ? { measureId } : {}), ...(note !== undefined ? { note } : {}) },
      { by, source: 'cli', changeId: newChangeId(), at: io.now() },
      today,
    )
    if (!result.ok) return reportFailure(io, result.error)
    io.out(`Logged check-in ${result.value.checkInId}: ${measureId ?? wigId} = ${formatValue(value, units)} on ${date}.`)
    return EXIT.ok
  } finally {
    await store.close()
  }
}
