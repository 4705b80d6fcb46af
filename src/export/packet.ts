import type { IsoDate } from '../domain/dates.ts'
import { WIG_STATUSES, type WigStatus } from '../domain/model.ts'
import { count, excelDate, headerText, longDate, looksLikeFormula } from './format.ts'
import { XlsxBook, type Cell, type CellFormat } from './xlsx-book.ts'
import { OVERDUE_COLORS, STATUS_COLORS } from './status-style.ts'
import { NO_PILLAR, type BoardSeries, type BoardStep, type BoardView, type BoardWig } from './view.ts'

/**
 * The board packet: an .xlsx written (xlsx-book.ts) from the board view (view.ts), never from the
 * source workbook's sheets. `Summary` first, then the measures with their check-in history, then
 * every action step. Each sheet prints landscape, one page wide, with its header row repeated,
 * and a header and footer naming the packet, the as-of date and the page; on screen it has
 * frozen panes, a filter on the header row, widths that fit, and real numbers and dates.
 */

export const PACKET_SHEETS = ['summary', 'measures', 'steps'] as const
export type PacketSheet = (typeof PACKET_SHEETS)[number]

export const SHEET_NAMES: Record<PacketSheet, string> = { summary: 'Summary', measures: 'Measures & check-ins', steps: 'Action steps' }

export type ExportStage = PacketSheet | 'packing'
/** `done` of `total` units of work: one per row written, then packing the file (reported as it starts and when done). */
export type ExportProgress = { stage: ExportStage; done: number; total: number }

export type PacketOptions = {
  /** Which sheets, in the packet's own order (Summary first); all three by default. */
  sheets?: readonly PacketSheet[]
  onProgress?: (progress: ExportProgress) => void
  /** Stops the build at the next pause (every few hundred rows) with the signal's reason. */
  signal?: AbortSignal
}

type Value = { value: number; text: string }
type CellInput = string | number | Date | Value | null
type Kind = 'text' | 'wrap' | 'date' | 'percent' | 'count' | 'value' | 'status' | 'flag'
/** `indent`: room after a clipped column before this one's text. `grow`: whether a wrapped cell may make its row taller (default yes). */
type Column<T> = { header: string; width: number; kind: Kind; get: (row: T) => CellInput; indent?: number; grow?: (row: T) => boolean }

const FONT = 'Calibri'
const SIZE = 10
/** Points per line of 10-point text, and characters per unit of column width at that size. */
const LINE_POINTS = 13
const CHARS_PER_WIDTH = 1.25
const MAX_LINES = 8
const DATE_FORMAT = 'mmm d, yyyy'
const PERCENT_FORMAT = '0%'
const COUNT_FORMAT = '#,##0'
const HEADER_FILL = 'FFD9E1F2'
const BORDER = 'FF8EA9DB'
/** Rows between writes of progress (and pauses, so a page can repaint). */
const ROWS_PER_PAUSE = 500

const dateOf = (date: IsoDate | null): Date | null => (date === null ? null : excelDate(date))
const yes = (flag: boolean): string => (flag ? 'Yes' : 'No')

