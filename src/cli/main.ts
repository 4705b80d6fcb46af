import { checkCommand } from './commands/check.ts'
import { checkinCommand } from './commands/checkin.ts'
import { initCommand } from './commands/init.ts'
import { serveCommand } from './commands/serve.ts'
import { statusCommand } from './commands/status.ts'
import { stepCommand } from './commands/step.ts'
import { EXIT, processIo, UsageError, type CliIo, type ExitCode } from './io.ts'

const HELP = `pm-workbook: the district's Project Management Workbook, from the command line

  pm-workbook init FILE [--sample] [--as-of YYYY-MM-DD] [--force]
  pm-workbook check SOURCE [--json]
  pm-workbook status SOURCE [--as-of YYYY-MM-DD] [--json]
  pm-workbook step SOURCE STEP-ID [--status S] [--percent N] [--due YYYY-MM-DD] [--note TEXT] --by EMAIL
  pm-workbook checkin SOURCE WIG-ID VALUE [--measure ID] [--date YYYY-MM-DD] [--note TEXT] --by EMAIL
  pm-workbook serve [--workbook FILE] [--port N] [--open] [--faults SPEC]

SOURCE is a path to an .xlsx or a Graph drive item URL such as
https://graph.microsoft.com/v1.0/me/drive/items/{id} (token from PMW_GRAPH_TOKEN).`

const COMMANDS: Record<string, (args: readonly string[], io: CliIo) => Promise<ExitCode>> = {
  init: initCommand,
  check: checkCommand,
  status: statusCommand,
  step: stepCommand,
  checkin: checkinCommand,
  serve: serveCommand,
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const [name, ...args] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(HELP)
    return name === undefined ? EXIT.failed : EXIT.ok
  }
  const command = COMMANDS[name]
  if (!command) {
    io.err(`Unknown command "${name}". Run \`pm-workbook help\` for the list.`)
    return EXIT.failed
  }
  try {
    return await command(args, io)
  } catch (error) {
    // Bad arguments and unexpected failures end as one line, never a stack trace.
    io.err(error instanceof UsageError ? error.message : `pm-workbook ${name} failed: ${error instanceof Error ? error.message : String(error)}`)
    return EXIT.failed
  }
}
