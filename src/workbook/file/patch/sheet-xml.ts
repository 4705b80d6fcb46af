import { boxRef, columnLetters, parseBox, type Box } from '../../a1.ts'
import { unmodeled } from '../xlsx/unmodeled.ts'
import { editedXml, type Xml } from '../xlsx/xml-text.ts'
import type { Replaced } from './segments.ts'

/**
 * The few places of a worksheet part a table write changes, found by their tags in the part's
 * latin1 text (xml-text.ts) without reading a cell: the rows' extents, the cells of one row,
 * the data validations' ranges and the dimension. Anything written in a way these searches do
 * not expect is unmodeled, and the write goes through exceljs.
 */

export type RowTag = {
  r: number
  /** Offsets of `<row`, of the end of its open tag, and of the end of the element. */
  start: number
  openEnd: number
  end: number
  selfClosing: boolean
  /** The open tag's attributes as written. */
  attributes: string
}

const ROW_NUMBER = /(?:^|\s)r="(\d+)"/
const ATTRIBUTE = /([^\s=]+)="([^"]*)"/g

/** The `<row>` elements between `from` and `to` (a `<sheetData>`'s content), in strictly increasing order. */
export function listRows(text: string, from: number, to: number): RowTag[] {
  const rows: RowTag[] = []
  let at = from
  for (;;) {
    const start = text.indexOf('<row', at)
    if (start < 0 || start >= to) break
    const gt = text.indexOf('>', start)
    if (gt < 0 || gt >= to) unmodeled('an unterminated row')
    const selfClosing = text.charCodeAt(gt - 1) === 0x2f
    const attributes = text.slice(start + 4, selfClosing ? gt - 1 : gt)
    if (attributes.includes("'")) unmodeled('a row attribute in single quotes')
    const r = Number(ROW_NUMBER.exec(attributes)?.[1] ?? Number.NaN)
    if (!(r >= 1) || (rows.length > 0 && r <= (rows[rows.length - 1]?.r ?? 0))) unmodeled('rows without numbers or out of order')
    let end = gt + 1
    if (!selfClosing) {
      const close = text.indexOf('</row>', gt)
      if (close < 0 || close >= to) unmodeled('an unterminated row')
      end = close + 6
    }
    rows.push({ r, start, openEnd: gt + 1, end, selfClosing, attributes })
    at = end
  }
  return rows
}

export type CellTag = { column: number; start: number; end: number; attributes: Map<string, string>; body: string }

function columnOfAddress(address: string): number {
  const m = /^([A-Z]{1,3})(\d+)$/.exec(address)
  if (!m) unmodeled(`cell address ${address}`)
  let column = 0
  for (const ch of m[1] ?? '') column = column * 26 + ch.charCodeAt(0) - 64
  return column
}

/** The cells of a row element (offsets within `text`), in strictly increasing column order. */
export function listCells(text: string, row: RowTag): CellTag[] {
  const cells: CellTag[] = []
  if (row.selfClosing) return cells
  let at = row.openEnd
  const stop = row.end - 6
  for (;;) {
    const start = text.indexOf('<', at)
    if (start < 0 || start >= stop) break
    if (!text.startsWith('<c', start) || !/[\s/>]/.test(text[start + 2] ?? '')) unmodeled('something other than a cell in a row')
    const gt = text.indexOf('>', start)
    const selfClosing = text.charCodeAt(gt - 1) === 0x2f
    const raw = text.slice(start + 2, selfClosing ? gt - 1 : gt)
    if (raw.includes("'")) unmodeled('a cell attribute in single quotes')
    const attributes = new Map<string, string>()
    for (const [, name, value] of raw.matchAll(ATTRIBUTE)) attributes.set(name ?? '', value ?? '')
    let end = gt + 1
    if (!selfClosing) {
      const close = text.indexOf('</c>', gt)
      if (close < 0 || close > stop) unmodeled('an unterminated cell')
      end = close + 4
    }
    const column = columnOfAddress(attributes.get('r') ?? '')
    if (cells.length > 0 && column <= (cells[cells.length - 1]?.column ?? 0)) unmodeled('cells out of order')
    cells.push({ column, start, end, attributes, body: selfClosing ? '' : text.slice(gt + 1, end - 4) })
    at = end
  }
  return cells
}

/** A row element holding `cells` (column → `<c>` text, '' for none) merged into the row's own cells in column order. */
export function rowWithCells(text: string, row: RowTag, cells: ReadonlyMap<number, string>): string {
  const kept = listCells(text, row)
    .filter((cell) => !cells.has(cell.column))
    .map((cell) => ({ column: cell.column, xml: text.slice(cell.start, cell.end) }))
  const added = [...cells].map(([column, xml]) => ({ column, xml }))
  const all = [...kept, ...added].sort((a, b) => a.column - b.column)
  // `spans` is a hint of the columns a row uses: dropped rather than left wrong.
  const attributes = row.attributes.replace(/\sspans="[^"]*"/, '')
  return `<row${attributes}>${all.map((c) => c.xml).join('')}</row>`
}

export function newRow(r: number, cells: ReadonlyMap<number, string>): string {
  const all = [...cells].sort((a, b) => a[0] - b[0])
  return `<row r="${r}">${all.map(([, xml]) => xml).join('')}</row>`
}