export async function writePacket(view: BoardView, options: PacketOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const wanted = new Set(options.sheets && options.sheets.length > 0 ? options.sheets : PACKET_SHEETS)
  const sheets = PACKET_SHEETS.filter((s) => wanted.has(s))
  const rowsOf: Record<PacketSheet, number> = { summary: view.wigs.length, measures: seriesRows(view.series).length, steps: view.steps.length }
  const rows = sheets.reduce((n, s) => n + rowsOf[s], 0)
  // Packing (each part's XML, then the zip) takes about half as long as writing the rows: it counts as half as many units.
  const packing = Math.max(1, Math.ceil(rows / 2))
  const total = rows + packing
  let done = 0
  const progress = async (stage: ExportStage, rows: number): Promise<void> => {
    done += rows
    options.onProgress?.({ stage, done, total })
    options.signal?.throwIfAborted()
    // A pause lets a page repaint its progress indicator, and a terminal draw its bar.
    await new Promise((resolve) => setTimeout(resolve, 0))
  }

  // The packet's own dates are when the plan was read (a snapshot from elsewhere may carry no valid time: then now).
  const readAt = new Date(view.readAt)
  const book = new XlsxBook({ creator: 'pm-workbook', title: `${view.district || 'Strategic plan'}: board packet`, created: Number.isNaN(readAt.getTime()) ? new Date() : readAt })

  for (const sheet of sheets) {
    switch (sheet) {
      case 'summary':
        await addSheet(book, view, { name: SHEET_NAMES.summary, title: 'Summary of the WIGs', lines: summaryLines(view), columns: summaryColumns(view), rows: view.wigs, freeze: 2, stage: 'summary' }, progress)
        break
      case 'measures':
        await addSheet(book, view, { name: SHEET_NAMES.measures, title: 'Measures and check-in history', lines: measureLines(view), columns: measureColumns(view), rows: seriesRows(view.series), freeze: 1, stage: 'measures' }, progress)
        break
      case 'steps':
        await addSheet(book, view, { name: SHEET_NAMES.steps, title: 'Action steps', lines: stepLines(view), columns: stepColumns(view), rows: view.steps, freeze: 1, stage: 'steps' }, progress)
        break
    }
  }
  await progress('packing', 0)
  const bytes = await book.toBytes()
  await progress('packing', packing)
  return bytes
}

// ---------------------------------------------------------------- the sheets

function editionLine(view: BoardView): string[] {
  // Two lines, so the longest does not run past the table and shrink the printed page.
  if (view.public) return [`Public edition. Left out: ${view.omitted.slice(0, 2).join('; ')};`, `${view.omitted.slice(2).join('; ')}.`]
  const problems = view.problems ? ` The workbook has ${count(view.problems, 'problem')} (pm-workbook check lists them).` : ''
  const source = view.source ? `Read from ${view.source} at ${view.readAt.replace('T', ' ').slice(0, 16)} UTC.` : `Read at ${view.readAt.replace('T', ' ').slice(0, 16)} UTC.`
  return [`${source}${problems}`]
}

function scopeLine(view: BoardView): string {
  const scope = [view.filter.department ? `department ${view.filter.department}` : '', view.filter.pillar ? `pillar ${view.filter.pillar}` : ''].filter(Boolean)
  const planYear = view.planYear ? `Plan year ${view.planYear}. ` : ''
  return `${planYear}As of ${longDate(view.asOf)}.${scope.length > 0 ? ` Only the WIGs of ${scope.join(' and ')}.` : ''}`
}

function summaryLines(view: BoardView): string[] {
  const counts = WIG_STATUSES.filter((s) => view.counts[s] > 0).map((s) => `${view.counts[s]} ${s}`)
  return [
    scopeLine(view),
    `${count(view.wigs.length, 'WIG')}${counts.length > 0 ? `: ${counts.join(', ')}` : ''}. ${count(view.steps.filter((s) => s.overdue).length, 'action step')} overdue.`,
    'Progress: the share of the way from baseline to target. Pace: progress against where the WIG was expected to be by its latest check-in; the status rules use pace.',
    ...editionLine(view),
  ]
}

function statusDetail(w: BoardWig): string {
  return [
    w.manual ? `Set by hand; the rules say ${w.computedStatus}` : '',
    w.stale && w.staleDays !== null ? `Stale: latest check-in ${w.staleDays} days old` : '',
    w.stepsAreCurrentNotAsOf ? "Step statuses are today's, not as of this date" : '',
  ]
    .filter(Boolean)
    .join('. ')
}

