import { TABLE_NAMES } from '../../workbook/contract.ts'
import { formatProblem } from '../../workbook/problem.ts'
import { parseCommandArgs } from '../args.ts'
import { EXIT, type CliIo, type ExitCode } from '../io.ts'
import { readPlanFrom } from '../source.ts'

const USAGE = 'pm-workbook check SOURCE [--json]'

export async function checkCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, { json: { type: 'boolean' } }, { min: 1, max: 1, usage: USAGE })
  const source = parsed.positionals[0] ?? ''
  const loaded = await readPlanFrom(source, io, TABLE_NAMES)
  if (!loaded) return EXIT.failed
  const { problems, plan } = loaded
  if (parsed.values.json) {
    io.out(JSON.stringify({ ok: problems.length === 0, problems }, null, 2))
  } else if (problems.length === 0) {
    io.out(`${source} meets the workbook contract: ${plan.wigs.length} WIGs, ${plan.steps.length} action steps, ${plan.checkIns.length} check-ins.`)
  } else {
    io.out(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${source}:`)
    for (const problem of problems) io.out(`  ${formatProblem(problem)}`)
  }
  return problems.length === 0 ? EXIT.ok : EXIT.problems
}
