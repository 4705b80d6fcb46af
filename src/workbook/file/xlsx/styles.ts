import { isDateFmt } from './date-format.ts'
import { xmlEvents } from './xml-tags.ts'
import type { Xml } from './xml-text.ts'
import { unmodeled } from './unmodeled.ts'

/**
 * The number format of each cell style (xl/styles.xml `cellXfs`), resolved as exceljs resolves
 * `cell.numFmt`: a custom `numFmt` by id (its backslash escapes removed), else exceljs's own
 * table of built-in formats, which names fewer ids than Excel does.
 */

/** exceljs's defaultnumformats.js: the ids it knows a format code for (the locale-dependent ones it leaves blank). */
export const BUILTIN_FORMATS: ReadonlyMap<number, string> = new Map([
  [0, 'General'], [1, '0'], [2, '0.00'], [3, '#,##0'], [4, '#,##0.00'], [9, '0%'], [10, '0.00%'], [11, '0.00E+00'],
  [12, '# ?/?'], [13, '# ??/??'], [14, 'mm-dd-yy'], [15, 'd-mmm-yy'], [16, 'd-mmm'], [17, 'mmm-yy'], [18, 'h:mm AM/PM'],
  [19, 'h:mm:ss AM/PM'], [20, 'h:mm'], [21, 'h:mm:ss'], [22, 'm/d/yy "h":mm'], [37, '#,##0 ;(#,##0)'],
  [38, '#,##0 ;[Red](#,##0)'], [39, '#,##0.00 ;(#,##0.00)'], [40, '#,##0.00 ;[Red](#,##0.00)'], [45, 'mm:ss'],
  [46, '[h]:mm:ss'], [47, 'mmss.0'], [48, '##0.0E+0'], [49, '@'],
])

export type CellFormat = { numFmt: string | undefined; isDate: boolean }

export type Styles = {
  /** The format of a cell's `s` attribute, parsed as exceljs parses it (`parseInt`); a falsy id has none. */
  format(styleId: number): CellFormat
  /** A row's `s` or a column's `style`: exceljs looks them up without the guard it has for cells, so a truthy one needs cell formats to exist. */
  checkStyleId(styleId: number): void
  /** Whether the file lists differential formats (table columns refer to them by `dxfId`). */
  hasDxfs: boolean
}

const NONE: CellFormat = { numFmt: undefined, isDate: false }

/** The top-level elements exceljs's StylesXform hands to a parser of their own; any other's children are read as top-level ones. */
const SECTIONS = new Set(['numFmts', 'fonts', 'fills', 'borders', 'cellStyleXfs', 'cellXfs', 'dxfs', 'numFmt', 'font', 'fill', 'border', 'style', 'cellStyles', 'tableStyles', 'extLst'])

function formatOf(numFmtId: number, custom: ReadonlyMap<number, string>): CellFormat {
  // exceljs: `if (style.numFmtId)`, then the custom code `||` the built-in one.
  if (!numFmtId) return NONE
  const numFmt = custom.get(numFmtId) || BUILTIN_FORMATS.get(numFmtId)
  return numFmt ? { numFmt, isDate: isDateFmt(numFmt) } : NONE
}

/** Without xl/styles.xml exceljs gives no cell a style. */
export const NO_STYLES: Styles = {
  format: () => NONE,
  checkStyleId(styleId) {
    if (styleId) unmodeled('a styled row or column in a workbook without styles')
  },
  hasDxfs: false,
}

export function readStyles(xml: Xml): Styles {
  const custom = new Map<number, string>()
  const xfIds: number[] = []
  let dxfs = 0
  let section: string | null = null
  let sectionDepth = 0
  let depth = 0
  for (const event of xmlEvents(xml)) {
    if (depth === 0 && event.kind === 'open' && event.tag.name !== 'styleSheet') unmodeled('a styles part that is not a styleSheet')
    if (event.kind === 'close') {
      depth -= 1
      if (section !== null && depth === sectionDepth) section = null
      continue
    }
    if (event.kind !== 'open') continue
    depth += 1
    const { name, attributes } = event.tag
    if (section === null) {
      if (depth > 1 && SECTIONS.has(name)) {
        section = name
        sectionDepth = depth - 1
        // A second list replaces the first, as exceljs's list parser starts over.
        if (name === 'numFmts') custom.clear()
        if (name === 'cellXfs') xfIds.length = 0
        if (name === 'dxfs') dxfs = 0
      }
      continue
    }
    if (depth !== sectionDepth + 2) continue
    if (section === 'numFmts' && name === 'numFmt') {
      const code = attributes['formatCode']
      if (code === undefined) unmodeled('a numFmt without a formatCode')
      custom.set(parseInt(attributes['numFmtId'] ?? '', 10), code.replace(/[\\](.)/g, '$1'))
    } else if (section === 'cellXfs' && name === 'xf') {
      xfIds.push(parseInt(attributes['numFmtId'] ?? '', 10))
    } else if (section === 'dxfs' && name === 'dxf') {
      dxfs += 1
    }
  }
  const formats = xfIds.map((id) => formatOf(id, custom))
  // exceljs indexes a list it only keeps when it has items: without cellXfs, a styled cell or row fails to load.
  const checkStyleId = (styleId: number) => {
    if (styleId && formats.length === 0) unmodeled('a style in a workbook without cell formats')
  }
  return {
    format(styleId) {
      if (!styleId) return NONE
      checkStyleId(styleId)
      return formats[styleId] ?? NONE
    },
    checkStyleId,
    hasDxfs: dxfs > 0,
  }
}