function summaryColumns(view: BoardView): Column<BoardWig>[] {
  return [
    { header: 'Pillar', width: 11, kind: 'wrap', get: (w) => w.pillar || NO_PILLAR },
    { header: 'WIG', width: 8, kind: 'text', get: (w) => w.id },
    { header: 'Goal', width: 27, kind: 'wrap', get: (w) => w.title },
    { header: 'From, to, by', width: 17, kind: 'wrap', get: (w) => w.goal },
    // In words, in the WIG's unit ("373 work orders"): a number with the unit in its format would not fit the column.
    { header: 'Latest', width: 10, kind: 'wrap', get: (w) => w.latest?.text ?? '' },
    { header: 'Latest on', width: 11, kind: 'date', get: (w) => dateOf(w.latest?.date ?? null) },
    { header: 'Expected then', width: 10, kind: 'wrap', get: (w) => w.expected?.text ?? '' },
    { header: 'Progress', width: 8.5, kind: 'percent', get: (w) => w.progress },
    { header: 'Pace', width: 7, kind: 'percent', get: (w) => w.pace },
    { header: 'Status', width: 10, kind: 'status', get: (w) => w.status },
    { header: 'About the status', width: 15, kind: 'wrap', get: statusDetail },
    ...(view.public ? [] : [{ header: 'Status note', width: 21, kind: 'wrap', get: (w: BoardWig) => w.note } as const]),
    { header: 'Steps done', width: 6.5, kind: 'count', get: (w) => w.steps.done },
    { header: 'Steps in all', width: 6.5, kind: 'count', get: (w) => w.steps.total },
    { header: 'Steps overdue', width: 8, kind: 'count', get: (w) => w.steps.overdue },
    ...(view.public ? [] : [{ header: 'Owner', width: 13, kind: 'wrap', get: (w: BoardWig) => w.owner } as const]),
    { header: 'Department', width: 13, kind: 'wrap', get: (w) => w.department },
  ]
}

/** One check-in of a series (or the series alone when it has none); `first` is the series' first row. */
type SeriesRow = { series: BoardSeries; check: BoardSeries['history'][number] | null; first: boolean }

function seriesRows(series: readonly BoardSeries[]): SeriesRow[] {
  return series.flatMap((s): SeriesRow[] => (s.history.length === 0 ? [{ series: s, check: null, first: true }] : s.history.map((check, i) => ({ series: s, check, first: i === 0 }))))
}

function measureLines(view: BoardView): string[] {
  return [
    scopeLine(view),
    "One row per check-in, oldest first, under each WIG: the WIG's own values, then each lead and lag measure. A measure's details are on its first row; a measure without check-ins has that row only.",
    ...editionLine(view),
  ]
}

function measureColumns(view: BoardView): Column<SeriesRow>[] {
  const titleOf = new Map(view.wigs.map((w) => [w.id, w.title]))
  // A measure's own details once, on its first row: the rows under it are its values. Less to read
  // on paper, and at 20,000 check-ins half the cells.
  const once = <V>(get: (r: SeriesRow) => V) => (r: SeriesRow): V | null => (r.first ? get(r) : null)
  return [
    { header: 'WIG', width: 8, kind: 'text', get: (r) => r.series.wigId },
    // One line: the title is on the Summary, here it only reminds which WIG a row belongs to.
    { header: 'Goal', width: 24, kind: 'text', get: once((r) => titleOf.get(r.series.wigId) ?? '') },
    { header: 'Measure', width: 28, kind: 'wrap', get: (r) => r.series.name, indent: 1, grow: (r) => r.first },
    { header: 'Type', width: 7, kind: 'text', get: (r) => r.series.type ?? '', indent: 1 },
    ...(view.public
      ? [{ header: 'Department', width: 13, kind: 'wrap', get: once((r) => r.series.department) } as const]
      : [{ header: 'Owner', width: 13, kind: 'wrap', get: once((r) => r.series.owner) } as const]),
    { header: 'Cadence', width: 10, kind: 'wrap', get: once((r) => r.series.cadence) },
    { header: 'Target', width: 11, kind: 'wrap', get: once((r) => r.series.targetText ?? '') },
    { header: 'Due', width: 11, kind: 'date', get: once((r) => dateOf(r.series.dueDate)) },
    { header: 'Check-in date', width: 11, kind: 'date', get: (r) => dateOf(r.check?.date ?? null) },
    { header: 'Value', width: 16, kind: 'value', get: (r) => (r.check ? { value: r.check.value, text: r.check.text } : null) },
    ...(view.public
      ? []
      : [
          { header: 'Note', width: 24, kind: 'wrap', get: (r: SeriesRow) => r.check?.note ?? '', indent: 1 } as const,
          { header: 'Measure id', width: 9.5, kind: 'text', get: once((r: SeriesRow) => r.series.measureId ?? '') } as const,
        ]),
  ]
}

