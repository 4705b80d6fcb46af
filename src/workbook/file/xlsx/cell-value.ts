import type { CellValue } from '../../raw.ts'
import { plainValue } from '../cell-read.ts'
import type { SharedStrings } from './shared-strings.ts'
import type { Styles } from './styles.ts'
import { xmlDecodeAgain } from './xml-text.ts'
import { unmodeled } from './unmodeled.ts'

/**
 * One `<c>` element's value as the exceljs path ends up with it: exceljs's cell parser and
 * reconcile step (cell-xform.js) give a JS value, then cell-read.ts's `plainValue` turns it
 * into Graph's form. The odd corners are kept on purpose, since equal output is the point: a
 * formula whose cached result is 0 or FALSE reads as "" (exceljs keeps only truthy results),
 * `t="str"` text is entity-decoded a second time, a date-formatted cell becomes a Date in the
 * workbook's own date system before it is a 1900-system serial again.
 */

/** Rich runs of an inline string, each run's text ('' for a run without one). */
export type RichValue = { runs: string[] }

export type ParsedCell = {
  /** The `r` attribute as written: exceljs keys hyperlinks and shared formulas by it. */
  address: string
  styleId: number
  type: string | undefined
  /** `<v>` and `<t>` text run together, or rich runs; undefined when the cell has neither. */
  value: string | RichValue | undefined
  formula: { text: string | undefined; shareType: string | undefined; ref: string | undefined; si: string | undefined } | null
}

/** What the cell contributes: its value, exceljs's `cell.numFmt`, and whether exceljs holds the value as a plain string. */
export type CellRead = { value: CellValue; numFmt: string | undefined; plain: boolean }

export type CellContext = {
  styles: Styles
  sharedStrings: SharedStrings | null
  date1904: boolean
  /** Cells exceljs turns into hyperlinks (by `r`). */
  hyperlinks: ReadonlySet<string>
  /** Shared formula masters met so far in the sheet: `si` → the master's `r` (exceljs's `options.formulae`). */
  sharedFormulas: Map<string, string | undefined>
}

/** exceljs's `excelToDate`, with JS's own coercion of whatever the value is. */
function excelToDate(v: unknown, date1904: boolean): Date {
  return new Date(Math.round((Number(v) - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000))
}

function numberValue(n: number): CellValue {
  return Number.isFinite(n) ? n : '#NUM!'
}

/**
 * A shared formula's master is remembered, in document order, for the cells that share it;
 * a dependent cell gets the master's address (undefined when no master came before it).
 */
function noteFormula(cell: ParsedCell, formula: NonNullable<ParsedCell['formula']>, ctx: CellContext): string | undefined {
  if (formula.shareType !== 'shared') return undefined
  const si = String(formula.si)
  if (!formula.ref) return ctx.sharedFormulas.get(si)
  ctx.sharedFormulas.set(si, cell.address)
  return undefined
}

/** What a cell outside every table still does to the cells that are read: it may be a shared formula's master. */
export function noteCell(cell: ParsedCell, ctx: CellContext): void {
  const formula = cell.formula
  if (formula !== null && (formula.text || formula.shareType)) noteFormula(cell, formula, ctx)
}

function formulaRead(cell: ParsedCell, formula: NonNullable<ParsedCell['formula']>, isDate: boolean, ctx: CellContext): CellValue {
  const raw = cell.value
  if (typeof raw === 'object') unmodeled('rich text in a formula cell')
  let result: unknown
  if (raw) {
    if (cell.type === 'str') result = xmlDecodeAgain(raw)
    else if (cell.type === 'b') result = parseInt(raw, 10) !== 0
    else if (cell.type === 'e') result = { error: raw }
    else result = parseFloat(raw)
    if (isDate) result = excelToDate(result, ctx.date1904)
  }
  const sharedFrom = noteFormula(cell, formula, ctx)
  // A hyperlink keeps the result as the link's text; otherwise exceljs copies only truthy fields.
  if (ctx.hyperlinks.has(cell.address)) return plainValue(result)
  const keyed = Boolean(formula.text) || Boolean(sharedFrom)
  return keyed && result ? plainValue(result) : ''
}

/** The value of a cell without a formula into `out` (exceljs's types by `t`, then its reconcile step). */
function valueRead(cell: ParsedCell, raw: string | RichValue, isDate: boolean, ctx: CellContext, out: CellRead): void {
  out.plain = false
  if (typeof raw === 'object') {
    if (cell.type !== 'inlineStr') unmodeled('rich text in a cell that is not an inline string')
    out.value = raw.runs.join('')
    return
  }
  switch (cell.type) {
    case 's': {
      const index = parseInt(raw, 10)
      const strings = ctx.sharedStrings
      if (strings === null) {
        out.value = numberValue(index)
        return
      }
      const text = strings.text(index)
      if (text === undefined) unmodeled('a shared string index past the end')
      out.value = text
      out.plain = strings.isPlain(index)
      return
    }
    case 'str':
      out.value = xmlDecodeAgain(raw)
      out.plain = true
      return
    case 'inlineStr':
      out.value = raw
      out.plain = true
      return
    case 'b':
      out.value = parseInt(raw, 10) !== 0
      return
    case 'e':
      out.value = raw
      return
    default: {
      const n = parseFloat(raw)
      out.value = isDate ? plainValue(excelToDate(n, ctx.date1904)) : numberValue(n)
    }
  }
}

/**
 * The cell as exceljs loads it, written into `out` (one object serves every cell of a scan);
 * false when exceljs leaves the cell out of its row (no value, no style).
 */
export function readParsedCell(cell: ParsedCell, ctx: CellContext, out: CellRead): boolean {
  const format = ctx.styles.format(cell.styleId)
  out.numFmt = format.numFmt
  const formula = cell.formula
  if (formula !== null && (formula.text || formula.shareType)) {
    out.value = formulaRead(cell, formula, format.isDate, ctx)
    out.plain = false
    return true
  }
  const hyperlinked = ctx.hyperlinks.size > 0 && ctx.hyperlinks.has(cell.address)
  if (cell.value === undefined) {
    if (!cell.styleId && !hyperlinked) return false
    out.value = ''
    out.plain = false
    return true
  }
  valueRead(cell, cell.value, format.isDate, ctx, out)
  if (hyperlinked) out.plain = false
  return true
}
