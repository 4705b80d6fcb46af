import { newChangeId } from '../../app/change-id.ts'
import { logCheckIn } from '../../app/log-checkin.ts'
import { todayIso } from '../../domain/dates.ts'
import { dateFlag, emailFlag, numberArg, parseCommandArgs, stringFlag } from '../args.ts'
import { EXIT, type CliIo, type ExitCode } from '../io.ts'
import { exitForWrite } from '../messages.ts'
import { openSource } from '../source.ts'

const USAGE = 'pm-workbook checkin SOURCE WIG-ID VALUE [--measure ID] [--date YYYY-MM-DD] [--note TEXT] --by EMAIL'

export async function checkinCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(
    args,
    { measure: { type: 'string' }, date: { type: 'string' }, note: { type: 'string' }, by: { type: 'string' } },
    { min: 3, max: 3, usage: USAGE },
  )
  const [source = '', wigId = '', valueText = ''] = parsed.positionals
  const by = emailFlag(parsed, 'by')
  const value = numberArg(valueText, 'VALUE')
  const date = dateFlag(parsed, 'date') ?? todayIso(io.now())
  const measureId = stringFlag(parsed, 'measure')
  const note = stringFlag(parsed, 'note')

  const store = await openSource(source, io)
  try {
    const result = await logCheckIn(
      store,
      { wigId: wigId.trim(), value, date, ...(measureId !== undefined ? { measureId: measureId.trim() } : {}), ...(note !== undefined ? { note } : {}) },
      { by, source: 'cli', changeId: newChangeId(), at: io.now() },
    )
    if (!result.ok) {
      io.err(result.error.message)
      return result.error.kind === 'unknownReference' ? EXIT.problems : exitForWrite(result.error)
    }
    io.out(`Logged check-in ${result.value.checkInId}: ${wigId} = ${value} on ${date}.`)
    return EXIT.ok
  } finally {
    await store.close()
  }
}