function stepLines(view: BoardView): string[] {
  const overdue = view.steps.filter((s) => s.overdue).length
  return [scopeLine(view), `${count(view.steps.length, 'action step')}, ${overdue} overdue, grouped by WIG (its goal on the first). Overdue: due before the as-of date and neither done nor cancelled.`, ...editionLine(view)]
}

function stepColumns(view: BoardView): Column<BoardStep>[] {
  // The goal once, on its WIG's first step (the steps come grouped by WIG): a reminder, not a column to read down.
  const firstOf = new Set(view.steps.filter((s, i) => i === 0 || view.steps[i - 1]?.wigId !== s.wigId))
  return [
    { header: 'WIG', width: 8, kind: 'text', get: (s) => s.wigId },
    { header: 'Goal', width: 24, kind: 'text', get: (s) => (firstOf.has(s) ? s.wigTitle : null) },
    { header: 'Action step', width: 34, kind: 'wrap', get: (s) => s.title, indent: 1 },
    ...(view.public ? [] : [{ header: 'Owner', width: 14, kind: 'wrap', get: (s: BoardStep) => s.owner } as const]),
    { header: 'Department', width: 14, kind: 'wrap', get: (s) => s.department },
    { header: 'Due', width: 11, kind: 'date', get: (s) => dateOf(s.dueDate) },
    { header: 'Status', width: 11, kind: 'text', get: (s) => s.status },
    { header: 'Complete', width: 9.5, kind: 'percent', get: (s) => (s.percentComplete === null ? null : s.percentComplete / 100) },
    { header: 'Overdue', width: 8, kind: 'flag', get: (s) => yes(s.overdue) },
    { header: 'Days overdue', width: 8, kind: 'count', get: (s) => s.daysOverdue },
    ...(view.public
      ? []
      : [
          { header: 'Last update', width: 11, kind: 'date', get: (s: BoardStep) => dateOf(s.lastUpdate) } as const,
          { header: 'Step id', width: 9.5, kind: 'text', get: (s: BoardStep) => s.id ?? '' } as const,
        ]),
  ]
}

// ---------------------------------------------------------------- one sheet

type SheetSpec<T> = { name: string; title: string; lines: string[]; columns: Column<T>[]; rows: readonly T[]; freeze: number; stage: PacketSheet }

