import { newChangeId } from '../../app/change-id.ts'
import { loadPlan } from '../../app/load-plan.ts'
import { readSeen } from '../../app/seen.ts'
import { updateStep, type StepEdit } from '../../app/update-step.ts'
import { decodeStepStatus } from '../../workbook/cells.ts'
import { STEP_STATUSES } from '../../domain/model.ts'
import { parseStepId } from '../../domain/ids.ts'
import { dateFlag, emailFlag, idArg, numberArg, parseCommandArgs, stringFlag } from '../args.ts'
import { EXIT, UsageError, type CliIo, type ExitCode } from '../io.ts'
import { reportFailure } from '../refusals.ts'
import { openSource } from '../source.ts'

const USAGE = 'pm-workbook step SOURCE STEP-ID [--status S] [--percent N] [--due YYYY-MM-DD] [--owner EMAIL] [--note TEXT] --by EMAIL'

export async function stepCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(
    args,
    { status: { type: 'string' }, percent: { type: 'string' }, due: { type: 'string' }, owner: { type: 'string' }, note: { type: 'string' }, by: { type: 'string' } },
    { min: 2, max: 2, usage: USAGE },
  )
  const [source = '', rawId = ''] = parsed.positionals
  const stepId = idArg(rawId, parseStepId, 'STEP-ID')
  const by = emailFlag(parsed, 'by')
  const edit: StepEdit = { stepId }
  const statusText = stringFlag(parsed, 'status')
  if (statusText !== undefined) {
    const status = decodeStepStatus(statusText)
    if (!status.ok || status.value === null) throw new UsageError(`--status must be one of ${STEP_STATUSES.join(', ')}; got "${statusText}".`)
    edit.status = status.value
  }
  const percent = stringFlag(parsed, 'percent')
  if (percent !== undefined) edit.percentComplete = numberArg(percent.replace(/%$/, ''), '--percent', { min: 0, max: 100 })
  const due = dateFlag(parsed, 'due')
  if (due !== undefined) edit.dueDate = due
  if (stringFlag(parsed, 'owner') !== undefined) edit.owner = emailFlag(parsed, 'owner')
  const note = stringFlag(parsed, 'note')
  if (note !== undefined) {
    if (note.trim() === '') throw new UsageError('--note needs some text.')
    edit.addNote = note
  }
  if (edit.status === undefined && edit.percentComplete === undefined && edit.dueDate === undefined && edit.owner === undefined && edit.addNote === undefined) {
    throw new UsageError(`Say what to change: --status, --percent, --due, --owner or --note. Usage: ${USAGE}`)
  }

  const store = await openSource(source, io)
  try {
    // People decides who may change steps and own them; the step itself is read as it is now.
    const people = await loadPlan(store, ['People'])
    if (!people.ok) return reportFailure(io, people.error)
    const seen = await readSeen(store, 'ActionSteps', stepId)
    if (!seen.ok) return reportFailure(io, seen.error)
    const result = await updateStep(store, edit, seen.value, { by, source: 'cli', changeId: newChangeId(), at: io.now() }, { people: people.value.plan.people })
    if (!result.ok) return reportFailure(io, result.error)
    if (result.value.changes.length === 0) {
      io.out(`${stepId} already reads so; nothing was written.`)
      return EXIT.ok
    }
    const said = result.value.changes.map((c) => `${c.column} ${c.column === 'Notes' ? 'now end "' + lastLine(c.to) + '"' : `${c.from === '' ? '(blank)' : c.from} → ${c.to}`}`)
    io.out(`${stepId}: ${said.join('; ')}.`)
    return EXIT.ok
  } finally {
    await store.close()
  }
}

function lastLine(text: string): string {
  return text.split('\n').at(-1) ?? ''
}
