import type { Box } from '../../a1.ts'
import type { CellValue } from '../../raw.ts'
import { noteCell, readParsedCell, type CellContext, type CellRead, type ParsedCell, type RichValue } from './cell-value.ts'
import { richRun, textUntilClose } from './rich-text.ts'
import { decodeAttribute, decodeText, type Xml } from './xml-text.ts'
import { nextTagStart, readTag } from './xml-tags.ts'
import { unmodeled } from './unmodeled.ts'

/**
 * The rows of a worksheet's `<sheetData>`, walked tag by tag, filling the grids of the boxes
 * being read (Graph's `values` and `numberFormat`). Every row is walked (a shared formula's
 * master may sit outside every table, and a row exceljs would choke on must be seen), but only
 * cells inside a box are turned into values. A row that repeats a row number replaces it, a cell
 * that repeats a column overwrites it, as in exceljs. The usual `<c …><v>…</v></c>` takes a
 * short path: at 100,000 rows this loop is most of a `status`.
 */

export type Grid = {
  box: Box
  /** By row offset from `box.top`, then column offset from `box.left`; rows the sheet lacks stay undefined. */
  values: (CellValue[] | undefined)[]
  formats: (string[] | undefined)[]
  /** For the top row: whether exceljs holds each cell as a plain string (the header test compares only those). */
  topPlain: boolean[]
  /** A row of empty cells, copied for each row: `slice` of a filled array gives V8's packed arrays, as exceljs's pushes did. */
  blankValues: readonly CellValue[]
  blankFormats: readonly string[]
  /** The formats of the row read last: a row formatted the same shares its array (nothing writes to a finished row's formats). */
  lastFormats: string[] | undefined
}

function filled<T>(width: number, value: T): T[] {
  const row: T[] = []
  for (let i = 0; i < width; i += 1) row.push(value)
  return row
}

export function emptyGrid(box: Box): Grid {
  const width = box.right - box.left + 1
  return { box, values: [], formats: [], topPlain: filled(width, false), blankValues: filled<CellValue>(width, ''), blankFormats: filled(width, 'General'), lastFormats: undefined }
}

/** exceljs's `decodeAddress` column: the capitals before the first digit (`$` and other characters skipped). */
function columnOf(address: string): number {
  let column = 0
  let hasColumn = false
  let hasRow = false
  for (let i = 0; i < address.length; i += 1) {
    const code = address.charCodeAt(i)
    if (!hasRow && code >= 65 && code <= 90) {
      hasColumn = true
      column = column * 26 + code - 64
    } else if (code >= 48 && code <= 57) {
      hasRow = true
    } else if (hasRow && hasColumn && code !== 36) {
      break
    }
  }
  if (!hasColumn || column > 16_384) unmodeled(`cell address ${address}`)
  return column
}

function appendText(value: ParsedCell['value'], text: string): ParsedCell['value'] {
  if (text === '') return value
  // Text after rich runs goes to a property of exceljs's run list, where nothing reads it.
  if (typeof value === 'object') return value
  return value ? value + text : text
}

/** Attribute text that is not already what saxes would hand over (entities, line ends, tabs, UTF-8). */
const NEEDS_DECODING = /[&<\r\n\t\x80-\xff]/

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x9 || code === 0xa || code === 0xd
}

/**
 * The attributes of a `<c …>` tag into `cell` (only r, s and t matter; the others are checked
 * as saxes checks them); the index past the tag, negative when the tag closes itself.
 */
function readCellOpen(xml: Xml, lt: number, cell: ParsedCell): number {
  const text = xml.text
  let address: string | undefined
  let style: string | undefined
  let type: string | undefined
  let at = lt + 2
  for (;;) {
    const start = at
    while (isSpace(text.charCodeAt(at))) at += 1
    const code = text.charCodeAt(at)
    if (code === 0x3e || code === 0x2f) {
      const selfClosing = code === 0x2f
      if (selfClosing && text.charCodeAt(at + 1) !== 0x3e) unmodeled('a malformed cell tag')
      if (address === undefined) unmodeled('a cell without an address')
      cell.address = address
      cell.styleId = style ? parseInt(style, 10) : Number.NaN
      cell.type = type
      cell.value = undefined
      cell.formula = null
      return selfClosing ? -(at + 2) : at + 1
    }
    if (at === start || Number.isNaN(code)) unmodeled('a malformed cell tag')
    const equals = text.indexOf('=', at)
    const quote = text[equals + 1]
    if (equals < 0 || (quote !== '"' && quote !== "'")) unmodeled('a cell attribute written in a way left to exceljs')
    const name = text.slice(at, equals)
    const close = text.indexOf(quote, equals + 2)
    if (close < 0) unmodeled('an unterminated attribute')
    const raw = text.slice(equals + 2, close)
    const value = NEEDS_DECODING.test(raw) ? decodeAttribute(xml.content(equals + 2, close)) : raw
    if (name === 'r') address = address === undefined ? value : unmodeled('a repeated attribute')
    else if (name === 's') style = style === undefined ? value : unmodeled('a repeated attribute')
    else if (name === 't') type = type === undefined ? value : unmodeled('a repeated attribute')
    at = close + 1
  }
}