export const cellAddress = (row: number, column: number): string => `${columnLetters(column)}${row}`

/** Each `<dataValidation>`'s sqref: its offsets in the text and the boxes it lists. */
export type Validation = { at: number; end: number; boxes: Box[] }

export function listValidations(text: string): Validation[] {
  const found: Validation[] = []
  const open = text.indexOf('<dataValidations')
  if (open < 0) return found
  const close = text.indexOf('</dataValidations>', open)
  if (close < 0) return found
  let at = open
  for (;;) {
    const start = text.indexOf('<dataValidation ', at)
    if (start < 0 || start > close) break
    const gt = text.indexOf('>', start)
    const tag = text.slice(start, gt)
    const m = /\ssqref="([^"]*)"/.exec(tag)
    if (!m || m.index === undefined) unmodeled('a data validation without a range')
    const valueAt = start + m.index + m[0].indexOf('"') + 1
    const boxes = (m[1] ?? '').split(/\s+/).filter((ref) => ref !== '').map((ref) => parseBox(ref) ?? unmodeled(`data validation range ${ref}`))
    found.push({ at: valueAt, end: valueAt + (m[1] ?? '').length, boxes })
    at = gt
  }
  return found
}

export const covers = (box: Box, row: number, column: number): boolean => box.top <= row && row <= box.bottom && box.left <= column && column <= box.right

/**
 * A validation's boxes once it also covers `columns` of rows `first..last`: a box ending on the
 * row above that lies within those columns grows down, and whatever is still uncovered is
 * added one column at a time.
 */
export function grownBoxes(boxes: readonly Box[], columns: readonly number[], first: number, last: number): Box[] {
  const grown = boxes.map((box) => (box.bottom === first - 1 && allBetween(columns, box) ? { ...box, bottom: last } : box))
  for (const column of columns) {
    let top: number | null = null
    for (let row = first; row <= last + 1; row += 1) {
      const missing = row <= last && !grown.some((box) => covers(box, row, column))
      if (missing && top === null) top = row
      if (!missing && top !== null) {
        grown.push({ top, left: column, bottom: row - 1, right: column })
        top = null
      }
    }
  }
  return grown
}

function allBetween(columns: readonly number[], box: Box): boolean {
  for (let column = box.left; column <= box.right; column += 1) if (!columns.includes(column)) return false
  return true
}

export const sqrefOf = (boxes: readonly Box[]): string => boxes.map(boxRef).join(' ')

/** A stretch of a part replaced: offsets into the original; `row` marks a `<row>` element written whole. */
export type Edit = { at: number; end: number; with: string; row?: number }

/** Where each row written whole sits in the edited part. */
export type WrittenRow = { r: number; start: number; end: number }

/** A part with its edits made (latin1 text, one byte per character; edits must not overlap), and where the rows written sit. */
export function spliced(xml: Xml, edits: readonly Edit[]): { bytes: Buffer; xml: Xml; rows: WrittenRow[]; replaced: Replaced[] } {
  // Rows inserted at one place go in by number: written in the order the writes came, they could be out of order.
  const sorted = [...edits].sort((a, b) => a.at - b.at || (a.row ?? 0) - (b.row ?? 0))
  const pieces: Buffer[] = []
  let text = ''
  const rows: WrittenRow[] = []
  let from = 0
  let length = 0
  for (const edit of sorted) {
    if (edit.at < from) unmodeled('overlapping edits')
    const before = xml.bytes.subarray(from, edit.at)
    const written = Buffer.from(edit.with, 'latin1')
    pieces.push(before, written)
    text += xml.text.slice(from, edit.at) + edit.with
    length += before.length
    if (edit.row !== undefined) rows.push({ r: edit.row, start: length, end: length + written.length })
    length += written.length
    from = edit.end
  }
  pieces.push(xml.bytes.subarray(from))
  text += xml.text.slice(from)
  const bytes = Buffer.concat(pieces)
  return { bytes, xml: editedXml(text, bytes), rows, replaced: sorted.map((e) => ({ at: e.at, end: e.end, length: e.with.length })) }
}

/** The `ref` of the `<dimension>` grown to hold `box`, as an edit; null when there is none or it holds it already. */
export function dimensionEdit(text: string, rowsFrom: number, box: Box): Edit | null {
  const open = text.indexOf('<dimension ')
  if (open < 0 || open > rowsFrom) return null
  const gt = text.indexOf('>', open)
  const m = /\sref="([^"]*)"/.exec(text.slice(open, gt))
  if (!m || m.index === undefined) return null
  const current = parseBox(m[1] ?? '')
  if (current === null) unmodeled('a dimension that is not a range')
  const union = { top: Math.min(current.top, box.top), left: Math.min(current.left, box.left), bottom: Math.max(current.bottom, box.bottom), right: Math.max(current.right, box.right) }
  if (union.top === current.top && union.left === current.left && union.bottom === current.bottom && union.right === current.right) return null
  const at = open + m.index + m[0].indexOf('"') + 1
  return { at, end: at + (m[1] ?? '').length, with: boxRef(union) }
}
