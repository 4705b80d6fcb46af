import { parseBox, type Box } from '../../a1.ts'
import { nextTagStart, readTag } from './xml-tags.ts'
import type { Xml } from './xml-text.ts'
import { unmodeled } from './unmodeled.ts'

/**
 * A worksheet part around its cells: where `<sheetData>` is, the tables (`<tableParts>`), the
 * merged ranges and the hyperlinks exceljs applies to cells. Only the tags outside
 * `<sheetData>` are walked here; the rows are skipped in one search for their end.
 */

export type SheetStructure = {
  /** Index just past `<sheetData>`, and of `</sheetData>`; equal when there are no rows. */
  rowsFrom: number
  rowsTo: number
  /** Relationship ids of `<tablePart>`s, in order. */
  tableParts: string[]
  merges: Box[]
  /** `ref`s of hyperlinks exceljs attaches to cells (those with a relationship target). */
  hyperlinks: Set<string>
}

/** The lists exceljs reads at the top of a worksheet, and the items it takes from each. */
const LISTS: ReadonlyMap<string, string> = new Map([['mergeCells', 'mergeCell'], ['hyperlinks', 'hyperlink'], ['tableParts', 'tablePart'], ['cols', 'col']])
const ITEMS = new Set(LISTS.values())
const CANONICAL_RANGE = /^\$?[A-Z]+\$?\d+(:\$?[A-Z]+\$?\d+)?$/
/** Past this many merged ranges, checking them against each other is left to exceljs. */
const MAX_MERGES = 2000

function overlaps(a: Box, b: Box): boolean {
  return a.top <= b.bottom && b.top <= a.bottom && a.left <= b.right && b.left <= a.right
}

export function sheetStructure(xml: Xml, relationships: ReadonlyMap<string, string | undefined>, checkStyle: (styleId: number) => void): SheetStructure {
  let lt = nextTagStart(xml.text, 0)
  if (lt < 0) unmodeled('an empty worksheet part')
  const root = readTag(xml, lt)
  if (root.closing || root.name !== 'worksheet') unmodeled('a worksheet part without <worksheet>')
  const found: SheetStructure = { rowsFrom: 0, rowsTo: 0, tableParts: [], merges: [], hyperlinks: new Set() }
  let sheetData = false
  let list: string | null = null
  let depth = 1
  let at = root.end
  while (depth > 0 && !root.selfClosing) {
    lt = nextTagStart(xml.text, at)
    if (lt < 0) unmodeled('a worksheet part that ends early')
    const tag = readTag(xml, lt)
    at = tag.end
    if (tag.closing) {
      depth -= 1
      if (depth === 1) list = null
      continue
    }
    const { name, attributes } = tag
    if (name === 'sheetData') {
      if (depth !== 1 || sheetData) unmodeled('a second or nested <sheetData>')
      sheetData = true
      found.rowsFrom = tag.end
      found.rowsTo = tag.end
      if (tag.selfClosing) continue
      const close = xml.text.indexOf('</sheetData>', tag.end)
      if (close < 0) unmodeled('an unterminated <sheetData>')
      found.rowsTo = close
      at = close + '</sheetData>'.length
      continue
    }
    if (depth === 1 && LISTS.has(name)) {
      // A second list replaces the first, as exceljs's list parser starts over.
      if (name === 'mergeCells') found.merges = []
      if (name === 'hyperlinks') found.hyperlinks = new Set()
      if (name === 'tableParts') found.tableParts = []
      list = name
    } else if (depth === 2 && list !== null && LISTS.get(list) === name) {
      if (name === 'mergeCell') {
        const ref = attributes['ref'] ?? ''
        const box = CANONICAL_RANGE.test(ref) ? parseBox(ref) : null
        if (box === null) unmodeled(`merged range ${ref}`)
        found.merges.push(box)
      } else if (name === 'hyperlink') {
        const rId = attributes['r:id']
        if (rId) {
          // exceljs reads the target of the link's relationship, failing when there is none.
          if (!relationships.has(rId)) unmodeled('a hyperlink without its relationship')
          if (relationships.get(rId)) found.hyperlinks.add(String(attributes['ref']))
        }
      } else if (name === 'col') {
        const style = attributes['style']
        if (style) checkStyle(parseInt(style, 10))
      } else {
        found.tableParts.push(String(attributes['r:id']))
      }
    } else if (LISTS.has(name) || ITEMS.has(name)) {
      unmodeled(`<${name}> out of place in a worksheet`)
    }
    if (!tag.selfClosing) depth += 1
  }
  if (found.merges.length > MAX_MERGES) unmodeled('too many merged ranges')
  // exceljs refuses merges that overlap: the workbook would not load.
  for (let i = 0; i < found.merges.length; i += 1) {
    for (let j = i + 1; j < found.merges.length; j += 1) {
      const a = found.merges[i]
      const b = found.merges[j]
      if (a && b && overlaps(a, b)) unmodeled('overlapping merged ranges')
    }
  }
  return found
}

/** Merged cells inside a table read as their range's first cell in exceljs: such tables are left to it. */
export function mergesTouch(structure: SheetStructure, box: Box): boolean {
  return structure.merges.some((merge) => overlaps(merge, box))
}
