import { editDistance } from './args.ts'
import { EXIT, packageVersion, processIo, UsageError, type CliIo, type ExitCode } from './io.ts'

type Command = (args: readonly string[], io: CliIo) => Promise<ExitCode>

/**
 * Every command, in the order `help` lists them. Each is imported only when it runs, so `help`
 * and `--version` load nothing heavy (no exceljs, no Graph client, no server).
 */
const COMMANDS: Record<string, { usage: string; does: string; load: () => Promise<Command> }> = {
  init: {
    usage: 'pm-workbook init FILE [--sample] [--as-of YYYY-MM-DD] [--force]',
    does: 'Write a new workbook: the empty contract tables, or the sample district with --sample.',
    load: async () => (await import('./commands/init.ts')).initCommand,
  },
  check: {
    usage: 'pm-workbook check SOURCE [--json]',
    does: 'Check the workbook against the contract; every problem names its cell (exit 1 if any).',
    load: async () => (await import('./commands/check.ts')).checkCommand,
  },
  status: {
    usage: 'pm-workbook status SOURCE [--as-of YYYY-MM-DD] [--json]',
    does: 'Every WIG with its status, progress, pace and latest value.',
    load: async () => (await import('./commands/status.ts')).statusCommand,
  },
  wig: {
    usage: 'pm-workbook wig SOURCE WIG-ID [--as-of YYYY-MM-DD] [--json]',
    does: 'One WIG: from baseline to target by when, expected and latest, check-ins, measures, steps by owner.',
    load: async () => (await import('./commands/wig.ts')).wigCommand,
  },
  steps: {
    usage: 'pm-workbook steps SOURCE [--owner EMAIL] [--wig ID] [--overdue] [--due-within DAYS] [--as-of YYYY-MM-DD] [--json]',
    does: 'List action steps (overdue first, then by due date) with their ids, to use with `step`.',
    load: async () => (await import('./commands/steps.ts')).stepsCommand,
  },
  step: {
    usage: 'pm-workbook step SOURCE STEP-ID [--status S] [--percent N] [--due YYYY-MM-DD] [--owner EMAIL] [--note TEXT] --by EMAIL',
    does: "Update one action step's status, percent complete, due date or owner, or add a note.",
    load: async () => (await import('./commands/step.ts')).stepCommand,
  },
  checkin: {
    usage: 'pm-workbook checkin SOURCE WIG-ID VALUE [--measure ID] [--date YYYY-MM-DD] [--note TEXT] --by EMAIL',
    does: 'Log a check-in: a new value for a WIG, or for one of its measures.',
    load: async () => (await import('./commands/checkin.ts')).checkinCommand,
  },
  export: {
    usage: 'pm-workbook export SOURCE --out FILE.xlsx|FILE.html [--public] [--as-of YYYY-MM-DD] [--department NAME] [--pillar NAME] [--sheets LIST]',
    does: 'The board packet (.xlsx: Summary, measures and check-ins, action steps) or the progress report (.html); --public leaves out people, notes and internal columns.',
    load: async () => (await import('./commands/export.ts')).exportCommand,
  },
  remind: {
    usage: 'pm-workbook remind SOURCE [--dry-run] [--via mail|teams] [--as-of YYYY-MM-DD] [--department NAME] [--json] [--by EMAIL] [--app-url URL] [--teams-app-id ID]',
    does: "Update reminders: each owner's overdue and due-soon steps and check-ins due, sent by email or in Teams once a day and recorded in the Reminders table (--dry-run only prints them).",
    load: async () => (await import('./commands/remind.ts')).remindCommand,
  },
  serve: {
    usage: 'pm-workbook serve [--workbook FILE] [--port N] [--open] [--faults SPEC]',
    does: 'Serve the pages and a local Graph-compatible API over one .xlsx until Ctrl-C.',
    load: async () => (await import('./commands/serve.ts')).serveCommand,
  },
}

export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS)

/** The usage line `help` shows for a command (the command itself says the same on a usage error). */
export function commandUsage(name: string): string | undefined {
  return COMMANDS[name]?.usage
}

function helpText(): string {
  const list = Object.values(COMMANDS).flatMap((c) => [`  ${c.usage}`, `      ${c.does}`])
  return [
    `pm-workbook ${packageVersion()}: the district's Project Management Workbook, from the command line`,
    '',
    ...list,
    '',
    '  pm-workbook help [COMMAND]    this list, or one command',
    '  pm-workbook --version         the version',
    '',
    'SOURCE is a path to an .xlsx, or a Microsoft Graph drive item URL such as',
    'https://graph.microsoft.com/v1.0/me/drive/items/{id} (token from PMW_GRAPH_TOKEN), or a',
    'sharing link. Exit codes: 0 fine, 1 the workbook has problems or refused the change,',
    '2 the command could not run.',
  ].join('\n')
}

function commandHelp(name: string): string {
  const command = COMMANDS[name]
  return command ? `${command.usage}\n  ${command.does}` : helpText()
}

/** The known command a mistyped one most likely meant. */
function closestCommand(typed: string): string | null {
  let best: { name: string; distance: number } | null = null
  for (const name of COMMAND_NAMES) {
    const distance = editDistance(typed.toLowerCase(), name)
    if (distance <= 2 && (best === null || distance < best.distance)) best = { name, distance }
  }
  return best?.name ?? null
}

const wantsHelp = (arg: string) => arg === '--help' || arg === '-h'

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const [name, ...args] = argv
  if (name === undefined) {
    io.out(helpText())
    return EXIT.failed
  }
  if (name === 'help' || wantsHelp(name)) {
    const topic = args[0]
    if (topic !== undefined && !COMMANDS[topic]) {
      io.err(`Unknown command "${topic}". Run \`pm-workbook help\` for the list.`)
      return EXIT.failed
    }
    io.out(topic === undefined ? helpText() : commandHelp(topic))
    return EXIT.ok
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(packageVersion())
    return EXIT.ok
  }
  const command = COMMANDS[name]
  if (!command) {
    const near = name.startsWith('-') ? null : closestCommand(name)
    const what = name.startsWith('-') ? `Unknown option ${name}` : `Unknown command "${name}"`
    io.err(`${what}.${near ? ` Did you mean "${near}"?` : ''} Run \`pm-workbook help\` for the list.`)
    return EXIT.failed
  }
  const dashDash = args.indexOf('--')
  if (args.some((a, i) => wantsHelp(a) && (dashDash < 0 || i < dashDash))) {
    io.out(commandHelp(name))
    return EXIT.ok
  }
  try {
    const run = await command.load()
    return await run(args, io)
  } catch (error) {
    // Bad arguments and unexpected failures end as one line, never a stack trace.
    io.err(error instanceof UsageError ? error.message : `pm-workbook ${name} failed: ${firstLine(error)}`)
    return EXIT.failed
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n')[0] ?? text
}