async function addSheet<T>(book: XlsxBook, view: BoardView, spec: SheetSpec<T>, progress: (stage: ExportStage, rows: number) => Promise<void>): Promise<void> {
  const { columns } = spec
  const headerRow = spec.lines.length + 3
  const sheet = book.addSheet({
    name: spec.name,
    columnWidths: columns.map((c) => c.width),
    defaultRowHeight: 15,
    frozen: { columns: spec.freeze, rows: headerRow },
    headerRow,
    print: {
      margins: { left: 0.4, right: 0.4, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
      oddHeader: `&L&"${FONT},Bold"${headerText(view.district || 'Strategic plan')}&"${FONT},Regular"&R${headerText(spec.title, 40)}`,
      oddFooter: `&L${headerText(view.public ? 'Public edition' : 'Board packet')}, as of ${headerText(longDate(view.asOf))}&CPage &P of &N&R&A`,
    },
  })

  // Title and the lines that say what the sheet holds: plain text running across the columns.
  const line = (text: string, font: CellFormat['font']): Cell[] => [{ value: text, style: book.style({ font, vertical: 'top', ...(looksLikeFormula(text) ? { typedAsText: true } : {}) }) }]
  sheet.row(1, line(`${view.district ? `${view.district}: ` : ''}${spec.title}`, { name: FONT, size: 14, bold: true }))
  spec.lines.forEach((text, i) => sheet.row(i + 2, line(text, { name: FONT, size: SIZE })))

  const headerCells = columns.map((column): Cell => ({
    value: column.header,
    style: book.style({ font: { name: FONT, size: SIZE, bold: true }, fill: HEADER_FILL, bottomBorder: BORDER, vertical: 'bottom', horizontal: headerAlignment(column.kind), wrapText: true, ...(column.indent ? { indent: column.indent } : {}) }),
  }))
  // Bold text is wider: the header's lines are counted at a narrower width.
  sheet.row(headerRow, headerCells, Math.max(...columns.map((c) => lines(c.header, c.width * 0.85))) * LINE_POINTS + 4)

  const styles = new Map<string, number>()
  let r = headerRow
  let sinceProgress = 0
  const cells: (Cell | undefined)[] = []
  for (const row of spec.rows) {
    r += 1
    cells.length = 0
    let height = 1
    columns.forEach((column, i) => {
      const input = column.get(row)
      if (input === null || input === '') {
        cells[i] = undefined
        return
      }
      const grow = column.grow?.(row) ?? true
      cells[i] = bodyCell(book, column, input, styles, grow)
      if (column.kind === 'wrap' && typeof input === 'string' && grow) height = Math.max(height, lines(input, column.width))
    })
    sheet.row(r, cells, height > 1 ? height * LINE_POINTS + 2 : undefined)
    sinceProgress += 1
    if (sinceProgress === ROWS_PER_PAUSE) {
      await progress(spec.stage, sinceProgress)
      sinceProgress = 0
    }
  }
  if (sinceProgress > 0) await progress(spec.stage, sinceProgress)

  sheet.autoFilter(r, columns.length)
}

function headerAlignment(kind: Kind): 'left' | 'center' | 'right' {
  if (kind === 'count' || kind === 'status' || kind === 'flag') return 'center'
  return kind === 'percent' || kind === 'value' ? 'right' : 'left'
}

function columnFormat(kind: Kind): CellFormat {
  const font = { name: FONT, size: SIZE }
  switch (kind) {
    case 'date':
      return { font, numFmt: DATE_FORMAT, vertical: 'top', horizontal: 'left' }
    case 'percent':
      return { font, numFmt: PERCENT_FORMAT, vertical: 'top' }
    case 'count':
      return { font, numFmt: COUNT_FORMAT, vertical: 'top', horizontal: 'center' }
    case 'wrap':
      return { font, vertical: 'top', wrapText: true }
    case 'value':
      // A long unit ("315.41 work orders") shrinks rather than showing ###.
      return { font, vertical: 'top', shrinkToFit: true }
    case 'status':
    case 'flag':
      return { font, vertical: 'top', horizontal: 'center' }
    case 'text':
      return { font, vertical: 'top' }
  }
}

/**
 * A body cell: its value, and a format shared by the cells that look alike (looked up by a short
 * key, so 25,000 rows cost a few dozen formats and no format built per cell). Text is always a
 * string cell, never a formula; text that looks like one is also typed as text (quote prefix).
 */
function bodyCell<T>(book: XlsxBook, column: Column<T>, input: Exclude<CellInput, null>, styles: Map<string, number>, grow: boolean): Cell {
  const styled = (variant: string, extra: Partial<CellFormat>): number => {
    const key = `${column.kind}|${column.indent ?? 0}|${grow}|${variant}`
    let style = styles.get(key)
    if (style === undefined) {
      // A wrapped column's cell in a row kept one line high is clipped instead: wrapped, it would spill over the rows below.
      style = book.style({ ...columnFormat(column.kind), ...(column.indent ? { indent: column.indent } : {}), ...(grow ? {} : { wrapText: false }), ...extra })
      styles.set(key, style)
    }
    return style
  }
  if (typeof input === 'string') {
    const text: Partial<CellFormat> = looksLikeFormula(input) ? { typedAsText: true } : {}
    const variant = text.typedAsText ? '@' : ''
    if (column.kind === 'status' && isStatus(input)) return { value: input, style: styled(`status:${input}${variant}`, { ...text, ...colours(STATUS_COLORS[input]) }) }
    if (column.kind === 'flag' && input === 'Yes') return { value: input, style: styled(`flag:yes${variant}`, { ...text, ...colours(OVERDUE_COLORS) }) }
    return { value: input, style: styled(`text${variant}`, text) }
  }
  if (input instanceof Date || typeof input === 'number') return { value: input, style: styled('', {}) }
  const format = numberFormatFor(input.value, input.text)
  if (format === null) {
    const typed = looksLikeFormula(input.text)
    return { value: input.text, style: styled(typed ? 'words@' : 'words', { horizontal: 'right', ...(typed ? { typedAsText: true } : {}) }) }
  }
  return { value: input.value, style: styled(`format:${format}`, { numFmt: format }) }
}

function colours(colors: { fill: string; text: string }): Partial<CellFormat> {
  return { fill: `FF${colors.fill}`, font: { name: FONT, size: SIZE, bold: true, color: `FF${colors.text}` } }
}

const isStatus = (text: string): text is WigStatus => (WIG_STATUSES as readonly string[]).includes(text)

/**
 * Lines a wrapped cell needs at its column's width: words laid out greedily, as a spreadsheet
 * wraps them, at a little under the characters a width unit holds in 10-point text, so a row is
 * sooner a line too tall than cut off (Excel does not fit row heights on opening a file).
 */
function lines(text: string, width: number): number {
  const perLine = Math.max(1, Math.floor(width * CHARS_PER_WIDTH))
  // A word longer than a line breaks wherever the program finds room (after / , -): count it generously.
  const longWordLine = Math.max(1, Math.floor(perLine * 0.75))
  let n = 0
  for (const paragraph of text.split(/\r?\n/)) {
    let used = 0
    n += 1
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const need = used === 0 ? word.length : used + 1 + word.length
      if (need <= perLine) used = need
      else if (word.length <= perLine) {
        n += 1
        used = word.length
      } else {
        n += (used === 0 ? 0 : 1) + Math.ceil(word.length / longWordLine) - 1
        used = perLine
      }
    }
  }
  return Math.min(Math.max(n, 1), MAX_LINES)
}

