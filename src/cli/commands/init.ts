import { existsSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { todayIso } from '../../domain/dates.ts'
import { writeTemplateWorkbook } from '../../workbook/file/template.ts'
import { writeSampleWorkbook } from '../../sample/write.ts'
import { dateFlag, parseCommandArgs } from '../args.ts'
import { EXIT, UsageError, type CliIo, type ExitCode } from '../io.ts'

const USAGE = 'pm-workbook init FILE [--sample] [--as-of YYYY-MM-DD] [--force]'

export async function initCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(
    args,
    { sample: { type: 'boolean' }, force: { type: 'boolean' }, 'as-of': { type: 'string' } },
    { min: 1, max: 1, usage: USAGE },
  )
  const file = parsed.positionals[0] ?? ''
  const asOf = dateFlag(parsed, 'as-of') ?? todayIso(io.now())
  const path = resolve(io.cwd, file)
  if (!/\.xlsx$/i.test(path)) throw new UsageError(`${file} must end in .xlsx.`)
  if (existsSync(path) && !parsed.values.force) {
    io.err(`${file} already exists; nothing was written. Use --force to replace it.`)
    return EXIT.problems
  }
  if (!existsSync(dirname(path)) || !statSync(dirname(path)).isDirectory()) throw new UsageError(`The folder ${dirname(file)} does not exist.`)
  await createWorkbook(path, { sample: parsed.values.sample === true, asOf })
  io.out(parsed.values.sample ? `Wrote the sample district to ${file}, laid out around ${asOf}.` : `Wrote the empty contract tables to ${file}.`)
  return EXIT.ok
}

export async function createWorkbook(path: string, options: { sample: boolean; asOf: ReturnType<typeof todayIso> }): Promise<void> {
  if (options.sample) await writeSampleWorkbook(path, options.asOf)
  else await writeTemplateWorkbook(path)
}