/** The children of a `<c>` from `at`: `<v>` and `<t>` text joined, `<is>` transparent, rich runs, `<f>`. */
function readCellBody(xml: Xml, at: number, cell: ParsedCell): number {
  const text = xml.text
  // The usual cell: one value and nothing else.
  if (text.startsWith('<v>', at)) {
    const lt = text.indexOf('<', at + 3)
    if (lt >= 0 && text.startsWith('</v></c>', lt)) {
      if (lt > at + 3) cell.value = decodeText(xml.content(at + 3, lt))
      return lt + 8
    }
  }
  let from = at
  for (;;) {
    const lt = nextTagStart(text, from)
    if (lt < 0) unmodeled('an unterminated cell')
    const tag = readTag(xml, lt)
    from = tag.end
    if (tag.closing) {
      if (tag.name === 'c') return tag.end
      if (tag.name === 'is') continue
      unmodeled(`</${tag.name}> in a cell`)
    }
    switch (tag.name) {
      case 'v':
      case 't':
        if (!tag.selfClosing) {
          const read = textUntilClose(xml, tag.end, tag.name)
          cell.value = appendText(cell.value, read.text)
          from = read.end
        }
        break
      case 'f': {
        const previous = cell.formula?.text
        const formula = { text: previous, shareType: tag.attributes['t'], ref: tag.attributes['ref'], si: tag.attributes['si'] }
        cell.formula = formula
        if (!tag.selfClosing) {
          const read = textUntilClose(xml, tag.end, 'f')
          if (read.text !== '') formula.text = previous ? previous + read.text : read.text
          from = read.end
        }
        break
      }
      case 'is':
        break
      case 'r': {
        // exceljs hangs runs on the cell's value object; a value that is already text cannot take them.
        if (typeof cell.value === 'string') unmodeled('a rich run after text')
        const run = richRun(xml, tag)
        const rich: RichValue = cell.value ?? { runs: [] }
        rich.runs.push(run.text ?? '')
        cell.value = rich
        from = run.end
        break
      }
      default:
        unmodeled(`<${tag.name}> in a cell`)
    }
  }
}

function startRow(grid: Grid, row: number): void {
  const r = row - grid.box.top
  grid.values[r] = grid.blankValues.slice()
  grid.formats[r] = grid.blankFormats.slice()
  if (r === 0) grid.topPlain = grid.topPlain.map(() => false)
}

function sameFormats(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let c = 0; c < a.length; c += 1) if (a[c] !== b[c]) return false
  return true
}

/**
 * A table's rows are mostly formatted alike (a date column, a percent column): a finished row
 * formatted as the one before takes that row's array. At L, one array per row was 15 MB of a
 * `status`'s memory for 25 distinct rows.
 */
function finishRow(grid: Grid, row: number): void {
  const r = row - grid.box.top
  const formats = grid.formats[r]
  const last = grid.lastFormats
  if (formats === undefined) return
  if (last !== undefined && sameFormats(last, formats)) grid.formats[r] = last
  else grid.lastFormats = formats
}

function put(grid: Grid, row: number, column: number, read: CellRead): void {
  const r = row - grid.box.top
  const c = column - grid.box.left
  const values = grid.values[r]
  const formats = grid.formats[r]
  if (values) values[c] = read.value
  if (formats) formats[c] = read.value === '' ? 'General' : (read.numFmt ?? 'General')
  if (r === 0) grid.topPlain[c] = read.plain
}

export function scanRows(xml: Xml, from: number, to: number, grids: readonly Grid[], ctx: CellContext): void {
  const text = xml.text
  const cell: ParsedCell = { address: '', styleId: Number.NaN, type: undefined, value: undefined, formula: null }
  const read: CellRead = { value: '', numFmt: undefined, plain: false }
  const covering: Grid[] = []
  let at = from
  for (;;) {
    const lt = nextTagStart(text, at)
    if (lt < 0 || lt > to) unmodeled('rows past the end of <sheetData>')
    if (lt === to) return
    const open = readTag(xml, lt)
    if (open.closing || open.name !== 'row') unmodeled(`<${open.name}> in <sheetData>`)
    const row = parseInt(open.attributes['r'] ?? '', 10)
    if (!(row >= 1)) unmodeled('a row without a number')
    const s = open.attributes['s']
    if (s) ctx.styles.checkStyleId(parseInt(s, 10))
    covering.length = 0
    for (const grid of grids) {
      if (grid.box.top <= row && row <= grid.box.bottom) {
        covering.push(grid)
        startRow(grid, row)
      }
    }
    at = open.end
    if (open.selfClosing) {
      for (const grid of covering) finishRow(grid, row)
      continue
    }
    for (;;) {
      const cellAt = nextTagStart(text, at)
      if (cellAt < 0) unmodeled('an unterminated row')
      if (text.startsWith('</row>', cellAt)) {
        at = cellAt + 6
        for (const grid of covering) finishRow(grid, row)
        break
      }
      if (!text.startsWith('<c', cellAt) || !(isSpace(text.charCodeAt(cellAt + 2)) || text.charCodeAt(cellAt + 2) === 0x2f || text.charCodeAt(cellAt + 2) === 0x3e)) {
        const tag = readTag(xml, cellAt)
        unmodeled(`<${tag.closing ? '/' : ''}${tag.name}> in a row`)
      }
      const end = readCellOpen(xml, cellAt, cell)
      at = end < 0 ? -end : readCellBody(xml, end, cell)
      const column = columnOf(cell.address)
      let wanted = false
      for (const grid of covering) if (grid.box.left <= column && column <= grid.box.right) wanted = true
      if (!wanted) {
        noteCell(cell, ctx)
        continue
      }
      // A cell exceljs leaves out of the row (no value, no style) keeps whatever an earlier one of its column gave.
      if (!readParsedCell(cell, ctx, read)) continue
      for (const grid of covering) if (grid.box.left <= column && column <= grid.box.right) put(grid, row, column, read)
    }
  }
}
