import { spawn } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { todayIso } from '../../domain/dates.ts'
import { parseFaultSpec } from '../../server/faults.ts'
import { startServer, type ServerOptions } from '../../server/server.ts'
import { numberArg, parseCommandArgs, stringFlag } from '../args.ts'
import { EXIT, packageRoot, UsageError, type CliIo, type ExitCode } from '../io.ts'
import { createWorkbook } from './init.ts'

const USAGE = 'pm-workbook serve [--workbook FILE] [--port N] [--open] [--faults SPEC]'
const DEFAULT_WORKBOOK = 'data/pm-workbook.xlsx'
const DEFAULT_PORT = 5170

export type ServeRequest = { workbook: string; port: number; portGiven: boolean; open: boolean; sampleIfMissing: boolean; faults: ServerOptions['faults'] | undefined }

/** The serve command's arguments, checked before anything starts (a README example can be checked without serving). */
export function parseServeArgs(args: readonly string[], io: Pick<CliIo, 'cwd'>): ServeRequest {
  const parsed = parseCommandArgs(
    args,
    { workbook: { type: 'string' }, port: { type: 'string' }, open: { type: 'boolean' }, faults: { type: 'string' }, 'sample-if-missing': { type: 'boolean' } },
    { min: 0, max: 0, usage: USAGE },
  )
  const portText = stringFlag(parsed, 'port')
  const port = portText === undefined ? DEFAULT_PORT : numberArg(portText, '--port', { min: 0, max: 65535 })
  const faultSpec = stringFlag(parsed, 'faults')
  let faults: ServerOptions['faults'] | undefined
  if (faultSpec !== undefined) {
    const plan = parseFaultSpec(faultSpec)
    if (!plan.ok) throw new UsageError(`--faults: ${plan.error}`)
    faults = plan.value
  }
  return {
    workbook: resolve(io.cwd, stringFlag(parsed, 'workbook') ?? DEFAULT_WORKBOOK),
    port,
    portGiven: portText !== undefined,
    open: parsed.values.open === true,
    sampleIfMissing: parsed.values['sample-if-missing'] === true,
    faults,
  }
}

/** Serves the pages and a Graph-compatible API over one .xlsx until Ctrl-C. */
export async function serveCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const request = parseServeArgs(args, io)
  const { workbook, port } = request
  if (!existsSync(workbook)) {
    if (!request.sampleIfMissing) throw new UsageError(`No workbook at ${workbook}. Create one with \`pm-workbook init FILE --sample\`.`)
    mkdirSync(dirname(workbook), { recursive: true })
    await createWorkbook(workbook, { sample: true, asOf: todayIso(io.now()) })
    io.out(`Created the sample district workbook at ${workbook}.`)
  }
  const options: ServerOptions = { workbook, port, staticDir: join(packageRoot(), 'dist') }
  if (request.faults !== undefined) options.faults = request.faults
  const server = await startServer(options).catch(async (error: unknown) => {
    if (!isAddressInUse(error)) throw error
    if (request.portGiven) throw new UsageError(`Port ${port} is in use. Pick another with --port N, or --port 0 for any free port.`)
    io.out(`Port ${port} is in use; serving on a free port instead.`)
    return startServer({ ...options, port: 0 })
  })
  io.out(
    [
      `pm-workbook is serving ${workbook}`,
      `  Start page:       ${server.origin}/`,
      `  Graph API root:   ${server.graphBaseUrl}`,
      `  Workbook (drive item, use as a SOURCE): ${server.driveItemUrl}`,
      `  Outbox (reminders sent, kept in ${server.outboxDir}): ${server.outboxUrl}`,
      '  Press Ctrl-C to stop.',
    ].join('\n'),
  )
  if (request.open) openBrowser(`${server.origin}/`)
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      void server.close().then(done)
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  io.out('Stopped.')
  return EXIT.ok
}

function isAddressInUse(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EADDRINUSE'
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  spawn(command, [url], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref()
}
