import { newChangeId } from '../../app/change-id.ts'
import { updateStep, type StepEdit } from '../../app/update-step.ts'
import { decodeStepStatus } from '../../workbook/cells.ts'
import { STEP_STATUSES } from '../../domain/model.ts'
import { dateFlag, emailFlag, numberArg, parseCommandArgs, stringFlag } from '../args.ts'
import { EXIT, UsageError, type CliIo, type ExitCode } from '../io.ts'
import { exitForWrite } from '../messages.ts'
import { openSource } from '../source.ts'

const USAGE = 'pm-workbook step SOURCE STEP-ID [--status S] [--percent N] [--due YYYY-MM-DD] [--note TEXT] --by EMAIL'

export async function stepCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(
    args,
    { status: { type: 'string' }, percent: { type: 'string' }, due: { type: 'string' }, note: { type: 'string' }, by: { type: 'string' } },
    { min: 2, max: 2, usage: USAGE },
  )
  const [source = '', stepId = ''] = parsed.positionals
  const by = emailFlag(parsed, 'by')
  const edit: StepEdit = { stepId: stepId.trim() }
  const statusText = stringFlag(parsed, 'status')
  if (statusText !== undefined) {
    const status = decodeStepStatus(statusText)
    if (!status.ok || status.value === null) throw new UsageError(`--status must be one of ${STEP_STATUSES.join(', ')}; got "${statusText}".`)
    edit.status = status.value
  }
  const percent = stringFlag(parsed, 'percent')
  if (percent !== undefined) edit.percentComplete = numberArg(percent, '--percent', { min: 0, max: 100 })
  const due = dateFlag(parsed, 'due')
  if (due !== undefined) edit.dueDate = due
  const note = stringFlag(parsed, 'note')
  if (note !== undefined) edit.notes = note
  if (edit.status === undefined && edit.percentComplete === undefined && edit.dueDate === undefined && edit.notes === undefined) {
    throw new UsageError(`Say what to change: --status, --percent, --due or --note. Usage: ${USAGE}`)
  }

  const store = await openSource(source, io)
  try {
    const result = await updateStep(store, edit, { by, source: 'cli', changeId: newChangeId(), at: io.now() })
    if (!result.ok) {
      io.err(result.error.message)
      return result.error.kind === 'nothingToChange' ? EXIT.failed : exitForWrite(result.error)
    }
    io.out(result.value.applied ? `Updated ${edit.stepId} (${result.value.changeLogRows} change${result.value.changeLogRows === 1 ? '' : 's'} logged).` : `${edit.stepId} already had this change.`)
    return EXIT.ok
  } finally {
    await store.close()
  }
}