/**
 * A number format that shows `value` exactly as `text` (the value in its unit, as
 * domain/units.ts formats it): "42.5 days" → `#,##0.0" days"`, "49%" of 0.49 → `0%`, "48%" of 48
 * (a Unit of %) → `#,##0"%"`, "$1,250" → `"$"#,##0`. null when the text is not a number in a unit.
 */
export function numberFormatFor(value: number, text: string): string | null {
  const m = /^(-?)(\$?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(%?)(.*)$/.exec(text)
  if (!m) return null
  const [, minus = '', dollar = '', whole = '', fraction = '', percent = '', tail = ''] = m
  const shown = Number(`${minus}${whole.replace(/,/g, '')}.${fraction || '0'}`)
  const close = (a: number, b: number) => Math.abs(a - b) <= 10 ** -(fraction.length + 1) * 5 + 1e-9 * Math.max(1, Math.abs(b))
  let number = `#,##0${fraction ? `.${'0'.repeat(fraction.length)}` : ''}`
  if (percent) {
    if (close(shown, value * 100)) number += '%'
    else if (close(shown, value)) number += '"%"'
    else return null
  } else if (!close(shown, value)) return null
  return `${dollar ? '"$"' : ''}${number}${literal(tail)}`
}

/** Literal text in a number format: quoted, or character by character when it holds a quote. */
function literal(text: string): string {
  if (text === '') return ''
  return text.includes('"') ? [...text].map((c) => `\\${c}`).join('') : `"${text}"`
}
