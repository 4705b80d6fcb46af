import { existsSync, realpathSync, statSync } from 'node:fs'
import { rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, extname, resolve } from 'node:path'
import { todayIso } from '../../domain/dates.ts'
import { buildBoardPacket, buildReport, departmentsOf, PACKET_SHEETS, pillarsOf, SHEET_NAMES, type ExportProgress, type PacketSheet } from '../../export/index.ts'
import { boardView, sameName } from '../../export/view.ts'
import { parseDriveItemUrl } from '../../workbook/graph/protocol/location.ts'
import { dateFlag, parseCommandArgs, stringFlag } from '../args.ts'
import { EXIT, UsageError, type CliIo, type ExitCode } from '../io.ts'
import { readDashboardFrom } from '../source.ts'

const USAGE = 'pm-workbook export SOURCE --out FILE.xlsx|FILE.html [--public] [--as-of YYYY-MM-DD] [--department NAME] [--pillar NAME] [--sheets LIST]'

/**
 * The board packet (.xlsx) or the report (.html) of issue 12, from the dashboard snapshot
 * (src/app), through src/export. It only reads the SOURCE; the file it writes is --out, written
 * beside itself and renamed into place, and never the SOURCE.
 */
export async function exportCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(
    args,
    {
      out: { type: 'string' },
      public: { type: 'boolean' },
      'as-of': { type: 'string' },
      department: { type: 'string' },
      pillar: { type: 'string' },
      sheets: { type: 'string' },
    },
    { min: 1, max: 1, usage: USAGE },
  )
  const source = parsed.positionals[0] ?? ''
  const outText = stringFlag(parsed, 'out')
  if (outText === undefined || outText.trim() === '') throw new UsageError(`--out FILE is required: a .xlsx file for the board packet or a .html file for the report. Usage: ${USAGE}`)
  const kind = outputKind(outText)
  const out = resolve(io.cwd, outText)
  refuseSource(source, out, io)
  const sheets = sheetList(stringFlag(parsed, 'sheets'), kind)
  const today = todayIso(io.now())
  const asOf = dateFlag(parsed, 'as-of') ?? today
  const department = stringFlag(parsed, 'department')?.trim() || undefined
  const pillar = stringFlag(parsed, 'pillar')?.trim() || undefined
  const isPublic = parsed.values.public === true
  if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) throw new UsageError(`Cannot write ${outText}: the folder ${dirname(outText) || '.'} does not exist.`)

  const bar = ProgressBar.forTerminal(io)
  bar?.say(`Reading ${source}`)
  const dashboard = await readDashboardFrom(source, io, { asOf, today }, () => bar?.clear())
  if (!dashboard) return EXIT.failed
  if (department && !departmentsOf(dashboard).some((d) => sameName(d, department))) {
    bar?.clear()
    throw new UsageError(`No WIG belongs to the department "${department}". Departments in this plan: ${listOrNone(departmentsOf(dashboard))}.`)
  }
  if (pillar && !pillarsOf(dashboard).some((p) => sameName(p, pillar))) {
    bar?.clear()
    throw new UsageError(`No WIG is under the pillar "${pillar}". Pillars in this plan: ${listOrNone(pillarsOf(dashboard))}.`)
  }

  const options = { public: isPublic, source: sourceLabel(source), ...(department ? { department } : {}), ...(pillar ? { pillar } : {}) }
  const bytes =
    kind === 'xlsx'
      ? await buildBoardPacket(dashboard, { ...options, ...(sheets ? { sheets } : {}), ...(bar ? { onProgress: (p: ExportProgress) => bar.progress(p) } : {}) })
      : new TextEncoder().encode(buildReport(dashboard, options))
  await writeBeside(out, bytes)
  bar?.clear()

  const view = boardView(dashboard, options)
  const what = kind === 'xlsx' ? `board packet (${(sheets ?? PACKET_SHEETS).map((s) => SHEET_NAMES[s]).join(', ')})` : isPublic ? 'public progress page' : 'progress report'
  io.out(`Wrote ${outText}: the ${isPublic && kind === 'xlsx' ? 'public ' : ''}${what} of ${plural(view.wigs.length, 'WIG')}, ${plural(view.steps.length, 'action step')} and ${plural(view.checkIns, 'check-in')}, as of ${asOf}.`)
  if (isPublic) io.out(`Left out: ${view.omitted.join('; ')}.`)
  return EXIT.ok
}

function outputKind(out: string): 'xlsx' | 'html' {
  const ext = extname(out).toLowerCase()
  if (ext === '.xlsx') return 'xlsx'
  if (ext === '.html' || ext === '.htm') return 'html'
  throw new UsageError(`--out must end in .xlsx (the board packet) or .html (the report); got "${out}".`)
}

function sheetList(text: string | undefined, kind: 'xlsx' | 'html'): PacketSheet[] | undefined {
  if (text === undefined) return undefined
  if (kind === 'html') throw new UsageError('--sheets picks the sheets of a .xlsx packet; the .html report has them all.')
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)
  const unknown = names.filter((n) => !(PACKET_SHEETS as readonly string[]).includes(n))
  if (names.length === 0 || unknown.length > 0) throw new UsageError(`--sheets is a comma-separated list of ${PACKET_SHEETS.join(', ')}; got "${text}".`)
  return PACKET_SHEETS.filter((s) => names.includes(s))
}

/** The export never writes to the workbook it reads, whatever path leads to it. */
function refuseSource(source: string, out: string, io: CliIo): void {
  if (/^https?:\/\//i.test(source)) return
  const from = resolve(io.cwd, source)
  const same = out === from || (existsSync(out) && existsSync(from) && realpathSync(out) === realpathSync(from))
  if (same) throw new UsageError(`--out ${basename(out)} is the workbook being exported; the export never writes to it. Choose another file.`)
}

/**
 * How the packet names where the plan came from: a file by the path given, a drive item URL as
 * it is (ids, no secret), a sharing link only by its host (the link itself may grant access).
 */
function sourceLabel(source: string): string {
  if (!/^https?:\/\//i.test(source)) return source
  if (parseDriveItemUrl(source).ok) return source
  try {
    return `a shared link on ${new URL(source).host}`
  } catch {
    return 'a shared link'
  }
}

const plural = (n: number, noun: string): string => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`

const listOrNone = (names: readonly string[]): string => (names.length === 0 ? 'none' : names.map((n) => `"${n}"`).join(', '))

/** Written next to its place and renamed into it, so a failed export never leaves half a file under the name. */
async function writeBeside(path: string, bytes: Uint8Array): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`
  try {
    await writeFile(temp, bytes)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}

/**
 * A one-line bar on stderr, drawn only on an interactive terminal and only once the export has
 * run for a moment: a small workbook exports before it would show.
 */
class ProgressBar {
  private readonly started = Date.now()
  private label = ''
  private drawn = false
  private lastDraw = 0
  private timer: ReturnType<typeof setTimeout> | null = null

  static forTerminal(io: CliIo): ProgressBar | null {
    const term = io.env.TERM
    if (!process.stderr.isTTY || term === undefined || term === '' || term === 'dumb' || io.env.CI) return null
    return new ProgressBar()
  }

  /** A stage with no measure of its own (reading the workbook): shown once it has taken a while. */
  say(label: string): void {
    this.label = label
    this.timer = setTimeout(() => this.draw(`${this.label}…`), DELAY_MS)
    this.timer.unref()
  }

  progress(p: ExportProgress): void {
    if (this.timer) clearTimeout(this.timer)
    const now = Date.now()
    if (now - this.started < DELAY_MS || now - this.lastDraw < 80) return
    const share = p.total === 0 ? 1 : p.done / p.total
    const width = 28
    const filled = Math.round(share * width)
    const stage = p.stage === 'packing' ? 'Packing the file' : `Writing ${SHEET_NAMES[p.stage]}`
    this.draw(`[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${stage}`)
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer)
    if (this.drawn) process.stderr.write('\r\x1b[K')
    this.drawn = false
  }

  private draw(line: string): void {
    const columns = process.stderr.columns || 80
    process.stderr.write(`\r\x1b[K${line.slice(0, columns - 1)}`)
    this.drawn = true
    this.lastDraw = Date.now()
  }
}

const DELAY_MS = 400
